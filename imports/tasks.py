"""Background work, run by `manage.py db_worker`."""

from django_tasks import task

from imports.batches import run_batch
from imports.models import ImportBatch


@task()
def run_import(batch_id):
    """Process (or resume) an import batch."""
    run_batch(ImportBatch.objects.get(pk=batch_id))
