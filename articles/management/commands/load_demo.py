from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand

from articles.demo import create_demo


class Command(BaseCommand):
    help = "On an empty database, create a demo team, a demo user and sample articles."

    def add_arguments(self, parser):
        parser.add_argument("--url", default="http://127.0.0.1:8000", help="where the app runs")

    def handle(self, *args, url, **options):
        if get_user_model().objects.exists():
            self.stdout.write("The database has users already; no demo data loaded.")
            return
        account = create_demo()
        self.stdout.write(
            self.style.SUCCESS(
                f"Demo team created with {account.articles} articles.\n"
                f"  Log in at {url}/login/\n"
                f"  username: {account.username}\n"
                f"  password: {account.password}   (shown only this once)"
            )
        )
