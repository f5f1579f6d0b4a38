from django.conf import settings
from django.core.management.base import BaseCommand

from articles.trash import purge_trash


class Command(BaseCommand):
    help = (
        "Delete for good the highlights, notes and replies that have been in the trash for "
        "longer than TRASH_DAYS. The worker also does this once a day; this is for cron."
    )

    def handle(self, *args, **options):
        count = purge_trash()
        self.stdout.write(f"Purged {count} item(s) older than {settings.TRASH_DAYS} days.")
