"""A member's own reading state of an article: opened, how far, finished,
archived, starred. Everyone's own: read-only members keep theirs too.

The state of an article for a member is derived from two rows, kept apart
since imports and the "read by" line came first: ArticleRead (they opened
it, or the source app says they read it) and ArticleState (progress,
archive, star, last opened).

- finished: progress reached the end, or read with no progress known (an
  import or the API said "read");
- reading: opened, or some progress, and not finished;
- unread: neither.
"""

from django.db import models
from django.utils import timezone

from articles.models import ArticleRead, ArticleState

UNREAD, READING, FINISHED = "unread", "reading", "finished"
# Progress this close to the end counts as the end: the last lines of an
# article rarely scroll to the top of the window.
FINISHED_AT = 0.98

# What a member can do from the reader and the library (articles/views.py state_change).
ACTIONS = ("archive", "unarchive", "star", "unstar", "finished", "unread")
# What was done, for the message after a plain form post.
DONE = {
    "archive": "Archived “{title}”.",
    "unarchive": "“{title}” is back in the library.",
    "star": "Starred “{title}”.",
    "unstar": "Unstarred “{title}”.",
    "finished": "Marked “{title}” as finished.",
    "unread": "Marked “{title}” as unread.",
}


def status(read, state):
    """UNREAD, READING or FINISHED from the member's ArticleRead (or None) and ArticleState."""
    progress = state.progress if state else None
    if progress is not None and progress >= FINISHED_AT:
        return FINISHED
    if read is not None and progress is None:
        return FINISHED
    if read is not None or (progress or 0) > 0:
        return READING
    return UNREAD


def describe(article, read, state):
    """Set what the state controls show on `article`: own_state, reading_status and
    progress_percent, from the member's ArticleRead (or None) and ArticleState."""
    article.own_state = state
    article.reading_status = status(read, state)
    progress = state.progress if state else None
    article.progress_percent = round(progress * 100) if progress is not None else None
    return article


def describe_for(article, user):
    """describe() for one article, looking its rows up."""
    read = ArticleRead.objects.filter(article=article, user=user).first()
    return describe(article, read, ArticleState.objects.filter(article=article, user=user).first())


def _state(article, user):
    return ArticleState.objects.get_or_create(article=article, user=user)[0]


def opened(article, user):
    """The member opened the article in the reader: it is theirs as "reading"
    (unless finished), and first in their "last opened"."""
    _, first_time = ArticleRead.objects.get_or_create(article=article, user=user)
    state = _state(article, user)
    state.opened_at = timezone.now()
    if first_time and state.progress is None:
        # Started; an article read before without a position stays finished.
        state.progress = 0.0
    state.save(update_fields=["opened_at", "progress", "updated_at"])
    return state


def save_progress(article, user, progress):
    """How far the member has read (0 to 1), sent by the reader as they scroll."""
    state = _state(article, user)
    state.progress = min(max(float(progress), 0.0), 1.0)
    state.save(update_fields=["progress", "updated_at"])
    ArticleRead.objects.get_or_create(article=article, user=user)
    return state


def act(article, user, action):
    """One of ACTIONS; returns the member's ArticleState."""
    state = _state(article, user)
    now = timezone.now()
    if action == "archive":
        state.archived_at = state.archived_at or now
    elif action == "unarchive":
        state.archived_at = None
    elif action == "star":
        state.starred_at = state.starred_at or now
    elif action == "unstar":
        state.starred_at = None
    elif action == "finished":
        state.progress = 1.0
        ArticleRead.objects.get_or_create(article=article, user=user)
    elif action == "unread":
        state.progress = None
        ArticleRead.objects.filter(article=article, user=user).delete()
    else:
        raise ValueError(f"Unknown reading action {action!r}.")
    state.save()
    return state


# For querysets of articles (articles/library.py).


def _read_by(user):
    return models.Exists(ArticleRead.objects.filter(article=models.OuterRef("pk"), user=user))


def _states(user, **conditions):
    return models.Exists(
        ArticleState.objects.filter(article=models.OuterRef("pk"), user=user, **conditions)
    )


def filter_status(articles, user, wanted):
    """`articles` in the member's UNREAD, READING or FINISHED status."""
    ended = _states(user, progress__gte=FINISHED_AT)
    known = _states(user, progress__isnull=False)
    finished = ended | (_read_by(user) & ~known)
    if wanted == FINISHED:
        return articles.filter(finished)
    started = _read_by(user) | _states(user, progress__gt=0)
    if wanted == READING:
        return articles.filter(started).exclude(finished)
    return articles.exclude(started)


def filter_archived(articles, user, archived=True):
    query = _states(user, archived_at__isnull=False)
    return articles.filter(query) if archived else articles.exclude(query)


def filter_starred(articles, user):
    return articles.filter(_states(user, starred_at__isnull=False))
