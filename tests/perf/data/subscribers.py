"""Benchmark data: confirmed subscribers of Regionalnytt at addresses in the bench domain.

Rows are bulk-inserted with the address hash computed here (bulk_create skips
Subscriber.save). No consent events are written: that history is append-only by
design (a database trigger), so rows put there could never be removed again.

`remove()` also deletes what tests/perf/mail.py makes: issues (pages with the bench
slug prefix), their dispatches and deliveries, and bench lists (slug prefix).
"""

from django.db import connection, transaction
from django.utils import timezone

from newsletter import addresses
from newsletter.models import (
    Delivery,
    IssueDispatch,
    NewsletterIndexPage,
    NewsletterIssuePage,
    NewsletterList,
    Subscriber,
    Subscription,
)
from tests.perf.data.common import BENCH_DOMAIN, BENCH_PREFIX, chunks

BATCH = 5000


def generate(count, progress):
    newsletter_list = NewsletterList.objects.filter(slug="regionalnytt").first() or NewsletterList.objects.first()
    if newsletter_list is None:
        return
    consent = newsletter_list.current_consent()
    now = timezone.now()
    start = Subscriber.objects.filter(email__endswith="@" + BENCH_DOMAIN).count()
    emails = [f"abonnent-{n + 1}@{BENCH_DOMAIN}" for n in range(start, start + count)]
    with transaction.atomic():
        for batch in chunks(emails, BATCH):
            subscribers = Subscriber.objects.bulk_create(
                Subscriber(email=email, address_hash=addresses.address_hash(email)) for email in batch
            )
            Subscription.objects.bulk_create(
                Subscription(
                    subscriber=s,
                    newsletter_list=newsletter_list,
                    status=Subscription.CONFIRMED,
                    consent_version=consent.version if consent else 1,
                    confirmed_at=now,
                )
                for s in subscribers
            )
            progress(len(batch))


def remove():
    subscribers = Subscriber.objects.filter(email__endswith="@" + BENCH_DOMAIN)
    issues = NewsletterIssuePage.objects.filter(slug__startswith=BENCH_PREFIX)
    count = subscribers.count()
    with transaction.atomic():
        Delivery.objects.filter(issue__in=issues)._raw_delete(connection.alias)
        Delivery.objects.filter(subscriber__in=subscribers)._raw_delete(connection.alias)
        IssueDispatch.objects.filter(issue__in=issues)._raw_delete(connection.alias)
        # A handful of pages published with revisions: Wagtail's own delete tidies up after them.
        for page in [*issues, *NewsletterIndexPage.objects.filter(slug__startswith=BENCH_PREFIX)]:
            page.delete()
        Subscription.objects.filter(subscriber__in=subscribers)._raw_delete(connection.alias)
        bench_lists = NewsletterList.objects.filter(slug__startswith=BENCH_PREFIX)
        Subscription.objects.filter(newsletter_list__in=bench_lists)._raw_delete(connection.alias)
        subscribers._raw_delete(connection.alias)
        bench_lists._raw_delete(connection.alias)
    return count
