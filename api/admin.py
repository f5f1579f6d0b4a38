from django.contrib import admin

from api.models import ApiToken


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    """Staff see and revoke tokens; the secrets are not stored, so never shown."""

    list_display = [
        "name",
        "user",
        "scope",
        "prefix",
        "created_at",
        "last_used_at",
        "expires_at",
        "revoked_at",
    ]
    list_filter = ["scope"]
    search_fields = ["name", "user__username", "prefix"]
    readonly_fields = ["user", "name", "scope", "prefix", "key_hash", "created_at", "last_used_at"]
    actions = ["revoke"]

    def has_add_permission(self, request):
        return False  # tokens are made by their users, who see the secret once

    @admin.action(description="Revoke the selected tokens")
    def revoke(self, request, queryset):
        for token in queryset:
            token.revoke()
