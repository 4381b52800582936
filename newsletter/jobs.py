"""Periodic jobs run by `manage.py run_scheduler`."""

from datetime import timedelta

from django.apps import apps
from django.utils import timezone

from . import services

SIGNUP_TASK_RESULT_LIFETIME = timedelta(hours=1)


def run_sweeper():
    services.sweep()


def prune_signup_tasks():
    """A sign-up task's arguments hold the unconfirmed address; django-tasks-db keeps
    finished results for weeks. Delete ours soon after they ran, so an address that
    is never confirmed does not linger in the task table."""
    if not apps.is_installed("django_tasks_db"):
        return
    from django_tasks_db.models import DBTaskResult

    DBTaskResult.objects.finished().filter(
        task_path="newsletter.tasks.send_signup_mail",
        finished_at__lte=timezone.now() - SIGNUP_TASK_RESULT_LIFETIME,
    ).delete()
