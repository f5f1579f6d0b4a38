from datetime import timedelta

from django.conf import settings
from django.db import IntegrityError, models, transaction
from django.db.models.functions import Coalesce
from django.utils import timezone

from articles import freshness
from newsreader.lib import extraction
from newsreader.lib.anchoring import CONTEXT_CHARS, MAX_HIGHLIGHT_CHARS
from newsreader.lib.colours import HIGHLIGHT_COLOURS
from newsreader.lib.fingerprints import content_hash, normalise_url
from newsreader.lib.markdown import render_note


def _count(queryset):
    """A correlated COUNT(*) subquery (no joins that multiply rows)."""
    counted = queryset.order_by().values(dummy=models.Value(1)).annotate(n=models.Count("*"))
    return models.Subquery(counted.values("n")[:1], output_field=models.IntegerField())


class LiveManager(models.Manager):
    """The default manager: what is not in the trash.

    Being the default, it is also what related managers (`article.notes`,
    `highlight.replies`) and prefetches use, so trashed rows stay out of every
    page unless a query asks for them (`all_objects`, `in_trash()`).
    """

    def get_queryset(self):
        return super().get_queryset().filter(deleted_at=None)


def trashed_index(name):
    """The index the purge and the trash pages use: rows in the trash only."""
    return models.Index(
        fields=["deleted_at"], condition=models.Q(deleted_at__isnull=False), name=name
    )


class Trashable(models.Model):
    """Something a member can delete and get back: it waits in the trash for
    settings.TRASH_DAYS, then a task purges it (articles/trash.py). An
    article in the trash takes everything on it along, out of sight."""

    # Indexed only where set (each model's Meta: trashed_index()): an index of
    # the NULLs would be all rows, and SQLite, without statistics, takes
    # "deleted_at IS NULL" for a selective lookup and walks it.
    deleted_at = models.DateTimeField(null=True, blank=True)
    deleted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        abstract = True

    @property
    def in_trash(self):
        return self.deleted_at is not None

    # Each change and the article's annotation count and version (touch_annotations)
    # are written together or not at all: a worker killed between the two would
    # leave readers' caches showing the old state for good.
    def trash(self, user):
        """Move to the trash; restore() brings back this same row."""
        self.deleted_at, self.deleted_by = timezone.now(), user
        with transaction.atomic():
            self.save(update_fields=["deleted_at", "deleted_by", "updated_at"])
            self.annotated_article.touch_annotations()

    def restore(self):
        self.deleted_at, self.deleted_by = None, None
        with transaction.atomic():
            self.save(update_fields=["deleted_at", "deleted_by", "updated_at"])
            self.annotated_article.touch_annotations()


class ArticleQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Articles of the teams `user` belongs to; none for anonymous users."""
        if not user.is_authenticated:
            return self.none()
        # The membership join that scopes the query also tells the viewer's
        # role, so permission checks need no query of their own.
        return self.filter(team__memberships__user=user).annotate(
            viewer_role=models.F("team__memberships__role")
        )

    def for_list(self):
        """Only what the library shows: the stored page and original stay on disk."""
        # Newest saved first: an imported library keeps the order it had.
        return self.defer("original", "html", "text").order_by("-saved_at", "-id")

    def touch_panels(self):
        """Record that something the reader's cached panels of these articles show
        besides their annotations changed (a name, the team's members): one UPDATE."""
        return self.update(annotations_version=models.F("annotations_version") + 1)

    def count_annotations(self):
        """Set annotation_total of these articles (after writes that skipped
        touch_annotations(), like an import's bulk inserts)."""
        return self.update(annotation_total=Article.annotation_total_of(models.OuterRef("pk")))


class Article(Trashable, models.Model):
    """An article as imported (kept unchanged) and as extracted for reading.

    `original` holds the input exactly as it arrived, so the article can be
    re-extracted by any later extractor. `html` is the sanitised reader HTML in
    normal form and `text` its canonical text, the text highlights are
    anchored to (the rule is in newsreader/lib/extraction/canonical.py).
    """

    class Kind(models.TextChoices):
        HTML = "html", "HTML"
        TEXT = "text", "Plain text"
        MARKDOWN = "markdown", "Markdown"

    team = models.ForeignKey("teams.Team", on_delete=models.CASCADE, related_name="articles")
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    source_url = models.URLField(max_length=2048, blank=True)
    # Duplicates within a team are refused by the database (constraints below).
    normalized_url = models.CharField(max_length=2048, blank=True, editable=False)
    content_hash = models.CharField(max_length=64, blank=True, editable=False)
    tags = models.ManyToManyField("Tag", blank=True, related_name="articles")

    # The input, unchanged.
    original = models.BinaryField()
    original_content_type = models.CharField(max_length=200, blank=True)
    original_filename = models.CharField(max_length=255, blank=True)
    original_charset = models.CharField(max_length=40, blank=True)
    kind = models.CharField(max_length=10, choices=Kind.choices)

    # The extraction.
    title = models.CharField(max_length=500)
    byline = models.CharField(max_length=300, blank=True)
    site_name = models.CharField(max_length=200, blank=True)
    published = models.DateField(null=True, blank=True)
    language = models.CharField(max_length=35, blank=True)
    lead_image_url = models.URLField(max_length=2048, blank=True)
    html = models.TextField()
    text = models.TextField()
    excerpt = models.TextField(blank=True)
    word_count = models.PositiveIntegerField(default=0)
    reading_minutes = models.PositiveIntegerField(default=0)
    extractor_version = models.CharField(max_length=20)
    extracted_at = models.DateTimeField(default=timezone.now)

    created_at = models.DateTimeField(default=timezone.now)
    # When it was saved: here, or in the app it was imported from (Pocket's
    # time_added, Readwise's "Saved date"…), so an imported library keeps its order.
    saved_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)
    # Bumped whenever a highlight or note of the article changes: the key of
    # the reader's cached fragments, and a cheap "anything new?" for polling.
    annotations_version = models.PositiveIntegerField(default=0)
    # The team's visible highlights, notes and replies on it, kept by
    # touch_annotations(): what "most annotated" sorts by without counting
    # every article of the library per request.
    annotation_total = models.PositiveIntegerField(default=0)

    objects = LiveManager.from_queryset(ArticleQuerySet)()
    all_objects = ArticleQuerySet.as_manager()

    class Meta:
        # One per sort of the library (articles/library.py), each ending in the
        # id that breaks ties, so a page is read from the index.
        indexes = [
            models.Index(fields=["team", "-saved_at", "-id"], name="article_team_saved_id"),
            models.Index(fields=["team", "published", "id"], name="article_team_published"),
            models.Index(fields=["team", "title", "id"], name="article_team_title"),
            models.Index(fields=["team", "annotation_total", "id"], name="article_team_annotated"),
            trashed_index("article_trashed"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["team", "normalized_url"],
                condition=~models.Q(normalized_url=""),
                name="unique_article_url_per_team",
            ),
            models.UniqueConstraint(
                fields=["team", "content_hash"],
                condition=~models.Q(content_hash=""),
                name="unique_article_content_per_team",
            ),
        ]

    def __str__(self):
        return self.title

    class UrlTaken(Exception):
        """Another article of the team has this URL; the message is meant for people."""

    def edit_details(self, *, title, byline, source_url):
        """Correct the title, byline and source URL (duplicates are refused: UrlTaken)."""
        normalized = normalise_url(source_url)
        other = None
        if normalized:
            others = Article.all_objects.filter(team_id=self.team_id, normalized_url=normalized)
            other = others.exclude(pk=self.pk).only("title", "deleted_at").first()
        if other is not None:
            where = " (in the trash)" if other.in_trash else ""
            raise self.UrlTaken(f"Another article of the team has this address{where}: “{other}”.")
        self.title, self.byline = title, byline
        self.source_url, self.normalized_url = source_url, normalized
        try:
            with transaction.atomic():
                self.save(
                    update_fields=["title", "byline", "source_url", "normalized_url", "updated_at"]
                )
        except IntegrityError:
            raise self.UrlTaken("Another article of the team has this address.") from None

    @property
    def note_count(self):
        """With the counts articles/library.py cards() sets: all notes and replies."""
        return self.article_note_count + self.highlight_note_count + self.reply_count

    EXTRACTED_FIELDS = [
        "title",
        "byline",
        "site_name",
        "published",
        "language",
        "lead_image_url",
        "html",
        "text",
        "excerpt",
        "word_count",
        "reading_minutes",
        "extractor_version",
        "extracted_at",
        "original_charset",
        "kind",
        "content_hash",
    ]

    @classmethod
    def from_extraction(
        cls, result, *, team, original, content_type="", url="", filename="", added_by_id=None
    ):
        """A new article of `team` (not saved) from an extraction.Extraction of `original`.

        The one way articles are made: adding one, importing and the demo
        all come here; re-extraction applies a new result to an existing
        article with apply_extraction(), like this does.
        """
        article = cls(
            team=team,
            added_by_id=added_by_id,
            source_url=url,
            normalized_url=normalise_url(url),
            original=original,
            original_content_type=content_type[:200],
            original_filename=filename[:255],
        )
        article.apply_extraction(result)
        return article

    def apply_extraction(self, result):
        """Copy an extraction.Extraction onto this article (without saving)."""
        self.title = result.title[:500] or "Untitled"
        self.byline = result.byline[:300]
        self.site_name = result.site_name[:200]
        self.published = result.published
        self.language = result.language[:35]
        self.lead_image_url = result.lead_image[:2048]
        self.html = result.html
        self.text = result.text
        self.excerpt = result.excerpt
        self.word_count = result.word_count
        self.reading_minutes = result.reading_minutes
        self.extractor_version = extraction.EXTRACTOR_VERSION
        self.extracted_at = timezone.now()
        self.original_charset = result.charset
        self.kind = result.kind
        self.content_hash = content_hash(self.title, self.text)

    @property
    def annotated_article(self):
        return self

    def touch_annotations(self):
        """Record that the article's highlights or notes changed."""
        Article.all_objects.filter(pk=self.pk).update(
            annotations_version=models.F("annotations_version") + 1,
            annotation_total=Article.annotation_total_of(models.OuterRef("pk")),
        )
        self.refresh_from_db(fields=["annotations_version", "annotation_total"])
        freshness.bump_team(self.team_id)

    @staticmethod
    def annotation_total_of(article):
        """What the whole team sees on `article` (a pk or an OuterRef): highlights
        that are neither private nor removed, their notes and replies, and notes."""
        shown = Highlight.objects.filter(
            article=article, removed_at=None, visibility=Highlight.Visibility.TEAM
        )
        # Filtered through the highlight's columns: a nested highlight subquery
        # would resolve OuterRef("pk") against the reply.
        replies = Reply.objects.filter(
            highlight__article=article,
            highlight__removed_at=None,
            highlight__deleted_at=None,
            highlight__visibility=Highlight.Visibility.TEAM,
            removed_at=None,
        )
        return (
            Coalesce(_count(shown), 0)
            + Coalesce(_count(shown.exclude(note="")), 0)
            + Coalesce(_count(replies), 0)
            + Coalesce(_count(ArticleNote.objects.filter(article=article)), 0)
        )

    def extract_original(self):
        """Run the current extractor on the stored original (no database access)."""
        return extraction.extract(
            bytes(self.original),
            content_type=self.original_content_type,
            url=self.source_url,
            filename=self.original_filename,
            kind=self.kind or None,
        )


class Moderated(models.Model):
    """Something an owner or admin can remove, leaving a visible marker."""

    removed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    removed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        abstract = True

    @property
    def is_removed(self):
        return self.removed_at is not None

    def remove_by_moderator(self, moderator):
        """Hide the content behind a "removed by a moderator" marker."""
        self.removed_by, self.removed_at = moderator, timezone.now()
        with transaction.atomic():
            self.save(update_fields=["removed_by", "removed_at", "updated_at"])
            self.annotated_article.touch_annotations()


class MarkdownBody(models.Model):
    """A text written in Markdown, with its HTML rendered and sanitised once on save."""

    body = models.TextField()
    body_html = models.TextField()

    class Meta:
        abstract = True

    def __str__(self):
        return self.body[:60]

    def set_body(self, markdown):
        self.body = markdown.strip()
        self.body_html = render_note(self.body)  # (rendered before the transaction: it is short)
        with transaction.atomic():
            if self.pk:
                self.save(update_fields=["body", "body_html", "updated_at"])
            else:
                self.save()
            self.annotated_article.touch_annotations()


class HighlightQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Highlights of the user's teams, except other members' private ones."""
        if not user.is_authenticated:
            return self.none()
        return (
            self.filter(article__team__memberships__user=user, article__deleted_at=None)
            .filter(models.Q(visibility=Highlight.Visibility.TEAM) | models.Q(author=user))
            .annotate(viewer_role=models.F("article__team__memberships__role"))
        )

    def in_document_order(self):
        """Placed highlights by position, then orphans (which have no position)."""
        return self.order_by("is_orphan", "start", "end", "id")


class Highlight(Trashable, Moderated):
    """A highlighted passage of an article, stored as W3C Web Annotation selectors.

    TextPositionSelector: `start`/`end`, offsets in code points into the
    article's canonical text. TextQuoteSelector: `exact` with `prefix` and
    `suffix` context. Both are computed by the server from the canonical text
    (newsreader/lib/anchoring.py); when the text changes, re-anchoring moves the
    offsets or marks the highlight as an orphan — it is never dropped.
    """

    # A colour carries a meaning; the label is shown with it everywhere
    # (newsreader/lib/colours.py defines them once).
    Colour = models.TextChoices(
        "Colour", [(value.upper(), (value, label)) for value, label in HIGHLIGHT_COLOURS]
    )

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="highlights")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="highlights",
    )

    class Visibility(models.TextChoices):
        TEAM = "team", "Team"
        PRIVATE = "private", "Only me"

    colour = models.CharField(max_length=10, choices=Colour.choices, default=Colour.YELLOW)
    visibility = models.CharField(
        max_length=10, choices=Visibility.choices, default=Visibility.TEAM
    )

    exact = models.TextField()
    prefix = models.CharField(max_length=64, blank=True)
    suffix = models.CharField(max_length=64, blank=True)
    start = models.PositiveIntegerField()
    end = models.PositiveIntegerField()
    is_orphan = models.BooleanField(default=False)

    # The author's note: Markdown as written, and its HTML rendered and
    # sanitised once on save (newsreader/lib/markdown.py).
    note = models.TextField(blank=True)
    note_html = models.TextField(blank=True)
    tags = models.ManyToManyField("Tag", blank=True, related_name="highlights")

    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    objects = LiveManager.from_queryset(HighlightQuerySet)()
    all_objects = HighlightQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["article", "author", "start", "end"],
                condition=models.Q(is_orphan=False, deleted_at=None),
                name="unique_live_placed_highlight",
            ),
            models.CheckConstraint(
                condition=models.Q(end__gt=models.F("start")), name="highlight_not_empty"
            ),
        ]
        indexes = [
            models.Index(fields=["article", "start"], name="highlight_article_start"),
            trashed_index("highlight_trashed"),
        ]

    def __str__(self):
        return self.exact[:60]

    def place(self, anchor, *, requote_from=None):
        """Store an anchoring result (newsreader.lib.anchoring.Anchor) as the position.

        `None` (the quote could not be placed with confidence) makes the
        highlight an orphan: its quote, note and last position are kept, and
        nothing is ever deleted. `requote_from`: the text the anchor points
        into, when the stored quote and its context should become that text's
        (an imported quote, whose spacing may differ from ours).
        Nothing is saved.
        """
        if anchor is None:
            self.is_orphan = True
            return
        self.start, self.end, self.is_orphan = anchor.start, anchor.end, False
        if requote_from is not None:
            text = requote_from
            self.exact = text[anchor.start : anchor.end]
            self.prefix = text[max(0, anchor.start - CONTEXT_CHARS) : anchor.start]
            self.suffix = text[anchor.end : anchor.end + CONTEXT_CHARS]

    def restore(self):
        """Back from the trash; as an orphan if its passage was highlighted again meanwhile."""
        with transaction.atomic():
            try:
                with transaction.atomic():
                    super().restore()
            except IntegrityError:
                # The same author highlighted the same range again: both stay, and
                # this one waits among the orphans with its note and replies.
                self.is_orphan = True
                self.save(update_fields=["deleted_at", "deleted_by", "is_orphan", "updated_at"])
                self.article.touch_annotations()

    def recolour(self, colour):
        self.colour = colour
        with transaction.atomic():
            self.save(update_fields=["colour", "updated_at"])
            self.article.touch_annotations()

    def set_note(self, markdown):
        """Replace the note (an empty one removes it)."""
        self.note = markdown.strip()
        self.note_html = render_note(self.note) if self.note else ""
        with transaction.atomic():
            self.save(update_fields=["note", "note_html", "updated_at"])
            self.article.touch_annotations()

    def set_visibility(self, visibility):
        self.visibility = visibility
        with transaction.atomic():
            self.save(update_fields=["visibility", "updated_at"])
            self.article.touch_annotations()

    @property
    def annotated_article(self):
        return self.article


class ArticleNote(Trashable, MarkdownBody):
    """A note on an article as a whole, rather than on a passage."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="notes")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="article_notes",
    )
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    objects = LiveManager()
    all_objects = models.Manager()  # noqa: DJ012 - after the default (first) manager

    class Meta:
        ordering = ["created_at", "id"]
        indexes = [trashed_index("article_note_trashed")]

    @property
    def annotated_article(self):
        return self.article


class Reply(Trashable, MarkdownBody, Moderated):
    """A teammate's reply in the thread under a highlight's note."""

    highlight = models.ForeignKey(Highlight, on_delete=models.CASCADE, related_name="replies")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="replies",
    )
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    objects = LiveManager()
    all_objects = models.Manager()  # noqa: DJ012 - after the default (first) manager

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name_plural = "replies"
        indexes = [trashed_index("reply_trashed")]

    @property
    def annotated_article(self):
        return self.highlight.article


class ArticleRead(models.Model):
    """That a member has read an article (the library shows who has)."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="reads")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="article_reads"
    )
    read_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["article", "user"], name="unique_article_read"),
        ]

    def __str__(self):
        return f"{self.user} read {self.article}"


class ArticleState(models.Model):
    """A member's own state of an article beside having read it (ArticleRead):
    archived, starred, and how far they got. Imports bring it from the source."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="states")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="article_states"
    )
    archived_at = models.DateTimeField(null=True, blank=True)
    starred_at = models.DateTimeField(null=True, blank=True)
    # 0.0 (not started) to 1.0 (finished); None when nobody knows.
    progress = models.FloatField(null=True, blank=True)
    # When the member last opened it in the reader: the library's "last opened" sort.
    opened_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        indexes = [models.Index(fields=["user", "opened_at"], name="article_state_opened")]
        constraints = [
            models.UniqueConstraint(fields=["article", "user"], name="unique_article_state"),
            models.CheckConstraint(
                condition=models.Q(progress__gte=0, progress__lte=1)
                | models.Q(progress__isnull=True),
                name="article_state_progress_range",
            ),
        ]

    def __str__(self):
        return f"{self.user} on {self.article}"


class Tag(models.Model):
    team = models.ForeignKey("teams.Team", on_delete=models.CASCADE, related_name="tags")
    name = models.CharField(max_length=100)

    class Meta:
        ordering = ["name"]
        constraints = [models.UniqueConstraint(fields=["team", "name"], name="unique_tag_per_team")]

    def __str__(self):
        return self.name


class Capture(models.Model):
    """A URL a member asked to add: the library shows it while a task fetches it.

    It is written before anything is fetched, so a failure never loses the
    URL: the row keeps it with the reason until it is retried or dismissed.
    Adding it, the task and retrying are in articles/adding.py.
    """

    class Status(models.TextChoices):
        QUEUED = "queued", "Queued"
        FETCHING = "fetching", "Fetching"
        READY = "ready", "Ready"
        FAILED = "failed", "Failed"

    team = models.ForeignKey("teams.Team", on_delete=models.CASCADE, related_name="captures")
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    url = models.URLField(max_length=2048)
    normalized_url = models.CharField(max_length=2048)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED)
    reason = models.TextField(blank=True)
    # The article it became, or the one it turned out to duplicate.
    article = models.ForeignKey(
        Article, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    duplicate = models.BooleanField(default=False)
    # What the member had selected on the page (the bookmarklet, the extension,
    # the API), and whether to highlight it as soon as the article is in (the
    # API asks for that; the bookmarklet offers a button instead).
    selection = models.TextField(blank=True)
    highlight_when_ready = models.BooleanField(default=False)
    # The highlight made from the selection, or why it could not be made: the
    # article is saved either way.
    highlight = models.ForeignKey(
        Highlight, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    highlight_error = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        indexes = [models.Index(fields=["team", "status"], name="capture_team_status")]

    def __str__(self):
        return self.url

    # A capture waiting longer than this lost its worker: it may be retried.
    STALE_AFTER = timedelta(minutes=10)

    @property
    def is_pending(self):
        return self.status in (self.Status.QUEUED, self.Status.FETCHING)

    @property
    def is_stale(self):
        return self.is_pending and self.updated_at < timezone.now() - self.STALE_AFTER

    @property
    def retryable(self):
        return self.status == self.Status.FAILED or self.is_stale

    def set_status(self, status, *, reason="", article=None, duplicate=False):
        self.status, self.reason = status, reason[:2000]
        self.article, self.duplicate = article, duplicate
        self.save(update_fields=["status", "reason", "article", "duplicate", "updated_at"])

    @property
    def offers_highlight(self):
        """Whether the card offers to highlight the selection: the article is in (and
        not in the trash), and no attempt to highlight it automatically failed."""
        return (
            self.status == self.Status.READY
            and bool(self.selection)
            and self.article is not None
            and not self.article.in_trash
            and not self.highlight_error
        )

    @property
    def live_highlight(self):
        """The highlight made from the selection, unless it was deleted since."""
        if self.highlight_id is None:  # no query for the common case
            return None
        return None if self.highlight.in_trash else self.highlight

    def set_selection(self, selection, *, highlight_when_ready=False):
        self.selection = selection[:MAX_HIGHLIGHT_CHARS]
        self.highlight_when_ready = highlight_when_ready
        # Not updated_at: that says when the status last moved (is_stale).
        self.save(update_fields=["selection", "highlight_when_ready"])

    def record_highlight(self, highlight=None, *, error=""):
        """The highlight made from the selection, or (`error`) why it could not be made."""
        self.highlight, self.highlight_error = highlight, error[:2000]
        self.save(update_fields=["highlight", "highlight_error"])
