"""The table behind Django's database cache, made by `migrate` like any other.

`manage.py createcachetable` would make it too, but only for the caches the
settings name at the time it runs, and only where someone remembers to run it:
with it declared here, every database the app is migrated on has it (SQLite and
PostgreSQL, tests included), whether or not REDIS_URL was set at the time.
The columns are exactly those createcachetable makes; DatabaseCache reads and
writes them with its own SQL, never through this model.
"""

from django.db import models


class CacheEntry(models.Model):
    cache_key = models.CharField(max_length=255, primary_key=True)
    value = models.TextField()
    expires = models.DateTimeField(db_index=True)

    class Meta:
        db_table = "newsreader_cache"
        verbose_name_plural = "cache entries"

    def __str__(self):
        return self.cache_key


class ThrottleEntry(models.Model):
    """The login throttle's counts (newsreader/cache/backends.py), apart from everything else."""

    cache_key = models.CharField(max_length=255, primary_key=True)
    value = models.TextField()
    expires = models.DateTimeField(db_index=True)

    class Meta:
        db_table = "newsreader_throttle"
        verbose_name_plural = "throttle entries"

    def __str__(self):
        return self.cache_key
