import sys

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from imports.batches import local_files, run_batch, stage_batch
from imports.models import ImportItem
from newsreader.lib.formats import FORMATS, ImportFileError
from teams.models import Team


class Command(BaseCommand):
    help = (
        "Import articles into a team from exports of other apps, JSON Lines/JSON/CSV files, "
        "ZIPs or directories of article files. Calls the same code as the admin's import page."
    )

    def add_arguments(self, parser):
        parser.add_argument("paths", nargs="+", metavar="PATH")
        parser.add_argument("--team", required=True, help="the team's slug")
        parser.add_argument("--format", default="auto", choices=["auto", *FORMATS])
        parser.add_argument("--user", help="the username imported articles are added by")
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="go through every entry and report what would happen; write nothing",
        )

    def handle(self, *args, paths, team, format, user, dry_run, **options):
        try:
            team = Team.objects.get(slug=team)
        except Team.DoesNotExist:
            raise CommandError(f"No team with the slug {team!r}.") from None
        try:
            files = local_files(paths)
        except ImportFileError as error:
            raise CommandError(str(error)) from None
        adder = get_user_model().objects.filter(username=user).first() if user else None
        if user and adder is None:
            raise CommandError(f"No user {user!r}.")
        try:
            batch = stage_batch(team, adder, files, format, dry_run=dry_run)
        except ImportFileError as error:
            raise CommandError(str(error)) from None
        with tqdm(total=batch.total, unit="article", file=self.stderr, disable=None) as bar:
            batch = run_batch(batch, progress=lambda counts: bar.update(sum(counts.values())))
        self._summary(batch)
        if dry_run:
            batch.delete()  # what was staged to find out: nothing stays
        if batch.failed_count:
            sys.exit(1)

    def _summary(self, batch):
        if batch.dry_run:
            self.stdout.write(
                f"Dry run: {batch.total} entries — {batch.created_count} would be created, "
                f"{batch.duplicate_count} duplicates would be skipped, "
                f"{batch.failed_count} would fail. Nothing written."
            )
        else:
            self.stdout.write(
                f"Import #{batch.pk} into {batch.team}: {batch.total} entries — "
                f"{batch.created_count} created, {batch.duplicate_count} duplicates skipped, "
                f"{batch.failed_count} failed."
            )
        for item in batch.items.reported().only("source", "status", "reason", "warnings"):
            if item.status != ImportItem.Status.CREATED:
                self.stdout.write(f"  {item.get_status_display()}: {item.source}: {item.reason}")
            for warning in item.warnings:
                self.stdout.write(f"  Warning: {item.source}: {warning}")
