from io import StringIO

from django.contrib.auth import authenticate
from django.core.management import call_command

from articles.models import Article
from teams.models import Membership


def run():
    out = StringIO()
    call_command("load_demo", stdout=out)
    return out.getvalue()


def test_an_empty_database_gets_a_demo_team_user_and_articles(db):
    out = run()
    password = out.split("password: ")[1].split()[0]
    user = authenticate(username="demo", password=password)
    assert user is not None and user.is_staff
    membership = Membership.objects.get(user=user)
    assert membership.role == Membership.Role.OWNER
    kinds = set(Article.objects.filter(team=membership.team).values_list("kind", flat=True))
    assert kinds == {"html", "text", "markdown"}
    assert Article.objects.count() == 4


def test_the_demo_articles_are_clean(db):
    run()
    ferry = Article.objects.get(title__startswith="City council votes")
    assert "Share on Facebook" not in ferry.text
    library = Article.objects.get(kind="text")
    assert library.title == "Libraries extend evening hours as exam season begins"
    assert "ADVERTISEMENT" not in library.text
    assert "Sign up for our newsletter" not in library.text
    assert "New bike racks" not in library.text
    assert library.byline == "Jonas Lindqvist"


def test_it_does_nothing_once_there_are_users(db, django_user_model):
    django_user_model.objects.create_user("someone")
    assert "no demo data loaded" in run()
    assert not Article.objects.exists()
