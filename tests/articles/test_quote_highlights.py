"""Highlighting a passage by its text: highlight_quote, the "Highlight it" endpoint,
and the selection a capture carries (offered by its card, or highlighted by the task).

The bookmarklet's flow end to end is in tests/browser/test_bookmarklet.py.
"""

import pytest
from django.urls import reverse

from articles.adding import capture_url
from articles.highlighting import delete_highlight, highlight_quote
from articles.models import Article, Capture, Highlight
from articles.originals import create_article
from articles.trash import trash_article
from newsreader.lib.anchoring import MAX_HIGHLIGHT_CHARS, AnchoringError
from teams.models import Membership
from tests.factories import make_article
from tests.sites import serve

HX = {"HX-Request": "true"}
SAVE = reverse("articles:save")
STORY = (
    "# Votes\n\n"
    'The mayor said "the ferries stay" -- and the council agreed at once.\n\n'
    "In March the council said the vote passed.\n\n"
    "In April the mayor said the vote passed.\n"
)
IN_PAGE = "The council voted on Tuesday to replace every ferry with a battery boat."
PAGE = (
    "<!doctype html><html><head><title>Harbour news</title></head><body><article>"
    "<h1>Harbour news</h1>"
    "<p>The ferries carry eleven thousand people a day across the harbour water.</p>"
    f"<p>{IN_PAGE}</p>"
    "<p>Work on the first of the new boats starts in the spring, at the old yard.</p>"
    "<p>The harbour master expects the crossings to be quieter and a little faster.</p>"
    "</article></body></html>"
).encode()


@pytest.fixture
def story(team, owner):
    return create_article(team, STORY, user=owner, filename="votes.md")


def quote_url(article):
    return reverse("articles:highlight-quote", args=[article.pk])


# highlight_quote --------------------------------------------------------------------


class TestHighlightQuote:
    def test_a_passage_found_as_is_is_highlighted_from_the_articles_own_text(self, story, owner):
        highlight, created = highlight_quote(story, owner, "the council agreed", "green")
        assert created
        start = story.text.index("the council agreed")
        assert (highlight.start, highlight.end) == (start, start + len("the council agreed"))
        assert (highlight.exact, highlight.colour, highlight.author) == (
            "the council agreed", "green", owner
        )  # fmt: skip
        assert highlight.prefix.endswith("-- and ") and highlight.suffix.startswith(
            " at once.\nIn March"
        )
        assert highlight.visibility == Highlight.Visibility.TEAM

    def test_whitespace_curly_quotes_and_dashes_do_not_matter(self, story, owner):
        # As a browser's selection gives it: typographic quotes, a dash, a line break.
        selected = "The mayor said \u201cthe ferries stay\u201d\n   \u2014 and the council"
        highlight, created = highlight_quote(story, owner, f"  {selected} ", "yellow")
        assert created
        # The stored quote is the article's text, not the selection's.
        assert highlight.exact == 'The mayor said "the ferries stay" -- and the council'

    def test_the_prefix_tells_a_repeated_passage_apart(self, story, owner, teammate):
        march = story.text.index("the vote passed")
        april = story.text.rindex("the vote passed")
        assert march != april
        first, _ = highlight_quote(
            story, owner, "the vote passed", "yellow", prefix="March the council said "
        )
        second, _ = highlight_quote(
            story, teammate, "the vote passed", "yellow", prefix="April the mayor said "
        )
        assert first.start == march
        assert second.start == april
        by_suffix, _ = highlight_quote(story, owner, "the vote passed", "red", suffix=".\nIn April")
        assert by_suffix == first  # the same range by the same author: recoloured
        assert Highlight.objects.get(pk=first.pk).colour == "red"

    @pytest.mark.parametrize(
        ("exact", "message"),
        [
            ("The ferries were sold to another city last winter.", "not in the article"),
            ("", "empty"),
            (" \n\t ", "empty"),
            ("word " * (MAX_HIGHLIGHT_CHARS // 5 + 1), "the limit is 10,000"),
        ],
        ids=["absent", "empty", "whitespace", "too-long"],
    )
    def test_it_refuses_what_cannot_be_highlighted(self, story, owner, exact, message):
        with pytest.raises(AnchoringError, match=message):
            highlight_quote(story, owner, exact, "yellow")
        assert not Highlight.all_objects.exists()

    def test_the_same_quote_twice_is_the_same_highlight_recoloured(self, story, owner):
        first, created = highlight_quote(story, owner, "the council agreed", "yellow")
        again, created_again = highlight_quote(story, owner, "the  council\nagreed", "blue")
        assert created and not created_again
        assert again.pk == first.pk
        assert Highlight.objects.get().colour == "blue"

    def test_it_counts_as_a_change_of_the_articles_annotations(self, story, owner):
        version = story.annotations_version
        highlight_quote(story, owner, "the council agreed", "yellow")
        story.refresh_from_db()
        assert story.annotations_version == version + 1


# The endpoint ------------------------------------------------------------------------


class TestEndpoint:
    def test_a_plain_post_highlights_and_redirects_to_the_reader_at_the_mark(
        self, client, owner, story
    ):
        client.force_login(owner)
        response = client.post(quote_url(story), {"exact": "the council agreed"})
        highlight = Highlight.objects.get()
        assert response.status_code == 302
        assert response.url == f"/articles/{story.pk}/#hl-{highlight.pk}"
        assert (highlight.author, highlight.colour) == (owner, Highlight.Colour.YELLOW)
        reader = client.get(response.url).content.decode()
        assert f'id="hl-{highlight.pk}"' in reader

    def test_htmx_gets_the_offer_replaced_by_a_link_to_the_highlight(self, client, owner, story):
        client.force_login(owner)
        data = {"exact": "the council agreed", "colour": "green"}
        response = client.post(quote_url(story), data, headers=HX)
        assert response.status_code == 201
        highlight = Highlight.objects.get()
        assert highlight.colour == "green"
        html = response.content.decode()
        assert html.lstrip().startswith('<div class="highlight-offer" id="highlight-offer"')
        assert "Highlighted — " in html
        assert f'href="/articles/{story.pk}/#hl-{highlight.pk}">open it in the reader</a>' in html
        assert "Highlight it</button>" not in html
        assert "<html" not in html
        # Again: the same highlight, nothing new.
        assert client.post(quote_url(story), data, headers=HX).status_code == 200
        assert Highlight.objects.count() == 1

    @pytest.mark.parametrize("role", ["team_admin", "teammate"])
    def test_admins_and_members_highlight_for_themselves(self, request, client, story, role):
        user = request.getfixturevalue(role)
        client.force_login(user)
        response = client.post(quote_url(story), {"exact": "the council agreed"}, headers=HX)
        assert response.status_code == 201
        assert Highlight.objects.get().author == user

    def test_read_only_members_are_refused(self, client, reader_only, story):
        client.force_login(reader_only)
        for headers in (HX, {}):
            response = client.post(
                quote_url(story), {"exact": "the council agreed"}, headers=headers
            )
            assert response.status_code == 403
        assert not Highlight.objects.exists()

    def test_another_teams_article_is_not_found_like_a_missing_one(self, client, outsider, story):
        client.force_login(outsider)
        data = {"exact": "the council agreed"}
        theirs = client.post(quote_url(story), data)
        missing = client.post(reverse("articles:highlight-quote", args=[story.pk + 1000]), data)
        assert theirs.status_code == missing.status_code == 404
        assert theirs.content == missing.content
        assert not Highlight.objects.exists()

    def test_an_article_in_the_trash_is_not_found(self, client, owner, story):
        trash_article(story, owner)
        client.force_login(owner)
        assert client.post(quote_url(story), {"exact": "the council agreed"}).status_code == 404

    def test_anonymous_users_are_sent_to_log_in(self, client, story):
        response = client.post(quote_url(story), {"exact": "the council agreed"})
        assert response.status_code == 302 and response.url.startswith("/login/")
        assert not Highlight.objects.exists()

    def test_only_post_is_answered(self, client, owner, story):
        client.force_login(owner)
        assert client.get(quote_url(story)).status_code == 405
        assert client.get(quote_url(story), headers=HX).status_code == 405

    def test_a_passage_not_in_the_article_is_explained_next_to_the_button(
        self, client, owner, story
    ):
        client.force_login(owner)
        data = {"exact": "The ferries were sold last winter."}
        response = client.post(quote_url(story), data, headers=HX)
        assert response.status_code == 422
        html = response.content.decode()
        assert "not in the article as it was saved" in html
        assert "Highlight it</button>" in html  # the offer stays, with why
        assert "<html" not in html
        # Without htmx: a page of its own, with the same offer and message.
        page = client.post(quote_url(story), data)
        assert page.status_code == 422
        body = page.content.decode()
        assert "<html" in body and "not in the article as it was saved" in body
        assert "Highlight it</button>" in body and story.title in body
        assert not Highlight.objects.exists()

    @pytest.mark.parametrize(
        ("data", "message"),
        [
            ({}, "Say which text to highlight."),
            ({"exact": ""}, "Say which text to highlight."),
            ({"exact": "the council agreed", "colour": "mauve"}, "Colour: Select a valid choice."),
            ({"exact": "the council agreed", "visibility": "world"}, "Visibility: Select a valid"),
            ({"exact": "the council agreed", "capture": "x"}, "must be given by its number"),
            ({"exact": "the council agreed", "capture": "²"}, "must be given by its number"),
            ({"exact": "the council agreed", "capture": "9" * 40}, "must be given by its number"),
        ],
        ids=["no-exact", "empty-exact", "colour", "visibility", "capture", "digit", "huge"],
    )
    def test_bad_input_is_a_clear_400(self, client, owner, story, data, message):
        client.force_login(owner)
        for headers in (HX, {}):
            response = client.post(quote_url(story), data, headers=headers)
            assert response.status_code == 400
            assert message in response.content.decode()
        assert not Highlight.objects.exists()

    def test_the_users_capture_records_the_highlight(self, client, owner, story, team):
        capture = ready_capture(team, owner, story, "the council agreed")
        client.force_login(owner)
        data = {"exact": "the council agreed", "capture": capture.pk}
        response = client.post(quote_url(story), data, headers=HX)
        assert response.status_code == 201
        assert f'id="highlight-offer-{capture.pk}"' in response.content.decode()
        capture.refresh_from_db()
        assert capture.highlight == Highlight.objects.get()

    def test_someone_elses_capture_is_left_alone(self, client, owner, teammate, story, team):
        capture = ready_capture(team, teammate, story, "the council agreed")
        client.force_login(owner)
        data = {"exact": "the council agreed", "capture": capture.pk}
        assert client.post(quote_url(story), data).status_code == 302
        capture.refresh_from_db()
        assert capture.highlight is None
        # A capture of another article is left alone too.
        other = ready_capture(team, owner, make_article(team, "Other"), "the council agreed")
        client.post(quote_url(story), {"exact": "the council agreed", "capture": other.pk})
        other.refresh_from_db()
        assert other.highlight is None


def ready_capture(team, user, article, selection, *, duplicate=False):
    capture = Capture.objects.create(
        team=team, added_by=user, url="https://x.org/a", normalized_url="x", selection=selection
    )
    capture.set_status(Capture.Status.READY, article=article, duplicate=duplicate)
    return capture


# The capture's card offers it -----------------------------------------------------------


class TestCaptureCard:
    def detail(self, client, capture, **kwargs):
        url = reverse("articles:capture-detail", args=[capture.pk])
        return client.get(url, **kwargs).content.decode()

    def test_its_author_is_offered_highlight_it_on_the_card_and_its_page(
        self, client, owner, story, team
    ):
        capture = ready_capture(team, owner, story, "the council agreed")
        client.force_login(owner)
        for html in (self.detail(client, capture), self.detail(client, capture, headers=HX)):
            assert "You selected" in html and "the council agreed" in html
            assert f'action="{quote_url(story)}"' in html
            assert f'<input type="hidden" name="capture" value="{capture.pk}">' in html
            assert "Highlight it</button>" in html

    def test_others_and_read_only_authors_are_not_offered_it(
        self, client, owner, teammate, reader_only, story, team
    ):
        capture = ready_capture(team, owner, story, "the council agreed")
        client.force_login(teammate)
        assert "Highlight it" not in self.detail(client, capture)
        assert "the council agreed" not in self.detail(client, capture)
        Membership.objects.filter(user=owner).update(role=Membership.Role.READ_ONLY)
        client.force_login(owner)
        assert "Highlight it" not in self.detail(client, capture)

    def test_once_highlighted_it_links_to_the_highlight(self, client, owner, story, team):
        capture = ready_capture(team, owner, story, "the council agreed")
        highlight, _ = highlight_quote(story, owner, "the council agreed", "yellow")
        capture.record_highlight(highlight)
        client.force_login(owner)
        html = self.detail(client, capture)
        assert f'href="/articles/{story.pk}/#hl-{highlight.pk}">open it in the reader</a>' in html
        assert "Highlight it</button>" not in html
        # Still shown to the author once they may no longer write.
        Membership.objects.filter(user=owner).update(role=Membership.Role.READ_ONLY)
        assert "open it in the reader" in self.detail(client, capture)
        # Offered again once the highlight is deleted.
        Membership.objects.filter(user=owner).update(role=Membership.Role.OWNER)
        delete_highlight(highlight, owner)
        assert "Highlight it</button>" in self.detail(client, capture)

    def test_a_pending_card_offers_nothing_yet_and_a_trashed_article_nothing(
        self, client, owner, story, team
    ):
        capture = Capture.objects.create(
            team=team, added_by=owner, url="https://x.org/a", normalized_url="x", selection="the"
        )
        client.force_login(owner)
        assert "Highlight it" not in self.detail(client, capture)
        capture.set_status(Capture.Status.READY, article=story, duplicate=True)
        trash_article(story, owner)
        assert "Highlight it" not in self.detail(client, capture)

    def test_a_card_away_from_the_library_polls_for_itself_alone(self, client, owner, team):
        capture = Capture.objects.create(team=team, added_by=owner, url="https://x.org/a")
        url = reverse("articles:capture-detail", args=[capture.pk])
        client.force_login(owner)
        page = self.detail(client, capture)
        assert f'hx-get="{url}?alone=1" hx-trigger="every 2s"' in page
        capture.set_status(Capture.Status.READY, article=make_article(team, "Fetched"))
        html = client.get(url, {"alone": "1"}, headers=HX).content.decode()
        assert html.lstrip().startswith(f'<li id="capture-{capture.pk}"')
        assert 'id="article-list"' not in html  # no list to refresh there
        # In the library, the list comes along (tests/articles/test_adding.py).
        assert 'id="article-list"' in client.get(url, headers=HX).content.decode()


# The selection a capture carries, and the task ------------------------------------------


@pytest.fixture
def server(settings):
    settings.FETCH_ALLOWED_TEST_HOSTS = ["127.0.0.1"]
    with serve(default=PAGE) as local:
        yield local.url


class TestCaptureSelection:
    def test_the_selection_is_kept_capped_and_only_offered_by_default(self, team, owner):
        capture = capture_url(team, owner, "https://x.org/a", selection="  Some words. ")
        assert (capture.selection, capture.highlight_when_ready) == ("Some words.", False)
        long = capture_url(
            team, owner, "https://x.org/b", selection="w" * (MAX_HIGHLIGHT_CHARS + 5)
        )
        assert len(long.selection) == MAX_HIGHLIGHT_CHARS
        # Nothing selected: nothing to highlight, whatever was asked.
        plain = capture_url(team, owner, "https://x.org/c", highlight_selection=True)
        assert (plain.selection, plain.highlight_when_ready) == ("", False)

    def test_asking_again_for_a_waiting_url_updates_its_selection(self, team, owner):
        first = capture_url(team, owner, "https://x.org/a", selection="Old words.")
        again = capture_url(
            team, owner, "https://x.org/a#more", selection="New words.", highlight_selection=True
        )
        assert again == first
        first.refresh_from_db()
        assert (first.selection, first.highlight_when_ready) == ("New words.", True)
        # Without a selection, the one it has stays.
        capture_url(team, owner, "https://x.org/a")
        first.refresh_from_db()
        assert first.selection == "New words."

    def test_a_teammates_waiting_capture_does_not_take_ones_selection(self, team, owner, teammate):
        theirs = capture_url(team, teammate, "https://x.org/a", selection="Their words.")
        mine = capture_url(team, owner, "https://x.org/a", selection="My words.")
        assert mine != theirs and mine.added_by == owner
        theirs.refresh_from_db()
        assert theirs.selection == "Their words."
        # Without a selection, the waiting capture is shared as before.
        assert capture_url(team, owner, "https://x.org/a") in (theirs, mine)

    def test_the_task_highlights_the_selection_when_asked(
        self, team, owner, server, django_capture_on_commit_callbacks
    ):
        with django_capture_on_commit_callbacks(execute=True):
            capture = capture_url(
                team, owner, f"{server}/page", selection=IN_PAGE, highlight_selection=True
            )
        capture.refresh_from_db()
        assert capture.status == Capture.Status.READY
        highlight = capture.highlight
        assert highlight is not None and capture.highlight_error == ""
        assert (highlight.article, highlight.author) == (capture.article, owner)
        assert (highlight.exact, highlight.colour) == (IN_PAGE, Highlight.Colour.YELLOW)

    def test_a_selection_not_in_the_page_keeps_the_article_and_says_why(
        self, client, team, owner, server, django_capture_on_commit_callbacks
    ):
        with django_capture_on_commit_callbacks(execute=True):
            capture = capture_url(
                team,
                owner,
                f"{server}/page",
                selection="A cookie banner the reader view leaves out.",
                highlight_selection=True,
            )
        capture.refresh_from_db()
        assert capture.status == Capture.Status.READY and capture.highlight is None
        assert "not in the article as it was saved" in capture.highlight_error
        assert Article.objects.get() == capture.article  # the article is kept
        assert not Highlight.objects.exists()
        client.force_login(owner)
        html = client.get(reverse("articles:capture-detail", args=[capture.pk])).content.decode()
        assert "Saved, but the selection could not be highlighted: The selected text" in html
        assert "Highlight it</button>" not in html

    def test_a_duplicate_is_highlighted_in_the_article_the_team_has(
        self, team, owner, teammate, server, django_capture_on_commit_callbacks
    ):
        with django_capture_on_commit_callbacks(execute=True):
            first = capture_url(team, teammate, f"{server}/page")
            second = capture_url(
                team, owner, f"{server}/same", selection=IN_PAGE, highlight_selection=True
            )
        first.refresh_from_db()
        second.refresh_from_db()
        assert second.duplicate and second.article == first.article
        assert second.highlight.article == first.article and second.highlight.author == owner

    def test_a_duplicate_in_the_trash_is_not_highlighted(
        self, team, owner, server, django_capture_on_commit_callbacks
    ):
        with django_capture_on_commit_callbacks(execute=True):
            first = capture_url(team, owner, f"{server}/page")
        first.refresh_from_db()
        trash_article(first.article, owner)
        with django_capture_on_commit_callbacks(execute=True):
            second = capture_url(
                team, owner, f"{server}/same", selection=IN_PAGE, highlight_selection=True
            )
        second.refresh_from_db()
        assert second.duplicate and second.article.in_trash
        assert second.highlight is None and not Highlight.all_objects.exists()

    def test_without_being_asked_the_task_only_keeps_the_selection(
        self, team, owner, server, django_capture_on_commit_callbacks
    ):
        with django_capture_on_commit_callbacks(execute=True):
            capture = capture_url(team, owner, f"{server}/page", selection=IN_PAGE)
        capture.refresh_from_db()
        assert capture.status == Capture.Status.READY and capture.selection == IN_PAGE
        assert capture.highlight is None and not Highlight.objects.exists()

    def test_an_author_who_may_no_longer_write_gets_no_highlight(
        self, team, owner, server, django_capture_on_commit_callbacks
    ):
        with django_capture_on_commit_callbacks() as callbacks:
            capture = capture_url(
                team, owner, f"{server}/page", selection=IN_PAGE, highlight_selection=True
            )
        Membership.objects.filter(user=owner).update(role=Membership.Role.READ_ONLY)
        for callback in callbacks:
            callback()
        capture.refresh_from_db()
        assert capture.status == Capture.Status.READY and capture.article is not None
        assert capture.highlight is None and "no longer" in capture.highlight_error


# /save/ offers it ------------------------------------------------------------------------


class TestSavePage:
    @pytest.fixture
    def owner_client(self, client, owner):
        client.force_login(owner)
        return client

    def test_pasted_text_is_saved_then_offered_at_once(self, owner_client):
        text = "The ferries carry eleven thousand people a day across the harbour."
        data = {"text": text, "title": "Ferries", "selection": "eleven thousand people"}
        html = owner_client.post(SAVE, data).content.decode()
        article = Article.objects.get()
        assert f'action="{quote_url(article)}"' in html
        assert '<input type="hidden" name="exact" value="eleven thousand people">' in html
        assert 'name="capture"' not in html
        assert "Highlight it</button>" in html

    def test_an_article_the_team_has_is_offered_unless_it_is_in_the_trash(
        self, owner_client, team, owner
    ):
        article = make_article(team, "Saved", url="https://example.org/shared")
        data = {"url": "https://example.org/shared", "selection": "battery boat"}
        html = owner_client.post(SAVE, data).content.decode()
        assert "Already saved" in html and f'action="{quote_url(article)}"' in html
        trash_article(article, owner)
        html = owner_client.post(SAVE, data).content.decode()
        assert "Already saved (in the trash)" in html
        assert "Highlight it" not in html and "Restore it from the trash" in html

    def test_nothing_selected_nothing_offered(self, owner_client, team):
        make_article(team, "Saved", url="https://example.org/shared")
        html = owner_client.post(SAVE, {"url": "https://example.org/shared"}).content.decode()
        assert "Highlight it" not in html and "You selected" not in html

    def test_a_url_being_fetched_shows_its_card_which_follows_it(
        self, owner_client, django_capture_on_commit_callbacks
    ):
        data = {"url": "https://example.org/new", "selection": "battery boat"}
        with django_capture_on_commit_callbacks():
            html = owner_client.post(SAVE, data).content.decode()
        capture = Capture.objects.get()
        url = reverse("articles:capture-detail", args=[capture.pk])
        assert f'<li id="capture-{capture.pk}"' in html
        assert f'hx-get="{url}?alone=1" hx-trigger="every 2s"' in html
        assert f'href="{url}"' in html  # without JavaScript, its page
        assert "Highlight it" not in html  # not yet
