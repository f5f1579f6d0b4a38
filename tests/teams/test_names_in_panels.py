"""The reader's cached panel names authors and lists the team's members: a name
changed in the admin, and members joining, leaving or removed, show at once."""

import pytest
from django.urls import reverse

from articles.highlighting import create_highlight
from teams.membership import accept_invitation, invite, leave_team, remove_member
from teams.models import Membership
from tests.factories import make_article


@pytest.fixture(name="reader")
def reader_fixture(owner, team):
    """The reader of an article with a highlight of the owner's, its panel cached."""
    article = make_article(team, user=owner)
    start = article.text.index("battery boat")
    create_highlight(article, owner, start, start + 12, "yellow")
    return reverse("articles:article-detail", args=[article.pk])


def page(client, user, url):
    client.force_login(user)
    return client.get(url).content.decode()


def test_a_name_changed_in_the_admin_is_shown_at_once(client, admin_user, owner, teammate, reader):
    assert ">olivia's</option>" in page(client, teammate, reader)  # cached as it is now
    client.force_login(admin_user)
    change = reverse("admin:auth_user_change", args=[owner.pk])
    form = client.get(change).context["adminform"].form
    data = {
        "username": "olivia",
        "first_name": "Olivia",
        "last_name": "Hart",
        "email": "",
        "is_active": "on",
        "date_joined_0": form.initial["date_joined"].strftime("%Y-%m-%d"),
        "date_joined_1": form.initial["date_joined"].strftime("%H:%M:%S"),
    }
    response = client.post(change, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    html = page(client, teammate, reader)
    assert ">Olivia Hart's</option>" in html and 'title="Key point · Olivia Hart"' in html


def test_a_member_who_joins_is_listed_at_once(owner, team, outsider, client, reader):
    assert ">oscar's</option>" not in page(client, owner, reader)
    accept_invitation(invite(team, owner, Membership.Role.MEMBER)[1], outsider)
    assert ">oscar's</option>" in page(client, owner, reader)


def test_a_member_who_is_removed_is_no_longer_listed(owner, team, teammate, client, reader):
    assert ">tariq's</option>" in page(client, owner, reader)
    remove_member(team, owner, Membership.objects.get(team=team, user=teammate))
    assert ">tariq's</option>" not in page(client, owner, reader)


def test_a_member_who_leaves_is_no_longer_listed(owner, team, teammate, client, reader):
    assert ">tariq's</option>" in page(client, owner, reader)
    leave_team(team, teammate)
    assert ">tariq's</option>" not in page(client, owner, reader)


def test_members_added_and_removed_in_the_admin_show_at_once(
    client, admin_user, owner, team, outsider, reader
):
    assert ">oscar's</option>" not in page(client, owner, reader)
    client.force_login(admin_user)
    add = reverse("admin:teams_membership_add")
    data = {"user": outsider.pk, "team": team.pk, "role": "member", "library_version": 0}
    data |= {"created_at_0": "2026-01-01", "created_at_1": "00:00:00"}
    response = client.post(add, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    assert ">oscar's</option>" in page(client, owner, reader)
    client.force_login(admin_user)
    added = Membership.objects.get(team=team, user=outsider)
    delete = reverse("admin:teams_membership_delete", args=[added.pk])
    assert client.post(delete, {"post": "yes"}).status_code == 302
    assert ">oscar's</option>" not in page(client, owner, reader)
