"""Tags on articles and highlights, and the team's tag page (articles/tags.py)."""

import pytest
from django.urls import reverse

from articles import tags
from articles.highlighting import create_highlight
from articles.models import Tag
from tests.factories import make_article

HX = {"HX-Request": "true"}


@pytest.fixture
def article(team):
    return make_article(team, "Ferries")


def names(target):
    return sorted(tag.name for tag in target.tags.all())


class TestWorkflows:
    def test_names_are_cleaned_and_reused_whatever_their_case(self, team, article):
        Tag.objects.create(team=team, name="Climate")
        tags.add_tags(article, team, ["  climate ", "long   reads", "LONG reads"])
        assert names(article) == ["Climate", "long reads"]
        assert Tag.objects.filter(team=team).count() == 2

    @pytest.mark.parametrize("bad", ["", "   ", "x" * 101])
    def test_bad_names_are_refused_before_anything_changes(self, team, article, bad):
        with pytest.raises(tags.TagError):
            tags.add_tags(article, team, ["fine", bad])
        assert names(article) == []
        assert not Tag.objects.filter(name="fine").exists()

    def test_at_most_so_many_tags_on_one_article(self, team, article, monkeypatch):
        monkeypatch.setattr(tags, "MAX_TAGS", 3)
        tags.add_tags(article, team, ["a", "b"])
        with pytest.raises(tags.TagError, match="At most 3"):
            tags.add_tags(article, team, ["c", "d"])
        tags.add_tags(article, team, ["A", "c"])  # "A" is already there
        assert names(article) == ["a", "b", "c"]

    def test_a_team_has_at_most_so_many_tags(self, team, article, monkeypatch):
        monkeypatch.setattr(tags, "MAX_TEAM_TAGS", 2)
        tags.add_tags(article, team, ["a", "b"])
        with pytest.raises(tags.TagError, match="merge or delete"):
            tags.add_tags(article, team, ["c"])

    def test_rename_to_an_existing_name_merges(self, team, owner, article):
        other = make_article(team, "Rivers")
        boats, ships = (
            Tag.objects.create(team=team, name="boats"),
            Tag.objects.create(team=team, name="Ships"),
        )
        article.tags.add(boats, ships)
        other.tags.add(boats)
        h = create_highlight(article, owner, 0, 5, "red")[0]
        h.tags.add(boats)
        result = tags.rename(boats, "ships")
        assert result == ships
        assert names(article) == ["Ships"] and names(other) == ["Ships"] and names(h) == ["Ships"]
        assert not Tag.objects.filter(pk=boats.pk).exists()

    def test_tags_are_per_team(self, team, other_team, article):
        tags.add_tags(article, team, ["shared name"])
        elsewhere = make_article(other_team, "Elsewhere")
        tags.add_tags(elsewhere, other_team, ["Shared Name"])
        assert Tag.objects.filter(name__iexact="shared name").count() == 2


class TestArticleTagViews:
    def test_add_and_remove_with_and_without_htmx(self, client, owner, team, article):
        client.force_login(owner)
        add = reverse("articles:article-tag-add", args=[article.pk])
        response = client.post(add, {"name": "ferries, harbours"}, headers=HX)
        assert response.status_code == 200
        html = response.content.decode()
        assert html.lstrip().startswith('<div id="article-tags"')
        assert '<a href="/?tag=ferries">ferries</a>' in html
        assert names(article) == ["ferries", "harbours"]
        tag = Tag.objects.get(name="ferries")
        remove = reverse("articles:article-tag-remove", args=[article.pk, tag.pk])
        response = client.post(remove)
        assert response.status_code == 302
        assert names(article) == ["harbours"]
        # A tag the article does not have: nothing happens.
        assert client.post(remove, headers=HX).status_code == 200

    def test_errors_come_back_next_to_the_field(self, client, owner, article):
        client.force_login(owner)
        add = reverse("articles:article-tag-add", args=[article.pk])
        response = client.post(add, {"name": "x" * 200}, headers=HX)
        assert response.status_code == 422
        assert 'aria-invalid="true"' in response.content.decode()
        assert "at most 100 characters" in response.content.decode()
        response = client.post(add, {"name": " , "})
        assert response.status_code == 302
        assert names(article) == []

    def test_the_reader_offers_the_teams_tags(self, client, owner, team, article):
        Tag.objects.create(team=team, name="Suggested")
        client.force_login(owner)
        page = client.get(reverse("articles:article-detail", args=[article.pk])).content.decode()
        assert '<datalist id="team-tag-names"><option value="Suggested">' in page

    def test_read_only_members_see_tags_but_no_editor(self, client, reader_only, article, team):
        tags.add_tags(article, team, ["visible"])
        client.force_login(reader_only)
        page = client.get(reverse("articles:article-detail", args=[article.pk])).content.decode()
        assert '<a href="/?tag=visible">visible</a>' in page
        assert 'id="tag-name"' not in page


class TestHighlightTags:
    def test_the_author_tags_a_highlight_and_the_panel_shows_it(self, client, owner, article):
        h = create_highlight(article, owner, 0, 5, "red")[0]
        client.force_login(owner)
        reader = reverse("articles:article-detail", args=[article.pk])
        client.get(reader)  # cached now
        response = client.post(
            reverse("articles:highlight-tag-add", args=[h.pk]), {"name": "Quote"}, headers=HX
        )
        assert response.status_code == 200
        assert names(h) == ["Quote"]
        assert 'aria-label="Tags of the highlight"' in client.get(reader).content.decode()
        tag = h.tags.get()
        client.post(reverse("articles:highlight-tag-remove", args=[h.pk, tag.pk]), headers=HX)
        assert names(h) == []
        assert 'aria-label="Tags of the highlight"' not in client.get(reader).content.decode()

    def test_a_bad_tag_is_explained(self, client, owner, article):
        h = create_highlight(article, owner, 0, 5, "red")[0]
        client.force_login(owner)
        url = reverse("articles:highlight-tag-add", args=[h.pk])
        response = client.post(url, {"name": ""}, headers=HX)
        assert response.status_code == 422
        assert "A tag needs a name." in response.content.decode()

    def test_the_thread_offers_tag_controls(self, client, owner, article):
        h = create_highlight(article, owner, 0, 5, "red")[0]
        h.tags.add(Tag.objects.create(team=article.team, name="keep"))
        client.force_login(owner)
        page = client.get(reverse("articles:highlight-detail", args=[h.pk])).content.decode()
        remove = 'Remove<span class="visually-hidden"> the tag</span> “keep”'
        assert remove in page and f'id="hl-tag-{h.pk}"' in page


class TestTagPage:
    def test_lists_counts_and_manages(self, client, owner, team, article):
        boats = Tag.objects.create(team=team, name="boats")
        Tag.objects.create(team=team, name="ships")
        article.tags.add(boats)
        client.force_login(owner)
        page = client.get(reverse("articles:tag-list", args=[team.slug]))
        assert page.status_code == 200
        html = page.content.decode()
        assert f'id="tag-{boats.pk}"' in html and "Merge into" in html
        response = client.post(reverse("articles:tag-rename", args=[boats.pk]), {"name": "Boats"})
        assert response.status_code == 302
        boats.refresh_from_db()
        assert boats.name == "Boats"
        response = client.post(reverse("articles:tag-rename", args=[boats.pk]), {"name": ""})
        follow = client.get(response.url).content.decode()
        assert "A tag needs a name." in follow

    def test_merge_and_delete_after_a_confirmation(self, client, owner, team, article):
        boats, ships = (
            Tag.objects.create(team=team, name="boats"),
            Tag.objects.create(team=team, name="ships"),
        )
        article.tags.add(boats)
        client.force_login(owner)
        client.post(reverse("articles:tag-merge", args=[boats.pk]), {"into": ships.pk})
        assert names(article) == ["ships"]
        delete = reverse("articles:tag-delete", args=[ships.pk])
        confirm = client.post(delete)
        assert confirm.status_code == 200 and "It is on 1 article" in confirm.content.decode()
        assert Tag.objects.filter(pk=ships.pk).exists()
        client.post(delete, {"confirm": "yes"})
        assert not Tag.objects.filter(pk=ships.pk).exists()
        assert names(article) == []

    def test_merging_into_another_teams_tag_is_refused(
        self, client, owner, team, other_team, article
    ):
        mine = Tag.objects.create(team=team, name="mine")
        theirs = Tag.objects.create(team=other_team, name="theirs")
        client.force_login(owner)
        response = client.post(reverse("articles:tag-merge", args=[mine.pk]), {"into": theirs.pk})
        assert "Choose another tag" in client.get(response.url).content.decode()
        assert Tag.objects.filter(pk=mine.pk).exists()

    def test_members_see_the_page_without_controls(self, client, teammate, team):
        Tag.objects.create(team=team, name="boats")
        client.force_login(teammate)
        html = client.get(reverse("articles:tag-list", args=[team.slug])).content.decode()
        assert "Merge into" not in html and "owners and admins rename" in html
