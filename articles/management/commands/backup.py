from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from newsreader import backups


class Command(BaseCommand):
    help = (
        "Write a consistent copy of the database while the app runs: SQLite's online "
        "backup API, or pg_dump for PostgreSQL. Restore it with `manage.py restore`."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "destination",
            nargs="?",
            help="a new file, or a directory to put a dated file in (default: backups/)",
        )

    def handle(self, *args, destination=None, **options):
        target = Path(destination or "backups")
        if destination is None or target.is_dir():
            target = target / backups.default_name()
        try:
            written = backups.backup(target)
        except backups.BackupError as error:
            raise CommandError(str(error)) from None
        self.stdout.write(f"Backed up the database to {written}.")
