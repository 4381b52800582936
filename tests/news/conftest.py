"""Helpers for the news tests: items made through Wagtail's own tree and publish actions."""

import datetime
import itertools

import pytest
from django.utils import timezone
from django.utils.text import slugify

from news.models import NewsIndexPage, NewsPage, NewsType

ARCHIVE_URL = "/aktuelt/"
TOPIC_URL = "/kommuner-og-regioner/regional-og-distriktspolitikk/"
BYGDEVEKST_URL = TOPIC_URL + "bygdevekstavtaler/"
SEED_TITLE = "Statsbudsjettet 2023: Regjeringa utvidar ordninga for bygdevekstavtalar"

_counter = itertools.count()


@pytest.fixture
def demo_site(db, django_capture_on_commit_callbacks):
    """The demo tree and the news demo, without the other apps' demo content (which
    these tests never read and which triples the setup time). Returns the HomePage;
    the browser tests use the full `load_demo` through `live_site`."""
    from news.demo import load_news
    from policy.demo import load_policy_tree

    with django_capture_on_commit_callbacks(execute=True):
        home = load_policy_tree()
        load_news(home)
    return home


@pytest.fixture
def archive(demo_site):
    return NewsIndexPage.objects.get()


def make_item(archive, *, title=None, topics=(), publish=True, **fields):
    """Create (and by default publish) a news item under the archive."""
    number = next(_counter)
    fields.setdefault("news_type", NewsType.NEWS)
    fields.setdefault("language", "nb")
    fields.setdefault("ingress", f"Ingress for testsak {number}.")
    title = title or f"Testsak {number}"
    item = NewsPage(title=title, slug=slugify(title), live=False, **fields)
    item.topics = list(topics)
    archive.add_child(instance=item)
    if publish:
        item.save_revision().publish()
        item.refresh_from_db()
    return item


def aware(year, month, day, hour=12):
    return timezone.make_aware(datetime.datetime(year, month, day, hour))
