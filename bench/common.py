"""What the benchmarks share: generated text, and a throwaway database with a team."""

import os

WORDS = [
    "harbour",
    "ferry",
    "council",
    "battery",
    "boat",
    "budget",
    "bridge",
    "morning",
    "commuters",
    "pier",
    "charging",
    "tender",
    "winter",
    "storm",
    "engine",
    "diesel",
    "electric",
    "crossing",
    "timetable",
    "operator",
    "vote",
    "plan",
    "grant",
    "bond",
    "climate",
    "transport",
    "quay",
    "river",
    "passengers",
    "service",
    "route",
    "schedule",
    "city",
    "library",
    "reading",
]


def paragraph(rng, sentences=(3, 7), words=(8, 18)):
    """A paragraph of random sentences from WORDS (deterministic for a seeded `rng`)."""
    return " ".join(
        " ".join(rng.choice(WORDS) for _ in range(rng.randint(*words))).capitalize() + "."
        for _ in range(rng.randint(*sentences))
    )


def setup_django(database, **settings):
    """Django on a fresh SQLite file at `database`, migrated, with `settings` overridden."""
    os.environ["SQLITE_PATH"] = database
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tests.settings")
    os.environ["ALLOWED_HOSTS"] = "testserver"
    import django

    django.setup()
    from django.conf import settings as django_settings
    from django.core.management import call_command

    for name, value in settings.items():
        setattr(django_settings, name, value)
    call_command("migrate", verbosity=0)


def bench_team():
    """(user, team): a user who owns the team the benchmark works in."""
    from django.contrib.auth import get_user_model

    from teams.models import Membership, Team

    user = get_user_model().objects.create_user("bench")  # force_login: no password
    team = Team.objects.create(name="Bench", slug="bench")
    Membership.objects.create(team=team, user=user, role=Membership.Role.OWNER)
    return user, team
