# Highlight.anchored_by was written (which method placed a highlight) and never read.

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('articles', '0006_move_teams_and_imports'),
    ]

    operations = [
        migrations.RemoveField(
            model_name='highlight',
            name='anchored_by',
        ),
    ]
