"""Periodic jobs run by `manage.py run_scheduler`."""

from datetime import timedelta

from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from policy.models import OutgoingMail

from . import sending, subscriptions, tasks

SIGNUP_TASK_RESULT_LIFETIME = timedelta(hours=1)


def run_sweeper():
    sending.sweep()


def prune_signup_tasks():
    """A sign-up task's arguments hold the unconfirmed address; django-tasks-db keeps
    finished results for weeks. Delete ours soon after they ran, so an address that
    is never confirmed does not linger in the task table."""
    DBTaskResult.objects.finished().filter(
        task_path=tasks.send_signup_mail.module_path,
        finished_at__lte=timezone.now() - SIGNUP_TASK_RESULT_LIFETIME,
    ).delete()
    # The same for the sent mail in the outbox (failed mail stays for staff to see).
    OutgoingMail.objects.filter(
        key__startswith=f"{subscriptions.SIGNUP_MAIL_KEY}:",
        state=OutgoingMail.State.SENT,
        sent_at__lte=timezone.now() - SIGNUP_TASK_RESULT_LIFETIME,
    ).delete()
