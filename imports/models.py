from datetime import timedelta

from django.conf import settings
from django.db import models
from django.utils import timezone


class ImportBatch(models.Model):
    """One import run: files an admin uploaded (or named on the command line) for a team."""

    class Status(models.TextChoices):
        QUEUED = "queued", "Queued"
        RUNNING = "running", "Running"
        FINISHED = "finished", "Finished"

    team = models.ForeignKey("teams.Team", on_delete=models.CASCADE, related_name="import_batches")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    format = models.CharField(max_length=20)
    # [{"name": the uploaded file's name (shown only), "stored": our generated name}]
    files = models.JSONField(default=list)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED)
    # A dry run goes through every step but writes no article: its report
    # says what a real run would do (imports/batches.py).
    dry_run = models.BooleanField(default=False)
    total = models.PositiveIntegerField(default=0)
    created_count = models.PositiveIntegerField(default=0)
    duplicate_count = models.PositiveIntegerField(default=0)
    failed_count = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(default=timezone.now)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    # A running batch whose heartbeat stops was interrupted (its worker died).
    heartbeat_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        # The tables kept the names they had when imports were part of the
        # articles app (migrations/0001_initial.py moved only the state).
        db_table = "articles_importbatch"
        ordering = ["-created_at", "-id"]
        verbose_name_plural = "import batches"

    def __str__(self):
        return f"Import #{self.pk} into {self.team} ({self.get_status_display()})"

    @property
    def done(self):
        return self.created_count + self.duplicate_count + self.failed_count

    @property
    def is_interrupted(self):
        stale = timezone.now() - timedelta(seconds=IMPORT_HEARTBEAT_SECONDS * 3)
        return self.status == self.Status.RUNNING and (
            self.heartbeat_at is None or self.heartbeat_at < stale
        )


IMPORT_HEARTBEAT_SECONDS = 20


class ImportItemQuerySet(models.QuerySet):
    def reported(self):
        """What the report lists: skipped and failed entries, and any with warnings."""
        return self.exclude(status=ImportItem.Status.PENDING).exclude(
            status=ImportItem.Status.CREATED, warnings=[]
        )


class ImportItem(models.Model):
    """One entry of an import, kept with its data so it can be retried or resumed."""

    class Status(models.TextChoices):
        PENDING = "pending", "Pending"
        CREATED = "created", "Created"
        DUPLICATE = "duplicate", "Duplicate"
        FAILED = "failed", "Failed"

    batch = models.ForeignKey(ImportBatch, on_delete=models.CASCADE, related_name="items")
    position = models.PositiveIntegerField()
    source = models.CharField(max_length=500)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    reason = models.TextField(blank=True)
    # What was read but not kept ("published date 'junk' ignored"): the item
    # is imported all the same, and the report says so.
    warnings = models.JSONField(default=list, blank=True)
    article = models.ForeignKey(
        "articles.Article", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # The parsed entry (newsreader.lib.formats ImportedItem) without its content...
    data = models.JSONField(default=dict)
    # ...which is kept as bytes, as found.
    content = models.BinaryField(null=True, blank=True)

    objects = ImportItemQuerySet.as_manager()

    class Meta:
        db_table = "articles_importitem"
        ordering = ["position"]
        indexes = [models.Index(fields=["batch", "status", "position"], name="import_item_queue")]

    def __str__(self):
        return f"{self.source} ({self.get_status_display()})"
