"""Adding articles from the library: by URL (a task fetches it), by paste, by upload."""

import gzip
from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from articles.adding import (
    MAX_FILE_BYTES,
    AddError,
    Duplicate,
    add_file,
    add_text,
    capture_url,
    fetch_capture,
)
from articles.models import Article, Capture
from articles.trash import trash_article
from tests.factories import make_article
from tests.sites import serve

HX = {"HX-Request": "true"}
LIBRARY = reverse("articles:library")
PAGE = (
    "<!doctype html><html><head><title>Harbour news</title></head><body><article>"
    "<h1>Harbour news</h1>"
    + "<p>The ferries carry eleven thousand people a day across the harbour water.</p>" * 4
    + "</article></body></html>"
).encode()


@pytest.fixture
def server(settings):
    settings.FETCH_ALLOWED_TEST_HOSTS = ["127.0.0.1"]
    pages = {"/page": PAGE, "/same-page": PAGE, "/image": (200, "image/png", b"\x89PNG")}
    with serve(pages) as local:
        yield local.url


def url_of(name, team):
    return reverse(name, args=[team.slug])


# By URL: the functions and the task ------------------------------------------------


def test_a_url_is_saved_at_once_then_fetched_by_the_task(
    team, owner, server, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks() as callbacks:
        capture = capture_url(team, owner, f"{server}/page?utm_source=x")
    assert capture.status == Capture.Status.QUEUED
    assert not Article.objects.exists()  # nothing fetched in the request
    for callback in callbacks:
        callback()
    capture.refresh_from_db()
    assert capture.status == Capture.Status.READY
    article = capture.article
    assert article.title == "Harbour news"
    assert article.team == team and article.added_by == owner
    assert article.source_url == f"{server}/page?utm_source=x"
    assert bytes(Article.objects.get().original) == PAGE


@pytest.mark.parametrize(
    ("path", "reason"), [("/missing", "404"), ("/image", "image/png")], ids=["404", "image"]
)
def test_a_failed_fetch_keeps_the_url_with_its_reason(
    team, owner, server, path, reason, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        capture = capture_url(team, owner, server + path)
    capture.refresh_from_db()
    assert capture.status == Capture.Status.FAILED
    assert reason in capture.reason
    assert capture.url == server + path
    assert not Article.objects.exists()


def test_private_addresses_are_refused_by_the_fetcher(
    team, owner, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        capture = capture_url(team, owner, "http://127.0.0.1:9/page")  # not allowed here
    capture.refresh_from_db()
    assert capture.status == Capture.Status.FAILED
    assert "Refused" in capture.reason


def test_retrying_fetches_again(client, team, owner, server, django_capture_on_commit_callbacks):
    capture = Capture.objects.create(
        team=team, added_by=owner, url=f"{server}/page", normalized_url=f"{server}/page"
    )
    capture.set_status(Capture.Status.FAILED, reason="The server was down")
    client.force_login(owner)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("articles:capture-retry", args=[capture.pk]), headers=HX)
    # The card, queued again and polling, while the task runs.
    assert response.status_code == 200
    assert "Queued" in response.content.decode()
    assert 'hx-trigger="every 2s"' in response.content.decode()
    capture.refresh_from_db()
    assert capture.status == Capture.Status.READY and capture.reason == ""
    assert capture.article.title == "Harbour news"


def test_the_task_leaves_captures_that_are_not_queued_alone(team, owner, server):
    capture = Capture.objects.create(
        team=team, url=f"{server}/page", normalized_url=f"{server}/page"
    )
    capture.set_status(Capture.Status.FAILED, reason="No")
    fetch_capture.call(capture.pk)
    fetch_capture.call(capture.pk + 1000)  # dismissed meanwhile
    capture.refresh_from_db()
    assert capture.status == Capture.Status.FAILED
    assert not Article.objects.exists()


def test_urls_must_be_http(team, owner):
    for url in ("", "  ", "ftp://example.org/x", "javascript:alert(1)", "example"):
        with pytest.raises(AddError):
            capture_url(team, owner, url)
    assert not Capture.objects.exists()


def test_a_saved_url_is_a_duplicate_even_in_the_trash(team, owner):
    article = make_article(team, "Saved", url="https://example.org/story")
    with pytest.raises(Duplicate) as found:
        capture_url(team, owner, "HTTPS://Example.org/story?utm_campaign=x#top")
    assert found.value.article == article
    assert "Already saved" in str(found.value)
    trash_article(article, owner)
    with pytest.raises(Duplicate, match="in the trash"):
        capture_url(team, owner, "https://example.org/story")
    assert not Capture.objects.exists()


def test_the_same_url_in_another_team_is_not_a_duplicate(team, other_team, owner):
    make_article(other_team, "Theirs", url="https://example.org/story")
    assert capture_url(team, owner, "https://example.org/story").status == "queued"


def test_asking_again_for_a_waiting_url_gives_the_same_capture(team, owner):
    first = capture_url(team, owner, "https://example.org/a")
    assert capture_url(team, owner, "https://example.org/a#again") == first
    assert Capture.objects.count() == 1


def test_same_content_at_another_url_is_reported_as_already_saved(
    team, owner, server, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        first = capture_url(team, owner, f"{server}/page")
        second = capture_url(team, owner, f"{server}/same-page")
    first.refresh_from_db()
    second.refresh_from_db()
    assert second.status == Capture.Status.READY and second.duplicate
    assert second.article == first.article
    assert "Already saved" in second.reason
    assert Article.objects.count() == 1


# By URL: the views ------------------------------------------------------------------


def test_a_member_adds_a_url_and_the_library_shows_its_card(client, teammate, team):
    client.force_login(teammate)
    response = client.post(url_of("articles:capture-create", team), {"url": "https://x.org/a"})
    assert response.status_code == 302 and response.url == LIBRARY
    capture = Capture.objects.get()
    assert capture.added_by == teammate and capture.status == "queued"
    page = client.get(LIBRARY)
    html = page.content.decode()
    assert "Adding https://x.org/a" in html  # the message
    assert "Queued" in html and "https://x.org/a" in html
    assert f'hx-get="{reverse("articles:capture-detail", args=[capture.pk])}"' in html
    assert 'hx-trigger="every 2s"' in html


def test_htmx_gets_the_form_back_and_the_cards_out_of_band(client, owner, team):
    client.force_login(owner)
    response = client.post(
        url_of("articles:capture-create", team), {"url": "https://x.org/a"}, headers=HX
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert html.lstrip().startswith('<form id="add-url"')
    assert '<div id="captures" class="captures" hx-swap-oob="true">' in html
    assert "Adding https://x.org/a" in html
    assert "<html" not in html


def test_a_bad_url_is_explained_next_to_its_form(client, owner, team):
    client.force_login(owner)
    url = url_of("articles:capture-create", team)
    response = client.post(url, {"url": "ftp://x.org/a"}, headers=HX)
    assert response.status_code == 422
    html = response.content.decode()
    assert 'aria-invalid="true"' in html and "http:// or https://" in html
    assert 'value="ftp://x.org/a"' in html  # kept for correcting
    # Without htmx: the library, with the error beside the same form.
    page = client.post(url, {"url": "ftp://x.org/a"})
    assert page.status_code == 422
    assert "<html" in page.content.decode() and "http:// or https://" in page.content.decode()
    assert not Capture.objects.exists()


def test_a_duplicate_url_links_to_the_article_or_the_trash(client, owner, team):
    article = make_article(team, "Saved", url="https://x.org/a")
    client.force_login(owner)
    url = url_of("articles:capture-create", team)
    html = client.post(url, {"url": "https://x.org/a"}, headers=HX).content.decode()
    assert "Already saved: “Saved”." in html
    assert reverse("articles:article-detail", args=[article.pk]) in html
    trash_article(article, owner)
    html = client.post(url, {"url": "https://x.org/a"}, headers=HX).content.decode()
    assert "Already saved (in the trash)" in html
    assert reverse("articles:team-trash", args=[team.slug]) in html


def test_failed_cards_offer_retry_and_dismiss_to_writers_only(client, owner, reader_only, team):
    capture = Capture.objects.create(team=team, url="https://x.org/a", normalized_url="x")
    capture.set_status(Capture.Status.FAILED, reason="The server said 500")
    client.force_login(owner)
    html = client.get(LIBRARY).content.decode()
    assert "Failed: The server said 500" in html
    assert reverse("articles:capture-retry", args=[capture.pk]) in html
    assert 'hx-trigger="every 2s"' not in html
    client.force_login(reader_only)
    html = client.get(LIBRARY).content.decode()
    assert "Failed: The server said 500" in html
    assert reverse("articles:capture-retry", args=[capture.pk]) not in html
    assert "Add articles" not in html


def test_dismissing_forgets_the_url(client, owner, team):
    capture = Capture.objects.create(team=team, url="https://x.org/a", normalized_url="x")
    client.force_login(owner)
    url = reverse("articles:capture-dismiss", args=[capture.pk])
    response = client.post(url, headers=HX)
    assert response.status_code == 200 and response.content == b""
    assert not Capture.objects.exists()
    capture.save()
    response = client.post(url)
    assert response.status_code == 302 and not Capture.objects.exists()


def test_polling_a_ready_card_stops_and_brings_the_article_into_the_list(client, owner, team):
    article = make_article(team, "Fetched")
    capture = Capture.objects.create(team=team, url="https://x.org/a", normalized_url="x")
    url = reverse("articles:capture-detail", args=[capture.pk])
    client.force_login(owner)
    assert 'hx-trigger="every 2s"' in client.get(url, headers=HX).content.decode()
    capture.set_status(Capture.Status.READY, article=article)
    html = client.get(url, headers=HX).content.decode()
    assert html.lstrip().startswith(f'<li id="capture-{capture.pk}"')
    assert 'hx-trigger="every 2s"' not in html
    assert '<div id="article-list" class="article-list" hx-swap-oob="true">' in html
    # Without htmx it is a page of its own.
    assert "<html" in client.get(url).content.decode()


def test_ready_captures_leave_the_library(client, owner, team):
    article = make_article(team, "Fetched")
    capture = Capture.objects.create(team=team, url="https://x.org/zzz", normalized_url="x")
    capture.set_status(Capture.Status.READY, article=article)
    client.force_login(owner)
    assert "https://x.org/zzz" not in client.get(LIBRARY).content.decode()


def test_the_library_query_count_does_not_grow_with_captures(
    client, owner, team, django_assert_num_queries
):
    make_article(team, "First", paragraphs=1)
    Capture.objects.create(team=team, url="https://x.org/0", normalized_url="0")
    client.force_login(owner)
    with django_assert_num_queries(14) as few:
        client.get(LIBRARY)
    for n in range(1, 8):
        capture = Capture.objects.create(team=team, url=f"https://x.org/{n}", normalized_url=n)
        capture.set_status(Capture.Status.FAILED, reason="No")
    with django_assert_num_queries(len(few.captured_queries)):
        client.get(LIBRARY)


# Pasting ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "kind", "expected"),
    [
        (
            "# Ferries\n\nThe **ferries** sail at [dawn](https://x.org).\n\n- one\n- two",
            "auto",
            "markdown",
        ),
        ("<p>The ferries sail.</p><p>At dawn.</p>", "auto", "html"),
        ("The ferries sail at dawn.", "auto", "text"),
        ("# Not a heading, said as text", "text", "text"),
    ],
)
def test_pasted_text_becomes_an_article(team, owner, text, kind, expected):
    article = add_text(team, owner, text, kind=kind)
    assert article.kind == expected
    assert article.added_by == owner and article.team == team
    assert "ferries" in article.text.lower() or "heading" in article.text


def test_a_pasted_title_wins(team, owner):
    article = add_text(team, owner, "# Extracted\n\nBody words here.", title="  Chosen  ")
    assert article.title == "Chosen"


@pytest.mark.parametrize("text", ["", "   \n\t"])
def test_empty_text_is_refused(team, owner, text):
    with pytest.raises(AddError, match="Paste"):
        add_text(team, owner, text)


def test_unreadable_text_is_refused(team, owner):
    with pytest.raises(AddError, match="could not be read"):
        add_text(team, owner, "<div><script>x()</script></div>", kind="html")


def test_pasting_the_same_text_again_is_a_duplicate(team, owner):
    article = add_text(team, owner, "The same words twice.")
    with pytest.raises(Duplicate) as found:
        add_text(team, owner, "The same words twice.")
    assert found.value.article == article


def test_the_paste_view_redirects_with_a_message(client, teammate, team):
    client.force_login(teammate)
    response = client.post(
        url_of("articles:article-paste", team),
        {"text": "Words for the library.", "title": "Pasted", "kind": "text"},
        follow=True,
    )
    assert response.redirect_chain == [(LIBRARY, 302)]
    html = response.content.decode()
    assert "Added “Pasted”." in html
    assert [a.title for a in response.context["page"].cards] == ["Pasted"]


def test_the_paste_view_answers_htmx_with_the_form_and_the_list(client, owner, team):
    client.force_login(owner)
    response = client.post(
        url_of("articles:article-paste", team), {"text": "Words.", "kind": "auto"}, headers=HX
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert html.lstrip().startswith('<form id="add-text"')
    assert '<div id="article-list" class="article-list" hx-swap-oob="true">' in html
    assert "Added “" in html


def test_paste_errors_keep_the_text_next_to_the_form(client, owner, team):
    client.force_login(owner)
    url = url_of("articles:article-paste", team)
    response = client.post(url, {"text": " ", "title": "Kept"}, headers=HX)
    assert response.status_code == 422
    html = response.content.decode()
    assert html.lstrip().startswith('<form id="add-text"')
    assert "Paste the text" in html and 'value="Kept"' in html
    response = client.post(url, {"text": "x", "kind": "pdf"}, headers=HX)
    assert response.status_code == 422 and "Kind:" in response.content.decode()


def test_a_duplicate_paste_says_already_saved_with_a_link(client, owner, team):
    article = add_text(team, owner, "The same words twice.")
    client.force_login(owner)
    response = client.post(
        url_of("articles:article-paste", team), {"text": "The same words twice."}
    )
    assert response.status_code == 200  # an answer, not an error: no redirect, the link is here
    html = response.content.decode()
    assert "Already saved" in html
    assert reverse("articles:article-detail", args=[article.pk]) in html


# Uploading --------------------------------------------------------------------------


def test_files_of_each_kind_become_articles(team, owner):
    html = add_file(team, owner, "a.html", PAGE)
    assert html.kind == "html" and html.title == "Harbour news"
    assert add_file(team, owner, "b.md", b"# Notes\n\nSome *words*.").kind == "markdown"
    packed = add_file(team, owner, "c.txt.gz", gzip.compress(b"Packed words."))
    assert packed.kind == "text" and packed.original_filename == "c.txt"
    assert bytes(packed.original) == b"Packed words."


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("a.pdf", b"%PDF-1.4", "Only HTML, text and Markdown"),
        ("a.txt.gz", b"\x1f\x8bnot really", "not a readable gzip"),
        ("a.txt", b"x" * (MAX_FILE_BYTES + 1), "larger than"),
        ("a.txt.gz", gzip.compress(b"x" * (MAX_FILE_BYTES + 1)), "unpacks to more than"),
        ("a.txt", b"   ", "text"),
    ],
    ids=["type", "bad-gzip", "too-big", "gzip-bomb", "empty"],
)
def test_unusable_files_are_refused(team, owner, name, data, message):
    with pytest.raises(AddError, match=message):
        add_file(team, owner, name, data)
    assert not Article.objects.exists()


def test_the_upload_view_reports_each_file(client, owner, team):
    make_article(team, "Saved")
    client.force_login(owner)
    files = [
        SimpleUploadedFile("one.txt", b"First file words.", "text/plain"),
        SimpleUploadedFile("two.md", b"# Second\n\nMore words.", "text/markdown"),
        SimpleUploadedFile("bad.pdf", b"%PDF", "application/pdf"),
        SimpleUploadedFile("one-again.txt", b"First file words.", "text/plain"),
    ]
    response = client.post(url_of("articles:article-upload", team), {"files": files}, headers=HX)
    assert response.status_code == 200
    html = response.content.decode()
    assert "<strong>one.txt</strong>: Added" in html
    assert "<strong>two.md</strong>: Added “Second”." in html
    assert "<strong>bad.pdf</strong>: Only HTML" in html
    assert "<strong>one-again.txt</strong>: Already saved" in html
    assert Article.objects.count() == 3


def test_uploads_without_htmx_redirect_when_all_went_well(client, owner, team):
    client.force_login(owner)
    files = [SimpleUploadedFile("one.txt", b"First file words.", "text/plain")]
    response = client.post(url_of("articles:article-upload", team), {"files": files})
    assert response.status_code == 302 and response.url == LIBRARY


def test_an_upload_needs_files_and_not_too_many(client, owner, team, settings):
    client.force_login(owner)
    url = url_of("articles:article-upload", team)
    response = client.post(url, {}, headers=HX)
    assert response.status_code == 422 and "Choose one or more files" in response.content.decode()
    files = [SimpleUploadedFile(f"{n}.txt", b"w", "text/plain") for n in range(21)]
    response = client.post(url, {"files": files}, headers=HX)
    assert response.status_code == 422 and "At most 20 files" in response.content.decode()


def test_the_add_forms_post_to_the_current_team(client, owner, team):
    client.force_login(owner)
    html = client.get(LIBRARY).content.decode()
    for name in ("capture-create", "article-paste", "article-upload"):
        assert f'action="{url_of("articles:" + name, team)}"' in html
    assert "<fieldset>" in html and 'role="status"' in html


def test_a_capture_stuck_while_waiting_may_be_retried(
    client, owner, team, server, django_capture_on_commit_callbacks
):
    capture = Capture.objects.create(team=team, url=f"{server}/page", normalized_url="x")
    capture.set_status(Capture.Status.FETCHING)  # and then the worker died
    retry = reverse("articles:capture-retry", args=[capture.pk])
    client.force_login(owner)
    assert retry not in client.get(LIBRARY).content.decode()
    Capture.objects.filter(pk=capture.pk).update(
        updated_at=timezone.now() - Capture.STALE_AFTER - timedelta(minutes=1)
    )
    html = client.get(LIBRARY).content.decode()
    assert "the worker may have stopped" in html and retry in html
    with django_capture_on_commit_callbacks(execute=True):
        client.post(retry)
    capture.refresh_from_db()
    assert capture.status == Capture.Status.READY


def test_an_oversized_upload_is_refused_by_name(client, owner, team):
    client.force_login(owner)
    big = SimpleUploadedFile("big.txt", b"x" * (MAX_FILE_BYTES + 10), "text/plain")
    response = client.post(url_of("articles:article-upload", team), {"files": [big]}, headers=HX)
    assert response.status_code == 422
    assert "<strong>big.txt</strong>: The file is larger than 5 MB." in response.content.decode()
