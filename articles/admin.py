from django import forms
from django.contrib import admin, messages
from django.db import models

from articles.models import Article
from articles.originals import reextract_article
from articles.trash import trash_article
from newsreader.lib.extraction import ExtractionError


@admin.action(description="Re-extract selected articles from their originals")
def reextract_articles(modeladmin, request, queryset):
    done, failed, orphaned = 0, [], 0
    # One full row at a time: originals can be large.
    for pk in queryset.values_list("pk", flat=True):
        article = Article.objects.get(pk=pk)
        try:
            placed = reextract_article(article)
        except ExtractionError as error:
            failed.append(f"#{article.pk} {article.title}: {error}")
        else:
            done += 1
            orphaned += placed.orphaned
    if done:
        message = f"Re-extracted {done} article(s)."
        if orphaned:
            message += f" {orphaned} highlight(s) could not be placed and are listed as orphans."
        modeladmin.message_user(request, message, messages.SUCCESS)
    for failure in failed:
        modeladmin.message_user(request, f"Not re-extracted: {failure}", messages.ERROR)


@admin.register(Article)
class ArticleAdmin(admin.ModelAdmin):
    list_display = [
        "title",
        "team",
        "site_name",
        "kind",
        "word_count",
        "extractor_version",
        "created_at",
    ]
    list_filter = ["team", "kind", "extractor_version", "language"]
    search_fields = ["title", "source_url", "site_name", "byline"]
    date_hierarchy = "created_at"
    actions = [reextract_articles]
    formfield_overrides = {
        models.URLField: {"form_class": forms.URLField, "assume_scheme": "https"},
    }
    autocomplete_fields = ["team", "added_by"]
    readonly_fields = [
        "kind",
        "original_content_type",
        "original_filename",
        "original_charset",
        "original_size",
        "html",
        "text",
        "word_count",
        "reading_minutes",
        "extractor_version",
        "extracted_at",
        "created_at",
        "updated_at",
    ]
    fieldsets = [
        (None, {"fields": ["team", "title", "byline", "site_name", "published", "language"]}),
        (
            "Source",
            {
                "fields": [
                    "source_url",
                    "added_by",
                    "kind",
                    "original_content_type",
                    "original_filename",
                    "original_charset",
                    "original_size",
                ]
            },
        ),
        (
            "Reader",
            {
                "fields": [
                    "excerpt",
                    "lead_image_url",
                    "word_count",
                    "reading_minutes",
                    "extractor_version",
                    "extracted_at",
                    "html",
                    "text",
                ],
                "classes": ["collapse"],
            },
        ),
        ("Dates", {"fields": ["created_at", "updated_at"]}),
    ]

    def get_queryset(self, request):
        return (
            super().get_queryset(request).select_related("team").defer("original", "html", "text")
        )

    @admin.display(description="Original size")
    def original_size(self, article):
        return f"{len(article.original):,} bytes"

    def has_add_permission(self, request):
        # Articles come in through extraction (import, demo loader), never typed in.
        return False

    # Deleting here moves to the trash too: the team's members can restore it
    # (its trash page), and it goes for good after TRASH_DAYS.
    def delete_model(self, request, obj):
        trash_article(obj, request.user)

    def delete_queryset(self, request, queryset):
        for article in queryset.only("pk", "team_id", "updated_at"):
            trash_article(article, request.user)
