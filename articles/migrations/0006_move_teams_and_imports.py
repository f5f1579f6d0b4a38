"""Teams and imports leave the articles app (for teams/ and imports/).

State only: the foreign keys of articles and tags now name teams.Team, which
is the same table (articles_team), so nothing in the database changes but the
content types, which follow the models so that permissions given to users and
groups, and the admin's history, stay attached to them.
"""

import django.db.models.deletion
from django.db import migrations, models

MOVED = {"team": "teams", "membership": "teams", "invitation": "teams",
         "importbatch": "imports", "importitem": "imports"}


def move_content_types(apps, schema_editor, forward=True):
    ContentType = apps.get_model("contenttypes", "ContentType")
    for model, app in MOVED.items():
        old, new = ("articles", app) if forward else (app, "articles")
        # After a partial run both may exist: the one with the rows wins.
        if not ContentType.objects.filter(app_label=new, model=model).exists():
            ContentType.objects.filter(app_label=old, model=model).update(app_label=new)


def move_content_types_back(apps, schema_editor):
    move_content_types(apps, schema_editor, forward=False)


class Migration(migrations.Migration):

    dependencies = [
        ("articles", "0005_imports"),
        ("teams", "0001_initial"),
        ("contenttypes", "0002_remove_content_type_name"),
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
