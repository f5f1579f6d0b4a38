"""The trash: deleted articles, highlights, notes and replies wait here before they go.

Deleting one of them only marks it (`Trashable.trash()`): every page leaves it
out, since the models' default managers do, and Undo or the article's trash
page brings back the same row, with the same id and everything attached (a
highlight's note and replies). After settings.TRASH_DAYS a task deletes it for
good; owners and admins may empty an article's trash sooner.
"""

from datetime import timedelta

from django.conf import settings
from django.core.cache import cache
from django.db.models import Count, Q
from django.utils import timezone
from django_tasks import task

from articles.models import Article, ArticleNote, Highlight, Reply
from newsreader.access import id_from

TRASHABLE = {"highlight": Highlight, "note": ArticleNote, "reply": Reply}
# At most one purge is queued a day, by whichever deletion comes first.
PURGE_EVERY_SECONDS = 24 * 60 * 60


def purge_trash(now=None):
    """Delete for good what has been in the trash longer than TRASH_DAYS; returns the count."""
    cutoff = (now or timezone.now()) - timedelta(days=settings.TRASH_DAYS)
    return sum(
        model.all_objects.filter(deleted_at__lt=cutoff).delete()[0]
        for model in (Reply, ArticleNote, Highlight, Article)
    )


@task()
def purge_old_trash():
    """The background purge (`manage.py db_worker` runs it)."""
    purge_trash()


def schedule_purge():
    if cache.add("trash:purge-queued", True, timeout=PURGE_EVERY_SECONDS):
        purge_old_trash.enqueue()


def trashed_for(article, user):
    """What of `article` is in the trash that `user` may see: highlights (never
    another member's private one), notes, and replies under highlights they see."""
    highlights = Highlight.all_objects.visible_to(user).filter(article=article)
    return {
        "highlights": list(
            highlights.exclude(deleted_at=None)
            .select_related("author")
            .annotate(reply_count=Count("replies", filter=Q(replies__deleted_at=None)))
        ),
        "notes": list(
            ArticleNote.all_objects.filter(article=article)
            .exclude(deleted_at=None)
            .select_related("author")
        ),
        "replies": list(
            Reply.all_objects.filter(highlight__in=highlights.filter(deleted_at=None))
            .exclude(deleted_at=None)
            .select_related("author", "highlight")
        ),
    }


def find_trashed(article, user, kind, pk):
    """A trashed highlight, note or reply of `article` that `user` can see, or None.

    A reply comes back only under a highlight the user sees and that is not in
    the trash itself (it would stay out of sight).
    """
    model, pk = TRASHABLE.get(kind), id_from(pk)
    if model is None or pk is None:
        return None
    if kind == "reply":
        found = model.all_objects.filter(
            highlight__in=Highlight.objects.visible_to(user).filter(article=article)
        )
    elif kind == "highlight":
        found = model.all_objects.visible_to(user).filter(article=article)
    else:
        found = model.all_objects.filter(article=article)
    return found.exclude(deleted_at=None).filter(pk=pk).first()


def empty_trash(article, user):
    """Delete for good what of `article` in the trash `user` sees (trashed_for());
    returns the count. Another member's private highlights are not theirs to
    see, count or delete: they wait for the purge."""
    trashed = trashed_for(article, user)
    pks = {kind: [item.pk for item in trashed[kind]] for kind in trashed}
    return (
        Reply.all_objects.filter(pk__in=pks["replies"]).delete()[0]
        + ArticleNote.all_objects.filter(pk__in=pks["notes"]).delete()[0]
        + Highlight.all_objects.filter(pk__in=pks["highlights"]).delete()[0]
    )


def trash_article(article, user):
    """Move an article to the trash: it and everything on it leave every page."""
    article.trash(user)
    schedule_purge()


def trashed_articles(team):
    return (
        Article.all_objects.filter(team=team)
        .exclude(deleted_at=None)
        .defer("original", "html", "text")
        .select_related("deleted_by")
        .order_by("-deleted_at")
    )


def empty_team_trash(team):
    """Delete for good the team's articles in the trash (with all on them); returns the count."""
    return trashed_articles(team).delete()[0]
