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
import shutil
import tempfile
import uuid
from concurrent.futures import ProcessPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.files.storage import default_storage
from django.db import IntegrityError, connection, transaction
from django.db.models import F
from django.utils import timezone
from django_tasks import task

from articles import freshness
from articles.models import Article, ArticleNote, ArticleRead, ArticleState, Highlight, Reply, Tag
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
from search.index import index_articles

User = get_user_model()

CHUNK_SIZE = 50
STATE_FIELDS = ("read", "archived", "starred", "progress")
STAGE_CHUNK_SIZE = 500
# Extensions an upload keeps (for format detection); its name is never used.
UPLOAD_EXTENSIONS = {".csv", ".json", ".jsonl", ".ndjson", ".html", ".htm", ".zip", ".txt", ".md"}
MAX_UPLOAD_BYTES = MAX_FILE_BYTES  # what the parsers accept


UPLOAD_PREFIX = "imports/"  # where uploads are kept in the default storage


def store_upload(uploaded):
    """Keep an uploaded file, under a generated name, in the default storage (the
    media directory, or object storage: settings.STORAGES); returns {"name", "stored"}."""
    if uploaded.size > MAX_UPLOAD_BYTES:
        raise ImportFileError(
            f"{uploaded.name} is {uploaded.size:,} bytes; the limit is {MAX_UPLOAD_BYTES:,}."
        )
    suffix = Path(uploaded.name).suffix.lower()
    stored = f"{uuid.uuid4().hex}{suffix if suffix in UPLOAD_EXTENSIONS else ''}"
    default_storage.save(UPLOAD_PREFIX + stored, uploaded)
    return {"name": uploaded.name[:255], "stored": stored}


@contextmanager
def readable_uploads(stored):
    """The stored uploads (store_upload's answers) with a "path" each that the parsers
    can open: the file itself on a local disk, else a temporary copy (object storage)."""
    with tempfile.TemporaryDirectory() as directory:
        files = []
        for file in stored:
            name = UPLOAD_PREFIX + file["stored"]
            try:
                path = Path(default_storage.path(name))
            except NotImplementedError:
                path = None
            if path is None or not path.is_file():
                path = Path(directory) / file["stored"]
                with default_storage.open(name, "rb") as source, open(path, "wb") as copy:
                    shutil.copyfileobj(source, copy)
            files.append({**file, "path": path})
        yield files


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
        "highlights": [_staged_highlight(h) for h in entry.highlights],
        # Our own export's (newsreader version 2): the team's notes and reads.
        "article_notes": [_staged_written(note) for note in entry.article_notes],
        "readers": [{"user": r.user, "read_at": _iso(r.read_at)} for r in entry.readers],
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


def _iso(moment):
    return moment.isoformat() if moment else ""


def _staged_highlight(h):
    return {
        "exact": h.exact,
        "note": h.note,
        "colour": h.colour,
        "prefix": h.prefix,
        "suffix": h.suffix,
        "created_at": _iso(h.created_at),
        "start": h.start,
        "end": h.end,
        "is_orphan": h.is_orphan,
        "visibility": h.visibility,
        "author": h.author,
        "updated_at": _iso(h.updated_at),
        "replies": [_staged_written(reply) for reply in h.replies],
    }


def _staged_written(entry):
    """A reply or an article note (ImportedReply, ImportedNote)."""
    return {
        "author": entry.author,
        "body": entry.body,
        "created_at": _iso(entry.created_at),
        "updated_at": _iso(entry.updated_at),
    }


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
    replies: list = field(default_factory=list)  # [(Highlight, Reply)]
    notes: list = field(default_factory=list)  # [ArticleNote]
    tags: list = field(default_factory=list)
    state: dict = field(default_factory=dict)
    reads: list = field(default_factory=list)  # [(user id, read_at or None)]
    # [(a highlight, reply or note, the updated_at the source had)]: set after the inserts.
    updated: list = field(default_factory=list)
    warned: bool = False  # warnings were added to the item while preparing it
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
            members = _members(batch.team, items)
            ready = [
                _prepare(batch, item, job, members) for item, job in zip(items, jobs, strict=True)
            ]
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
    """Turn a finished dry run into a real import, its entries back in the queue.

    Returns whether it did: only once, however often it is asked (the caller
    enqueues the run only then).
    """
    with transaction.atomic():
        batch = ImportBatch.objects.select_for_update().get(pk=batch.pk)
        if not batch.dry_run or batch.status != ImportBatch.Status.FINISHED:
            return False
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
    return True


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
    # Those in the trash too: they hold their URL until they are purged.
    existing = Article.all_objects.filter(team=team, normalized_url__in=urls)
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


def _members(team, items):
    """{username: user id} of the team's members named in the items: one query for a chunk."""
    names = set()
    for item in items:
        data = item.data
        for highlight in data.get("highlights", []):
            names.add(highlight.get("author"))
            names.update(reply["author"] for reply in highlight.get("replies", []))
        names.update(note["author"] for note in data.get("article_notes", []))
        names.update(read["user"] for read in data.get("readers", []))
    names -= {None, ""}
    if not names:
        return {}
    members = User.objects.filter(memberships__team=team, username__in=names)
    return dict(members.values_list("username", "pk"))


def _prepare(batch, item, job, members):
    """The article (and its highlights, notes and reads) to write for an item."""
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
    prepared = Prepared(
        item,
        article=article,
        tags=[tag.strip()[:100] for tag in data.get("tags", []) if tag.strip()],
        state={key: data.get(key) for key in STATE_FIELDS if data.get(key) is not None},
    )
    people = _People(prepared, members, batch.created_by_id)
    for staged in data.get("highlights", []):
        highlight = _anchored(article, _imported_highlight(staged), people.author(staged))
        prepared.highlights.append(highlight)
        prepared.updated.append((highlight, _when(staged.get("updated_at"))))
        for staged_reply in staged.get("replies", []):
            reply = _written(Reply, staged_reply, people.author(staged_reply))
            prepared.replies.append((highlight, reply))
            prepared.updated.append((reply, _when(staged_reply.get("updated_at"))))
    if data.get("note"):  # the single note of other formats: the importing member's
        prepared.notes.append(_written(ArticleNote, {"body": data["note"]}, batch.created_by_id))
    for staged in data.get("article_notes", []):
        note = _written(ArticleNote, staged, people.author(staged))
        prepared.notes.append(note)
        prepared.updated.append((note, _when(staged.get("updated_at"))))
    for read in data.get("readers", []):
        user_id = people.reader(read["user"])
        if user_id is not None:
            prepared.reads.append((user_id, _when(read["read_at"])))
    return prepared


class _People:
    """Who the staged usernames are among the target team's members.

    An author who is not a member is attributed to the importing member, and a
    reader who is not one is left out, with a warning on the item each.
    """

    def __init__(self, prepared, members, importer_id):
        self.prepared, self.members, self.importer_id = prepared, members, importer_id
        self.reported = set()

    def author(self, staged):
        name = staged.get("author", "")
        if name is None:
            return None  # the source says nobody: the account is gone
        if not name:
            return self.importer_id
        if name in self.members:
            return self.members[name]
        to = "attributed to you" if self.importer_id else "kept without an author"
        self._warn(f"The author '{name}' is not a member of this team; {to}.")
        return self.importer_id

    def reader(self, name):
        if name not in self.members:
            self._warn(f"The reader '{name}' is not a member of this team; their read is left out.")
        return self.members.get(name)

    def _warn(self, message):
        warnings = self.prepared.item.warnings
        if message not in self.reported and message not in warnings and len(warnings) < 50:
            warnings.append(message)
            self.prepared.warned = True
        self.reported.add(message)


def _imported_highlight(staged):
    """The ImportedHighlight a staged highlight was (items staged before version 2 lack keys)."""
    return ImportedHighlight(
        exact=staged["exact"],
        note=staged.get("note", ""),
        colour=staged.get("colour", "yellow"),
        prefix=staged.get("prefix", ""),
        suffix=staged.get("suffix", ""),
        created_at=_when(staged.get("created_at")),
        start=staged.get("start"),
        end=staged.get("end"),
        is_orphan=staged.get("is_orphan", False),
        visibility=staged.get("visibility", "team"),
    )


def _written(model, staged, author_id):
    """An unsaved Reply or ArticleNote from its staged dict (Markdown rendered once, here)."""
    body = staged["body"].strip()
    return model(
        author_id=author_id,
        body=body,
        body_html=render_note(body),
        created_at=_when(staged.get("created_at")) or timezone.now(),
    )


def _when(value):
    return datetime.fromisoformat(value) if value else None


def _anchored(article, imported, author_id):
    """A Highlight for an imported quote: placed on our text, or an orphan.

    The stored position (our own export has one) is tried first, then the
    quote with its context. An export's orphan stays an orphan: its passage
    was not found in the text it was made on, or was highlighted again.
    """
    exact = imported.exact.strip() or imported.exact
    start, end = imported.start, imported.end
    if start is None or end is None or end <= start:
        start, end = 0, max(1, len(exact))
    elif exact != imported.exact:  # the position was of the untrimmed quote
        start += len(imported.exact) - len(imported.exact.lstrip())
        end = start + len(exact)
    selector = anchoring.Selector(exact, imported.prefix, imported.suffix, start, end)
    placed = None
    if exact.strip() and not imported.is_orphan:
        placed = anchoring.anchor(selector, article.text)
    colour = imported.colour if imported.colour in Highlight.Colour.values else "yellow"
    visibility = imported.visibility
    if visibility not in Highlight.Visibility.values:
        visibility = Highlight.Visibility.PRIVATE
    note = imported.note.strip()
    highlight = Highlight(
        author_id=author_id,
        colour=colour,
        visibility=visibility,
        exact=exact,
        prefix=imported.prefix[:64],
        suffix=imported.suffix[:64],
        # Kept only by an orphan, which still needs a non-empty range: its last one.
        start=start,
        end=end,
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
                for row in [*entry.highlights, *entry.notes, *(r for _, r in entry.replies)]:
                    row.pk = None
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
    existing = Article.all_objects.filter(team=batch.team, content_hash__in=hashes)
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
        for highlight in _without_duplicate_ranges(entry):
            highlight.article = article
            highlights.append(highlight)
        for note in entry.notes:
            note.article = article
            notes.append(note)
        tagged.extend((article, name) for name in dict.fromkeys(entry.tags))
    # Both databases return the new ids (SQLite 3.35+), so replies can point at them.
    Highlight.objects.bulk_create(highlights)
    replies = []
    for entry in entries:
        for highlight, reply in entry.replies:
            reply.highlight = highlight
            replies.append(reply)
    Reply.objects.bulk_create(replies)
    ArticleNote.objects.bulk_create(notes)
    _save_states(batch, zip(entries, articles, strict=True))
    if tagged:
        tags = _tags(batch.team, {name for _, name in tagged})
        Article.tags.through.objects.bulk_create(
            [Article.tags.through(article=article, tag=tags[name]) for article, name in tagged]
        )
    _restore_updated_at([pair for entry in entries for pair in entry.updated])
    # bulk_create skipped touch_annotations() and the signals: count what the
    # library sorts by, and let its cached pages know.
    Article.objects.filter(pk__in=[article.pk for article in articles]).count_annotations()
    freshness.bump_team(batch.team_id)
    # bulk_create sends no signals: index the chunk here, in its savepoint, so
    # the entries commit (or roll back into the per-item retry) with the articles.
    index_articles([article.pk for article in articles])


def _restore_updated_at(pairs):
    """The source's updated_at of highlights, replies and notes: auto_now set the
    insert's time, which bulk_update (no auto_now) replaces, one query a model."""
    by_model = {}
    for row, when in pairs:
        if when is not None and row.pk is not None:
            row.updated_at = when
            by_model.setdefault(type(row), []).append(row)
    for model, rows in by_model.items():
        model.objects.bulk_update(rows, ["updated_at"], batch_size=500)


def _save_states(batch, pairs):
    """Who read each article (our own export says), and the importing member's
    state of it as the source app had it."""
    reads, states = [], []
    for entry, article in pairs:
        state = entry.state
        when = article.saved_at
        readers = {}
        for user_id, read_at in entry.reads:
            readers.setdefault(user_id, read_at or when)
        if batch.created_by_id is not None and state.get("read"):
            readers.setdefault(batch.created_by_id, when)
        reads += [ArticleRead(article=article, user_id=u, read_at=t) for u, t in readers.items()]
        if batch.created_by_id is None:
            continue  # a command-line import without --user: nobody's state to keep
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
            item.reason = "Already in the team, or in its trash (same URL or same content)."
        elif entry.error:
            item.status, item.reason = ImportItem.Status.FAILED, entry.error
        else:
            article = None if batch.dry_run else entry.article
            item.status, item.reason, item.article = ImportItem.Status.CREATED, "", article
        counts[item.status] += 1
    _save_item_results([entry.item for entry in prepared])
    for entry in prepared:
        if entry.warned:  # rare (an author who is not a member): one UPDATE each
            ImportItem.objects.filter(pk=entry.item.pk).update(warnings=entry.item.warnings)
    ImportBatch.objects.filter(pk=batch.pk).update(
        created_count=F("created_count") + counts["created"],
        duplicate_count=F("duplicate_count") + counts["duplicate"],
        failed_count=F("failed_count") + counts["failed"],
        heartbeat_at=timezone.now(),
    )
    return counts


def _without_duplicate_ranges(entry):
    """An entry's highlights, each passage once per author (the database allows no more).

    The same passage highlighted twice by one author in the source is one
    highlight here; a repeat with words of its own (another note, or replies)
    is kept as an orphan instead, as a restored highlight is (Highlight.restore).
    """
    threaded = {id(highlight) for highlight, _ in entry.replies}
    notes, kept = {}, []
    for highlight in entry.highlights:
        key = (highlight.author_id, highlight.start, highlight.end)
        if not highlight.is_orphan and key in notes:
            if id(highlight) not in threaded and highlight.note in ("", notes[key]):
                continue
            highlight.is_orphan = True
        elif not highlight.is_orphan:
            notes[key] = highlight.note
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
