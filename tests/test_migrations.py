"""A database made before the split of `articles` migrates forward into the
teams, articles and imports apps with every row where it was.

The test database is fully migrated, so the test first migrates it back to
the old state (articles 0005, no teams or imports migrations), fills every
table the old articles app had through the historical models, and migrates
forward again. It ends fully migrated, pass or fail, so other tests see the
schema they expect; pytest-django flushes the rows afterwards.
"""

import datetime

import pytest
from django.contrib.admin.models import LogEntry
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from articles.models import Article, ArticleNote, ArticleRead, Highlight, Reply, Tag
from imports.models import ImportBatch, ImportItem
from teams.models import Invitation, Membership, Team

# Unapplying every teams and imports migration also unapplies articles 0006,
# which depends on teams 0001 (and imports 0001 depends on articles 0006).
OLD_STATE = [("imports", None), ("teams", None), ("articles", "0005_imports")]

# Every table the articles app had at 0005.
OLD_TABLES = [
    "articles_team",
    "articles_membership",
    "articles_invitation",
    "articles_tag",
    "articles_article",
    "articles_article_tags",
    "articles_highlight",
    "articles_articlenote",
    "articles_reply",
    "articles_articleread",
    "articles_importbatch",
    "articles_importitem",
]
# Rows of other apps that point at the moved models' content types.
LINKED_TABLES = [
    "auth_permission",
    "auth_group_permissions",
    "auth_user_user_permissions",
    "django_admin_log",
]
MOVED = {
    "team": "teams",
    "membership": "teams",
    "invitation": "teams",
    "importbatch": "imports",
    "importitem": "imports",
}

# Bytes that are not UTF-8, so a lossy round trip would show.
ORIGINAL = b"<html><body><p>Caf\xe9 \x00\xff\xfe</p></body></html>"
CONTENT = b"\x89PNG\r\n\x1a\n\x00\x01"
WHEN = datetime.datetime(2026, 3, 1, 9, 30, 15, 123456, tzinfo=datetime.UTC)


def migrate(targets):
    """Migrate to `targets` and return an executor whose graph knows the result."""
    executor = MigrationExecutor(connection)
    executor.migrate(targets)
    executor.loader.build_graph()
    return executor


def migrate_to_latest():
    return migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())


def old_apps(executor):
    """The historical models at the old state (with auth, contenttypes and admin)."""
    graph = executor.loader.graph
    nodes = [("articles", "0005_imports")]
    for app in ("auth", "contenttypes", "admin"):
        nodes += graph.leaf_nodes(app)
    return executor.loader.project_state(nodes).apps


def make_old_rows(apps):
    """At least one row in every old table; returns the ids the checks need."""
    User = apps.get_model("auth", "User")
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    ContentType = apps.get_model("contenttypes", "ContentType")
    LogEntry = apps.get_model("admin", "LogEntry")
    Team = apps.get_model("articles", "Team")
    Membership = apps.get_model("articles", "Membership")
    Invitation = apps.get_model("articles", "Invitation")
    Tag = apps.get_model("articles", "Tag")
    Article = apps.get_model("articles", "Article")
    Highlight = apps.get_model("articles", "Highlight")
    ArticleNote = apps.get_model("articles", "ArticleNote")
    Reply = apps.get_model("articles", "Reply")
    ArticleRead = apps.get_model("articles", "ArticleRead")
    ImportBatch = apps.get_model("articles", "ImportBatch")
    ImportItem = apps.get_model("articles", "ImportItem")

    olivia = User.objects.create(username="olivia", password="!")
    tariq = User.objects.create(username="tariq", password="!")
    editor = User.objects.create(username="edith", password="!")
    team = Team.objects.create(name="Newsroom", slug="newsroom", created_at=WHEN)
    personal = Team.objects.create(name="Olivia", slug="olivia", personal_for=olivia)
    Membership.objects.create(team=team, user=olivia, role="owner", last_used_at=WHEN)
    Membership.objects.create(team=team, user=tariq, role="member")
    Membership.objects.create(team=personal, user=olivia, role="owner")
    invitation = Invitation.objects.create(
        team=team,
        role="readonly",
        token_hash="a" * 64,
        created_by=olivia,
        expires_at=WHEN + datetime.timedelta(days=7),
        used_by=tariq,
        used_at=WHEN,
    )
    tag = Tag.objects.create(team=team, name="économie")
    Tag.objects.create(team=team, name="unused")
    article = Article.objects.create(
        team=team,
        added_by=olivia,
        source_url="https://example.com/story?id=1",
        normalized_url="https://example.com/story?id=1",
        content_hash="c" * 64,
        original=ORIGINAL,
        original_content_type="text/html; charset=latin-1",
        original_filename="story.html",
        original_charset="latin-1",
        kind="html",
        title="Café story",
        byline="By Olivia",
        site_name="Example",
        published=datetime.date(2026, 2, 28),
        language="en",
        html="<p>Café \N{SNOWMAN}</p>",
        text="Café \N{SNOWMAN}\n",
        excerpt="Café",
        word_count=2,
        reading_minutes=1,
        extractor_version="3",
        extracted_at=WHEN,
        annotations_version=4,
    )
    article.tags.add(tag)
    highlight = Highlight.objects.create(
        article=article,
        author=tariq,
        colour="green",
        exact="Café",
        suffix=" \N{SNOWMAN}",
        start=0,
        end=4,
        anchored_by="quote",
        note="**Why** here?",
        note_html="<p><strong>Why</strong> here?</p>",
        visibility="private",
        removed_at=WHEN,
        removed_by=olivia,
    )
    ArticleNote.objects.create(article=article, author=olivia, body="Read", body_html="<p>Read</p>")
    Reply.objects.create(highlight=highlight, author=olivia, body="Yes", body_html="<p>Yes</p>")
    ArticleRead.objects.create(article=article, user=tariq, read_at=WHEN)
    batch = ImportBatch.objects.create(
        team=team,
        created_by=olivia,
        format="csv",
        files=[{"name": "links.csv", "stored": "b1.csv"}],
        status="finished",
        total=2,
        created_count=1,
        failed_count=1,
        started_at=WHEN,
        finished_at=WHEN,
        heartbeat_at=WHEN,
    )
    item = ImportItem.objects.create(
        batch=batch,
        position=0,
        source="https://example.com/story?id=1",
        status="created",
        article=article,
        data={"title": "Café story", "tags": ["économie"]},
        content=CONTENT,
    )
    ImportItem.objects.create(
        batch=batch, position=1, source="bad", status="failed", reason="No such page"
    )

    # What post_migrate made for the old models: their content types and
    # permissions (the migration back moved them to articles already).
    content_types = {
        model: ContentType.objects.get_or_create(app_label="articles", model=model)[0].pk
        for model in MOVED
    }
    change_team, _ = Permission.objects.get_or_create(
        content_type_id=content_types["team"],
        codename="change_team",
        defaults={"name": "Can change team"},
    )
    view_batch, _ = Permission.objects.get_or_create(
        content_type_id=content_types["importbatch"],
        codename="view_importbatch",
        defaults={"name": "Can view import batch"},
    )
    group = Group.objects.create(name="Editors")
    group.permissions.add(change_team, view_batch)
    editor.groups.add(group)
    tariq.user_permissions.add(change_team)
    log = LogEntry.objects.create(
        action_time=WHEN,
        user=olivia,
        content_type_id=content_types["team"],
        object_id=str(team.pk),
        object_repr="Newsroom",
        action_flag=2,
        change_message='[{"changed": {"fields": ["Name"]}}]',
    )
    return {
        "team": team.pk,
        "personal": personal.pk,
        "olivia": olivia.pk,
        "tariq": tariq.pk,
        "editor": editor.pk,
        "invitation": invitation.pk,
        "tag": tag.pk,
        "article": article.pk,
        "highlight": highlight.pk,
        "batch": batch.pk,
        "item": item.pk,
        "log": log.pk,
        "content_types": content_types,
    }


def normalise(value):
    return bytes(value) if isinstance(value, memoryview | bytearray) else value


def snapshot(tables):
    """{table: (columns, {id: {column: value}})}, read with plain SQL."""
    result = {}
    with connection.cursor() as cursor:
        for table in tables:
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)} ORDER BY id")  # noqa: S608
            columns = [column[0] for column in cursor.description]
            rows = {}
            for row in cursor.fetchall():
                values = dict(zip(columns, map(normalise, row), strict=True))
                rows[values["id"]] = values
            result[table] = (columns, rows)
    return result


def content_type_rows():
    with connection.cursor() as cursor:
        cursor.execute("SELECT id, app_label, model FROM django_content_type ORDER BY id")
        return {row[0]: (row[1], row[2]) for row in cursor.fetchall()}


def assert_same_rows(before, after):
    for table, (old_columns, old_rows) in before.items():
        new_columns, new_rows = after[table]
        assert old_rows, f"the test made no rows in {table}"
        assert new_rows.keys() == old_rows.keys(), f"{table} lost or gained rows"
        # A later migration may drop a column (articles_highlight.anchored_by,
        # say): compare what both schemas have.
        shared = [column for column in old_columns if column in new_columns]
        assert "id" in shared and len(shared) > 1
        for pk, old in old_rows.items():
            new = new_rows[pk]
            assert {c: new[c] for c in shared} == {c: old[c] for c in shared}, (table, pk)


def assert_reachable_through_the_current_models(ids):
    ContentType.objects.clear_cache()
    team = Team.objects.get(pk=ids["team"])
    olivia = get_user_model().objects.get(pk=ids["olivia"])
    assert (team.name, team.slug, team.created_at) == ("Newsroom", "newsroom", WHEN)
    assert olivia.personal_team.pk == ids["personal"]
    assert {(m.user.username, m.role) for m in team.memberships.all()} == {
        ("olivia", "owner"),
        ("tariq", "member"),
    }
    invitation = Invitation.objects.get(pk=ids["invitation"])
    assert (invitation.team, invitation.used_by_id, invitation.role) == (
        team,
        ids["tariq"],
        Membership.Role.READ_ONLY,
    )

    article = Article.objects.get(pk=ids["article"])
    assert article.team == team
    assert article.added_by == olivia
    assert bytes(article.original) == ORIGINAL
    assert (article.html, article.text) == ("<p>Café \N{SNOWMAN}</p>", "Café \N{SNOWMAN}\n")
    assert list(article.tags.all()) == [Tag.objects.get(pk=ids["tag"])]
    assert list(team.tags.order_by("name").values_list("name", flat=True)) == [
        "unused",
        "économie",
    ]
    assert list(team.articles.all()) == [article]

    highlight = Highlight.objects.get(pk=ids["highlight"])
    assert (highlight.article, highlight.note, highlight.removed_by) == (
        article,
        "**Why** here?",
        olivia,
    )
    assert [reply.body for reply in highlight.replies.all()] == ["Yes"]
    assert [note.body for note in ArticleNote.objects.filter(article=article)] == ["Read"]
    assert [read.user_id for read in ArticleRead.objects.filter(article=article)] == [ids["tariq"]]
    assert Reply.objects.get(highlight=highlight).author == olivia

    batch = ImportBatch.objects.get(pk=ids["batch"])
    assert (batch.team, batch.files, batch.status) == (
        team,
        [{"name": "links.csv", "stored": "b1.csv"}],
        ImportBatch.Status.FINISHED,
    )
    assert list(team.import_batches.all()) == [batch]
    item = ImportItem.objects.get(pk=ids["item"])
    assert (item.batch, item.article, bytes(item.content)) == (batch, article, CONTENT)
    assert item.data == {"title": "Café story", "tags": ["économie"]}
    assert [i.position for i in batch.items.all()] == [0, 1]


def assert_permissions_followed_the_models(ids):
    ContentType.objects.clear_cache()
    for model, app in MOVED.items():
        assert ContentType.objects.filter(app_label=app, model=model).count() == 1
    assert not ContentType.objects.filter(app_label="articles", model__in=MOVED).exists()
    assert Permission.objects.filter(codename="change_team").count() == 1

    users = get_user_model().objects
    editor, tariq, olivia = (users.get(pk=ids[name]) for name in ("editor", "tariq", "olivia"))
    assert editor.has_perm("teams.change_team")  # through the group
    assert editor.has_perm("imports.view_importbatch")
    assert tariq.has_perm("teams.change_team")  # given directly
    assert not tariq.has_perm("imports.view_importbatch")
    assert not olivia.has_perm("teams.change_team")
    assert not tariq.has_perm("articles.change_team")

    log = LogEntry.objects.get(pk=ids["log"])
    assert log.content_type == ContentType.objects.get_for_model(Team)
    assert (log.content_type.app_label, log.content_type.model) == ("teams", "team")
    assert log.get_edited_object() == Team.objects.get(pk=ids["team"])


@pytest.mark.django_db(transaction=True)
def test_an_old_database_migrates_into_the_new_apps_with_every_row_intact():
    try:
        executor = migrate(OLD_STATE)
        assert ("articles", "0006_move_teams_and_imports") not in executor.loader.applied_migrations
        ids = make_old_rows(old_apps(executor))
        before = snapshot(OLD_TABLES + LINKED_TABLES)
        content_types_before = content_type_rows()

        executor = migrate(executor.loader.graph.leaf_nodes())
        assert not executor.migration_plan(executor.loader.graph.leaf_nodes())
        after = snapshot(OLD_TABLES + LINKED_TABLES)
    finally:
        migrate_to_latest()

    assert_same_rows(before, after)
    # Content types keep their ids (so every row pointing at them still does);
    # only the moved models' app labels change.
    content_types_after = content_type_rows()
    for model, app in MOVED.items():
        assert content_types_after[ids["content_types"][model]] == (app, model)
    assert content_types_after.keys() == content_types_before.keys()
    for pk, (app, model) in content_types_before.items():
        expected = MOVED[model] if app == "articles" and model in MOVED else app
        assert content_types_after[pk] == (expected, model)
    assert_reachable_through_the_current_models(ids)
    assert_permissions_followed_the_models(ids)


@pytest.mark.django_db(transaction=True)
def test_permissions_survive_new_content_types_made_before_the_move():
    # `manage.py migrate teams` applies teams 0001 alone, and its post_migrate
    # makes content types and permissions for the teams models before
    # articles 0006 has moved the old ones, which users and groups still hold.
    try:
        ids = make_old_rows(old_apps(migrate(OLD_STATE)))
        call_command("migrate", "teams", verbosity=0)
        assert ContentType.objects.filter(app_label="teams", model="team").exists()
        migrate_to_latest()
    finally:
        migrate_to_latest()

    assert_permissions_followed_the_models(ids)
    assert_reachable_through_the_current_models(ids)


@pytest.mark.django_db(transaction=True)
def test_imports_queued_before_the_move_still_find_their_task():
    # django-tasks-db stores the task's dotted path; the old one is gone.
    from django_tasks_db.models import DBTaskResult

    try:
        migrate(OLD_STATE)
        queued = DBTaskResult.objects.create(
            args_kwargs={"args": [1], "kwargs": {}},
            task_path="articles.tasks.run_import",
            backend_name="default",
            run_after=WHEN,
        )
        migrate_to_latest()
    finally:
        migrate_to_latest()
    queued.refresh_from_db()
    assert queued.task_path == "imports.batches.run_import"
    from django.utils.module_loading import import_string

    from imports.batches import run_import

    assert import_string(queued.task_path) is run_import
