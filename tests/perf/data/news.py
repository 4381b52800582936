"""Benchmark data: news items spread over 2005–2025, each tagged with one topic.

See common.py for how pages are inserted in bulk and tagged for removal.
"""

import datetime

from news.models import NewsIndexPage, NewsPage, NewsType
from tests.perf.data.common import BENCH_PREFIX, generate_pages, paragraph, remove_pages, sentence

FIRST_DAY = datetime.datetime(2005, 1, 1, 9, 0, tzinfo=datetime.UTC)
DAYS = 7300


def generate(count, progress):
    generate_pages(NewsIndexPage, NewsPage, count, progress, seed=3, row=_row)


def _row(n, rng):
    published = FIRST_DAY + datetime.timedelta(days=rng.randrange(DAYS), minutes=rng.randrange(600))
    return {
        "title": f"{sentence(rng)[:-1]} (testsak {n + 1})",
        "slug": f"{BENCH_PREFIX}sak-{n + 1}",
        "language": "nn" if n % 9 == 0 else "nb",
        "ingress": paragraph(rng, 2),
        "news_type": rng.choice(NewsType.values),
        "date": published,
        "first_published_at": published,
        "published_at": published,
        "body": [("paragraph", f"<p>{paragraph(rng, 6)}</p>")],
    }


def remove():
    return remove_pages(
        NewsPage, extra_tables=[lambda ids: NewsPage.topics.through.objects.filter(newspage_id__in=ids)]
    )
