from django.conf import settings
from django.db import models
from django.utils import timezone


class ApiTokenQuerySet(models.QuerySet):
    def usable(self):
        """Tokens that still open the API: not revoked and not expired."""
        now = timezone.now()
        return self.filter(revoked_at=None).filter(
            models.Q(expires_at=None) | models.Q(expires_at__gt=now)
        )


class ApiToken(models.Model):
    """A personal access token: what a script, an app or the browser extension
    presents as `Authorization: Bearer <secret>` to act as its user.

    Only a hash of the secret is stored (api/tokens.py); the secret is shown
    once, when the token is made. `prefix` (the secret's first characters)
    lets people tell their tokens apart in the list.
    """

    class Scope(models.TextChoices):
        READ = "read", "Read only"
        WRITE = "write", "Read and write"

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens"
    )
    name = models.CharField(max_length=100)
    scope = models.CharField(max_length=10, choices=Scope.choices, default=Scope.READ)
    prefix = models.CharField(max_length=16)
    key_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField(null=True, blank=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    objects = ApiTokenQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self):
        return f"{self.name} ({self.prefix}…)"

    @property
    def can_write(self):
        return self.scope == self.Scope.WRITE

    @property
    def is_expired(self):
        return self.expires_at is not None and self.expires_at <= timezone.now()

    @property
    def is_usable(self):
        return self.revoked_at is None and not self.is_expired

    def revoke(self):
        if self.revoked_at is None:
            self.revoked_at = timezone.now()
            self.save(update_fields=["revoked_at"])
