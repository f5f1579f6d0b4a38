"""Teams and imports leave the articles app (for teams/ and imports/).

State only: the foreign keys of articles and tags now name teams.Team, which
is the same table (articles_team), so nothing in the database changes but the
content types, which follow the models so that permissions given to users and
groups, and the admin's history, stay attached to them.
"""

import django.db.models.deletion
from django.apps import apps as global_apps
from django.db import migrations, models

MOVED = {"team": "teams", "membership": "teams", "invitation": "teams",
         "importbatch": "imports", "importitem": "imports"}
ADMIN = global_apps.is_installed("django.contrib.admin")


def move_content_types(apps, schema_editor, forward=True):
    ContentType = apps.get_model("contenttypes", "ContentType")
    for model, app in MOVED.items():
        old_label, new_label = ("articles", app) if forward else (app, "articles")
        old = ContentType.objects.filter(app_label=old_label, model=model).first()
        if old is None:
            continue
        new = ContentType.objects.filter(app_label=new_label, model=model).first()
        if new is None:
            old.app_label = new_label
            old.save(update_fields=["app_label"])
        else:
            # Both exist when post_migrate ran between the two apps' migrations
            # (`migrate teams`, then `migrate`): it made `new`, while users,
            # groups and the admin's history still point at `old`.
            merge_content_type(apps, old, new)


def merge_content_type(apps, old, new):
    """Move everything that points at `old` onto `new`, then delete `old`."""
    Permission = apps.get_model("auth", "Permission")
    for permission in Permission.objects.filter(content_type=old):
        twin = Permission.objects.filter(content_type=new, codename=permission.codename).first()
        if twin is None:
            permission.content_type = new
            permission.save(update_fields=["content_type"])
        else:
            twin.group_set.add(*permission.group_set.all())
            twin.user_set.add(*permission.user_set.all())
            permission.delete()
    if "admin" in apps.app_configs:
        LogEntry = apps.get_model("admin", "LogEntry")
        LogEntry.objects.filter(content_type=old).update(content_type=new)
    old.delete()


def move_content_types_back(apps, schema_editor):
    move_content_types(apps, schema_editor, forward=False)


class Migration(migrations.Migration):

    dependencies = [
        ("articles", "0005_imports"),
        ("teams", "0001_initial"),
        ("contenttypes", "0002_remove_content_type_name"),
        # For the admin's history (LogEntry) in merge_content_type().
        *([("admin", "0003_logentry_add_action_flag_choices")] if ADMIN else []),
    ]

    state_operations = [
        migrations.RemoveField(model_name="importitem", name="batch"),
        migrations.RemoveField(model_name="importitem", name="article"),
        migrations.RemoveField(model_name="invitation", name="created_by"),
        migrations.RemoveField(model_name="invitation", name="team"),
        migrations.RemoveField(model_name="invitation", name="used_by"),
        migrations.RemoveField(model_name="membership", name="team"),
        migrations.RemoveField(model_name="membership", name="user"),
        migrations.RemoveField(model_name="team", name="personal_for"),
        migrations.AlterField(
            model_name="article",
            name="team",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.CASCADE,
                related_name="articles",
                to="teams.team",
            ),
        ),
        migrations.AlterField(
            model_name="tag",
            name="team",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.CASCADE,
                related_name="tags",
                to="teams.team",
            ),
        ),
        migrations.DeleteModel(name="ImportBatch"),
        migrations.DeleteModel(name="ImportItem"),
        migrations.DeleteModel(name="Invitation"),
        migrations.DeleteModel(name="Membership"),
        migrations.DeleteModel(name="Team"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(state_operations=state_operations),
        migrations.RunPython(move_content_types, move_content_types_back),
    ]
