"""Exports: what a member may take out of an article or a team, in which format.

The member sees in an export what the reader shows them: the team's
highlights and their own private ones, never another member's private ones;
nothing in the trash; nothing a moderator removed. This module queries that,
turns each article into a plain document (the JSON export's shape, version
2) and hands the documents to the writers in newsreader/lib/exports.py.

A team's export streams: articles are read in chunks of CHUNK_SIZE, each
chunk with its prefetches, and written as they come.
"""

import base64
from datetime import UTC

from django.contrib.auth.decorators import login_required
from django.db.models import Prefetch, Q
from django.http import Http404, HttpResponse, HttpResponseBadRequest, StreamingHttpResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import patch_cache_control
from django.utils.http import content_disposition_header
from django.utils.text import get_valid_filename, slugify
from django.views.decorators.http import require_safe

from articles.models import Article, ArticleNote, ArticleRead, ArticleState, Highlight, Reply
from newsreader.access import get_article_for_user, get_team_for_user, id_from
from newsreader.lib import exports
from teams.models import author_fields

CHUNK_SIZE = 50  # articles per query (and its prefetches) in a team's export
EPUB_MAX_ARTICLES = 50  # an EPUB is built in memory: the newest this many, or `ids=`

# format: (file extension, team export's extension, content type, article fields not needed)
FORMATS = {
    "json": ("json", "json", "application/json", ()),
    "markdown": ("md", "zip", "text/markdown; charset=utf-8", ("original", "html", "text")),
    "jsonld": (
        "jsonld",
        "jsonld",
        'application/ld+json; profile="http://www.w3.org/ns/anno.jsonld"',
        ("original", "html", "text"),
    ),
    "csv": ("csv", "csv", "text/csv; charset=utf-8", ("original", "html", "text")),
    "epub": ("epub", "epub", "application/epub+zip", ("original", "text")),
}


# What the member may see


def exportable_articles(articles, user, fmt):
    """`articles` with everything an export of them shows `user`, prefetched."""
    highlights = (
        Highlight.objects.filter(removed_at=None)
        .filter(Q(visibility=Highlight.Visibility.TEAM) | Q(author=user))
        .select_related("author")
        .prefetch_related(
            Prefetch(
                "replies", queryset=Reply.objects.filter(removed_at=None).select_related("author")
            )
        )
        .in_document_order()
    )
    return articles.defer(*FORMATS[fmt][3]).prefetch_related(
        "tags",
        Prefetch("highlights", queryset=highlights),
        Prefetch("notes", queryset=ArticleNote.objects.select_related("author")),
        Prefetch("reads", queryset=ArticleRead.objects.select_related("user").order_by("read_at")),
        Prefetch("states", queryset=ArticleState.objects.filter(user=user), to_attr="own_states"),
    )


def in_chunks(queryset, size=None):
    """The articles of `queryset` in pk order, one query (and its prefetches) per chunk."""
    size = size or CHUNK_SIZE
    last = 0
    while True:
        chunk = list(queryset.filter(pk__gt=last).order_by("pk")[:size])
        yield from chunk
        if len(chunk) < size:
            return
        last = chunk[-1].pk


# Plain documents


def _when(value):
    return value.astimezone(UTC).isoformat() if value else None


def _username(user):
    return user.get_username() if user else None


def _written(item):
    return {
        **author_fields(item.author),
        "body": item.body,
        "created_at": _when(item.created_at),
        "updated_at": _when(item.updated_at),
    }


def article_document(article, user, fmt, request=None):
    """One article as the JSON export has it; with `request`, also our addresses
    ("reader_url", and an "id" on highlights, replies and notes) for JSON-LD and CSV."""
    state = article.own_states[0] if article.own_states else None
    document = {
        "title": article.title,
        "url": article.source_url,
        "byline": article.byline,
        "site_name": article.site_name,
        "language": article.language,
        "published": article.published.isoformat() if article.published else None,
        "added_at": _when(article.saved_at),
        "created_at": _when(article.created_at),
        "tags": [tag.name for tag in article.tags.all()],
    }
    if fmt == "json":
        document["original"] = {
            "content_base64": base64.b64encode(bytes(article.original)).decode("ascii"),
            "content_type": article.original_content_type,
            "filename": article.original_filename,
            "charset": article.original_charset,
        }
    extraction = {
        "kind": article.kind,
        "excerpt": article.excerpt,
        "word_count": article.word_count,
        "reading_minutes": article.reading_minutes,
        "lead_image_url": article.lead_image_url,
        "extractor_version": article.extractor_version,
    }
    if fmt in ("json", "epub"):
        extraction["html"] = article.html
    if fmt == "json":
        extraction["text"] = article.text
    reads = list(article.reads.all())
    document |= {
        "extraction": extraction,
        "read": any(read.user_id == user.pk for read in reads),
        "archived": bool(state and state.archived_at),
        "starred": bool(state and state.starred_at),
        "progress": state.progress if state else None,
        "readers": [
            {"user": _username(read.user), "read_at": _when(read.read_at)} for read in reads
        ],
        "article_notes": [_written(note) for note in article.notes.all()],
        "highlights": [
            highlight_document(highlight, request) for highlight in article.highlights.all()
        ],
    }
    if request is not None:
        url = request.build_absolute_uri(reverse("articles:article-detail", args=[article.pk]))
        document["reader_url"] = url
        for note, written in zip(article.notes.all(), document["article_notes"], strict=True):
            written["id"] = f"{url}#note-{note.pk}"
    return document


def highlight_document(highlight, request):
    document = {
        "exact": highlight.exact,
        "prefix": highlight.prefix,
        "suffix": highlight.suffix,
        "start": highlight.start,
        "end": highlight.end,
        "is_orphan": highlight.is_orphan,
        "colour": highlight.colour,
        "meaning": highlight.get_colour_display(),
        "visibility": highlight.visibility,
        **author_fields(highlight.author),
        "note": highlight.note,
        "created_at": _when(highlight.created_at),
        "updated_at": _when(highlight.updated_at),
        "replies": [_written(reply) for reply in highlight.replies.all()],
    }
    if request is not None:
        url = request.build_absolute_uri(reverse("articles:highlight-detail", args=[highlight.pk]))
        document["id"] = url
        for reply, written in zip(highlight.replies.all(), document["replies"], strict=True):
            written["id"] = f"{url}#reply-{reply.pk}"
    return document


def export_documents(articles, request, fmt, chunk_size=None):
    """The documents of `articles` (a queryset) as `request.user` may see them, lazily."""
    queryset = exportable_articles(articles, request.user, fmt)
    with_links = request if fmt in ("jsonld", "csv") else None
    for article in in_chunks(queryset, chunk_size):
        yield article_document(article, request.user, fmt, with_links)


# Files


def _header(team):
    return {
        "format": exports.FORMAT_NAME,
        "version": exports.FORMAT_VERSION,
        "exported_at": timezone.now().isoformat(),
        "team": team.slug,
    }


def _encoded(pieces):
    for piece in pieces:
        yield piece.encode() if isinstance(piece, str) else piece


def safe_filename(name, extension):
    """A file name from a title that is safe in a header and on any disk."""
    stem = slugify(name)[:80].strip("-_") or "article"
    return get_valid_filename(f"{stem}.{extension}")


def _markdown_files(documents):
    for document in documents:
        name = slugify(document["title"], allow_unicode=True)[:80].strip("-_") or "article"
        yield f"{name}.md", exports.markdown_file(document).encode()


def write_export(fmt, documents, *, team, title, single):
    """The export file's pieces (str or bytes) for the documents."""
    if fmt == "json":
        return exports.json_document(_header(team), documents)
    if fmt == "markdown" and single:
        return (exports.markdown_file(document) for document in documents)
    if fmt == "markdown":
        return exports.zip_stream(_markdown_files(documents))
    if fmt == "jsonld":
        return exports.jsonld_document(documents)
    if fmt == "csv":
        return exports.csv_rows(documents)
    identifier = f"newsreader-{team.slug}-{slugify(title)}"
    return [exports.epub_book(documents, title=title, identifier=identifier)]


def _download(response, filename):
    response["Content-Disposition"] = content_disposition_header(True, filename)
    patch_cache_control(response, private=True, no_store=True)
    return response


def _format_or_404(fmt):
    if fmt not in FORMATS:
        raise Http404("No such export format.")
    return FORMATS[fmt]


# Views


@require_safe
@login_required
def article_export(request, pk, fmt):
    """One article, with what the member may see of its highlights and notes."""
    article = get_article_for_user(request.user, pk, defer=("html", "text"))
    extension, _, content_type, _ = _format_or_404(fmt)
    documents = export_documents(Article.objects.filter(pk=article.pk), request, fmt)
    pieces = write_export(fmt, documents, team=article.team, title=article.title, single=True)
    response = HttpResponse(b"".join(_encoded(pieces)), content_type=content_type)
    return _download(response, safe_filename(article.title, extension))


@require_safe
@login_required
def team_export(request, slug, fmt):
    """All the team's articles (or those `ids=` names), streamed; an EPUB takes up to
    EPUB_MAX_ARTICLES, the newest without `ids=`."""
    team = get_team_for_user(request.user, slug)
    _, extension, content_type, _ = _format_or_404(fmt)
    articles = Article.objects.filter(team=team)
    ids = [part for value in request.GET.getlist("ids") for part in value.split(",") if part]
    ids = [id_from(part) for part in ids]
    if None in ids:
        return HttpResponseBadRequest("ids= takes article numbers separated by commas.")
    if ids:
        articles = articles.filter(pk__in=ids)
    date = timezone.now().date().isoformat()
    filename = safe_filename(f"{team.slug}-{date}", "zip" if fmt == "markdown" else extension)
    if fmt == "epub":
        if len(ids) > EPUB_MAX_ARTICLES:
            return HttpResponseBadRequest(f"An EPUB takes up to {EPUB_MAX_ARTICLES} articles.")
        newest = articles.order_by("-saved_at", "-pk").values("pk")[:EPUB_MAX_ARTICLES]
        articles = Article.objects.filter(pk__in=list(newest.values_list("pk", flat=True)))
        documents = list(export_documents(articles, request, fmt))
        book = write_export(fmt, documents, team=team, title=team.name, single=False)[0]
        return _download(HttpResponse(book, content_type=content_type), filename)
    documents = export_documents(articles, request, fmt)
    pieces = write_export(fmt, documents, team=team, title=team.name, single=False)
    if fmt == "markdown":
        content_type = "application/zip"
    response = StreamingHttpResponse(_encoded(pieces), content_type=content_type)
    return _download(response, filename)
