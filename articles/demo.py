"""The demo workspace `make run` creates on an empty database."""

import secrets
from dataclasses import dataclass
from pathlib import Path

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from articles.originals import create_article
from teams.models import Membership, Team

DEMO_DIR = Path(__file__).resolve().parent / "demo"
# (file, source URL): reserved example domains, so "Original" links go nowhere real.
DEMO_ARTICLES = [
    ("reading-group-notes.md", ""),
    ("library-hours.txt", ""),
    ("sqlite-wal.html", "https://blog.example.org/2026/09/sqlite-wal"),
    ("harbour-ferries.html", "https://courier.example.com/news/2026/10/harbour-ferries-electric"),
]


@dataclass
class DemoAccount:
    username: str
    password: str
    articles: int


def create_demo(username="demo"):
    """Create a demo team, its owner (a staff user) and the sample articles.

    Returns the account, with the generated password: it is shown once and
    stored only as a hash.
    """
    password = secrets.token_urlsafe(12)
    with transaction.atomic():
        user = get_user_model().objects.create_user(
            username, password=password, is_staff=True, is_superuser=True
        )
        team = Team.objects.create(name="Demo team", slug="demo")
        # Last used: the team the demo user lands in, next to the personal team
        # every user gets at their first login (teams/accounts.py).
        Membership.objects.create(
            team=team, user=user, role=Membership.Role.OWNER, last_used_at=timezone.now()
        )
    # Extraction happens outside the transaction (it parses; see TOOLCHAIN).
    for name, url in DEMO_ARTICLES:
        create_article(team, (DEMO_DIR / name).read_bytes(), user=user, url=url, filename=name)
    return DemoAccount(username, password, len(DEMO_ARTICLES))
