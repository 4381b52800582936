"""Benchmark data: news items spread over 2005–2025, each tagged with one topic.

See common.py for how pages are inserted in bulk and tagged for removal.
"""

import datetime
import random

from django.db import transaction

from news.models import NewsIndexPage, NewsPage, NewsType
from policy.models import TopicPage
from tests.perf.data.common import BENCH_PREFIX, bulk_add_pages, chunks, index_pages, paragraph, remove_pages, sentence

FIRST_DAY = datetime.datetime(2005, 1, 1, 9, 0, tzinfo=datetime.UTC)
DAYS = 7300


def generate(count, progress):
    archive = NewsIndexPage.objects.first()
    if archive is None:
        return
    progress.expect(count * 2)
    rng = random.Random(3)  # noqa: S311 - repeatable test data, not secrets
    topic_ids = list(TopicPage.objects.live().values_list("pk", flat=True))
    start = NewsPage.objects.filter(slug__startswith=BENCH_PREFIX).count()
    rows = []
    for n in range(start, start + count):
        published = FIRST_DAY + datetime.timedelta(days=rng.randrange(DAYS), minutes=rng.randrange(600))
        rows.append(
            {
                "title": f"{sentence(rng)[:-1]} (testsak {n + 1})",
                "slug": f"{BENCH_PREFIX}sak-{n + 1}",
                "language": "nn" if n % 9 == 0 else "nb",
                "ingress": paragraph(rng, 2),
                "news_type": rng.choice(NewsType.values),
                "date": published,
                "first_published_at": published,
                "body": [("paragraph", f"<p>{paragraph(rng, 6)}</p>")],
            }
        )
    with transaction.atomic():
        ids = bulk_add_pages(archive, NewsPage, rows, progress)
        if topic_ids:
            through = NewsPage.topics.through
            for batch in chunks(ids):
                through.objects.bulk_create(through(newspage_id=pk, topicpage_id=rng.choice(topic_ids)) for pk in batch)
    index_pages(NewsPage, ids, progress)


def remove():
    return remove_pages(
        NewsPage, extra_tables=[lambda ids: NewsPage.topics.through.objects.filter(newspage_id__in=ids)]
    )
