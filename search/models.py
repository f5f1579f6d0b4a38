from django.db import models


class SearchEntry(models.Model):
    """One searchable thing: an article's text, a highlight's quote, a highlight's
    note, an article note or a reply, with what searching it needs to know.

    Rows are written by search/index.py only, always from the things they
    index (INSERT … SELECT): nothing in the trash, nothing of an article in
    the trash, nothing a moderator removed. Under a private highlight
    (quote, note, replies) `private_to` holds its author's id, so only they
    ever match it; 0 when that author is gone (nobody).

    The full-text index itself is not a model field. SQLite: the FTS5 table
    `search_fts` over (title, body), external content = this table, kept in
    step by triggers. PostgreSQL: the `document` tsvector column, set by a
    trigger from title (weight A) and body (weight B) with `config`, and its
    GIN index. Both come from migration 0001. Mind them in a later migration
    of this model: on SQLite, a table rebuild drops the triggers.
    """

    class Kind(models.TextChoices):
        ARTICLE = "article", "Article"
        HIGHLIGHT = "highlight", "Highlight"
        NOTE = "note", "Highlight note"
        ARTICLE_NOTE = "article_note", "Article note"
        REPLY = "reply", "Reply"

    kind = models.CharField(max_length=12, choices=Kind.choices)
    team = models.ForeignKey("teams.Team", on_delete=models.CASCADE, related_name="+")
    article = models.ForeignKey("articles.Article", on_delete=models.CASCADE, related_name="+")
    # The indexed row's id (the article's own for kind "article").
    object_id = models.BigIntegerField()
    # The highlight a quote, note or reply belongs to (the reader's #hl-<id>),
    # and the reply or article note indexed. Deleting any of them for good
    # takes its entries along, in one DELETE per batch, as deleting the
    # article or the team does: no signal needed, none sent per row.
    highlight = models.ForeignKey(
        "articles.Highlight",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        db_index=False,
    )
    reply = models.ForeignKey(
        "articles.Reply",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        db_index=False,
    )
    article_note = models.ForeignKey(
        "articles.ArticleNote",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        db_index=False,
    )
    # Plain ids: a deleted user's entries keep pointing at nobody.
    author_id = models.BigIntegerField(null=True, blank=True)
    private_to = models.BigIntegerField(null=True, blank=True)
    colour = models.CharField(max_length=10, blank=True)
    # Article: title, byline and site name. Others: blank.
    title = models.TextField(blank=True)
    body = models.TextField(blank=True)
    # The PostgreSQL text search configuration of the article's language.
    config = models.CharField(max_length=20, default="simple")

    class Meta:
        verbose_name_plural = "search entries"
        # Partial: most entries have no highlight, and only replies a reply.
        indexes = [
            models.Index(
                fields=["highlight"],
                name="search_entry_highlight",
                condition=models.Q(highlight__isnull=False),
            ),
            models.Index(
                fields=["reply"], name="search_entry_reply", condition=models.Q(reply__isnull=False)
            ),
            models.Index(
                fields=["article_note"],
                name="search_entry_article_note",
                condition=models.Q(article_note__isnull=False),
            ),
        ]

    def __str__(self):
        return f"{self.kind} {self.object_id}"
