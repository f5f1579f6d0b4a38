"""The admin's "Import articles" pages: upload, live progress, report, retry."""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.views.decorators.http import require_POST

from imports.batches import (
    make_real,
    readable_uploads,
    retry_failed,
    run_import,
    stage_batch,
    store_upload,
)
from imports.models import ImportBatch, ImportItem
from newsreader.htmx import render_page
from newsreader.lib.formats import FORMATS, ImportFileError
from teams.models import Team


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    widget = MultipleFileInput

    def clean(self, data, initial=None):
        files = data if isinstance(data, list | tuple) else [data]
        return [super(MultipleFileField, self).clean(file, initial) for file in files if file]


class ImportForm(forms.Form):
    team = forms.ModelChoiceField(queryset=Team.objects.all())
    files = MultipleFileField(help_text="One or more exports, a ZIP, or article files.")
    format = forms.ChoiceField(
        choices=[("auto", "Detect automatically")] + [(name, name) for name in FORMATS],
        initial="auto",
    )
    dry_run = forms.BooleanField(
        required=False,
        label="Dry run",
        help_text="Go through every entry and report what would happen, without importing.",
    )


@admin.register(ImportBatch)
class ImportBatchAdmin(admin.ModelAdmin):
    list_display = [
        "__str__",
        "team",
        "format",
        "total",
        "created_count",
        "duplicate_count",
        "failed_count",
        "created_at",
    ]
    list_filter = ["status", "team"]
    readonly_fields = [f.name for f in ImportBatch._meta.fields]
    change_list_template = "admin/imports/importbatch/change_list.html"

    def has_add_permission(self, request):
        return False  # batches are made by the import page

    def get_urls(self):
        wrap = self.admin_site.admin_view
        return [
            path("import/", wrap(self.import_view), name="imports_importbatch_import"),
            path(
                "<int:pk>/progress/",
                wrap(self.progress_view),
                name="imports_importbatch_progress",
            ),
            path("<int:pk>/retry/", wrap(self.retry_view), name="imports_importbatch_retry"),
            path("<int:pk>/run/", wrap(self.run_view), name="imports_importbatch_run"),
            *super().get_urls(),
        ]

    def has_import_permission(self, request):
        # Importing writes articles: it takes the right to add articles.
        return request.user.has_perm("articles.add_article") or request.user.is_superuser

    def import_view(self, request):
        if not self.has_import_permission(request):
            raise PermissionDenied
        form = ImportForm(request.POST or None, request.FILES or None)
        if request.method == "POST" and form.is_valid():
            try:
                stored = [store_upload(upload) for upload in form.cleaned_data["files"]]
                with readable_uploads(stored) as files:
                    batch = stage_batch(
                        form.cleaned_data["team"],
                        request.user,
                        files,
                        form.cleaned_data["format"],
                        dry_run=form.cleaned_data["dry_run"],
                    )
            except ImportFileError as error:
                form.add_error("files", str(error))
            else:
                run_import.enqueue(batch.pk)
                return redirect("admin:imports_importbatch_progress", pk=batch.pk)
        context = {
            **self.admin_site.each_context(request),
            "form": form,
            "title": "Import articles",
            "opts": self.model._meta,
        }
        return render(request, "admin/imports/importbatch/import.html", context)

    def progress_view(self, request, pk):
        batch = get_object_or_404(ImportBatch.objects.select_related("team"), pk=pk)
        if not self.has_view_permission(request, batch):
            raise PermissionDenied
        problems = batch.items.reported()
        page = Paginator(problems.only("position", "source", "status", "reason", "warnings"), 100)
        context = {
            **self.admin_site.each_context(request),
            "batch": batch,
            "page": page.get_page(request.GET.get("page")),
            "title": f"Import #{batch.pk}",
            "opts": self.model._meta,
            "library_url": reverse("articles:library"),
        }
        return render_page(
            request,
            "admin/imports/importbatch/progress.html",
            "admin/imports/importbatch/progress.html#progress",
            context,
        )

    def run_view(self, request, pk):
        """A finished dry run, now for real."""
        batch = get_object_or_404(ImportBatch, pk=pk)
        if not self.has_import_permission(request):
            raise PermissionDenied
        return _run_for_real(request, batch)

    def retry_view(self, request, pk):
        batch = get_object_or_404(ImportBatch, pk=pk)
        if not self.has_import_permission(request):
            raise PermissionDenied
        return _retry(request, batch)


@require_POST
def _retry(request, batch):
    if batch.is_interrupted or batch.status != ImportBatch.Status.RUNNING:
        count = retry_failed(batch)
        run_import.enqueue(batch.pk)
        messages.success(request, f"Retrying {count} failed item(s); resuming the rest.")
    return redirect("admin:imports_importbatch_progress", pk=batch.pk)


@require_POST
def _run_for_real(request, batch):
    if make_real(batch):
        run_import.enqueue(batch.pk)
        messages.success(request, "Importing for real.")
    return redirect("admin:imports_importbatch_progress", pk=batch.pk)


@admin.register(ImportItem)
class ImportItemAdmin(admin.ModelAdmin):
    list_display = ["source", "batch", "status", "reason", "article"]
    list_filter = ["status"]
    search_fields = ["source", "reason"]
    readonly_fields = ["batch", "position", "source", "status", "reason", "article", "data"]
    exclude = ["content"]

    def has_add_permission(self, request):
        return False
