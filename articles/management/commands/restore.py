from django.core.management.base import BaseCommand, CommandError

from newsreader import backups


class Command(BaseCommand):
    help = (
        "Replace the database's contents with a backup made by `manage.py backup`. "
        "Stop the app servers and task workers first."
    )

    def add_arguments(self, parser):
        parser.add_argument("source", help="the backup file")
        parser.add_argument(
            "--yes", action="store_true", help="do not ask: everything since the backup is lost"
        )

    def handle(self, *args, source, yes=False, **options):
        if not yes:
            answer = input(
                f"Replace the database with {source}? Everything written since is lost. [y/N] "
            )
            if answer.strip().lower() not in ("y", "yes"):
                raise CommandError("Nothing restored.")
        try:
            backups.restore(source)
        except backups.BackupError as error:
            raise CommandError(str(error)) from None
        self.stdout.write(f"Restored the database from {source}.")
