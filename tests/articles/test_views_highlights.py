import pytest
from django.urls import reverse

from articles.highlighting import create_highlight, delete_highlight, restore_highlight, text_stamp
from articles.models import Highlight
from tests.factories import make_article

HX = {"HX-Request": "true"}


@pytest.fixture
def article(team, owner):
    return make_article(team, "The ferry vote", user=owner)


def create_url(article):
    return reverse("articles:highlight-create", args=[article.pk])


def span_of(article, words):
    start = article.text.index(words)
    return {"start": start, "end": start + len(words)}


class TestCreate:
    def test_an_htmx_post_creates_it_and_returns_the_marked_body_and_panel(
        self, client, owner, article
    ):
        client.force_login(owner)
        data = {**span_of(article, "eleven thousand people"), "colour": "green"}
        response = client.post(create_url(article), data, headers=HX)
        assert response.status_code == 201
        highlight = Highlight.objects.get()
        assert (highlight.exact, highlight.colour, highlight.author) == (
            "eleven thousand people", "green", owner
        )  # fmt: skip
        assert highlight.prefix.endswith("carry ") and highlight.suffix.startswith(" a day")
        html = response.content.decode()
        assert (
            f'<mark class="hl hl-green" data-highlight-id="{highlight.pk}" '
            f'title="Evidence · olivia" id="hl-{highlight.pk}"' in html
        )
        assert 'hx-swap-oob="innerHTML:#annotation-panel"' in html
        assert "<html" not in html

    def test_a_plain_post_redirects_to_the_highlight(self, client, owner, article):
        client.force_login(owner)
        response = client.post(
            create_url(article), {**span_of(article, "battery boat"), "colour": "blue"}
        )
        highlight = Highlight.objects.get()
        assert response.status_code == 302
        assert response.url.endswith(f"/articles/{article.pk}/#hl-{highlight.pk}")

    def test_the_server_takes_the_quote_from_its_own_text(self, client, owner, article):
        client.force_login(owner)
        data = {**span_of(article, "battery boat"), "colour": "yellow", "exact": "something else"}
        client.post(create_url(article), data, headers=HX)
        assert Highlight.objects.get().exact == "battery boat"

    def test_the_same_range_twice_is_one_highlight(self, client, owner, article):
        client.force_login(owner)
        data = {**span_of(article, "battery boat"), "colour": "yellow"}
        assert client.post(create_url(article), data, headers=HX).status_code == 201
        assert client.post(create_url(article), data, headers=HX).status_code == 200
        assert Highlight.objects.count() == 1

    def test_highlighting_again_what_a_moderator_removed_is_refused(
        self, client, owner, teammate, article
    ):
        words = span_of(article, "battery boat")
        removed = create_highlight(article, teammate, **words, colour="yellow")[0]
        removed.remove_by_moderator(owner)
        client.force_login(teammate)
        response = client.post(create_url(article), {**words, "colour": "red"}, headers=HX)
        assert response.status_code == 422
        assert "moderator removed" in response.content.decode()
        removed.refresh_from_db()
        assert (removed.colour, removed.is_removed) == ("yellow", True)
        assert Highlight.objects.count() == 1

    def test_a_teammate_may_highlight_the_same_words(self, client, owner, teammate, article):
        create_highlight(article, owner, **span_of(article, "battery boat"), colour="yellow")
        client.force_login(teammate)
        data = {**span_of(article, "battery boat"), "colour": "red"}
        assert client.post(create_url(article), data, headers=HX).status_code == 201
        assert Highlight.objects.count() == 2

    @pytest.mark.parametrize(
        ("data", "message"),
        [
            ({"start": 5, "end": 5}, "empty"),
            ({"start": 10, "end": 5}, "empty"),
            ({"start": 0, "end": 10**7}, "past the end"),
            ({"start": -1, "end": 3}, "Start"),
            ({"start": "x", "end": 3}, "Start"),
            ({"start": 0, "end": 3, "colour": "purple"}, "Colour"),
        ],
    )
    def test_bad_selections_get_a_clear_message(self, client, owner, article, data, message):
        client.force_login(owner)
        response = client.post(create_url(article), {"colour": "yellow", **data}, headers=HX)
        assert response.status_code == 422
        assert response["HX-Retarget"] == "#reader-status"
        assert message.lower() in response.content.decode().lower()
        assert not Highlight.objects.exists()

    def test_a_bad_selection_without_htmx_comes_back_as_a_message(self, client, owner, article):
        client.force_login(owner)
        response = client.post(
            create_url(article), {"start": 3, "end": 3, "colour": "yellow"}, follow=True
        )
        assert response.status_code == 200
        assert b"status-error" not in response.content
        assert list(response.context["messages"])

    def test_whitespace_only_is_refused(self, client, owner, article):
        client.force_login(owner)
        newline = article.text.index("\n")
        response = client.post(
            create_url(article),
            {"start": newline, "end": newline + 1, "colour": "yellow"},
            headers=HX,
        )
        assert response.status_code == 422

    def test_read_only_members_get_403(self, client, reader_only, article):
        client.force_login(reader_only)
        data = {**span_of(article, "battery boat"), "colour": "yellow"}
        assert client.post(create_url(article), data, headers=HX).status_code == 403

    def test_outsiders_get_404(self, client, outsider, article):
        client.force_login(outsider)
        data = {**span_of(article, "battery boat"), "colour": "yellow"}
        assert client.post(create_url(article), data, headers=HX).status_code == 404
        assert not Highlight.objects.exists()

    def test_anonymous_users_are_sent_to_log_in(self, client, article):
        response = client.post(create_url(article), {"start": 0, "end": 3, "colour": "yellow"})
        assert response.status_code == 302 and "/login/" in response.url

    def test_get_is_not_allowed(self, client, owner, article):
        client.force_login(owner)
        assert client.get(create_url(article)).status_code == 405


@pytest.fixture
def highlight(article, owner):
    return create_highlight(article, owner, **span_of(article, "battery boat"), colour="yellow")[0]


class TestRecolourAndDelete:
    def test_the_author_recolours_it(self, client, owner, highlight):
        client.force_login(owner)
        url = reverse("articles:highlight-recolour", args=[highlight.pk])
        response = client.post(url, {"colour": "red"}, headers=HX)
        assert response.status_code == 200
        highlight.refresh_from_db()
        assert highlight.colour == "red"
        assert 'class="hl hl-red"' in response.content.decode()

    def test_a_plain_post_redirects(self, client, owner, highlight):
        client.force_login(owner)
        url = reverse("articles:highlight-recolour", args=[highlight.pk])
        assert client.post(url, {"colour": "blue"}).status_code == 302

    def test_an_unknown_colour_is_refused(self, client, owner, highlight):
        client.force_login(owner)
        url = reverse("articles:highlight-recolour", args=[highlight.pk])
        assert client.post(url, {"colour": "pink"}, headers=HX).status_code == 422

    def test_the_author_deletes_it(self, client, owner, highlight):
        client.force_login(owner)
        response = client.post(
            reverse("articles:highlight-delete", args=[highlight.pk]), headers=HX
        )
        assert response.status_code == 200
        assert not Highlight.objects.exists()
        assert "<mark" not in response.content.decode()

    @pytest.mark.parametrize("name", ["highlight-recolour", "highlight-delete"])
    def test_a_teammate_may_not_change_it(self, client, teammate, highlight, name):
        client.force_login(teammate)
        response = client.post(reverse(f"articles:{name}", args=[highlight.pk]), {"colour": "red"})
        assert response.status_code == 403
        highlight.refresh_from_db()
        assert highlight.colour == "yellow"

    @pytest.mark.parametrize("name", ["highlight-recolour", "highlight-delete"])
    def test_outsiders_get_the_same_404_as_for_nothing(self, client, outsider, highlight, name):
        client.force_login(outsider)
        response = client.post(reverse(f"articles:{name}", args=[highlight.pk]), {"colour": "red"})
        missing = client.post(
            reverse(f"articles:{name}", args=[highlight.pk + 999]), {"colour": "red"}
        )
        assert response.status_code == missing.status_code == 404
        assert response.content == missing.content
        assert Highlight.objects.filter(pk=highlight.pk, colour="yellow").exists()

    @pytest.mark.parametrize("name", ["highlight-recolour", "highlight-delete"])
    def test_get_is_not_allowed(self, client, owner, highlight, name):
        client.force_login(owner)
        assert client.get(reverse(f"articles:{name}", args=[highlight.pk])).status_code == 405

    @pytest.mark.parametrize("name", ["highlight-recolour", "highlight-delete"])
    def test_anonymous_users_are_sent_to_log_in(self, client, highlight, name):
        assert client.post(reverse(f"articles:{name}", args=[highlight.pk])).status_code == 302


class TestReader:
    def test_highlights_show_as_marks_and_in_the_panel(self, client, teammate, highlight, article):
        client.force_login(teammate)
        html = client.get(reverse("articles:article-detail", args=[article.pk])).content.decode()
        assert f'id="hl-{highlight.pk}"' in html
        assert f'href="#hl-{highlight.pk}"' in html
        assert "Key point" in html
        # Only the author gets the controls.
        assert reverse("articles:highlight-delete", args=[highlight.pk]) not in html

    def test_orphans_are_listed_not_marked(self, client, owner, highlight, article):
        Highlight.objects.filter(pk=highlight.pk).update(is_orphan=True)
        client.force_login(owner)
        html = client.get(reverse("articles:article-detail", args=[article.pk])).content.decode()
        assert "Orphaned highlights" in html
        assert "<mark" not in html
        assert "battery boat" in html

    def test_query_count_does_not_grow_with_highlights(
        self, client, owner, team, article, django_assert_num_queries
    ):
        client.force_login(owner)
        url = reverse("articles:article-detail", args=[article.pk])
        create_highlight(article, owner, **span_of(article, "battery boat"), colour="yellow")
        with django_assert_num_queries(13) as captured:
            client.get(url)
        text = article.text
        for offset in range(0, len(text) - 5, 7):
            if text[offset : offset + 5].strip():
                create_highlight(article, owner, offset, offset + 5, "blue")
        assert Highlight.objects.count() > 50
        with django_assert_num_queries(len(captured.captured_queries)):
            client.get(url)


class TestDetail:
    def url(self, highlight):
        return reverse("articles:highlight-detail", args=[highlight.pk])

    def test_the_author_gets_the_editor_fragment_over_htmx(self, client, owner, highlight):
        client.force_login(owner)
        response = client.get(self.url(highlight), headers=HX)
        html = response.content.decode()
        assert response.status_code == 200 and "<html" not in html
        assert f'id="hl-note-{highlight.pk}"' in html and "Mark as </span>Disagree" in html
        assert "csrfmiddlewaretoken" in html

    def test_without_javascript_it_is_a_page_with_the_same_controls(self, client, owner, highlight):
        client.force_login(owner)
        html = client.get(self.url(highlight)).content.decode()
        assert "<html" in html and "Save note" in html and "battery boat" in html

    def test_a_teammate_sees_the_thread_with_a_reply_form_only(self, client, teammate, highlight):
        client.force_login(teammate)
        html = client.get(self.url(highlight)).content.decode()
        assert "battery boat" in html and "Save note" not in html
        fragment = client.get(self.url(highlight), headers=HX).content.decode()
        assert "Save note" not in fragment and f'id="reply-new-{highlight.pk}"' in fragment

    def test_read_only_members_get_no_controls(self, client, reader_only, highlight):
        client.force_login(reader_only)
        html = client.get(self.url(highlight)).content.decode()
        assert "Save note" not in html and "reply-new-" not in html

    def test_outsiders_get_404_and_anonymous_users_log_in(self, client, outsider, highlight):
        assert client.get(self.url(highlight)).status_code == 302
        client.force_login(outsider)
        assert client.get(self.url(highlight)).status_code == 404
        assert client.get(self.url(highlight), headers=HX).status_code == 404

    def test_post_is_not_allowed(self, client, owner, highlight):
        client.force_login(owner)
        assert client.post(self.url(highlight)).status_code == 405


# --- Stale pages and repeated requests ------------------------------------------------------------


@pytest.fixture
def ferries(team, owner):
    return make_article(team, "Ferries", user=owner)


def span(article, words):
    start = article.text.index(words)
    return start, start + len(words)


def test_a_selection_from_a_page_older_than_the_text_is_refused(client, owner, ferries):
    client.force_login(owner)
    start, end = span(ferries, "battery boat")
    data = {"start": start, "end": end, "colour": "yellow", "stamp": "2000-01-01T00:00:00+00:00"}
    response = client.post(
        reverse("articles:highlight-create", args=[ferries.pk]), data, headers=HX
    )
    assert response.status_code == 422
    assert b"has changed since this page was loaded" in response.content
    data["stamp"] = text_stamp(ferries)
    response = client.post(
        reverse("articles:highlight-create", args=[ferries.pk]), data, headers=HX
    )
    assert response.status_code == 201


def test_the_reader_page_carries_the_text_stamp(client, owner, ferries):
    client.force_login(owner)
    html = client.get(reverse("articles:article-detail", args=[ferries.pk])).content.decode()
    assert f'name="stamp" value="{text_stamp(ferries)}"' in html


def test_undo_twice_restores_once(team, owner, ferries):
    highlight = create_highlight(ferries, owner, *span(ferries, "battery boat"), "yellow")[0]
    token = delete_highlight(highlight, owner)
    first = restore_highlight(ferries, owner, token)
    second = restore_highlight(ferries, owner, token)
    assert first.pk == second.pk and Highlight.objects.count() == 1


def test_asking_again_for_the_same_range_in_another_colour_recolours_it(owner, ferries):
    first, _ = create_highlight(ferries, owner, *span(ferries, "battery boat"), "yellow")
    again, created = create_highlight(ferries, owner, *span(ferries, "battery boat"), "red")
    assert not created and again.pk == first.pk
    first.refresh_from_db()
    assert first.colour == "red"
