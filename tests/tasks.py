"""Running stored background tasks in a test, the way the worker runs them."""

from django_tasks_db.management.commands.db_worker import Worker
from django_tasks_db.models import DBTaskResult


def run_stored_tasks():
    """What `manage.py db_worker` does with each ready task row, minus its closing of the
    database connection (which would end the test's transaction). For tests that check
    what the task table keeps (arguments, results), with the database task backend."""
    worker = Worker(
        queue_names=["*"],
        interval=0,
        batch=True,
        backend_name="default",
        startup_delay=False,
        max_tasks=None,
        worker_id="test",
        excluded_queue_names=[],
    )
    for row in DBTaskResult.objects.ready():
        row.claim(worker.worker_id)
        worker.run_task(row)
