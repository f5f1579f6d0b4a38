"""Adding articles one at a time: by URL (fetched by a task), pasted text, or files.

Plain functions of a team and a user, so that the library's forms, and later
a bookmarklet, the extension and the API, all add the same way:

- ``capture_url`` writes a Capture (the URL is never lost) and queues
  ``fetch_capture``, which fetches through the SSRF-safe fetcher and stores
  the article, or records why it could not;
- ``add_text`` and ``add_file`` extract at once (extraction is bounded) and
  store the article with its original.

They raise ``AddError`` with a message for people, and ``Duplicate`` (one of
them) when the team already has the article, in the trash or not.
"""

import gzip
import io
import zlib
from pathlib import PurePath

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Q
from django_tasks import task

from articles.highlighting import highlight_quote
from articles.models import Article, Capture, Highlight
from articles.originals import clean_source_url
from newsreader.access import WRITE, can, role_in
from newsreader.lib import anchoring, extraction
from newsreader.lib.fetching import fetch_and_extract
from newsreader.lib.fingerprints import content_hash, normalise_url

MAX_TEXT_CHARS = 1_000_000
MAX_FILE_BYTES = 5 * 1024 * 1024  # per file, after decompression too
MAX_FILES = 20
FILE_EXTENSIONS = frozenset({".html", ".htm", ".xhtml", ".txt", ".text", ".md", ".markdown"})
KIND_CONTENT_TYPES = {"html": "text/html", "markdown": "text/markdown", "text": "text/plain"}


class AddError(Exception):
    """The input cannot become an article; the message is meant for people."""


class Duplicate(AddError):
    """The team already has this article (`article`, perhaps in the trash)."""

    def __init__(self, article):
        self.article = article
        where = " (in the trash)" if article.in_trash else ""
        super().__init__(f"Already saved{where}: “{article.title}”.")


def find_duplicate(team, *, url="", digest=""):
    """The team's article (trashed ones too) with this normalised URL or content hash."""
    normalized = normalise_url(url)
    query = Q()
    if normalized:
        query |= Q(normalized_url=normalized)
    if digest:
        query |= Q(content_hash=digest)
    if not query:
        return None
    found = Article.all_objects.filter(team=team).filter(query)
    return found.defer("original", "html", "text").order_by("deleted_at", "pk").first()


def _save(article):
    """Save a new article, or raise Duplicate when the team has it already."""
    duplicate = find_duplicate(article.team, url=article.source_url, digest=article.content_hash)
    if duplicate is not None:
        raise Duplicate(duplicate)
    try:
        with transaction.atomic():
            article.save()
    except IntegrityError:
        # Added by someone else between the check and the save.
        duplicate = find_duplicate(
            article.team, url=article.source_url, digest=article.content_hash
        )
        if duplicate is None:
            raise
        raise Duplicate(duplicate) from None
    return article


def _store(team, user, original, result, *, content_type, url="", filename="", title=""):
    article = Article.from_extraction(
        result,
        team=team,
        original=original,
        content_type=content_type,
        url=url,
        filename=filename,
        added_by_id=user.pk if user else None,
    )
    if title:
        article.title = title[:500]
        article.content_hash = content_hash(article.title, article.text)
    return _save(article)


# By URL -----------------------------------------------------------------------


def capture_url(team, user, url, *, selection="", highlight_selection=False):
    """Queue `url` to be fetched into `team`; returns the Capture.

    `selection` is the text the user selected on the page; with
    `highlight_selection` (the API) the task highlights it for them once the
    article is in, and otherwise the capture's card offers to.
    Raises AddError for a URL that is not http(s) and Duplicate when the team
    has an article with this URL. Asking again for a URL still waiting gives
    the waiting Capture back (with the new selection, if one is given).
    """
    try:
        url = clean_source_url(url)
    except extraction.ExtractionError:
        raise AddError("Enter an http:// or https:// address.") from None
    if not url:
        raise AddError("Enter the address of the page to add.")
    duplicate = find_duplicate(team, url=url)
    if duplicate is not None:
        raise Duplicate(duplicate)
    normalized = normalise_url(url)
    selection = selection.strip()
    waiting = Capture.objects.filter(team=team, normalized_url=normalized).exclude(
        status=Capture.Status.READY
    )
    if selection:
        # A selection is highlighted for the person who made it: a teammate's
        # capture of the same page cannot carry it (theirs ends as a duplicate).
        waiting = waiting.filter(added_by=user)
    capture = waiting.first()
    if capture is not None:
        if selection:
            capture.set_selection(selection, highlight_when_ready=highlight_selection)
        if capture.status == Capture.Status.FAILED:
            retry_capture(capture)
        return capture
    capture = Capture.objects.create(
        team=team,
        added_by=user,
        url=url,
        normalized_url=normalized,
        selection=selection[: anchoring.MAX_HIGHLIGHT_CHARS],
        highlight_when_ready=highlight_selection and bool(selection),
    )
    _enqueue(capture)
    return capture


def retry_capture(capture):
    """Queue a failed capture again."""
    capture.set_status(Capture.Status.QUEUED)
    _enqueue(capture)


def _enqueue(capture):
    # After the commit: the worker must find the row.
    transaction.on_commit(lambda: fetch_capture.enqueue(capture.pk))


@task()
def fetch_capture(capture_id):
    """Fetch and extract a queued capture into an article (`manage.py db_worker` runs it)."""
    with transaction.atomic():
        capture = (
            Capture.objects.select_for_update(of=("self",))
            .select_related("team", "added_by")
            .filter(pk=capture_id, status=Capture.Status.QUEUED)
            .first()
        )
        if capture is None:
            return  # dismissed, or already taken by another worker
        capture.set_status(Capture.Status.FETCHING)
    content, content_type, result = fetch_and_extract(
        capture.url, None, "", "", tuple(settings.FETCH_ALLOWED_TEST_HOSTS)
    )
    if content is None:
        capture.set_status(Capture.Status.FAILED, reason=result)
        return
    try:
        article = _store(
            capture.team,
            capture.added_by,
            content,
            result,
            content_type=content_type,
            url=capture.url,
        )
    except Duplicate as duplicate:
        capture.set_status(
            Capture.Status.READY, reason=str(duplicate), article=duplicate.article, duplicate=True
        )
    else:
        capture.set_status(Capture.Status.READY, article=article)
    _highlight_selection(capture)


def _highlight_selection(capture):
    """Highlight the capture's selection for its author, if they asked for that (the API).

    The article is saved by now and stays whatever happens here: a selection
    that cannot be placed is recorded on the capture for its card to show.
    """
    # The selection may have been given again while the page was being fetched.
    capture.refresh_from_db(fields=["selection", "highlight_when_ready"])
    article, user = capture.article, capture.added_by
    if not (capture.highlight_when_ready and capture.selection) or article.in_trash or not user:
        return
    if not can(role_in(capture.team, user), WRITE):
        capture.record_highlight(error="You can no longer highlight in this team.")
        return
    try:
        highlight, _ = highlight_quote(article, user, capture.selection, Highlight.Colour.YELLOW)
    except anchoring.AnchoringError as error:
        capture.record_highlight(error=str(error))
        return
    capture.record_highlight(highlight)


# Pasted text --------------------------------------------------------------------


def add_text(team, user, text, *, title="", kind="auto"):
    """Add pasted HTML, Markdown or plain text (`kind` "auto" lets the extractor tell)."""
    if not text.strip():
        raise AddError("Paste the text, HTML or Markdown to add.")
    if len(text) > MAX_TEXT_CHARS:
        raise AddError(f"The text is too long: at most {MAX_TEXT_CHARS:,} characters.")
    if kind not in KIND_CONTENT_TYPES:
        kind = extraction.detect_kind(text)
    original = text.encode("utf-8")
    content_type = f"{KIND_CONTENT_TYPES[kind]}; charset=utf-8"
    try:
        result = extraction.extract(original, content_type=content_type, kind=kind)
    except extraction.ExtractionError as error:
        raise AddError(f"This could not be read as {kind}: {error}") from None
    return _store(team, user, original, result, content_type=content_type, title=title.strip())


# A page as the browser rendered it -------------------------------------------------


def add_page(team, user, html, *, url="", title=""):
    """Add a page the user's browser rendered (the extension sends `outerHTML`):
    pages behind a login or built by scripts are saved as the reader saw them.
    `url` is where it was shown; the article's links resolve against it."""
    if not html.strip():
        raise AddError("The page is empty.")
    try:
        url = clean_source_url(url)
    except extraction.ExtractionError:
        raise AddError("The page's address must be http:// or https://.") from None
    original = html.encode("utf-8")
    if len(original) > extraction.MAX_INPUT_BYTES:
        limit = extraction.MAX_INPUT_BYTES // (1024 * 1024)
        raise AddError(f"The page is larger than {limit} MB.")
    content_type = "text/html; charset=utf-8"
    try:
        result = extraction.extract(original, content_type=content_type, url=url, kind="html")
    except extraction.ExtractionError as error:
        raise AddError(f"The page could not be read: {error}") from None
    return _store(
        team, user, original, result, content_type=content_type, url=url, title=title.strip()
    )


# Files --------------------------------------------------------------------------


def add_file(team, user, name, data):
    """Add one uploaded file: HTML, text or Markdown, or one of them gzip'd."""
    path = PurePath(name or "upload")
    if path.suffix.lower() == ".gz" or data[:2] == b"\x1f\x8b":
        data = _gunzip(data)
        if path.suffix.lower() == ".gz":
            path = path.with_suffix("")
    if path.suffix.lower() not in FILE_EXTENSIONS:
        raise AddError("Only HTML, text and Markdown files (or those gzip'd) can be added.")
    if len(data) > MAX_FILE_BYTES:
        raise AddError(f"The file is larger than {MAX_FILE_BYTES // (1024 * 1024)} MB.")
    try:
        result = extraction.extract(data, filename=path.name)
    except extraction.ExtractionError as error:
        raise AddError(str(error)) from None
    return _store(team, user, data, result, content_type="", filename=path.name)


def _gunzip(data):
    try:
        with gzip.GzipFile(fileobj=io.BytesIO(data)) as stream:
            out = stream.read(MAX_FILE_BYTES + 1)
    except (OSError, EOFError, zlib.error):
        raise AddError("The file is not a readable gzip file.") from None
    if len(out) > MAX_FILE_BYTES:
        raise AddError(f"The file unpacks to more than {MAX_FILE_BYTES // (1024 * 1024)} MB.")
    return out
