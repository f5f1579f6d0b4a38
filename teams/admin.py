from django.contrib import admin, messages
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin
from django.utils import timezone

from newsreader.access import id_from
from teams.accounts import name_changed
from teams.membership import ensure_personal_team, members_changed
from teams.models import Invitation, Membership, Team
from teams.throttle import ThrottledAdminAuthenticationForm


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 1
    autocomplete_fields = ["user"]


# The admin's login is throttled like the app's (teams/throttle.py).
admin.site.login_form = ThrottledAdminAuthenticationForm


@admin.register(Team)
class TeamAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "created_at"]
    search_fields = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [MembershipInline]

    def save_formset(self, request, form, formset, change):
        super().save_formset(request, form, formset, change)
        if formset.model is Membership and (formset.new_objects or formset.deleted_objects):
            members_changed(form.instance.pk)


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ["user", "team", "role", "created_at"]
    list_filter = ["role", "team"]
    search_fields = ["user__username", "team__name"]
    autocomplete_fields = ["user", "team"]

    # The reader's cached panels list the members, as teams/membership.py says.
    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        members_changed(obj.team_id)
        if "team" in form.changed_data and form.initial.get("team"):
            members_changed(form.initial["team"])

    def delete_model(self, request, obj):
        super().delete_model(request, obj)
        members_changed(obj.team_id)

    def delete_queryset(self, request, queryset):
        teams = set(queryset.values_list("team_id", flat=True))
        super().delete_queryset(request, queryset)
        for team_id in teams:
            members_changed(team_id)

    def get_changeform_initial_data(self, request):
        # The add page takes initial values from its query string, and the
        # autocomplete widgets look a foreign key up as given: junk ("²", 30
        # digits) would be a 500 there. Only real ids are kept.
        initial = super().get_changeform_initial_data(request)
        for name in self.autocomplete_fields:
            if name in initial and id_from(str(initial[name])) is None:
                del initial[name]
        return initial


# Users: Django's admin, except that a user made here gets a personal team at
# once. (Users made elsewhere, e.g. by createsuperuser, get theirs at their
# first login: teams/accounts.py.)
admin.site.unregister(get_user_model())


# What display_name() shows: the name fields, else the username.
NAME_FIELDS = {"first_name", "last_name", "username"}


@admin.register(get_user_model())
class PersonalTeamUserAdmin(UserAdmin):
    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        if not change:
            ensure_personal_team(obj)
        elif NAME_FIELDS & set(form.changed_data):
            name_changed(obj)


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
