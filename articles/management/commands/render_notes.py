from django.core.management.base import BaseCommand
from django.db import transaction
from django.db.models import F

from articles import freshness
from articles.models import Article, ArticleNote, Highlight, Reply
from newsreader.lib.markdown import render_note

BATCH = 500


def rerender(model, source, target, article):
    """Render each row's Markdown `source` into `target` again, writing only the rows
    whose HTML changes; returns (rows written, ids of their articles)."""
    changed, articles = [], set()
    rows = (
        model.all_objects.exclude(**{source: ""})
        .annotate(article_pk=F(article))
        .only("pk", source, target)
    )
    for row in rows.iterator(chunk_size=BATCH):
        html = render_note(getattr(row, source))
        if html != getattr(row, target):
            setattr(row, target, html)
            changed.append(row)
            articles.add(row.article_pk)
    model.all_objects.bulk_update(changed, [target], batch_size=BATCH)
    return len(changed), articles


class Command(BaseCommand):
    help = (
        "Render every highlight note, article note and reply again with the current "
        "Markdown renderer (after an upgrade that renders more of Markdown). Only rows "
        "whose HTML changes are written; readers see them at once."
    )

    def handle(self, *args, **options):
        articles = set()
        for model, source, target, article, label in (
            (Highlight, "note", "note_html", "article_id", "highlight notes"),
            (ArticleNote, "body", "body_html", "article_id", "article notes"),
            (Reply, "body", "body_html", "highlight__article_id", "replies"),
        ):
            count, touched = rerender(model, source, target, article)
            articles |= touched
            self.stdout.write(f"{label}: {count} rendered again")
        # The reader's cached panels and the library's cached pages show notes.
        changed = Article.all_objects.filter(pk__in=articles)
        with transaction.atomic():
            changed.update(annotations_version=F("annotations_version") + 1)
            for team_id in set(changed.values_list("team_id", flat=True)):
                freshness.bump_team(team_id)
