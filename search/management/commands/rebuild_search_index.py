from django.core.management.base import BaseCommand, CommandError

from search.index import rebuild
from teams.models import Team


class Command(BaseCommand):
    help = "Wipe the search index (of one team, or all of it) and build it again."

    def add_arguments(self, parser):
        parser.add_argument("--team", metavar="SLUG", help="only this team's articles")

    def handle(self, *args, team=None, **options):
        if team is not None:
            found = Team.objects.filter(slug=team).first()
            if found is None:
                raise CommandError(f"No team with the slug {team!r}.")
            team = found
        result = rebuild(team)
        counts = ", ".join(f"{count:,} {kind}" for kind, count in result.counts.items())
        where = f" of {team.slug}" if team else ""
        self.stdout.write(
            f"Indexed {result.total:,} entries{where} ({counts}) in {result.seconds:.1f} s."
        )
