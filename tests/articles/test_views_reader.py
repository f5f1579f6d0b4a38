import re

import pytest
from django.urls import reverse

from articles.highlighting import create_highlight
from teams.models import Membership
from tests.factories import make_article

HX = {"HX-Request": "true"}


@pytest.fixture
def article(team, owner):
    return make_article(team, "The ferry vote", user=owner, url="https://news.example.com/ferry")


def url(article):
    return reverse("articles:article-detail", args=[article.pk])


def test_the_owner_reads_the_clean_article(client, owner, article):
    client.force_login(owner)
    response = client.get(url(article))
    assert response.status_code == 200
    html = response.content.decode()
    assert "<h1>The ferry vote</h1>" in html
    assert 'class="reader-body" hx-disable data-canonical-root>' in html
    assert "battery boat" in html
    assert 'href="https://news.example.com/ferry"' in html


def test_the_title_is_not_repeated_in_the_body(client, owner, article):
    client.force_login(owner)
    assert client.get(url(article)).content.decode().count("The ferry vote</h") == 1


def test_a_teammate_reads_it_too(client, teammate, article):
    client.force_login(teammate)
    assert client.get(url(article)).status_code == 200


def test_an_outsider_gets_the_same_404_as_for_a_missing_article(client, outsider, article):
    client.force_login(outsider)
    response = client.get(url(article))
    missing = client.get(reverse("articles:article-detail", args=[article.pk + 1000]))
    assert response.status_code == missing.status_code == 404
    assert response.content == missing.content


def test_anonymous_users_are_sent_to_log_in(client, article):
    response = client.get(url(article))
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


@pytest.mark.parametrize("method", ["post", "put", "patch", "delete"])
def test_it_only_answers_get(client, owner, article, method):
    client.force_login(owner)
    assert getattr(client, method)(url(article)).status_code == 405


def test_the_page_carries_a_strict_content_security_policy(client, owner, article):
    client.force_login(owner)
    policy = client.get(url(article))["Content-Security-Policy"]
    assert "script-src 'self'" in policy
    assert "object-src 'none'" in policy


def test_it_uses_a_fixed_number_of_queries(client, owner, team, django_assert_num_queries):
    small = make_article(team, "Short", paragraphs=1)
    big = make_article(team, "Long", paragraphs=200)
    client.force_login(owner)
    with django_assert_num_queries(11) as captured:
        client.get(url(small))
    with django_assert_num_queries(len(captured.captured_queries)):
        client.get(url(big))


def test_a_second_view_is_served_from_the_cache(client, owner, team, django_assert_num_queries):
    article = make_article(team, "Cached", paragraphs=50)
    client.force_login(owner)
    first = client.get(url(article))
    # Session, user, article, the reader's own state (read, state), the article's tags
    # and the team's (to add one): the highlights, notes and rendering are cached.
    with django_assert_num_queries(7):
        second = client.get(url(article))
    # Equal but for the CSRF tokens, which are masked afresh on every response.
    tokens = re.compile(rb'(csrfmiddlewaretoken" value="|"X-CSRFToken": ")[^"]+')
    assert tokens.sub(b"", first.content) == tokens.sub(b"", second.content)
    assert b"\x00" not in second.content  # every CSRF slot was filled


def test_the_cache_never_serves_one_users_page_to_another(client, owner, teammate, team):
    from articles.highlighting import create_highlight

    article = make_article(team, "Shared", paragraphs=2)
    start = article.text.index("battery")
    create_highlight(article, owner, start, start + 7, "yellow")
    client.force_login(owner)
    assert "Note, colour…" in client.get(url(article)).content.decode()
    client.force_login(teammate)
    assert "Note, colour…" not in client.get(url(article)).content.decode()


def test_10_or_1000_highlights_on_10000_words_take_the_same_queries(
    client, owner, team, django_assert_num_queries
):
    from articles.models import Highlight
    from articles.originals import create_article
    from newsreader.lib.anchoring import describe

    sentence = "The ferry council met again on Tuesday to argue about batteries and bridges. "
    paragraphs = "\n\n".join(sentence * 10 for _ in range(77))
    article = create_article(team, f"# Long\n\n{paragraphs}", filename="long.md")
    assert article.word_count >= 10_000

    def highlight(first, last):
        rows = []
        for n in range(first, last):
            start = n * 53  # apart, so no two are the same range
            selector = describe(article.text, start, start + 30)
            rows.append(
                Highlight(
                    article=article,
                    author=owner,
                    exact=selector.exact,
                    prefix=selector.prefix,
                    suffix=selector.suffix,
                    start=selector.start,
                    end=selector.end,
                )  # fmt: skip
            )
        Highlight.objects.bulk_create(rows, ignore_conflicts=True)
        article.touch_annotations()

    client.force_login(owner)
    highlight(0, 10)
    # cold: html, highlights, replies, their tags, notes, members; own state, tags
    with django_assert_num_queries(13) as ten:
        client.get(url(article))
    highlight(10, 1000)
    assert Highlight.objects.count() == 1000
    with django_assert_num_queries(len(ten.captured_queries)):
        response = client.get(url(article))
    assert response.content.count(b'data-first=""') == 1000


# --- Controls by role, the status region and htmx edge cases ------------------------------


@pytest.fixture
def ferries(team, owner):
    return make_article(team, "Ferries", user=owner)


def span(article, words):
    start = article.text.index(words)
    return start, start + len(words)


def test_any_change_clears_the_status_region(client, owner, ferries):
    highlight = create_highlight(ferries, owner, *span(ferries, "battery boat"), "yellow")[0]
    client.force_login(owner)
    response = client.post(
        reverse("articles:highlight-recolour", args=[highlight.pk]), {"colour": "red"}, headers=HX
    )
    assert '<div hx-swap-oob="innerHTML:#reader-status"></div>' in response.content.decode()


def test_read_only_members_get_no_write_controls(client, reader_only, owner, ferries):
    create_highlight(ferries, owner, *span(ferries, "battery boat"), "yellow")
    client.force_login(reader_only)
    html = client.get(reverse("articles:article-detail", args=[ferries.pk])).content.decode()
    assert 'id="highlight-toolbar"' not in html
    assert "Add a note on the article" not in html
    assert "data-edit-highlight" not in html


def test_a_demoted_author_loses_the_controls_at_once(client, teammate, ferries):
    create_highlight(ferries, teammate, *span(ferries, "battery boat"), "yellow")
    client.force_login(teammate)
    url = reverse("articles:article-detail", args=[ferries.pk])
    assert "Note, colour…" in client.get(url).content.decode()
    Membership.objects.filter(user=teammate).update(role=Membership.Role.READ_ONLY)
    assert "Note, colour…" not in client.get(url).content.decode()


def test_an_htmx_request_after_the_session_ended_redirects_the_whole_page(client, ferries):
    response = client.post(
        reverse("articles:highlight-create", args=[ferries.pk]),
        {"start": 0, "end": 3, "colour": "yellow"},
        headers={**HX, "HX-Current-URL": f"http://testserver/articles/{ferries.pk}/"},
    )
    assert response.status_code == 204
    assert response["HX-Redirect"] == f"/login/?next=%2Farticles%2F{ferries.pk}%2F"


def test_htmx_history_restore_gets_the_whole_page(client, owner, ferries):
    client.force_login(owner)
    headers = {**HX, "HX-History-Restore-Request": "true"}
    assert b"<html" in client.get(reverse("articles:library"), headers=headers).content
    url = reverse("articles:article-detail", args=[ferries.pk])
    assert b"<html" in client.get(url, headers=headers).content
