"""/api/v1/articles/: list, save, read, change and delete articles; /captures/."""

from datetime import datetime

from django.db import transaction
from django.db.models import F
from django.utils import timezone
from ninja import File, Form, Query, Router, Schema
from ninja.files import UploadedFile
from pydantic import Field

from api.auth import require_write
from api.errors import ApiError
from api.schemas import (
    ERRORS,
    ArticleCreate,
    ArticleDetail,
    ArticlePage,
    ArticleUpdate,
    CaptureOut,
    Error,
    SavedOut,
)
from api.shapes import (
    after_cursor,
    article_out,
    articles_for_api,
    capture_out,
    highlight_out,
    page_of,
    with_api_fields,
    with_reply_total,
)
from articles import reading
from articles.adding import AddError, Duplicate, add_file, add_page, add_text, capture_url
from articles.forms import ArticleEditForm
from articles.highlighting import highlight_quote
from articles.models import Article, ArticleRead, ArticleState
from articles.tags import TagError, set_tags
from articles.trash import trash_article
from newsreader.access import (
    WRITE,
    can,
    get_article_for_user,
    get_article_for_write,
    get_capture_for_user,
    get_team_for_user,
)
from newsreader.lib.anchoring import AnchoringError
from newsreader.lib.fingerprints import normalise_url
from search.engine import matching_articles
from search.query import parse
from teams.models import Membership

router = Router(tags=["articles"])


class ArticleFilters(Schema):
    team: str | None = Field(None, max_length=50, description="A team's slug; all teams if unset.")
    tag: list[str] = Field([], description="Articles with all of these tags.")
    site: str | None = Field(None, max_length=200, description="Site name, exactly.")
    url: str | None = Field(None, max_length=2048, description="Saved from this address.")
    state: str | None = Field(
        None,
        pattern="^(unread|read|reading|finished|archived|starred)$",
        description="Your own: read = opened at all; reading and finished as the library has them.",
    )
    q: str | None = Field(
        None,
        max_length=500,
        description='Search, in the library\'s syntax (README, "Search"); newest saved first.',
    )
    saved_after: str | None = Field(None, description="ISO date or date-time.")
    cursor: str | None = Field(None, max_length=200)
    limit: int = Field(20, ge=1, le=100)


def _filtered(articles, filters, user):
    if filters.team:
        articles = articles.filter(team=get_team_for_user(user, filters.team))
    for tag in filters.tag:
        articles = articles.filter(tags__name=tag)
    if filters.site:
        articles = articles.filter(site_name=filters.site)
    if filters.url:
        articles = articles.filter(normalized_url=normalise_url(filters.url))
    if filters.state == "unread":
        articles = articles.exclude(reads__user=user)
    elif filters.state == "read":
        articles = articles.filter(reads__user=user)
    elif filters.state in (reading.READING, reading.FINISHED):
        articles = reading.filter_status(articles, user, filters.state)
    elif filters.state == "archived":
        articles = articles.filter(states__user=user, states__archived_at__isnull=False)
    elif filters.state == "starred":
        articles = articles.filter(states__user=user, states__starred_at__isnull=False)
    if filters.saved_after:
        try:
            when = datetime.fromisoformat(filters.saved_after)
        except ValueError:
            raise ApiError(422, "saved_after: give an ISO date or date-time.") from None
        if timezone.is_naive(when):
            when = timezone.make_aware(when)
        articles = articles.filter(saved_at__gte=when)
    if filters.q:
        query = parse(filters.q)
        articles = matching_articles(user, query, articles)
    return articles


@router.get("/articles/", response={200: ArticlePage, **ERRORS}, summary="List articles")
def article_list(request, filters: Query[ArticleFilters]):
    """Newest saved first, `limit` at a time; `next` is the cursor of the following page."""
    articles = _filtered(Article.objects.visible_to(request.user), filters, request.user)
    articles = articles_for_api(articles.for_list(), request.user)
    articles = after_cursor(articles, filters.cursor, "saved_at")
    items, cursor = page_of(articles, filters.limit, "saved_at")
    return {"items": [article_out(a, request) for a in items], "next": cursor}


def _team_to_write(user, slug):
    """The named team, or the writable team the user worked in last."""
    if slug:
        return get_team_for_user(user, slug, WRITE)
    writable = [role for role in Membership.Role if can(role, WRITE)]
    membership = (
        Membership.objects.filter(user=user, role__in=writable)
        .select_related("team")
        .order_by(F("last_used_at").desc(nulls_last=True), "created_at", "id")
        .first()
    )
    if membership is None:
        raise ApiError(403, "You are not in a team where you may add articles.")
    membership.team.viewer_role = membership.role
    return membership.team


def _saved(request, article, *, created, quote=None):
    """The answer to a save: the article, and the highlight of `quote` if asked."""
    result = {"duplicate": not created, "highlight": None, "highlight_error": None}
    if quote is not None and article.in_trash:
        result["highlight_error"] = "The article is in the team's trash: restore it to highlight."
    elif quote is not None:
        try:
            highlight, _ = highlight_quote(
                article,
                request.user,
                quote.exact,
                quote.colour,
                prefix=quote.prefix,
                suffix=quote.suffix,
            )
            result["highlight"] = highlight_out(with_reply_total(highlight), request)
        except AnchoringError as error:
            result["highlight_error"] = str(error)
    article = articles_for_api(Article.all_objects.filter(pk=article.pk), request.user).get()
    result["article"] = article_out(article, request)
    return (201 if created else 200), result


@router.post(
    "/articles/",
    response={200: SavedOut, 201: SavedOut, 202: SavedOut, **ERRORS},
    summary="Save an article",
)
def article_create(request, data: ArticleCreate):
    """Save a page the browser rendered (`html`, with its `url`), pasted `text` or
    `markdown`, or only a `url` for the server to fetch (202: a capture to follow
    at /captures/{id}/). 200 when the team already had it (`duplicate`)."""
    require_write(request)
    contents = [name for name in ("html", "text", "markdown") if getattr(data, name) is not None]
    if len(contents) > 1:
        raise ApiError(422, "Send one of html, text and markdown, not several.")
    if not contents and not data.url:
        raise ApiError(422, "Send a url, or the page's html, text or markdown.")
    team = _team_to_write(request.user, data.team)
    try:
        if not contents:
            quote = data.highlight.exact if data.highlight else ""
            capture = capture_url(
                team, request.user, data.url, selection=quote, highlight_selection=bool(quote)
            )
            return 202, {"capture": capture_out(capture)}
        if data.html is not None:
            article = add_page(team, request.user, data.html, url=data.url, title=data.title)
        else:
            kind = contents[0]
            text = data.text if kind == "text" else data.markdown
            article = add_text(team, request.user, text, title=data.title, kind=kind)
    except Duplicate as duplicate:
        return _saved(request, duplicate.article, created=False, quote=data.highlight)
    except AddError as error:
        raise ApiError(422, str(error)) from None
    return _saved(request, article, created=True, quote=data.highlight)


@router.post(
    "/articles/files/",
    response={200: SavedOut, 201: SavedOut, 413: Error, **ERRORS},
    summary="Save an uploaded file",
)
def article_upload(request, file: File[UploadedFile], team: Form[str] = ""):
    """An HTML, text or Markdown file (or one of them gzip'd), as multipart/form-data."""
    require_write(request)
    target = _team_to_write(request.user, team)
    if file.size > 5 * 1024 * 1024:
        raise ApiError(413, "The file is larger than 5 MB.")
    try:
        article = add_file(target, request.user, file.name, file.read())
    except Duplicate as duplicate:
        return _saved(request, duplicate.article, created=False)
    except AddError as error:
        raise ApiError(422, str(error)) from None
    return _saved(request, article, created=True)


@router.get("/articles/{int:pk}/", response={200: ArticleDetail, **ERRORS}, summary="An article")
def article_detail(request, pk: int):
    """With its canonical `text` (highlight offsets count in it) and reader `html`."""
    article = get_article_for_user(request.user, pk, defer=("original",))
    return article_out(with_api_fields(article, request.user), request, detail=True)


def _set_tags(article, names):
    try:
        set_tags(article, article.team, [name for name in names if name.strip()])
    except TagError as error:
        raise ApiError(422, f"tags: {error}") from None


def _set_state(article, user, data):
    if data.read is True:
        ArticleRead.objects.get_or_create(article=article, user=user)
    elif data.read is False:
        ArticleRead.objects.filter(article=article, user=user).delete()
    changes = {}
    now = timezone.now()
    for flag, field in (("archived", "archived_at"), ("starred", "starred_at")):
        value = getattr(data, flag)
        if value is not None:
            changes[field] = now if value else None
    if data.progress is not None:
        changes["progress"] = data.progress
    if changes:
        state, _ = ArticleState.objects.get_or_create(article=article, user=user)
        for field, value in changes.items():
            # Archiving again keeps the first time it was archived.
            if value is None or getattr(state, field) is None or field == "progress":
                setattr(state, field, value)
        state.save(update_fields=[*changes, "updated_at"])


def _edit_details(article, data):
    """The app's own form checks the details (a real http(s) URL, a title that is not blank)."""
    values = {
        name: getattr(article, name) if getattr(data, name) is None else getattr(data, name)
        for name in ("title", "byline", "source_url")
    }
    form = ArticleEditForm(values)
    if not form.is_valid():
        name, messages = next(iter(form.errors.items()))
        raise ApiError(422, f"{name}: {messages[0]}")
    try:
        article.edit_details(**form.cleaned_data)
    except Article.UrlTaken as taken:
        raise ApiError(409, str(taken)) from None


@router.patch(
    "/articles/{int:pk}/",
    response={200: ArticleDetail, 409: Error, **ERRORS},
    summary="Change an article",
)
def article_update(request, pk: int, data: ArticleUpdate):
    """The details members may correct (title, byline, source_url, tags) and the
    caller's own reading state (read, archived, starred, progress). Reading state
    is one's own, so read-only members may set it; the rest needs write access."""
    require_write(request)
    details = {"title", "byline", "source_url", "tags"} & data.model_fields_set
    article = get_article_for_user(request.user, pk, defer=("original",))
    if details:
        article = get_article_for_write(request.user, pk)
    with transaction.atomic():
        if {"title", "byline", "source_url"} & details:
            _edit_details(article, data)
        if data.tags is not None:
            _set_tags(article, data.tags)
        _set_state(article, request.user, data)
    article = get_article_for_user(request.user, pk, defer=("original",))
    return article_out(with_api_fields(article, request.user), request, detail=True)


@router.delete("/articles/{int:pk}/", response={204: None, **ERRORS}, summary="Delete an article")
def article_delete(request, pk: int):
    """To the team's trash, from where the app restores it for 30 days."""
    require_write(request)
    trash_article(get_article_for_write(request.user, pk), request.user)
    return 204, None


@router.get(
    "/captures/{int:pk}/", response={200: CaptureOut, **ERRORS}, summary="A URL being saved"
)
def capture_detail(request, pk: int):
    """A URL saved with only its address: `queued`, `fetching`, `ready` (with `article`)
    or `failed` (with `reason`)."""
    return capture_out(get_capture_for_user(request.user, pk))
