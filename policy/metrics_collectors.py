"""The base app's figures read from the database at scrape time (registered in
policy/apps.py): the task queues and the outbox. One query each, whatever the data."""

from django.conf import settings
from django.db.models import Case, Count, F, Min, Q, When
from django.utils import timezone
from django_tasks_db.models import DBTaskResult, get_date_max
from prometheus_client.core import GaugeMetricFamily

from . import outbox
from .outgoing_mail import OutgoingMail


def task_queues():
    """Ready tasks (due and not yet claimed by a worker) and how long the oldest of
    them has waited since it became due, per queue; every configured queue is shown,
    an empty one as 0."""
    now = timezone.now()
    never = get_date_max()  # django_tasks_db's run_after for "as soon as possible"
    due_since = Case(When(run_after=never, then=F("enqueued_at")), default=F("run_after"))
    rows = (
        DBTaskResult.objects.ready().order_by().values("queue_name").annotate(ready=Count("id"), oldest=Min(due_since))
    )
    figures = {name: (0, 0.0) for name in settings.TASKS["default"].get("QUEUES", [])}
    for row in rows:
        figures[row["queue_name"]] = (row["ready"], max(0.0, (now - row["oldest"]).total_seconds()))
    ready = GaugeMetricFamily("kr_tasks_ready", "Tasks due and waiting for a worker, per queue.", labels=["queue"])
    age = GaugeMetricFamily(
        "kr_tasks_oldest_ready_age_seconds",
        "How long the oldest ready task of the queue has waited since it became due (0 when none waits).",
        labels=["queue"],
    )
    for name, (count, seconds) in sorted(figures.items()):
        ready.add_metric([name], count)
        age.add_metric([name], seconds)
    return [ready, age]


def outbox_mail():
    """Outbox rows per state (pending, sent, failed, void; sent rows are kept 90 days),
    and pending rows overdue by more than outbox.STUCK_AFTER (no worker sends them)."""
    overdue_before = timezone.now() - outbox.STUCK_AFTER
    rows = (
        OutgoingMail.objects.order_by()
        .values("state")
        .annotate(n=Count("id"), overdue=Count("id", filter=Q(next_attempt_at__lte=overdue_before)))
    )
    counts = dict.fromkeys(OutgoingMail.State.values, 0)
    overdue = 0
    for row in rows:
        counts[row["state"]] = row["n"]
        if row["state"] == OutgoingMail.State.PENDING:
            overdue = row["overdue"]
    states = GaugeMetricFamily("kr_outbox_mails", "Transactional mail in the outbox, per state.", labels=["state"])
    for state, count in counts.items():
        states.add_metric([state], count)
    late = GaugeMetricFamily(
        "kr_outbox_overdue_mails",
        "Pending mail due for more than ten minutes without being sent (the mail worker is down or stuck).",
        value=overdue,
    )
    return [states, late]
