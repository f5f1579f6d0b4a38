"""The login throttle's own cache: Django's database cache that never culls a live count.

DatabaseCache, once it holds more than MAX_ENTRIES rows, deletes the expired
ones and then a share of the rest, those whose keys sort first. On a table that
other traffic fills (password-reset requests, rendered fragments), that let
anyone wipe the throttle's counts. On this table there are only the throttle's
keys, and past MAX_ENTRIES only the expired ones go: every count lives out its
window (the table grows with the attempts made in a window, which the
throttle's own per-address limits bound).
"""

from django.core.cache.backends.db import DatabaseCache
from django.db import connections


class ThrottleCache(DatabaseCache):
    def _cull(self, db, cursor, now, num):
        connection = connections[db]
        table = connection.ops.quote_name(self._table)
        cursor.execute(
            f"DELETE FROM {table} WHERE {connection.ops.quote_name('expires')} < %s",  # noqa: S608
            [connection.ops.adapt_datetimefield_value(now)],
        )
