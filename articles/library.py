"""The library: a team's articles as a member asks for them (filtered, sorted,
searched), a page at a time.

Pages are cut by keyset, never by OFFSET: the cursor holds the sort key and
id of the last card shown, so a deep page costs what the first one does, and
nothing counts the whole table. The cards' counts and states are computed
for the page's rows alone, in a fixed number of queries (see `cards`).
Search results (search/engine.py) are ranked, so they page by position.
"""

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from django.core import signing
from django.db.models import Count, Exists, F, OuterRef, Q, Subquery
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html_join

from articles import reading
from articles.models import (
    Article,
    ArticleNote,
    ArticleRead,
    ArticleState,
    Highlight,
    Reply,
    Tag,
)
from search import engine
from teams.models import Membership

CURSOR_SALT = "articles.library.cursor"
_PK = 918273645


class CardUrls:
    """The URLs a card links to, each reversed once for the whole page."""

    def __init__(self):
        self.reader = reverse("articles:article-detail", args=[_PK])
        self.state = reverse("articles:article-state", args=[_PK])

    def apply(self, article):
        pk = str(article.pk)
        article.reader_url = self.reader.replace(str(_PK), pk)
        article.state_url = self.state.replace(str(_PK), pk)


def options(names):
    """<option>s for a <datalist> of these names, without a template loop per name."""
    return format_html_join("", '<option value="{}">', ((name,) for name in names))


@dataclass(frozen=True)
class Key:
    """What a sort orders by: a column (or annotation), its direction, and whether
    it may be empty (empty ones come last, in either direction)."""

    field: str
    descending: bool
    nullable: bool = False


SORTS = {
    "": Key("saved_at", descending=True),
    "oldest": Key("saved_at", descending=False),
    "published": Key("published", descending=True, nullable=True),
    "title": Key("title", descending=False),
    "annotated": Key("annotation_total", descending=True),
    # Only what the member opened, most recent first (their ArticleState).
    "opened": Key("own_opened_at", descending=True),
}


@dataclass
class Page:
    cards: list
    next: str | None = None
    previous: str | None = None
    # Search: the matched passages of each card, by article id (search.engine.Match).
    matches: dict = field(default_factory=dict)
    # Ranked (search) pages go back with `after` too: their cursors are positions.
    ranked: bool = False


@dataclass
class Filters:
    """What the library shows: the form's fields and the search's operators together."""

    tags: list = field(default_factory=list)
    sites: list = field(default_factory=list)
    states: list = field(default_factory=list)
    by: list = field(default_factory=list)
    colours: list = field(default_factory=list)
    saved_from: date | None = None
    saved_to: date | None = None
    published_from: date | None = None
    published_to: date | None = None
    notes: list = field(default_factory=list)  # what could not be applied, for people

    @property
    def any(self):
        return any(
            (
                self.tags,
                self.sites,
                self.states,
                self.by,
                self.colours,
                self.saved_from,
                self.saved_to,
                self.published_from,
                self.published_to,
            )
        )


def filters_from(values, tag_names, query=None):
    """Filters from LibraryForm.values() and the tag names asked for (and a parsed
    search query's operators: tag:, site:, by:, colour:, is:)."""
    fields = query.fields if query is not None else {}
    return Filters(
        tags=list(dict.fromkeys([*tag_names, *fields.get("tag", [])])),
        sites=[value for value in [values["site"], *fields.get("site", [])] if value],
        by=[value for value in [values["by"], *fields.get("by", [])] if value],
        colours=[value for value in [values["colour"], *fields.get("colour", [])] if value],
        states=[value for value in [values["state"], *fields.get("is", [])] if value],
        saved_from=values["saved_from"],
        saved_to=values["saved_to"],
        published_from=values["published_from"],
        published_to=values["published_to"],
    )


def _day_start(day):
    return timezone.make_aware(datetime.combine(day, time.min))


def filtered(team, user, filters):
    """The team's articles that pass `filters`, for `user` (whose states and
    whose view of private highlights count)."""
    articles = Article.objects.filter(team=team)
    if filters.tags:
        known = {t.name.casefold(): t.pk for t in Tag.objects.filter(team=team)}
        for name in filters.tags:
            pk = known.get(name.casefold())
            if pk is None:
                filters.notes.append(f"No tag is called “{name}”.")
                return articles.none()
            articles = articles.filter(
                Exists(Article.tags.through.objects.filter(article=OuterRef("pk"), tag_id=pk))
            )
    if filters.sites:
        site = Q()
        for name in filters.sites:
            site |= Q(site_name__iexact=name)
        articles = articles.filter(site)
    articles = _by_highlights(articles, team, user, filters)
    articles = _by_states(articles, user, filters.states)
    if filters.saved_from:
        articles = articles.filter(saved_at__gte=_day_start(filters.saved_from))
    if filters.saved_to:
        articles = articles.filter(saved_at__lt=_day_start(filters.saved_to + timedelta(days=1)))
    if filters.published_from:
        articles = articles.filter(published__gte=filters.published_from)
    if filters.published_to:
        articles = articles.filter(published__lte=filters.published_to)
    return articles


def _by_highlights(articles, team, user, filters):
    """Articles with a highlight (that `user` sees) by these members, in these colours."""
    if not filters.by and not filters.colours:
        return articles
    shown = Highlight.objects.filter(article=OuterRef("pk"), removed_at=None).filter(
        Q(visibility=Highlight.Visibility.TEAM) | Q(author=user)
    )
    if filters.by:
        members = Membership.objects.filter(team=team)
        named = Q()
        for name in filters.by:
            named |= Q(user__username__iexact=name)
        ids = list(members.filter(named).values_list("user_id", flat=True))
        if len(ids) < len(set(name.casefold() for name in filters.by)):
            filters.notes.append("Not every member named in “by” is in this team.")
        shown = shown.filter(author_id__in=ids)
    if filters.colours:
        valid = [c for c in filters.colours if c in Highlight.Colour.values]
        if len(valid) < len(filters.colours):
            names = ", ".join(Highlight.Colour.values)
            filters.notes.append(f"Colours are {names}.")
        shown = shown.filter(colour__in=valid)
    return articles.filter(Exists(shown))


STATES = ("unread", "reading", "finished", "starred", "archived", "all")


def _by_states(articles, user, states):
    states = [state for state in states if state in STATES]
    # Archiving takes an article out of one's way: it shows only when asked for.
    if not {"archived", "starred", "all"} & set(states):
        articles = reading.filter_archived(articles, user, archived=False)
    for state in states:
        if state in (reading.UNREAD, reading.READING, reading.FINISHED):
            articles = reading.filter_status(articles, user, state)
        elif state == "starred":
            articles = reading.filter_starred(articles, user)
        elif state == "archived":
            articles = reading.filter_archived(articles, user)
    return articles


# Keyset pages.


def _ordered(articles, key, user, forward):
    if key.field == "own_opened_at":
        opened = ArticleState.objects.filter(article=OuterRef("pk"), user=user)
        articles = articles.annotate(own_opened_at=Subquery(opened.values("opened_at")[:1])).filter(
            own_opened_at__isnull=False
        )
    descending = key.descending == forward
    # Empty values last in the page order, so first when going back.
    nulls = ({"nulls_last": True} if forward else {"nulls_first": True}) if key.nullable else {}
    column = F(key.field).desc(**nulls) if descending else F(key.field).asc(**nulls)
    return articles.order_by(column, "-pk" if descending else "pk")


def _beyond(key, value, pk, forward):
    """The rows after (value, pk) in the page order (`forward`), or before it."""
    op = "lt" if key.descending == forward else "gt"
    after = Q(**{f"{key.field}__{op}": value}) | Q(**{key.field: value, f"pk__{op}": pk})
    # The OR alone gives the databases no range to seek to: they walked the
    # index from the start. The bound beside it (<= or >=) is one.
    bound = Q(**{f"{key.field}__{op}e": value}) if value is not None else Q()
    if not key.nullable:
        return bound & after
    empty = Q(**{f"{key.field}__isnull": True})
    if forward:
        if value is None:
            return empty & Q(**{f"pk__{op}": pk})
        return (bound & after) | empty
    if value is None:
        return (empty & Q(**{f"pk__{op}": pk})) | ~empty
    return bound & after


def encode_cursor(sort, value, pk):
    if isinstance(value, datetime | date):
        value = value.isoformat()
    return signing.dumps([sort, value, pk], salt=CURSOR_SALT, compress=True)


def decode_cursor(cursor, sort):
    """(value, pk) from a cursor of this sort, or None for anything else (a bad
    cursor shows the first page rather than an error)."""
    try:
        cursor_sort, value, pk = signing.loads(cursor, salt=CURSOR_SALT)
        if cursor_sort != sort or not isinstance(pk, int):
            return None
        key = SORTS[sort]
        if value is not None and key.field in ("saved_at", "own_opened_at"):
            value = datetime.fromisoformat(value)
        elif value is not None and key.field == "published":
            value = date.fromisoformat(value)
        return value, pk
    except (signing.BadSignature, ValueError, TypeError, KeyError):
        return None


def cursor_for(article, sort=""):
    """The cursor of the page after `article` (for bench/library.py: a deep page)."""
    return encode_cursor(sort, getattr(article, SORTS[sort].field), article.pk)


def keyset_page(articles, user, sort, *, after="", before="", size=20):
    """A page of `articles` (ids and sort values only; `cards` fills them in)."""
    key = SORTS[sort]
    forward = not before
    position = decode_cursor(before or after, sort) if (before or after) else None
    rows = _ordered(articles, key, user, forward)
    if position is not None:
        rows = rows.filter(_beyond(key, *position, forward))
    rows = list(rows.values_list("pk", key.field)[: size + 1])
    more = len(rows) > size
    rows = rows[:size]
    if not forward:
        rows.reverse()
    page = Page(cards=[pk for pk, _ in rows])
    if rows:
        first, last = rows[0], rows[-1]
        if forward:
            page.next = encode_cursor(sort, last[1], last[0]) if more else None
            page.previous = encode_cursor(sort, first[1], first[0]) if position else None
        else:
            page.previous = encode_cursor(sort, first[1], first[0]) if more else None
            page.next = encode_cursor(sort, last[1], last[0])
    return page


# What a card shows of an article: its large columns stay in the database.
CARD_FIELDS = (
    "team_id",
    "title",
    "site_name",
    "published",
    "reading_minutes",
    "excerpt",
    "saved_at",
    "annotation_total",
    "deleted_at",
)


def _counted(queryset, column):
    return dict(queryset.values_list(column).annotate(n=Count("*")).order_by())


def cards(ids, user):
    """The articles `ids` in that order, with what a library card shows: counts of
    the team's work that `user` sees, who read it, tags, and the member's own state.

    Seven small queries whatever the page holds, each by the page's ids: plain
    grouped counts and value lists cost a fraction of correlated subqueries
    and prefetched objects (bench/library.py).
    """
    articles = {a.pk: a for a in Article.objects.filter(pk__in=ids).only(*CARD_FIELDS)}
    shown = Highlight.objects.filter(article_id__in=ids, removed_at=None).filter(
        Q(visibility=Highlight.Visibility.TEAM) | Q(author=user)
    )
    highlights, noted = {}, {}
    counts = (
        shown.order_by()
        .values_list("article_id")
        .annotate(n=Count("*"), noted=Count("pk", filter=~Q(note="")))
    )
    for article_id, n, with_note in counts:
        highlights[article_id], noted[article_id] = n, with_note
    replies = _counted(
        Reply.objects.filter(
            highlight__article_id__in=ids,
            highlight__removed_at=None,
            highlight__deleted_at=None,
            removed_at=None,
        ).filter(Q(highlight__visibility=Highlight.Visibility.TEAM) | Q(highlight__author=user)),
        "highlight__article_id",
    )
    notes = _counted(ArticleNote.objects.filter(article_id__in=ids), "article_id")
    readers, tags = {}, {}
    reads = ArticleRead.objects.filter(article_id__in=ids).order_by("read_at", "id")
    for article_id, user_id, username in reads.values_list(
        "article_id", "user_id", "user__username"
    ):
        readers.setdefault(article_id, []).append((user_id, username))
    tagged = Article.tags.through.objects.filter(article_id__in=ids).order_by("tag__name")
    for article_id, name in tagged.values_list("article_id", "tag__name"):
        tags.setdefault(article_id, []).append(name)
    states = {s.article_id: s for s in ArticleState.objects.filter(user=user, article_id__in=ids)}
    urls = CardUrls()
    ordered = [articles[pk] for pk in ids if pk in articles]
    for article in ordered:
        pk = article.pk
        urls.apply(article)
        article.highlight_count = highlights.get(pk, 0)
        article.highlight_note_count = noted.get(pk, 0)
        article.reply_count = replies.get(pk, 0)
        article.article_note_count = notes.get(pk, 0)
        article.reader_names = [name for _, name in readers.get(pk, [])]
        article.tag_names = tags.get(pk, [])
        own_read = any(user_id == user.pk for user_id, _ in readers.get(pk, []))
        reading.describe(article, True if own_read else None, states.get(pk))
    return ordered


def search_page(articles, user, query, *, after="", size=20):
    """A page of articles matching `query`'s words, best first, with their matches."""
    offset = 0
    if after:
        try:
            offset = max(0, int(signing.loads(after, salt=CURSOR_SALT + ".search")))
        except (signing.BadSignature, ValueError, TypeError):
            offset = 0
    ranked, more = engine.rank_articles(user, query, articles, offset=offset, limit=size)
    ids = [pk for pk, _ in ranked]
    page = Page(cards=ids, ranked=True)
    if more:
        page.next = signing.dumps(offset + size, salt=CURSOR_SALT + ".search")
    if offset:
        page.previous = signing.dumps(max(0, offset - size), salt=CURSOR_SALT + ".search")
    page.matches = engine.match_snippets(user, query, ids) if ids else {}
    return page


def library_page(team, user, filters, query, *, sort="", after="", before="", size=20):
    """What the library shows: a search ranked best first, or else a keyset page of
    the filtered articles in `sort` order (those matching the search, if there
    is one, with their matches), the cards filled in."""
    articles = filtered(team, user, filters)
    if query is not None and query.has_text and not sort:
        page = search_page(articles, user, query, after=after, size=size)
    else:
        if query is not None:  # exclusions alone, or a search sorted otherwise
            articles = engine.matching_articles(user, query, articles)
        page = keyset_page(articles, user, sort, after=after, before=before, size=size)
        if query is not None and query.has_text and page.cards:
            page.matches = engine.match_snippets(user, query, page.cards)
    page.cards = cards(page.cards, user)
    for card in page.cards:
        card.matches = page.matches.get(card.pk, [])
    return page
