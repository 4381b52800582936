"""The newsletter's figures for /metrics (registered in apps.py): deliveries per state
of the issues being sent now or lately, read at scrape time in one query.

Only issues whose sending started within RECENT are counted: an operator watches a
send progress and fail, and counting every delivery ever made would scan a table that
grows by every subscriber with every issue."""

from datetime import timedelta

from django.db.models import Count
from django.utils import timezone
from prometheus_client.core import GaugeMetricFamily

from .deliveries import Delivery

RECENT = timedelta(days=30)


def delivery_states():
    since = timezone.now() - RECENT
    counts = {value: 0 for value, _label in Delivery.STATUS_CHOICES}
    rows = (
        Delivery.objects.filter(issue__dispatch__started_at__gte=since)
        .order_by()
        .values("status")
        .annotate(n=Count("id"))
    )
    for row in rows:
        counts[row["status"]] = row["n"]
    family = GaugeMetricFamily(
        "kr_newsletter_deliveries",
        "Newsletter deliveries per state, of the issues whose sending started in the last 30 days.",
        labels=["state"],
    )
    for state, count in counts.items():
        family.add_metric([state], count)
    return [family]
