from django import forms
from django.contrib import admin, messages
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin
from django.db import models
from django.utils import timezone

from .extraction import ExtractionError
from .ingest import reextract_article
from .models import Article, Invitation, Membership, Team
from .teams import ensure_personal_team
from .throttle import ThrottledAdminAuthenticationForm


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 1
    autocomplete_fields = ["user"]


# The admin's login is throttled like the app's (articles/throttle.py).
admin.site.login_form = ThrottledAdminAuthenticationForm


@admin.register(Team)
class TeamAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "created_at"]
    search_fields = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [MembershipInline]


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ["user", "team", "role", "created_at"]
    list_filter = ["role", "team"]
    search_fields = ["user__username", "team__name"]
    autocomplete_fields = ["user", "team"]


# Users: Django's admin, except that a user made here gets a personal team at
# once. (Users made elsewhere, e.g. by createsuperuser, get theirs at their
# first login: articles/accounts.py.)
admin.site.unregister(get_user_model())


@admin.register(get_user_model())
class PersonalTeamUserAdmin(UserAdmin):
    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        if not change:
            ensure_personal_team(obj)


@admin.action(description="Withdraw selected invitations")
def revoke_invitations(modeladmin, request, queryset):
    count = queryset.filter(used_at__isnull=True, revoked_at__isnull=True).update(
        revoked_at=timezone.now()
    )
    modeladmin.message_user(request, f"Withdrew {count} invitation(s).", messages.SUCCESS)


@admin.register(Invitation)
class InvitationAdmin(admin.ModelAdmin):
    """Invitations are made on the team's page, where the link is shown once.

    Only the token's hash is stored, so nothing here can show or rebuild a link.
    """

    list_display = ["team", "role", "created_by", "created_at", "expires_at", "status"]
    list_filter = ["role", "team"]
    list_select_related = ["team", "created_by", "used_by"]
    search_fields = ["team__name"]
    actions = [revoke_invitations]
    readonly_fields = [
        "team",
        "role",
        "token_hash",
        "created_by",
        "created_at",
        "expires_at",
        "used_by",
        "used_at",
        "revoked_at",
    ]

    def has_add_permission(self, request):
        return False

    @admin.display(description="Status")
    def status(self, invitation):
        if invitation.revoked_at:
            return "withdrawn"
        if invitation.used_at:
            return f"used by {invitation.used_by or 'a deleted user'}"
        if invitation.expires_at <= timezone.now():
            return "expired"
        return "pending"


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
