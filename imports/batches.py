"""Importing batches of articles: stage a file's entries, then process them.

Two steps, so that nothing is lost and nothing is half-written:

1. ``stage_batch`` parses the input files (newsreader/lib/formats) and stores
   every entry as a pending ImportItem. A file-level problem (wrong type,
   unreadable archive, missing columns) deletes the batch again: nothing is
   written, and ImportFileError carries the message.
2. ``run_batch`` processes pending items in chunks. For each item the slow
   work — fetching (newsreader/lib/fetching.py), extraction, anchoring the
   imported highlights — happens outside any transaction (SQLite has one
   writer). Then the chunk is written in one transaction, each item inside
   its own savepoint: an article and its highlights are saved together or not
   at all, and a failing item only fails itself. Duplicates (same normalised
   URL or same content in the team) are refused by database constraints, so
   two imports of the same file at once still create each article once.

A worker that dies leaves committed chunks done and the rest pending:
running the batch again resumes where it stopped.
"""

import multiprocessing
import uuid
from concurrent.futures import ProcessPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path

from django.conf import settings
from django.db import IntegrityError, connection, transaction
from django.db.models import F
from django.utils import timezone
from django_tasks import task

from articles.models import Article, ArticleNote, ArticleRead, ArticleState, Highlight, Tag
from articles.originals import clean_source_url
from imports.models import ImportBatch, ImportItem
from newsreader.lib import anchoring, extraction
from newsreader.lib.fetching import fetch_and_extract
from newsreader.lib.fingerprints import normalise_url
from newsreader.lib.formats import (
    MAX_FILE_BYTES,
    ImportedHighlight,
    ImportFileError,
    detect_format,
    iter_inputs,
    parse_file,
)
from newsreader.lib.markdown import render_note

CHUNK_SIZE = 50
STATE_FIELDS = ("read", "archived", "starred", "progress")
STAGE_CHUNK_SIZE = 500
# Extensions an upload keeps (for format detection); its name is never used.
UPLOAD_EXTENSIONS = {".csv", ".json", ".jsonl", ".ndjson", ".html", ".htm", ".zip", ".txt", ".md"}
MAX_UPLOAD_BYTES = MAX_FILE_BYTES  # what the parsers accept


def upload_directory():
    return Path(settings.MEDIA_ROOT) / "imports"


def store_upload(uploaded):
    """Save an uploaded file under a generated name; returns {"name", "stored"}."""
    if uploaded.size > MAX_UPLOAD_BYTES:
        raise ImportFileError(
            f"{uploaded.name} is {uploaded.size:,} bytes; the limit is {MAX_UPLOAD_BYTES:,}."
        )
    suffix = Path(uploaded.name).suffix.lower()
    stored = f"{uuid.uuid4().hex}{suffix if suffix in UPLOAD_EXTENSIONS else ''}"
    directory = upload_directory()
    directory.mkdir(parents=True, exist_ok=True)
    with open(directory / stored, "wb") as destination:
        for chunk in uploaded.chunks():
            destination.write(chunk)
    return {"name": uploaded.name[:255], "stored": stored}


def stage_batch(team, user, files, format="auto", *, dry_run=False):
    """Create a batch with one pending item per entry of `files`.

    `files`: [{"name": shown name, "path": Path}]. Raises ImportFileError (and
    leaves nothing behind) when a file cannot be imported at all.
    """
    batch = ImportBatch.objects.create(
        team=team,
        created_by=user,
        format=format,
        files=[{"name": f["name"], "stored": f.get("stored", "")} for f in files],
        dry_run=dry_run,
    )
    try:
        position = failed = 0
        formats = set()
        for file in files:
            name = file["name"]
            file_format = format if format != "auto" else detect_format(file["path"])
            formats.add(file_format)
            pending = []
            stored_name = Path(file["path"]).name
            for entry in parse_file(file["path"], file_format):
                position += 1
                # Uploads are stored under generated names: report the uploaded one.
                entry.source = entry.source.replace(stored_name, name, 1)
                staged = _staged(batch, position, name, entry)
                failed += staged.status == ImportItem.Status.FAILED
                pending.append(staged)
                if len(pending) >= STAGE_CHUNK_SIZE:
                    ImportItem.objects.bulk_create(pending)
                    pending = []
            ImportItem.objects.bulk_create(pending)
        if position == 0:
            raise ImportFileError("Nothing to import: the files have no entries.")
    except (ImportFileError, OSError) as error:
        batch.delete()
        if isinstance(error, OSError):
            raise ImportFileError(f"The file could not be read: {error}") from error
        raise
    batch.format = ",".join(sorted(formats))
    batch.total = position
    batch.failed_count = failed  # entries already unusable as parsed
    batch.save(update_fields=["format", "total", "failed_count"])
    return batch


def _staged(batch, position, file_name, entry):
    content = entry.content
    if isinstance(content, str):
        content = content.encode("utf-8", errors="surrogatepass")
    source = entry.source if entry.source.startswith(file_name) else f"{file_name}: {entry.source}"
    data = {
        "title": entry.title,
        "url": entry.url,
        "content_type": entry.content_type,
        "filename": entry.filename,
        "byline": entry.byline,
        "published": entry.published.isoformat() if entry.published else "",
        "added_at": entry.added_at.isoformat() if entry.added_at else "",
        "tags": list(entry.tags),
        "note": entry.note,
        # The reader's state in the source app (None: it does not say).
        **{key: getattr(entry, key, None) for key in STATE_FIELDS},
        "highlights": [
            {
                "exact": h.exact,
                "note": h.note,
                "colour": h.colour,
                "prefix": h.prefix,
                "suffix": h.suffix,
                "created_at": h.created_at.isoformat() if h.created_at else "",
            }
            for h in entry.highlights
        ],
    }
    problem = entry.error or _unstorable(data)
    return ImportItem(
        batch=batch,
        position=position,
        source=source[:500],
        data=data if not problem else {},
        content=content if not problem else None,
        status=ImportItem.Status.FAILED if problem else ImportItem.Status.PENDING,
        reason=problem,
        warnings=list(getattr(entry, "warnings", ()))[:50],
    )


def _unstorable(data):
    """Text the database cannot store (PostgreSQL refuses NUL) fails the item, not the batch."""
    for key in ("title", "url", "byline", "note", "filename"):
        value = data[key]
        if "\x00" in value:
            return f"The {key} contains a NUL byte."
        try:
            value.encode("utf-8")
        except UnicodeEncodeError:
            return f"The {key} is not valid text (a lone surrogate)."
    return ""


@dataclass
class Prepared:
    """An item ready to be written: everything slow is already done."""

    item: ImportItem
    article: Article | None = None
    highlights: list = field(default_factory=list)
    tags: list = field(default_factory=list)
    note: str = ""
    state: dict = field(default_factory=dict)
    error: str = ""


def run_batch(batch, *, progress=None):
    """Process the batch's pending items; safe to call again to resume or retry.

    Fetching and extraction run in IMPORT_WORKERS processes (none: in this
    one), chunk by chunk; while one chunk is written, the next is already
    being extracted.
    """
    batch = ImportBatch.objects.select_related("team").get(pk=batch.pk)
    ImportBatch.objects.filter(pk=batch.pk).update(
        status=ImportBatch.Status.RUNNING,
        started_at=batch.started_at or timezone.now(),
        heartbeat_at=timezone.now(),
    )
    # A dry run writes no article, so what its earlier chunks would have
    # created is remembered here instead, for the duplicate checks.
    planned = Planned()
    with _worker_pool() as pool:

        def start(after):
            items = _pending_chunk(batch, after)
            if not items:
                return None, None
            known = _known_urls(batch.team, items) | planned.urls
            return items, [_submit(pool, item, known) for item in items]

        items, jobs = start(after=0)
        while jobs is not None:
            ready = [_prepare(batch, item, job) for item, job in zip(items, jobs, strict=True)]
            following, jobs = start(after=items[-1].position)
            counts = _write_chunk(batch, ready, planned)
            if progress:
                progress(counts)
            items = following
    ImportBatch.objects.filter(pk=batch.pk).update(
        status=ImportBatch.Status.FINISHED, finished_at=timezone.now()
    )
    batch.refresh_from_db()
    return batch


@dataclass
class Planned:
    """The normalised URLs and content hashes a dry run would have created."""

    urls: set = field(default_factory=set)
    hashes: set = field(default_factory=set)


def make_real(batch):
    """Run a finished dry run for real: its entries go back in the queue."""
    with transaction.atomic():
        batch = ImportBatch.objects.select_for_update().get(pk=batch.pk)
        if not batch.dry_run or batch.status != ImportBatch.Status.FINISHED:
            return batch
        staged_failures = batch.items.filter(status=ImportItem.Status.FAILED, data={})
        batch.items.exclude(pk__in=staged_failures.values("pk")).update(
            status=ImportItem.Status.PENDING, reason="", article=None
        )
        batch.dry_run, batch.status, batch.finished_at = False, ImportBatch.Status.QUEUED, None
        batch.created_count = batch.duplicate_count = 0
        batch.failed_count = staged_failures.count()
        batch.save(
            update_fields=[
                "dry_run",
                "status",
                "finished_at",
                "created_count",
                "duplicate_count",
                "failed_count",
            ]
        )
    return batch


@task()
def run_import(batch_id):
    """Process (or resume) an import batch: the background task (`manage.py db_worker`)."""
    run_batch(ImportBatch.objects.get(pk=batch_id))


@contextmanager
def _worker_pool():
    workers = settings.IMPORT_WORKERS
    if workers < 1:
        yield None
        return
    # forkserver: the workers never inherit this process's database connections.
    context = multiprocessing.get_context("forkserver")
    with ProcessPoolExecutor(max_workers=workers, mp_context=context) as pool:
        yield pool


def _pending_chunk(batch, after):
    pending = batch.items.filter(status=ImportItem.Status.PENDING, position__gt=after)
    return list(pending.order_by("position")[:CHUNK_SIZE])


def retry_failed(batch):
    """Put the batch's failed items back in the queue (the counts follow)."""
    with transaction.atomic():
        failed = batch.items.filter(status=ImportItem.Status.FAILED).exclude(data={})
        count = failed.update(status=ImportItem.Status.PENDING, reason="")
        ImportBatch.objects.filter(pk=batch.pk).update(
            failed_count=F("failed_count") - count,
            status=ImportBatch.Status.QUEUED,
            finished_at=None,
        )
    return count


def _known_urls(team, items):
    """Which of the items' URLs the team has already: one query for a chunk."""
    urls = {normalise_url(item.data.get("url", "")) for item in items} - {""}
    # The exclude() lets the database use the constraint's partial index.
    existing = Article.objects.filter(team=team, normalized_url__in=urls)
    return set(existing.exclude(normalized_url="").values_list("normalized_url", flat=True))


def _submit(pool, item, known_urls):
    """Start fetching and extracting an item; a plain result when there is nothing to do.

    A URL the team already has is skipped before anything is fetched or parsed.
    """
    data = item.data
    try:
        url = clean_source_url(data.get("url", ""))
    except extraction.ExtractionError as error:
        return (None, None, str(error))
    if normalise_url(url) in known_urls:
        return (None, None, "duplicate")
    if item.content is None and not url:
        return (None, None, "The entry has neither content nor a URL.")
    arguments = (
        url,
        item.content,
        data.get("content_type", ""),
        data.get("filename", ""),
        tuple(settings.FETCH_ALLOWED_TEST_HOSTS),
    )
    if pool is None:
        return fetch_and_extract(*arguments)
    return pool.submit(fetch_and_extract, *arguments)


def _prepare(batch, item, job):
    """The article (and its highlights) to write for an item, from its extraction."""
    content, content_type, result = job if isinstance(job, tuple) else job.result()
    if content is None:
        return Prepared(item, error=result)
    data = item.data
    article = Article.from_extraction(
        result,
        team=batch.team,
        original=content,
        content_type=content_type,
        url=clean_source_url(data.get("url", "")),
        filename=data.get("filename", ""),
        added_by_id=batch.created_by_id,
    )
    if data.get("title"):
        article.title = data["title"][:500]
    if data.get("byline") and not article.byline:
        article.byline = data["byline"][:300]
    # What the source app recorded wins over what the page says.
    if data.get("published"):
        article.published = date.fromisoformat(data["published"])
    if data.get("added_at"):
        article.saved_at = datetime.fromisoformat(data["added_at"])
    highlights = [
        _anchored(article, ImportedHighlight(**{**h, "created_at": _when(h.get("created_at"))}))
        for h in data.get("highlights", [])
    ]
    return Prepared(
        item,
        article=article,
        highlights=highlights,
        tags=[tag.strip()[:100] for tag in data.get("tags", []) if tag.strip()],
        note=data.get("note", ""),
        state={key: data.get(key) for key in STATE_FIELDS if data.get(key) is not None},
    )


def _when(value):
    return datetime.fromisoformat(value) if value else None


def _anchored(article, imported):
    """A Highlight for an imported quote: placed on our text, or an orphan."""
    exact = imported.exact.strip() or imported.exact
    selector = anchoring.Selector(exact, imported.prefix, imported.suffix, 0, len(exact))
    placed = anchoring.anchor(selector, article.text) if exact.strip() else None
    colour = imported.colour if imported.colour in Highlight.Colour.values else "yellow"
    note = imported.note.strip()
    highlight = Highlight(
        author_id=article.added_by_id,
        colour=colour,
        exact=exact,
        prefix=imported.prefix[:64],
        suffix=imported.suffix[:64],
        # Kept only by an orphan, which still needs a non-empty range.
        start=0,
        end=max(1, len(exact)),
        note=note,
        note_html=render_note(note) if note else "",
        created_at=imported.created_at or timezone.now(),
    )
    highlight.place(placed, requote_from=article.text)
    return highlight


def _write_chunk(batch, prepared, planned):
    """Write a chunk in one transaction.

    New articles, their highlights, notes and tags go in with a few bulk
    inserts. Should that hit a duplicate (another import of the same articles
    running at the same moment), the chunk falls back to one savepoint per
    item, and the constraint decides which items are duplicates. A dry run
    only records what would happen.
    """
    _mark_known_content(batch, prepared, planned)
    new = [entry for entry in prepared if not entry.error]
    if batch.dry_run:
        planned.urls |= {entry.article.normalized_url for entry in new} - {""}
        planned.hashes |= {entry.article.content_hash for entry in new}
        with transaction.atomic():
            return _record_results(batch, prepared)
    with transaction.atomic():
        try:
            with transaction.atomic():
                _save_articles(batch, new)
        except IntegrityError:
            for entry in new:
                entry.article.pk = None
                for highlight in entry.highlights:
                    highlight.pk = None
                try:
                    with transaction.atomic():
                        _save_articles(batch, [entry])
                except IntegrityError:
                    entry.error = "duplicate"
        counts = _record_results(batch, prepared)
    return counts


def _mark_known_content(batch, prepared, planned):
    """Entries whose content the team has (or an earlier entry of the chunk has,
    or, in a dry run, an earlier chunk would have)."""
    ready = [entry for entry in prepared if not entry.error]
    hashes = {entry.article.content_hash for entry in ready}
    # The exclude() lets the database use the constraint's partial index.
    existing = Article.objects.filter(team=batch.team, content_hash__in=hashes)
    seen = set(existing.exclude(content_hash="").values_list("content_hash", flat=True))
    seen |= planned.hashes
    urls = set(planned.urls)
    for entry in ready:
        url = entry.article.normalized_url
        if entry.article.content_hash in seen or (url and url in urls):
            entry.error = "duplicate"
            # Only what will exist makes later entries duplicates: an entry
            # skipped here creates nothing for its URL to collide with.
            continue
        seen.add(entry.article.content_hash)
        urls.add(url)


def _save_articles(batch, entries):
    if not entries:
        return
    articles = Article.objects.bulk_create([entry.article for entry in entries])
    highlights, notes, tagged = [], [], []
    for entry, article in zip(entries, articles, strict=True):
        for highlight in _without_duplicate_ranges(entry.highlights):
            highlight.article = article
            highlights.append(highlight)
        if entry.note:
            notes.append(
                ArticleNote(
                    article=article,
                    author_id=batch.created_by_id,
                    body=entry.note,
                    body_html=render_note(entry.note),
                )
            )
        tagged.extend((article, name) for name in dict.fromkeys(entry.tags))
    Highlight.objects.bulk_create(highlights)
    ArticleNote.objects.bulk_create(notes)
    _save_states(batch, zip(entries, articles, strict=True))
    if tagged:
        tags = _tags(batch.team, {name for _, name in tagged})
        Article.tags.through.objects.bulk_create(
            [Article.tags.through(article=article, tag=tags[name]) for article, name in tagged]
        )


def _save_states(batch, pairs):
    """The importing member's state of each article, as the source app had it."""
    if batch.created_by_id is None:
        return  # a command-line import without --user: nobody's state to keep
    reads, states = [], []
    for entry, article in pairs:
        state = entry.state
        when = article.saved_at
        if state.get("read"):
            reads.append(ArticleRead(article=article, user_id=batch.created_by_id, read_at=when))
        if state.get("archived") or state.get("starred") or state.get("progress") is not None:
            states.append(
                ArticleState(
                    article=article,
                    user_id=batch.created_by_id,
                    archived_at=when if state.get("archived") else None,
                    starred_at=when if state.get("starred") else None,
                    progress=state.get("progress"),
                )
            )
    ArticleRead.objects.bulk_create(reads)
    ArticleState.objects.bulk_create(states)


def _tags(team, names):
    """{name: Tag} for the team, creating the missing ones."""
    Tag.objects.bulk_create([Tag(team=team, name=name) for name in names], ignore_conflicts=True)
    return {tag.name: tag for tag in Tag.objects.filter(team=team, name__in=names)}


def _save_item_results(items):
    # One UPDATE per outcome, and one that links the created items to their
    # articles: bulk_update builds an ORM expression per row and field and
    # costs more than all the imports' other writes together (bench/import.py).
    outcomes = {}
    for item in items:
        outcomes.setdefault((item.status, item.reason), []).append(item.pk)
    for (status, reason), pks in outcomes.items():
        ImportItem.objects.filter(pk__in=pks).update(status=status, reason=reason)
    created = [(item.pk, item.article_id) for item in items if item.article_id is not None]
    if created:
        table = connection.ops.quote_name(ImportItem._meta.db_table)
        cases = " ".join("WHEN %s THEN %s" for _ in created)
        placeholders = ", ".join("%s" for _ in created)
        with connection.cursor() as cursor:
            cursor.execute(
                f"UPDATE {table} SET article_id = CASE id {cases} END "  # noqa: S608 - no input
                f"WHERE id IN ({placeholders})",
                [value for pair in created for value in pair] + [pk for pk, _ in created],
            )


def _record_results(batch, prepared):
    counts = {"created": 0, "duplicate": 0, "failed": 0}
    for entry in prepared:
        item = entry.item
        if entry.error == "duplicate":
            item.status = ImportItem.Status.DUPLICATE
            item.reason = "Already in the team (same URL or same content)."
        elif entry.error:
            item.status, item.reason = ImportItem.Status.FAILED, entry.error
        else:
            article = None if batch.dry_run else entry.article
            item.status, item.reason, item.article = ImportItem.Status.CREATED, "", article
        counts[item.status] += 1
    _save_item_results([entry.item for entry in prepared])
    ImportBatch.objects.filter(pk=batch.pk).update(
        created_count=F("created_count") + counts["created"],
        duplicate_count=F("duplicate_count") + counts["duplicate"],
        failed_count=F("failed_count") + counts["failed"],
        heartbeat_at=timezone.now(),
    )
    return counts


def _without_duplicate_ranges(highlights):
    """The same passage highlighted twice in the source is one highlight here."""
    seen, kept = set(), []
    for highlight in highlights:
        key = (highlight.start, highlight.end)
        if not highlight.is_orphan and key in seen:
            continue
        seen.add(key)
        kept.append(highlight)
    return kept


def local_files(paths):
    """The files named on this machine (directories walked), as stage_batch takes them."""
    files = [{"name": str(path), "path": path} for path in iter_inputs([Path(p) for p in paths])]
    if not files:
        raise ImportFileError("No input files found.")
    return files


def import_paths(team, user, paths, format="auto", *, progress=None, dry_run=False):
    """Stage and run an import of files named on this machine, in this process."""
    batch = stage_batch(team, user, local_files(paths), format, dry_run=dry_run)
    return run_batch(batch, progress=progress)
