from django.conf import settings
from django.db import models
from django.utils import timezone


class Team(models.Model):
    """A shared account: articles and everything on them belong to a team."""

    name = models.CharField(max_length=100)
    slug = models.SlugField(max_length=100, unique=True)
    # Every user has one personal team of their own (set for that team only).
    personal_for = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="personal_team",
    )
    created_at = models.DateTimeField(default=timezone.now)
    # Bumped by every change the library shows (articles/freshness.py): part
    # of the key of its cached pages, read with the membership at no cost.
    library_version = models.PositiveIntegerField(default=0)

    class Meta:
        # The tables kept the names they had when teams were part of the
        # articles app (migrations/0001_initial.py moved only the state).
        db_table = "articles_team"
        ordering = ["name"]

    def __str__(self):
        return self.name


class Membership(models.Model):
    class Role(models.TextChoices):
        OWNER = "owner", "Owner"
        ADMIN = "admin", "Admin"
        MEMBER = "member", "Member"
        READ_ONLY = "readonly", "Read-only"

    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="memberships")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships"
    )
    role = models.CharField(max_length=10, choices=Role.choices, default=Role.MEMBER)
    created_at = models.DateTimeField(default=timezone.now)
    # When the user last switched to this team: the team they land in next time.
    last_used_at = models.DateTimeField(null=True, blank=True)
    # Bumped by changes of the member's own reading state in the team: the
    # other half of the key of their cached library pages.
    library_version = models.PositiveIntegerField(default=0)

    class Meta:
        db_table = "articles_membership"
        constraints = [
            models.UniqueConstraint(fields=["team", "user"], name="unique_membership"),
        ]

    def __str__(self):
        return f"{self.user} in {self.team} ({self.get_role_display()})"


class Invitation(models.Model):
    """A single-use, expiring link that adds whoever opens it to a team.

    Only a hash of the token is stored: the link is shown once, when the
    invitation is made.
    """

    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="invitations")
    role = models.CharField(
        max_length=10, choices=Membership.Role.choices, default=Membership.Role.MEMBER
    )
    token_hash = models.CharField(max_length=64, unique=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    used_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        db_table = "articles_invitation"

    def __str__(self):
        return f"Invitation to {self.team} as {self.get_role_display()}"
