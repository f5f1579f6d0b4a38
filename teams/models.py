from django.conf import settings
from django.db import models
from django.utils import timezone


def display_name(user):
    """What others see as `user`'s name: their display name, else their username.

    The display name is Django's own name fields (first and last name, which the
    admin edits too; the settings page keeps it in the first), so every query that
    loads an author has it: showing it costs nothing.
    """
    if user is None:
        return "former member"
    return name_of(user.first_name, user.last_name, user.get_username())


def author_fields(user):
    """Who wrote something, as exports and the API give it: the username (which
    the API's filters and an import match) and the name the reader shows; both
    None for a former member."""
    if user is None:
        return {"author": None, "author_name": None}
    return {"author": user.get_username(), "author_name": display_name(user)}


def name_of(first_name, last_name, username):
    """display_name() from a row's fields (the reader's panel reads rows, not users)."""
    return f"{first_name} {last_name}".strip() or username


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


class ReaderSettings(models.Model):
    """How the reader shows articles to one user, on every device they use.

    Every value is one of a few fixed steps, so what reaches the page is
    always one of the values the stylesheet knows (the CSP allows no inline
    styles): base.html puts them on <html> as data attributes, server-side,
    so a page never flashes the default look first.
    """

    class Theme(models.TextChoices):
        SYSTEM = "system", "As the device"
        LIGHT = "light", "Light"
        DARK = "dark", "Dark"
        SEPIA = "sepia", "Sepia"

    class Font(models.TextChoices):
        SERIF = "serif", "Serif"
        SANS = "sans", "Sans-serif"

    class FontSize(models.IntegerChoices):
        SMALLER = 90, "Smaller"
        NORMAL = 100, "Normal"
        LARGER = 115, "Larger"
        LARGE = 130, "Large"
        LARGEST = 150, "Largest"

    class LineWidth(models.TextChoices):
        NARROW = "narrow", "Narrow"
        NORMAL = "normal", "Normal"
        WIDE = "wide", "Wide"

    class LineHeight(models.TextChoices):
        COMPACT = "compact", "Compact"
        NORMAL = "normal", "Normal"
        AIRY = "airy", "Airy"

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="reader_settings"
    )
    theme = models.CharField(max_length=10, choices=Theme.choices, default=Theme.SYSTEM)
    font = models.CharField(max_length=10, choices=Font.choices, default=Font.SERIF)
    font_size = models.PositiveSmallIntegerField(choices=FontSize.choices, default=FontSize.NORMAL)
    line_width = models.CharField(
        max_length=10, choices=LineWidth.choices, default=LineWidth.NORMAL
    )
    line_height = models.CharField(
        max_length=10, choices=LineHeight.choices, default=LineHeight.NORMAL
    )
    updated_at = models.DateTimeField(auto_now=True)

    # Each setting and the attribute of <html> that carries it (static/css/app.css reads them).
    ATTRIBUTES = (
        ("theme", "data-theme"),
        ("font", "data-reader-font"),
        ("font_size", "data-reader-size"),
        ("line_width", "data-reader-width"),
        ("line_height", "data-reader-leading"),
    )

    def __str__(self):
        return f"Reader settings of {self.user}"

    @classmethod
    def of(cls, user):
        """The user's settings; the defaults (unsaved) for someone who chose none.

        The login backend (teams/backends.py) loads them with the user, so
        this costs no query on a signed-in request.
        """
        if not user.is_authenticated:
            return cls()
        try:
            return user.reader_settings
        except cls.DoesNotExist:
            return cls(user=user)

    def html_attributes(self):
        """(name, value) of the data attributes of <html> that differ from the default look."""
        return [
            (attribute, str(getattr(self, name)))
            for name, attribute in self.ATTRIBUTES
            if getattr(self, name) != self._meta.get_field(name).default
        ]
