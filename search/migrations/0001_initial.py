"""The search index: its entries, and the full-text index over them, which
each database builds its own way (the SQL below), then filled from what
is already there."""

import django.db.models.deletion
from django.db import migrations, models

SQLITE = [
    # External content: the rows' text stays in search_searchentry only.
    """CREATE VIRTUAL TABLE search_fts USING fts5(
        title, body,
        content='search_searchentry', content_rowid='id',
        tokenize='porter unicode61 remove_diacritics 2'
    )""",
    """CREATE TRIGGER search_fts_insert AFTER INSERT ON search_searchentry BEGIN
        INSERT INTO search_fts(rowid, title, body) VALUES (new.id, new.title, new.body);
    END""",
    # An external-content table forgets a row given the values it indexed.
    """CREATE TRIGGER search_fts_delete AFTER DELETE ON search_searchentry BEGIN
        INSERT INTO search_fts(search_fts, rowid, title, body)
        VALUES ('delete', old.id, old.title, old.body);
    END""",
    """CREATE TRIGGER search_fts_update AFTER UPDATE OF title, body ON search_searchentry BEGIN
        INSERT INTO search_fts(search_fts, rowid, title, body)
        VALUES ('delete', old.id, old.title, old.body);
        INSERT INTO search_fts(rowid, title, body) VALUES (new.id, new.title, new.body);
    END""",
]
SQLITE_REVERSE = [
    "DROP TRIGGER IF EXISTS search_fts_update",
    "DROP TRIGGER IF EXISTS search_fts_delete",
    "DROP TRIGGER IF EXISTS search_fts_insert",
    "DROP TABLE IF EXISTS search_fts",
]

POSTGRESQL = [
    "ALTER TABLE search_searchentry ADD COLUMN document tsvector",
    """CREATE FUNCTION search_searchentry_document() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        NEW.document :=
            setweight(to_tsvector(NEW.config::regconfig, NEW.title), 'A')
            || setweight(to_tsvector(NEW.config::regconfig, NEW.body), 'B');
        RETURN NEW;
    END
    $$""",
    """CREATE TRIGGER search_searchentry_document
    BEFORE INSERT OR UPDATE OF title, body, config ON search_searchentry
    FOR EACH ROW EXECUTE FUNCTION search_searchentry_document()""",
    "CREATE INDEX search_entry_document ON search_searchentry USING gin (document)",
    # Which configurations are in use (a query is built with each of them).
    "CREATE INDEX search_entry_config ON search_searchentry (config)",
]
POSTGRESQL_REVERSE = [
    "DROP INDEX IF EXISTS search_entry_config",
    "DROP INDEX IF EXISTS search_entry_document",
    "DROP TRIGGER IF EXISTS search_searchentry_document ON search_searchentry",
    "DROP FUNCTION IF EXISTS search_searchentry_document()",
    "ALTER TABLE search_searchentry DROP COLUMN IF EXISTS document",
]


def _run(schema_editor, statements):
    for statement in statements.get(schema_editor.connection.vendor, []):
        schema_editor.execute(statement)


def create_full_text_index(apps, schema_editor):
    _run(schema_editor, {"sqlite": SQLITE, "postgresql": POSTGRESQL})


def drop_full_text_index(apps, schema_editor):
    _run(schema_editor, {"sqlite": SQLITE_REVERSE, "postgresql": POSTGRESQL_REVERSE})


def fill_index(apps, schema_editor):
    # The set-based rebuild reads only columns that articles 0012 has. Should
    # it ever need newer ones, freeze a copy of today's SQL here instead.
    from search.index import rebuild

    rebuild(using=schema_editor.connection.alias)


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ('articles', '0012_capture_selection'),
        ('teams', '0001_initial'),
    ]

    operations = [
        migrations.CreateModel(
            name='SearchEntry',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('kind', models.CharField(choices=[('article', 'Article'), ('highlight', 'Highlight'), ('note', 'Highlight note'), ('article_note', 'Article note'), ('reply', 'Reply')], max_length=12)),
                ('object_id', models.BigIntegerField()),
                ('author_id', models.BigIntegerField(blank=True, null=True)),
                ('private_to', models.BigIntegerField(blank=True, null=True)),
                ('colour', models.CharField(blank=True, max_length=10)),
                ('title', models.TextField(blank=True)),
                ('body', models.TextField(blank=True)),
                ('config', models.CharField(default='simple', max_length=20)),
                ('article', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='articles.article')),
                ('article_note', models.ForeignKey(blank=True, db_index=False, null=True, on_delete=django.db.models.deletion.CASCADE, related_name='+', to='articles.articlenote')),
                ('highlight', models.ForeignKey(blank=True, db_index=False, null=True, on_delete=django.db.models.deletion.CASCADE, related_name='+', to='articles.highlight')),
                ('reply', models.ForeignKey(blank=True, db_index=False, null=True, on_delete=django.db.models.deletion.CASCADE, related_name='+', to='articles.reply')),
                ('team', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='teams.team')),
            ],
            options={
                'verbose_name_plural': 'search entries',
                'indexes': [models.Index(condition=models.Q(('highlight__isnull', False)), fields=['highlight'], name='search_entry_highlight'), models.Index(condition=models.Q(('reply__isnull', False)), fields=['reply'], name='search_entry_reply'), models.Index(condition=models.Q(('article_note__isnull', False)), fields=['article_note'], name='search_entry_article_note')],
            },
        ),
        migrations.RunPython(create_full_text_index, drop_full_text_index),
        migrations.RunPython(fill_index, migrations.RunPython.noop),
    ]
