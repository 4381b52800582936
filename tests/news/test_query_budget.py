"""A query count that does not grow with the archive: the archive, its feeds and
the topic pages read as many queries with 1000 items as with 10."""

import time

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from wagtail.models import Page

from news.models import NewsPage, NewsType
from tests.factories.news import NewsPageFactory
from tests.perf.data.common import bulk_add_pages

pytestmark = pytest.mark.django_db

# Measured; a change that adds a query shows up here.
NEWS_BUDGET = {"archive": 7, "archive, filtered": 8, "archive, page 2": 7, "rss": 6, "topic atom": 8}


def budget_urls(archive, topic, subtopic):
    return {
        "archive": archive.url,
        "archive, filtered": archive.url + f"?year=2024&type=news&topic={subtopic.slug}",
        "archive, page 2": archive.url + "?page=2",
        "topic page": topic.url,
        "sub-topic page": subtopic.url,
        "rss": archive.url + "rss/",
        "topic atom": archive.url + f"tema/{subtopic.slug}/atom/",
    }


def bulk_add_live_items(archive, count, topics):
    """Add `count` live, tagged items under the archive fast, with the benchmark data's
    bulk insert (tests/perf/data/common.py): add_child in a loop takes about a minute
    here. No revisions: they do not change what the public pages read. Treebeard's
    find_problems checks that the tree is as add_child would have left it."""
    first = archive.get_children().count() + 1
    now = timezone.now()
    rows = [
        {
            "title": f"Masseprodusert sak {number}",
            "slug": f"masse-{number}",
            "first_published_at": now - timezone.timedelta(hours=number),
            "published_at": now - timezone.timedelta(hours=number),
            "ingress": "Kort ingress.",
            "language": "nn" if offset % 3 else "nb",
            "news_type": NewsType.values[offset % 3],
        }
        for offset, number in enumerate(range(first, first + count))
    ]
    ids = bulk_add_pages(archive, NewsPage, rows)
    NewsPage.topics.through.objects.bulk_create(
        [NewsPage.topics.through(newspage_id=pk, topicpage_id=topic.pk) for pk in ids for topic in topics]
    )
    assert all(not problem for problem in Page.find_problems())


def count_queries(client, urls):
    counts = {}
    for name, url in urls.items():
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url)
        assert response.status_code == 200, url
        counts[name] = len(queries)
    return counts


def test_query_count_is_the_same_for_10_and_1000_items(
    archive, topic, subtopic, other_subtopic, client, capsys, settings
):
    settings.PAGE_CACHE_ENABLED = False  # measure the pages themselves, not a cached copy
    topics = [subtopic, other_subtopic]
    for _ in range(10):
        NewsPageFactory(parent=archive, topics=topics)
    assert NewsPage.objects.live().count() == 10
    urls = budget_urls(archive, topic, subtopic)
    client.get(archive.url)  # warm per-process caches (site root paths)
    small = count_queries(client, urls)

    started = time.monotonic()
    bulk_add_live_items(archive, 990, topics)
    seconds = time.monotonic() - started
    assert NewsPage.objects.live().count() == 1000
    large = count_queries(client, urls)
    archive_html = client.get(archive.url).content.decode()
    assert "Viser 1–20 av 1000 saker." in archive_html and "Masseprodusert sak" in archive_html

    with capsys.disabled():
        print(
            f"\nQueries with 10 items: {small}\nQueries with 1000 items: {large}\n(990 items added in {seconds:.1f}s)"
        )
    assert small == large
    # Topic pages also run other apps' sections, so only the pages news owns get a fixed budget.
    assert {name: large[name] for name in NEWS_BUDGET} == NEWS_BUDGET
