"""Highlights through the API: per article and per team, made by position or by quote,
changed by their authors, removed by moderators, and as W3C Web Annotations."""

import base64
from datetime import timedelta

import pytest
from django.utils import timezone

from articles.highlighting import create_highlight
from articles.models import Highlight, Reply
from articles.originals import create_article
from tests.api.support import Caller, assert_error
from tests.factories import make_article

ANNO = 'application/ld+json; profile="http://www.w3.org/ns/anno.jsonld"'


@pytest.fixture
def api(client, owner):
    return Caller(client, owner)


@pytest.fixture
def article(team):
    return make_article(team)


def _mark(article, user, word, colour="yellow", n=0, **kwargs):
    start = article.text.index(word, n)
    return create_highlight(article, user, start, start + len(word), colour, **kwargs)[0]


def _ids(response):
    assert response.status_code == 200, response.content
    return [item["id"] for item in response.json()["items"]]


def _reply(highlight, user, body="Me too"):
    reply = Reply(highlight=highlight, author=user)
    reply.set_body(body)
    return reply


# An article's highlights


def test_an_articles_highlights_come_in_document_order(api, article, owner, teammate):
    owner.first_name = "Olive Owner"
    owner.save(update_fields=["first_name"])
    late = _mark(article, teammate, "battery boat")
    early = _mark(article, owner, "harbour ferries")
    middle = _mark(article, teammate, "eleven thousand")
    response = api.get(f"articles/{article.pk}/highlights/")
    assert _ids(response) == [early.pk, middle.pk, late.pk]
    assert response.json()["next"] is None
    first = response.json()["items"][0]
    assert first["exact"] == "harbour ferries"
    assert article.text[first["start"] : first["end"]] == "harbour ferries"
    # The username (the filters take it) and the name the reader shows.
    assert first["author"] == owner.username and first["author_name"] == "Olive Owner"
    assert response.json()["items"][2]["author_name"] == teammate.username  # no display name
    assert first["url"] == f"http://testserver/articles/{article.pk}/#hl-{early.pk}"
    assert first["meaning"] and first["removed"] is False and first["is_orphan"] is False


def test_others_private_highlights_never_show_and_ones_own_do(
    client, api, article, owner, teammate
):
    shared = _mark(article, teammate, "harbour ferries")
    theirs = _mark(article, teammate, "eleven thousand", visibility="private")
    mine = _mark(article, owner, "battery boat", visibility="private")
    assert _ids(api.get(f"articles/{article.pk}/highlights/")) == [shared.pk, mine.pk]
    as_teammate = Caller(client, teammate).get(f"articles/{article.pk}/highlights/")
    assert _ids(as_teammate) == [shared.pk, theirs.pk]
    assert_error(api.get(f"highlights/{theirs.pk}/"), 404)


def test_trashed_highlights_are_gone_and_removed_ones_are_markers(api, article, owner, teammate):
    trashed = _mark(article, teammate, "harbour ferries")
    trashed.trash(teammate)
    removed = _mark(article, teammate, "eleven thousand")
    removed.set_note("SECRET NOTE")
    removed.remove_by_moderator(owner)
    items = api.get(f"articles/{article.pk}/highlights/").json()["items"]
    assert [i["id"] for i in items] == [removed.pk]
    assert items[0]["removed"] is True
    assert items[0]["note"] == "" and items[0]["note_html"] == ""
    assert "SECRET" not in str(items)


def test_an_articles_highlights_filter_by_colour_and_author(api, article, owner, teammate):
    red = _mark(article, owner, "harbour ferries", "red")
    blue = _mark(article, teammate, "eleven thousand", "blue")
    assert _ids(api.get(f"articles/{article.pk}/highlights/", {"colour": "red"})) == [red.pk]
    by_teammate = api.get(f"articles/{article.pk}/highlights/", {"author": teammate.username})
    assert _ids(by_teammate) == [blue.pk]
    assert _ids(api.get(f"articles/{article.pk}/highlights/", {"author": "nobody"})) == []


def test_another_teams_article_highlights_are_404(api, other_team):
    theirs = make_article(other_team)
    response = api.get(f"articles/{theirs.pk}/highlights/")
    assert_error(response, 404)
    assert response.json() == api.get(f"articles/{theirs.pk + 100}/highlights/").json()


# A team's highlights


def test_a_teams_highlights_are_newest_first(api, team, article, owner, teammate):
    other = make_article(team, "Another")
    now = timezone.now()
    first = _mark(article, owner, "harbour ferries")
    second = _mark(other, teammate, "battery boat")
    third = _mark(article, teammate, "eleven thousand")
    for n, highlight in enumerate((first, second, third)):
        Highlight.objects.filter(pk=highlight.pk).update(created_at=now - timedelta(days=3 - n))
    assert _ids(api.get(f"teams/{team.slug}/highlights/")) == [third.pk, second.pk, first.pk]


def test_a_teams_highlights_come_in_cursor_pages(api, team, owner, teammate):
    now = timezone.now()
    made = []
    for n in range(3):
        article = make_article(team, f"Story {n}")
        for word in ("harbour ferries", "eleven thousand", "battery boat"):
            made.append(_mark(article, teammate if n % 2 else owner, word))
    # Three at each of three moments.
    for n, highlight in enumerate(made):
        Highlight.objects.filter(pk=highlight.pk).update(created_at=now - timedelta(hours=n // 3))
    expected = [h.pk for _, h in sorted(enumerate(made), key=lambda x: (x[0] // 3, -x[1].pk))]
    seen, cursor = [], None
    for _ in range(10):
        query = {"limit": 2, **({"cursor": cursor} if cursor else {})}
        response = api.get(f"teams/{team.slug}/highlights/", query)
        seen += _ids(response)
        cursor = response.json()["next"]
        if cursor is None:
            break
    assert seen == expected


def test_a_teams_highlights_filter_by_colour_and_author(api, team, article, owner, teammate):
    red = _mark(article, owner, "harbour ferries", "red")
    _mark(article, teammate, "eleven thousand", "blue")
    theirs_red = _mark(article, teammate, "battery boat", "red")
    path = f"teams/{team.slug}/highlights/"
    assert set(_ids(api.get(path, {"colour": "red"}))) == {red.pk, theirs_red.pk}
    assert _ids(api.get(path, {"colour": "red", "author": teammate.username})) == [theirs_red.pk]


def test_a_teams_highlights_leave_out_private_trashed_and_other_teams(
    api, team, other_team, article, owner, teammate, outsider
):
    shown = _mark(article, teammate, "harbour ferries")
    _mark(article, teammate, "eleven thousand", visibility="private")
    in_trash = make_article(team, "Trashed")
    _mark(in_trash, teammate, "battery boat")
    in_trash.trash(owner)
    elsewhere = make_article(other_team, "Elsewhere")
    _mark(elsewhere, outsider, "battery boat")
    assert _ids(api.get(f"teams/{team.slug}/highlights/")) == [shown.pk]


def test_a_teams_highlights_refuse_outsiders_and_bad_cursors(api, team, other_team):
    theirs = api.get(f"teams/{other_team.slug}/highlights/")
    assert_error(theirs, 404)
    assert theirs.json() == api.get("teams/no-such-team/highlights/").json()
    bad = base64.urlsafe_b64encode(b"not|a|cursor").decode()
    assert_error(api.get(f"teams/{team.slug}/highlights/", {"cursor": bad}), 422, "cursor")
    assert_error(api.get(f"teams/{team.slug}/highlights/", {"limit": 201}), 422, "limit")


# Making highlights


def test_highlighting_by_position(api, article, owner):
    start = article.text.index("eleven thousand")
    response = api.post(
        f"articles/{article.pk}/highlights/",
        # A selection that grabbed the spaces around the words.
        {"start": start - 1, "end": start + 16, "colour": "green", "visibility": "private"},
    )
    assert response.status_code == 201, response.content
    made = response.json()
    assert (made["start"], made["end"]) == (start, start + 15)
    assert made["exact"] == "eleven thousand"
    assert made["prefix"].endswith("carry ") and made["suffix"].startswith(" people")
    assert (made["colour"], made["visibility"]) == ("green", "private")
    highlight = Highlight.objects.get(pk=made["id"])
    assert (highlight.author, highlight.article) == (owner, article)


def test_highlighting_by_quote_tolerates_whitespace_and_quotes(api, team):
    article = create_article(
        team, '# Quotes\n\nShe said "it\'s the boat" -- and left the harbour.\n', filename="q.md"
    )
    response = api.post(
        f"articles/{article.pk}/highlights/", {"exact": "She  said\n“it’s the boat”"}
    )
    assert response.status_code == 201, response.content
    made = response.json()
    assert article.text[made["start"] : made["end"]] == made["exact"]
    assert made["exact"].startswith("She said")
    assert made["exact"].rstrip('"\u201d').endswith("the boat")


def test_a_repeated_passage_is_chosen_by_its_prefix(api, article):
    # make_article repeats its paragraph: "… battery boat.  Paragraph 1." and so on.
    occurrences = [
        n for n in range(len(article.text)) if article.text.startswith("harbour ferries", n)
    ]
    assert len(occurrences) == 3
    response = api.post(
        f"articles/{article.pk}/highlights/",
        {"exact": "harbour ferries", "prefix": "Paragraph 1. The ", "suffix": " carry"},
    )
    assert response.status_code == 201, response.content
    assert response.json()["start"] == occurrences[2]


def test_the_same_passage_again_is_the_same_highlight_recoloured(api, article):
    start = article.text.index("battery boat")
    first = api.post(f"articles/{article.pk}/highlights/", {"start": start, "end": start + 12})
    assert first.status_code == 201
    again = api.post(
        f"articles/{article.pk}/highlights/",
        {"exact": "battery boat", "colour": "blue"},
    )
    assert again.status_code == 200, again.content
    assert again.json()["id"] == first.json()["id"]
    assert again.json()["colour"] == "blue"
    assert Highlight.objects.get().colour == "blue"


def test_a_highlight_with_a_note(api, article):
    start = article.text.index("battery boat")
    response = api.post(
        f"articles/{article.pk}/highlights/",
        {"start": start, "end": start + 12, "note": "Is this *costed*? <script>x()</script>"},
    )
    made = response.json()
    assert made["note"] == "Is this *costed*? <script>x()</script>"
    assert "<em>costed</em>" in made["note_html"]
    assert "<script>" not in made["note_html"]


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({}, "either start and end, or exact"),
        ({"start": 0, "end": 5, "exact": "The harbour"}, "either start and end, or exact"),
        ({"start": 0}, "both start and end"),
        ({"end": 5}, "both start and end"),
        ({"start": 5, "end": 5}, "empty"),
        ({"start": 10, "end": 5}, "empty"),
        ({"start": 0, "end": 100_000}, "past the end of the article"),
        ({"start": -1, "end": 5}, "start"),
        ({"exact": "not anywhere in this article"}, "not in the article"),
        ({"exact": ""}, "exact"),
        ({"start": 0, "end": 5, "colour": "mauve"}, "colour"),
        ({"start": 0, "end": 5, "visibility": "secret"}, "visibility"),
        ({"start": 0, "end": 5, "note": "x" * 10_001}, "note"),
    ],
)
def test_bad_highlights_are_refused_with_a_message(api, article, data, message):
    assert_error(api.post(f"articles/{article.pk}/highlights/", data), 422, message)
    assert not Highlight.all_objects.exists()


def test_highlighting_needs_write(client, article, reader_only, owner, outsider):
    data = {"exact": "battery boat"}
    path = f"articles/{article.pk}/highlights/"
    assert_error(Caller(client, reader_only).post(path, data), 403)
    assert_error(Caller(client, owner, scope="read").post(path, data), 403)
    assert_error(Caller(client, outsider).post(path, data), 404)
    assert not Highlight.objects.exists()


# Changing and deleting


def test_the_author_changes_colour_visibility_and_note(api, article, owner):
    highlight = _mark(article, owner, "battery boat")
    path = f"highlights/{highlight.pk}/"
    response = api.patch(path, {"colour": "red", "visibility": "private", "note": "**Costs**"})
    assert response.status_code == 200, response.content
    body = response.json()
    assert (body["colour"], body["visibility"], body["note"]) == ("red", "private", "**Costs**")
    assert "<strong>Costs</strong>" in body["note_html"]
    highlight.refresh_from_db()
    assert (highlight.colour, highlight.visibility, highlight.note) == (
        "red",
        "private",
        "**Costs**",
    )
    # An empty note removes it; what is not sent stays.
    body = api.patch(path, {"note": ""}).json()
    assert (body["note"], body["note_html"], body["colour"]) == ("", "", "red")
    assert api.get(path).json()["note"] == ""


def test_others_may_not_change_a_highlight(client, article, owner, teammate, outsider):
    highlight = _mark(article, teammate, "battery boat")
    path = f"highlights/{highlight.pk}/"
    assert_error(Caller(client, owner).patch(path, {"colour": "red"}), 403, "author")
    theirs = Caller(client, outsider).patch(path, {"colour": "red"})
    assert_error(theirs, 404)
    assert theirs.json() == Caller(client, outsider).get(f"highlights/{highlight.pk + 9}/").json()
    assert_error(Caller(client, teammate).patch(path, {"colour": "mauve"}), 422, "colour")
    highlight.refresh_from_db()
    assert highlight.colour == "yellow"


def test_the_author_deletes_to_the_trash(client, article, teammate):
    highlight = _mark(article, teammate, "battery boat")
    api = Caller(client, teammate)
    response = api.delete(f"highlights/{highlight.pk}/")
    assert response.status_code == 204
    trashed = Highlight.all_objects.get(pk=highlight.pk)
    assert trashed.deleted_at is not None and trashed.deleted_by == teammate
    assert trashed.removed_at is None
    assert_error(api.get(f"highlights/{highlight.pk}/"), 404)
    assert _ids(api.get(f"articles/{article.pk}/highlights/")) == []


@pytest.mark.parametrize("moderator", ["owner", "team_admin"])
def test_a_moderator_removes_someone_elses_leaving_a_marker(
    client, request, article, teammate, moderator
):
    moderator = request.getfixturevalue(moderator)
    highlight = _mark(article, teammate, "battery boat")
    highlight.set_note("A NOTE TO HIDE")
    api = Caller(client, moderator)
    assert api.delete(f"highlights/{highlight.pk}/").status_code == 204
    highlight.refresh_from_db()
    assert highlight.removed_by == moderator and highlight.deleted_at is None
    shown = api.get(f"highlights/{highlight.pk}/").json()
    assert shown["removed"] is True
    assert shown["note"] == "" and shown["note_html"] == ""
    # Its author can no longer change it.
    assert_error(Caller(client, teammate).patch(f"highlights/{highlight.pk}/", {"note": "x"}), 403)


def test_a_moderator_deletes_their_own_to_the_trash(api, article, owner):
    highlight = _mark(article, owner, "battery boat")
    assert api.delete(f"highlights/{highlight.pk}/").status_code == 204
    highlight = Highlight.all_objects.get(pk=highlight.pk)
    assert highlight.deleted_at is not None and highlight.removed_at is None


def test_a_plain_member_may_not_delete_someone_elses(client, article, owner, teammate, reader_only):
    highlight = _mark(article, owner, "battery boat")
    assert_error(Caller(client, teammate).delete(f"highlights/{highlight.pk}/"), 403)
    assert_error(Caller(client, reader_only).delete(f"highlights/{highlight.pk}/"), 403)
    highlight.refresh_from_db()
    assert highlight.deleted_at is None and highlight.removed_at is None


def test_outsiders_and_read_tokens_may_not_delete(client, article, owner, outsider):
    highlight = _mark(article, owner, "battery boat")
    assert_error(Caller(client, outsider).delete(f"highlights/{highlight.pk}/"), 404)
    assert_error(Caller(client, owner, scope="read").delete(f"highlights/{highlight.pk}/"), 403)
    assert Highlight.objects.filter(pk=highlight.pk, removed_at=None).exists()


# W3C Web Annotations


def test_a_highlight_as_a_web_annotation(api, article, owner, teammate):
    highlight = _mark(article, owner, "battery boat", "red")
    highlight.set_note("Costed?")
    _reply(highlight, teammate, "Yes")
    response = api.get(f"highlights/{highlight.pk}/", HTTP_ACCEPT=ANNO)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/ld+json")
    annotation = response.json()
    assert annotation["@context"] == "http://www.w3.org/ns/anno.jsonld"
    assert annotation["type"] == "Annotation"
    assert annotation["motivation"] == "commenting"
    selectors = {s["type"]: s for s in annotation["target"]["selector"]}
    assert selectors["TextQuoteSelector"]["exact"] == "battery boat"
    assert selectors["TextQuoteSelector"]["prefix"] == highlight.prefix
    assert selectors["TextPositionSelector"] == {
        "type": "TextPositionSelector",
        "start": highlight.start,
        "end": highlight.end,
    }
    assert f"/articles/{article.pk}/" in annotation["target"]["source"]
    assert any(b.get("value") == "Costed?" for b in annotation["body"])


def test_an_articles_highlights_as_an_annotation_page(client, api, article, owner, teammate):
    mine = _mark(article, owner, "harbour ferries")
    theirs = _mark(article, teammate, "battery boat", visibility="private")
    removed = _mark(article, teammate, "eleven thousand")
    removed.remove_by_moderator(owner)
    response = api.get(f"articles/{article.pk}/highlights/", HTTP_ACCEPT=ANNO)
    assert response["Content-Type"].startswith("application/ld+json")
    page = response.json()
    assert page["@context"] == "http://www.w3.org/ns/anno.jsonld"
    assert page["type"] == "AnnotationPage"
    assert len(page["items"]) == 1
    exact = page["items"][0]["target"]["selector"][0]["exact"]
    assert exact == mine.exact
    assert all("@context" not in item for item in page["items"])
    as_teammate = Caller(client, teammate).get(
        f"articles/{article.pk}/highlights/", HTTP_ACCEPT=ANNO
    )
    exacts = {item["target"]["selector"][0]["exact"] for item in as_teammate.json()["items"]}
    assert exacts == {mine.exact, theirs.exact}


def test_a_teams_highlights_as_annotation_pages_keep_their_filters(api, team, article, owner):
    # The blue one is the oldest: a next page that forgot the filter would show it.
    _mark(article, owner, "council", "blue")
    for word in ("harbour ferries", "eleven thousand", "battery boat"):
        _mark(article, owner, word, "red")
    path = f"teams/{team.slug}/highlights/"
    first = api.get(path, {"colour": "red", "limit": 2}, HTTP_ACCEPT=ANNO).json()
    assert first["type"] == "AnnotationPage" and len(first["items"]) == 2
    assert first["next"].startswith(f"http://testserver/api/v1/{path}?")
    second = api.get(first["next"], HTTP_ACCEPT=ANNO).json()
    assert len(second["items"]) == 1
    assert "next" not in second
    colours = {b["value"] for item in first["items"] + second["items"] for b in item["body"]}
    assert len(colours) == 1  # red's meaning only: the filter held on the next page


def test_our_json_unless_json_ld_is_asked_for(api, article, owner):
    highlight = _mark(article, owner, "battery boat")
    for accept in ("application/json", "*/*", ""):
        response = api.get(f"highlights/{highlight.pk}/", HTTP_ACCEPT=accept)
        assert response["Content-Type"].startswith("application/json")
        assert response.json()["id"] == highlight.pk


def test_errors_stay_json_when_json_ld_is_asked_for(api, other_team, outsider):
    theirs = _mark(make_article(other_team), outsider, "battery boat")
    assert_error(api.get(f"highlights/{theirs.pk}/", HTTP_ACCEPT=ANNO), 404)


# Query counts


def _populate(team, article, owner, teammate, n):
    Highlight.all_objects.all().delete()
    words = article.text.split(" ")
    offset = 0
    for k in range(n):
        start = offset
        offset += len(words[k]) + 1
        author = owner if k % 2 else teammate
        highlight = create_highlight(article, author, start, start + len(words[k]), "yellow")[0]
        if k % 3 == 0:
            highlight.set_note(f"Note {k}")
        _reply(highlight, owner if k % 2 == 0 else teammate)


@pytest.mark.parametrize("json_ld", [False, True])
@pytest.mark.parametrize("where", ["article", "team"])
def test_listing_costs_the_same_queries_for_5_25_and_50_highlights(
    api, team, owner, teammate, django_assert_max_num_queries, where, json_ld
):
    article = make_article(team, paragraphs=8)
    api.get("me/")  # the token's first use of the minute writes last_used_at
    path = f"articles/{article.pk}/highlights/" if where == "article" else f"teams/{team.slug}/"
    path = path if where == "article" else f"{path}highlights/"
    headers = {"HTTP_ACCEPT": ANNO} if json_ld else {}
    counts = []
    for n in (5, 25, 50):
        _populate(team, article, owner, teammate, n)
        with django_assert_max_num_queries(8) as captured:
            response = api.get(path, {"limit": 50}, **headers)
        assert len(response.json()["items"]) == n
        counts.append(len(captured))
        # Nor are the articles' stored pages read, which can be megabytes each.
        sql = " ".join(query["sql"] for query in captured.captured_queries)
        assert '."original"' not in sql and '."html"' not in sql
    assert counts[0] == counts[1] == counts[2]


def test_the_same_passage_again_takes_the_visibility_sent(api, article, owner):
    shared = _mark(article, owner, "battery boat")
    again = api.post(
        f"articles/{article.pk}/highlights/", {"exact": "battery boat", "visibility": "private"}
    )
    assert again.status_code == 200
    assert again.json()["id"] == shared.pk and again.json()["visibility"] == "private"
    # Not sent: left as it is.
    api.post(f"articles/{article.pk}/highlights/", {"exact": "battery boat", "colour": "red"})
    shared.refresh_from_db()
    assert (shared.visibility, shared.colour) == ("private", "red")


def test_a_passage_a_moderator_removed_cannot_be_highlighted_again(
    client, article, owner, teammate
):
    highlight = _mark(article, teammate, "battery boat")
    highlight.set_note("Original")
    highlight.remove_by_moderator(owner)
    response = Caller(client, teammate).post(
        f"articles/{article.pk}/highlights/",
        {"exact": "battery boat", "colour": "red", "note": "Sneaky", "visibility": "private"},
    )
    assert_error(response, 403, "moderator")
    highlight.refresh_from_db()
    assert (highlight.colour, highlight.note, highlight.visibility) == (
        "yellow",
        "Original",
        "team",
    )
    assert highlight.removed_at is not None
