"""/api/v1/articles/ and /api/v1/captures/: listing, saving, reading, changing, deleting."""

import base64
import gzip
from datetime import UTC, datetime, timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from api.shapes import encode_cursor
from articles.highlighting import create_highlight
from articles.models import Article, ArticleRead, ArticleState, Capture, Highlight, Tag
from teams.models import Membership
from tests.api.support import Caller, assert_error
from tests.factories import make_article
from tests.sites import serve

SENTENCE = "The ferries carry eleven thousand people a day across the harbour water."
PAGE = (
    "<!doctype html><html><head><title>Harbour news</title></head><body><article>"
    "<h1>Harbour news</h1>"
    f"<p>{SENTENCE} See the <a href='/ferries/timetable'>timetable</a> for times.</p>"
    + f"<p>{SENTENCE} The council votes on the new boats in spring.</p>" * 4
    + "</article></body></html>"
)


@pytest.fixture
def api(client, owner):
    return Caller(client, owner)


def _ids(response):
    assert response.status_code == 200, response.content
    return [item["id"] for item in response.json()["items"]]


def _saved_at(article, when):
    Article.all_objects.filter(pk=article.pk).update(saved_at=when)


# Listing


def test_the_list_is_newest_saved_first(api, team):
    now = timezone.now()
    old, new, middle = (make_article(team, f"Story {n}") for n in range(3))
    _saved_at(old, now - timedelta(days=3))
    _saved_at(middle, now - timedelta(days=2))
    _saved_at(new, now - timedelta(days=1))
    assert _ids(api.get("articles/")) == [new.pk, middle.pk, old.pk]


def test_an_item_has_the_callers_own_state_and_visible_highlight_count(api, team, owner, teammate):
    article = make_article(team)
    text = article.text
    create_highlight(article, teammate, 0, 5, "yellow")
    create_highlight(article, teammate, 10, 15, "yellow", visibility="private")
    create_highlight(article, owner, 20, 25, "yellow", visibility="private")
    ArticleRead.objects.create(article=article, user=teammate)
    ArticleState.objects.create(article=article, user=owner, starred_at=timezone.now())
    item = api.get("articles/").json()["items"][0]
    assert item["highlight_count"] == 2  # the team's and the caller's own private one
    assert item["state"] == {"read": False, "archived": False, "starred": True, "progress": None}
    assert item["team"] == team.slug
    assert item["reader_url"] == f"http://testserver/articles/{article.pk}/"
    assert "text" not in item and "html" not in item
    assert text  # the list never carries the text


def test_cursor_pages_walk_every_article_once_across_equal_saved_at(api, team):
    now = timezone.now()
    articles = [make_article(team, f"Story {n}") for n in range(9)]
    # Three groups of three articles saved at the very same moment.
    for n, article in enumerate(articles):
        _saved_at(article, now - timedelta(hours=n // 3))
    # Newest group first; within a group, the higher id first.
    expected = [a.pk for _, a in sorted(enumerate(articles), key=lambda x: (x[0] // 3, -x[1].pk))]
    seen, cursor, pages = [], None, 0
    while True:
        response = api.get("articles/", {"limit": 2, **({"cursor": cursor} if cursor else {})})
        seen += _ids(response)
        cursor = response.json()["next"]
        pages += 1
        if cursor is None:
            break
        assert pages < 10
    assert seen == expected
    assert pages == 5


def test_an_exact_page_has_no_next(api, team):
    for n in range(4):
        make_article(team, f"Story {n}")
    first = api.get("articles/", {"limit": 2}).json()
    second = api.get("articles/", {"limit": 2, "cursor": first["next"]}).json()
    assert len(second["items"]) == 2
    assert second["next"] is None


@pytest.mark.parametrize(
    "cursor",
    [
        "not-a-cursor",
        "%%%",
        base64.urlsafe_b64encode(b"\xff\xfe").decode(),
        base64.urlsafe_b64encode(b"yesterday|12").decode(),
        base64.urlsafe_b64encode(b"2024-01-01T00:00:00+00:00|twelve").decode(),
        base64.urlsafe_b64encode(b"2024-01-01T00:00:00+00:00|1|2").decode(),
    ],
)
def test_a_bad_cursor_is_refused(api, team, cursor):
    make_article(team)
    assert_error(api.get("articles/", {"cursor": cursor}), 422, "cursor")


def test_a_cursor_this_api_gave_is_accepted(api, team):
    article = make_article(team)
    later = encode_cursor(article.saved_at + timedelta(seconds=1), article.pk + 100)
    assert _ids(api.get("articles/", {"cursor": later})) == [article.pk]


@pytest.mark.parametrize("limit", [0, -1, 101, "many"])
def test_the_limit_is_bounded(api, team, limit):
    make_article(team)
    assert_error(api.get("articles/", {"limit": limit}), 422, "limit")


def test_the_limit_defaults_to_twenty_and_goes_to_a_hundred(api, team):
    for n in range(21):
        make_article(team, f"Story {n}")
    assert len(_ids(api.get("articles/"))) == 20
    assert len(_ids(api.get("articles/", {"limit": 100}))) == 21
    assert len(_ids(api.get("articles/", {"limit": 1}))) == 1


def test_another_teams_articles_never_appear(client, api, team, other_team, outsider):
    ours = make_article(team, "Ours")
    theirs = make_article(other_team, "Theirs")
    assert _ids(api.get("articles/")) == [ours.pk]
    assert _ids(Caller(client, outsider).get("articles/")) == [theirs.pk]
    # Not by their address either.
    assert _ids(api.get("articles/", {"url": theirs.source_url or "https://x.org/"})) == []


def test_the_team_filter(client, team, other_team, owner):
    Membership.objects.create(team=other_team, user=owner, role=Membership.Role.READ_ONLY)
    ours, theirs = make_article(team, "Ours"), make_article(other_team, "Theirs")
    api = Caller(client, owner)
    assert set(_ids(api.get("articles/"))) == {ours.pk, theirs.pk}
    assert _ids(api.get("articles/", {"team": team.slug})) == [ours.pk]
    assert _ids(api.get("articles/", {"team": other_team.slug})) == [theirs.pk]


def test_the_team_filter_with_another_team_is_404_like_a_missing_one(api, team, other_team):
    make_article(other_team)
    theirs = api.get("articles/", {"team": other_team.slug})
    missing = api.get("articles/", {"team": "no-such-team"})
    assert_error(theirs, 404)
    assert theirs.json() == missing.json()


def test_the_tag_filter_takes_all_the_tags(api, team):
    both, one, none = (make_article(team, f"Story {n}") for n in range(3))
    ferries, council = (Tag.objects.create(team=team, name=n) for n in ("ferries", "council"))
    both.tags.set([ferries, council])
    one.tags.set([ferries])
    assert set(_ids(api.get("articles/", {"tag": "ferries"}))) == {both.pk, one.pk}
    assert _ids(api.get("articles/", {"tag": ["ferries", "council"]})) == [both.pk]
    assert _ids(api.get("articles/", {"tag": "weather"})) == []
    assert none.pk not in _ids(api.get("articles/", {"tag": "council"}))


def test_the_site_and_url_filters(api, team):
    ferry = make_article(team, "Ferry", url="https://example.org/ferry")
    bridge = make_article(team, "Bridge", url="https://example.org/bridge")
    Article.objects.filter(pk=ferry.pk).update(site_name="Harbour Times")
    assert _ids(api.get("articles/", {"site": "Harbour Times"})) == [ferry.pk]
    # The URL is compared normalised: tracking parameters and the host's case do not matter.
    found = api.get("articles/", {"url": "https://EXAMPLE.org/bridge?utm_source=feed"})
    assert _ids(found) == [bridge.pk]


def test_the_state_filter_is_the_callers_own(api, team, owner, teammate):
    read, archived, starred, untouched = (make_article(team, f"Story {n}") for n in range(4))
    ArticleRead.objects.create(article=read, user=owner)
    ArticleRead.objects.create(article=untouched, user=teammate)
    now = timezone.now()
    ArticleState.objects.create(article=archived, user=owner, archived_at=now)
    ArticleState.objects.create(article=starred, user=owner, starred_at=now)
    ArticleState.objects.create(article=untouched, user=teammate, starred_at=now, archived_at=now)
    assert _ids(api.get("articles/", {"state": "read"})) == [read.pk]
    assert set(_ids(api.get("articles/", {"state": "unread"}))) == {
        archived.pk,
        starred.pk,
        untouched.pk,
    }
    assert _ids(api.get("articles/", {"state": "archived"})) == [archived.pk]
    assert _ids(api.get("articles/", {"state": "starred"})) == [starred.pk]
    assert_error(api.get("articles/", {"state": "liked"}), 422, "state")


def test_the_saved_after_filter(api, team):
    old, new = make_article(team, "Old"), make_article(team, "New")
    _saved_at(old, datetime(2020, 5, 1, 12, tzinfo=UTC))
    _saved_at(new, datetime(2024, 5, 1, 12, tzinfo=UTC))
    assert _ids(api.get("articles/", {"saved_after": "2022-01-01"})) == [new.pk]
    assert _ids(api.get("articles/", {"saved_after": "2024-05-01T12:00:00+00:00"})) == [new.pk]
    assert _ids(api.get("articles/", {"saved_after": "2024-05-01T12:00:01Z"})) == []
    assert len(_ids(api.get("articles/", {"saved_after": "2019-12-31"}))) == 2
    assert_error(api.get("articles/", {"saved_after": "last week"}), 422, "saved_after")


def test_a_trashed_article_is_not_listed(api, team, owner):
    article = make_article(team)
    article.trash(owner)
    assert _ids(api.get("articles/")) == []


# Saving


def test_saving_a_rendered_page_resolves_links_against_its_url(api, team, owner):
    response = api.post(
        "articles/", {"html": PAGE, "url": "https://example.org/news/harbour?utm_source=x"}
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["duplicate"] is False and body["capture"] is None
    saved = body["article"]
    assert saved["title"] == "Harbour news"
    assert saved["kind"] == "html"
    assert saved["source_url"] == "https://example.org/news/harbour?utm_source=x"
    article = Article.objects.get(pk=saved["id"])
    assert article.team == team and article.added_by == owner
    assert 'href="https://example.org/ferries/timetable"' in article.html
    detail = api.get(f"articles/{article.pk}/").json()
    assert "https://example.org/ferries/timetable" in detail["html"]


def test_saving_a_page_with_a_title_keeps_the_title(api):
    saved = api.post("articles/", {"html": PAGE, "url": "https://example.org/a", "title": "Mine"})
    assert saved.json()["article"]["title"] == "Mine"


def test_saving_text(api, team):
    response = api.post("articles/", {"text": f"{SENTENCE}\n\nA second paragraph.", "title": "T"})
    assert response.status_code == 201, response.content
    saved = response.json()["article"]
    assert saved["kind"] == "text" and saved["title"] == "T"
    assert Article.objects.get(pk=saved["id"]).text.startswith(SENTENCE)


def test_saving_markdown(api):
    response = api.post("articles/", {"markdown": f"# Ferries\n\n{SENTENCE} *Really*."})
    assert response.status_code == 201, response.content
    saved = response.json()["article"]
    assert saved["kind"] == "markdown" and saved["title"] == "Ferries"
    assert "<em>Really</em>" in Article.objects.get(pk=saved["id"]).html


def test_saving_with_a_highlight_makes_it_anchored(api, owner):
    quote = {"exact": "eleven thousand", "prefix": "carry ", "suffix": " people", "colour": "red"}
    response = api.post("articles/", {"text": SENTENCE, "highlight": quote})
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["highlight_error"] is None
    made = body["highlight"]
    article = Article.objects.get(pk=body["article"]["id"])
    assert article.text[made["start"] : made["end"]] == "eleven thousand"
    assert made["colour"] == "red" and made["author"] == owner.username
    assert body["article"]["highlight_count"] == 1
    highlight = Highlight.objects.get(pk=made["id"])
    assert (highlight.article, highlight.author, highlight.is_orphan) == (article, owner, False)


def test_a_highlight_not_in_the_text_still_saves_the_article(api):
    quote = {"exact": "nothing like this is in the article"}
    response = api.post("articles/", {"text": SENTENCE, "highlight": quote})
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["highlight"] is None
    assert "not in the article" in body["highlight_error"]
    assert Article.objects.filter(pk=body["article"]["id"]).exists()
    assert not Highlight.objects.exists()


def test_saving_again_is_a_duplicate(api):
    first = api.post("articles/", {"text": SENTENCE}).json()["article"]
    again = api.post("articles/", {"text": SENTENCE})
    assert again.status_code == 200
    assert again.json()["duplicate"] is True
    assert again.json()["article"]["id"] == first["id"]
    by_url = api.post("articles/", {"html": PAGE, "url": "https://example.org/p"})
    same_url = api.post("articles/", {"html": PAGE + " ", "url": "https://example.org/p#top"})
    assert same_url.status_code == 200
    assert same_url.json()["article"]["id"] == by_url.json()["article"]["id"]
    assert Article.objects.count() == 2


def test_a_duplicate_with_a_highlight_highlights_the_saved_article(api):
    first = api.post("articles/", {"text": SENTENCE}).json()["article"]
    again = api.post("articles/", {"text": SENTENCE, "highlight": {"exact": "harbour water"}})
    assert again.status_code == 200
    assert again.json()["highlight"]["article"] == first["id"]


@pytest.mark.parametrize(
    "data",
    [
        {"text": SENTENCE, "markdown": SENTENCE},
        {"html": PAGE, "text": SENTENCE},
        {"html": PAGE, "markdown": SENTENCE, "text": SENTENCE},
    ],
)
def test_several_contents_are_refused(api, data):
    assert_error(api.post("articles/", data), 422, "not several")
    assert not Article.objects.exists()


@pytest.mark.parametrize("data", [{}, {"title": "Only a title"}, {"url": ""}])
def test_nothing_to_save_is_refused(api, data):
    assert_error(api.post("articles/", data), 422)


@pytest.mark.parametrize(
    "data",
    [
        {"text": "   "},
        {"url": "ftp://example.org/file"},
        {"html": PAGE, "url": "javascript:alert(1)"},
        {"text": SENTENCE, "highlight": {"exact": ""}},
        {"text": SENTENCE, "highlight": {"exact": "water", "colour": "mauve"}},
    ],
)
def test_bad_input_is_refused(api, data):
    assert_error(api.post("articles/", data), 422)
    assert not Article.objects.exists()


def test_a_caller_without_a_writable_team_is_refused(client, reader_only):
    response = Caller(client, reader_only).post("articles/", {"text": SENTENCE})
    assert_error(response, 403, "not in a team where you may add")
    assert not Article.objects.exists()


def test_a_read_only_token_is_refused(client, owner):
    response = Caller(client, owner, scope="read").post("articles/", {"text": SENTENCE})
    assert_error(response, 403, "token may only read")


def test_another_teams_slug_is_404_like_a_missing_one(api, other_team):
    theirs = api.post("articles/", {"text": SENTENCE, "team": other_team.slug})
    missing = api.post("articles/", {"text": SENTENCE, "team": "no-such-team"})
    assert_error(theirs, 404)
    assert theirs.json() == missing.json()
    assert not Article.objects.exists()


def test_a_named_team_where_the_caller_only_reads_is_403(client, team, other_team, reader_only):
    Membership.objects.create(team=other_team, user=reader_only, role=Membership.Role.MEMBER)
    api = Caller(client, reader_only)
    assert_error(api.post("articles/", {"text": SENTENCE, "team": team.slug}), 403)
    saved = api.post("articles/", {"text": SENTENCE})
    assert saved.status_code == 201
    assert saved.json()["article"]["team"] == other_team.slug


def test_without_a_team_it_saves_to_the_writable_team_used_last(client, team, other_team, owner):
    Membership.objects.create(team=other_team, user=owner, role=Membership.Role.MEMBER)
    Membership.objects.filter(team=other_team, user=owner).update(last_used_at=timezone.now())
    api = Caller(client, owner)
    assert api.post("articles/", {"text": SENTENCE}).json()["article"]["team"] == other_team.slug
    named = api.post("articles/", {"text": SENTENCE, "team": team.slug})
    assert named.json()["article"]["team"] == team.slug


# Saving by URL


@pytest.fixture
def site(settings):
    settings.FETCH_ALLOWED_TEST_HOSTS = ["127.0.0.1"]
    with serve(default=PAGE.encode(), pages={"/missing": (404, "text/plain", b"")}) as local:
        yield local.url


def test_saving_only_a_url_fetches_it(api, site, team, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = api.post("articles/", {"url": f"{site}/harbour"})
    assert response.status_code == 202, response.content
    body = response.json()
    assert body["article"] is None
    capture = body["capture"]
    assert capture["url"] == f"{site}/harbour"
    followed = api.get(f"captures/{capture['id']}/")
    assert followed.status_code == 200
    assert followed.json()["status"] == "ready"
    article = Article.objects.get(pk=followed.json()["article"])
    assert article.title == "Harbour news" and article.team == team
    assert article.source_url == f"{site}/harbour"
    # The same URL again is a duplicate of that article.
    again = api.post("articles/", {"url": f"{site}/harbour"})
    assert again.status_code == 200
    assert again.json()["duplicate"] is True and again.json()["article"]["id"] == article.pk


def test_saving_a_url_that_fails_says_why(api, site, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = api.post("articles/", {"url": f"{site}/missing"})
    followed = api.get(f"captures/{response.json()['capture']['id']}/").json()
    assert followed["status"] == "failed"
    assert followed["reason"] and followed["article"] is None


def test_saving_a_url_with_a_highlight_makes_it_once_fetched(
    api, site, owner, django_capture_on_commit_callbacks
):
    quote = {"exact": "eleven thousand people"}
    with django_capture_on_commit_callbacks(execute=True):
        response = api.post("articles/", {"url": f"{site}/harbour", "highlight": quote})
    assert response.status_code == 202, response.content
    capture = Capture.objects.get(pk=response.json()["capture"]["id"])
    assert capture.status == Capture.Status.READY
    assert capture.highlight is not None, capture.highlight_error
    assert capture.highlight.author == owner
    assert capture.highlight.article_id == capture.article_id
    text = Article.objects.get(pk=capture.article_id).text
    assert text[capture.highlight.start : capture.highlight.end] == "eleven thousand people"
    listed = api.get(f"articles/{capture.article_id}/highlights/").json()["items"]
    assert [h["id"] for h in listed] == [capture.highlight_id]


def test_a_capture_of_another_team_is_404(client, api, team, other_team, outsider):
    ours = Capture.objects.create(team=team, url="https://example.org/", normalized_url="x")
    assert api.get(f"captures/{ours.pk}/").status_code == 200
    theirs = Caller(client, outsider).get(f"captures/{ours.pk}/")
    missing = api.get(f"captures/{ours.pk + 100}/")
    assert_error(theirs, 404)
    assert theirs.json() == missing.json()


# Uploads


@pytest.mark.parametrize(
    ("name", "data", "kind"),
    [
        ("notes.txt", f"{SENTENCE}\n\nAnother paragraph.".encode(), "text"),
        ("notes.md", f"# Ferries\n\n{SENTENCE}".encode(), "markdown"),
        ("page.html", PAGE.encode(), "html"),
        ("notes.md.gz", gzip.compress(f"# Ferries\n\n{SENTENCE}".encode()), "markdown"),
    ],
    # Not the bytes: gzip's header holds the time, and pytest-xdist's workers must
    # collect the same test ids.
    ids=["notes.txt", "notes.md", "page.html", "notes.md.gz"],
)
def test_uploading_a_file(api, team, name, data, kind):
    response = api.upload("articles/files/", {"file": SimpleUploadedFile(name, data)})
    assert response.status_code == 201, response.content
    saved = response.json()["article"]
    assert saved["kind"] == kind and saved["team"] == team.slug
    assert SENTENCE in Article.objects.get(pk=saved["id"]).text
    again = api.upload("articles/files/", {"file": SimpleUploadedFile(name, data)})
    assert again.status_code == 200 and again.json()["duplicate"] is True


def test_uploading_to_a_named_team(client, team, other_team, owner):
    Membership.objects.create(team=other_team, user=owner, role=Membership.Role.MEMBER)
    api = Caller(client, owner)
    upload = SimpleUploadedFile("notes.txt", SENTENCE.encode())
    response = api.upload("articles/files/", {"file": upload, "team": other_team.slug})
    assert response.json()["article"]["team"] == other_team.slug


@pytest.mark.parametrize(
    ("name", "data"),
    [("report.pdf", b"%PDF-1.4 not really"), ("notes.gz", b"not gzip at all")],
)
def test_an_unsupported_file_is_refused(api, name, data):
    response = api.upload("articles/files/", {"file": SimpleUploadedFile(name, data)})
    assert_error(response, 422)
    assert not Article.objects.exists()


def test_an_upload_without_a_file_is_refused(api):
    assert_error(api.upload("articles/files/", {}), 422)


def test_uploads_need_write(client, reader_only, owner):
    upload = SimpleUploadedFile("notes.txt", SENTENCE.encode())
    assert_error(Caller(client, reader_only).upload("articles/files/", {"file": upload}), 403)
    upload.seek(0)
    read_token = Caller(client, owner, scope="read")
    assert_error(read_token.upload("articles/files/", {"file": upload}), 403)


# One article


def test_the_detail_has_text_and_html(api, team):
    article = make_article(team)
    detail = api.get(f"articles/{article.pk}/").json()
    assert detail["text"] == article.text
    assert detail["html"] == article.html
    assert detail["id"] == article.pk and detail["title"] == "A story"


def test_another_teams_article_is_404_like_a_missing_one(api, other_team):
    theirs = make_article(other_team)
    response = api.get(f"articles/{theirs.pk}/")
    assert_error(response, 404)
    assert response.json() == api.get(f"articles/{theirs.pk + 100}/").json()
    for change in (api.patch(f"articles/{theirs.pk}/", {"title": "Mine"}),):
        assert change.json() == response.json()
    assert api.delete(f"articles/{theirs.pk}/").json() == response.json()
    assert Article.objects.get(pk=theirs.pk).deleted_at is None


# Changing


def test_changing_the_details(api, team):
    article = make_article(team)
    response = api.patch(
        f"articles/{article.pk}/",
        {"title": " Ferries, again ", "byline": "Ana", "source_url": "https://example.org/f"},
    )
    assert response.status_code == 200, response.content
    body = response.json()
    assert (body["title"], body["byline"], body["source_url"]) == (
        "Ferries, again",
        "Ana",
        "https://example.org/f",
    )
    article.refresh_from_db()
    assert article.title == "Ferries, again"
    assert article.normalized_url == "https://example.org/f"
    # What is not sent stays.
    api.patch(f"articles/{article.pk}/", {"byline": ""})
    article.refresh_from_db()
    assert (article.title, article.byline) == ("Ferries, again", "")


def test_a_url_another_article_has_is_a_conflict(api, team, owner):
    make_article(team, "First", url="https://example.org/first")
    trashed = make_article(team, "Gone", url="https://example.org/gone")
    trashed.trash(owner)
    second = make_article(team, "Second")
    taken = api.patch(f"articles/{second.pk}/", {"source_url": "https://EXAMPLE.org/first"})
    assert_error(taken, 409, "First")
    assert_error(api.patch(f"articles/{second.pk}/", {"source_url": trashed.source_url}), 409)
    second.refresh_from_db()
    assert second.source_url == ""


@pytest.mark.parametrize(
    "data",
    [
        {"source_url": "ftp://example.org/f"},
        {"source_url": "http:nothing here"},
        {"title": ""},
        {"title": "x" * 501},
        {"byline": "x" * 301},
    ],
)
def test_bad_details_are_refused(api, team, data):
    article = make_article(team)
    assert_error(api.patch(f"articles/{article.pk}/", data), 422)
    article.refresh_from_db()
    assert (article.title, article.byline, article.source_url) == ("A story", "", "")


def test_setting_tags_dedupes_them_without_regard_to_case(api, team):
    article = make_article(team)
    Tag.objects.create(team=team, name="ferries")
    response = api.patch(
        f"articles/{article.pk}/",
        {"tags": ["Ferries", "ferries", "  Harbour   news ", "", "FERRIES"]},
    )
    assert response.status_code == 200, response.content
    assert response.json()["tags"] == ["Harbour news", "ferries"]
    assert Tag.objects.filter(team=team).count() == 2
    # Setting replaces; an empty list clears.
    assert api.patch(f"articles/{article.pk}/", {"tags": ["council"]}).json()["tags"] == ["council"]
    assert api.patch(f"articles/{article.pk}/", {"tags": []}).json()["tags"] == []
    assert list(article.tags.all()) == []


def test_tags_are_per_team(api, team, other_team):
    Tag.objects.create(team=other_team, name="ferries")
    article = make_article(team)
    api.patch(f"articles/{article.pk}/", {"tags": ["Ferries"]})
    assert [t.name for t in article.tags.all()] == ["Ferries"]
    assert article.tags.get().team == team


@pytest.mark.parametrize(
    "tags",
    [[f"tag {n}" for n in range(51)], ["x" * 101], "ferries", [1, 2]],
)
def test_bad_tags_are_refused(api, team, tags):
    article = make_article(team)
    article.tags.set([Tag.objects.create(team=team, name="kept")])
    assert_error(api.patch(f"articles/{article.pk}/", {"tags": tags}), 422, "tags")
    assert [t.name for t in article.tags.all()] == ["kept"]


def test_fifty_tags_are_fine(api, team):
    article = make_article(team)
    response = api.patch(f"articles/{article.pk}/", {"tags": [f"tag {n:02}" for n in range(50)]})
    assert response.status_code == 200
    assert len(response.json()["tags"]) == 50


def test_the_reading_state_is_the_callers_own(client, api, team, owner, teammate):
    article = make_article(team)
    response = api.patch(
        f"articles/{article.pk}/",
        {"read": True, "archived": True, "starred": True, "progress": 0.5},
    )
    assert response.status_code == 200, response.content
    assert response.json()["state"] == {
        "read": True,
        "archived": True,
        "starred": True,
        "progress": 0.5,
    }
    state = ArticleState.objects.get(article=article, user=owner)
    archived_at = state.archived_at
    assert ArticleRead.objects.filter(article=article, user=owner).exists()
    # The teammate's own state is untouched.
    theirs = Caller(client, teammate).get(f"articles/{article.pk}/").json()["state"]
    assert theirs == {"read": False, "archived": False, "starred": False, "progress": None}
    # Archiving again keeps when it was first archived; other flags go off one by one.
    api.patch(f"articles/{article.pk}/", {"archived": True, "starred": False})
    state.refresh_from_db()
    assert state.archived_at == archived_at and state.starred_at is None
    off = api.patch(f"articles/{article.pk}/", {"read": False, "archived": False, "progress": 1})
    assert off.json()["state"] == {
        "read": False,
        "archived": False,
        "starred": False,
        "progress": 1.0,
    }
    assert not ArticleRead.objects.filter(article=article, user=owner).exists()


@pytest.mark.parametrize("progress", [1.5, -0.1, "half"])
def test_progress_out_of_range_is_refused(api, team, owner, progress):
    article = make_article(team)
    assert_error(api.patch(f"articles/{article.pk}/", {"progress": progress}), 422, "progress")
    assert not ArticleState.objects.filter(article=article).exists()


def test_a_read_only_member_sets_their_state_but_not_the_details(client, team, reader_only):
    article = make_article(team)
    api = Caller(client, reader_only)
    response = api.patch(f"articles/{article.pk}/", {"read": True, "starred": True})
    assert response.status_code == 200
    assert response.json()["state"]["starred"] is True
    for details in ({"title": "Mine"}, {"byline": "Me"}, {"tags": ["mine"]}, {"source_url": ""}):
        assert_error(api.patch(f"articles/{article.pk}/", {**details, "read": False}), 403)
    article.refresh_from_db()
    assert article.title == "A story" and not article.tags.exists()
    # A refused change changes nothing, the reading state included.
    assert ArticleRead.objects.filter(article=article, user=reader_only).exists()


def test_a_read_only_token_changes_nothing(client, team, owner):
    article = make_article(team)
    response = Caller(client, owner, scope="read").patch(f"articles/{article.pk}/", {"read": True})
    assert_error(response, 403)
    assert not ArticleRead.objects.exists()


# Deleting


def test_deleting_moves_the_article_to_the_trash(api, team, owner):
    article = make_article(team)
    response = api.delete(f"articles/{article.pk}/")
    assert response.status_code == 204
    assert response.content == b""
    trashed = Article.all_objects.get(pk=article.pk)
    assert trashed.deleted_at is not None and trashed.deleted_by == owner
    assert_error(api.get(f"articles/{article.pk}/"), 404)
    assert_error(api.delete(f"articles/{article.pk}/"), 404)
    assert _ids(api.get("articles/")) == []


def test_a_teammate_deletes_but_a_read_only_member_may_not(client, team, teammate, reader_only):
    article = make_article(team)
    assert_error(Caller(client, reader_only).delete(f"articles/{article.pk}/"), 403)
    assert Article.objects.filter(pk=article.pk).exists()
    assert Caller(client, teammate).delete(f"articles/{article.pk}/").status_code == 204


# Query counts


def _populate(team, owner, teammate, n):
    tags = [Tag.objects.create(team=team, name=f"tag {k}") for k in range(2)]
    for k in range(n):
        article = make_article(team, f"Story {n}-{k}")
        article.tags.set(tags)
        create_highlight(article, teammate, 0, 5, "yellow")
        create_highlight(article, owner, 10, 15, "blue", visibility="private")
        ArticleRead.objects.create(article=article, user=owner)
        ArticleState.objects.create(article=article, user=owner, progress=0.5)


@pytest.mark.parametrize("query", [{}, {"team": "newsroom", "tag": "tag 0", "state": "read"}])
def test_listing_costs_the_same_queries_for_5_and_25_articles(
    api, team, owner, teammate, django_assert_max_num_queries, query
):
    api.get("me/")  # the token's first use of the minute writes last_used_at
    counts = []
    for n in (5, 25):
        Article.objects.all().delete()
        Tag.objects.all().delete()
        _populate(team, owner, teammate, n)
        with django_assert_max_num_queries(8) as captured:
            items = api.get("articles/", {"limit": 20, **query}).json()["items"]
        assert len(items) == min(n, 20)
        assert all(i["highlight_count"] == 2 and len(i["tags"]) == 2 for i in items)
        counts.append(len(captured))
    assert counts[0] == counts[1]


def test_reading_and_finished_states_and_search(api, team, owner, teammate):
    from articles import reading
    from articles.highlighting import create_highlight

    started, done, other = (make_article(team, f"Story {n}") for n in range(3))
    reading.save_progress(started, owner, 0.3)
    reading.act(done, owner, "finished")
    assert _ids(api.get("articles/", {"state": "reading"})) == [started.pk]
    assert _ids(api.get("articles/", {"state": "finished"})) == [done.pk]
    h = create_highlight(other, teammate, 0, 5, "red")[0]
    h.set_note("Lighthouse keepers")
    assert _ids(api.get("articles/", {"q": "keepers"})) == [other.pk]
    assert _ids(api.get("articles/", {"q": "-keepers"})) == [done.pk, started.pk]
    assert _ids(api.get("articles/", {"q": '"'})) == [other.pk, done.pk, started.pk]
    h.set_visibility("private")
    assert _ids(api.get("articles/", {"q": "keepers"})) == []
