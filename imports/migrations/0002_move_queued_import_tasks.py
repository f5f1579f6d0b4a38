"""Import tasks queued before the move name their function by its old path.

django-tasks-db stores a task's dotted path; a worker started after the
upgrade must still find the imports queued (or interrupted) before it.
"""

from django.db import migrations

OLD, NEW = "articles.tasks.run_import", "imports.batches.run_import"


def rename(apps, schema_editor, old=OLD, new=NEW):
    DBTaskResult = apps.get_model("django_tasks_database", "DBTaskResult")
    DBTaskResult.objects.filter(task_path=old).update(task_path=new)


def rename_back(apps, schema_editor):
    rename(apps, schema_editor, old=NEW, new=OLD)


class Migration(migrations.Migration):
    dependencies = [
        ("imports", "0001_initial"),
        ("django_tasks_database", "0001_initial"),
    ]

    operations = [migrations.RunPython(rename, rename_back)]
