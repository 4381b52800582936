"""Frontend cache purging: the item, the archive, the feeds and every topic page
showing the item are purged on publish, unpublish, move and delete."""

import pytest
from wagtail.models import Page, Site

from news.cache import urls_to_purge
from news.models import NewsPage
from tests.factories.news import NewsIndexPageFactory, NewsPageFactory, at_noon
from tests.factories.policy import HomePageFactory, TopicPageFactory, site_root

pytestmark = pytest.mark.django_db

HOST = "http://localhost"
TOPIC = HOST + "/distriktspolitikk/"
BYGDEVEKST = TOPIC + "bygdevekst/"
PILOTS = BYGDEVEKST + "piloter/"
MELDING = TOPIC + "distriktsmelding/"
ARCHIVE = HOST + "/aktuelt/"
ITEM = ARCHIVE + "sak-om-piloter/"


@pytest.fixture
def pilots(subtopic):
    """A third level: the item's own topic, under the sub-topic, under the topic."""
    return TopicPageFactory(parent=subtopic, title="Piloter", slug="piloter")


@pytest.fixture
def item(archive, pilots, other_subtopic):
    return NewsPageFactory(
        parent=archive,
        title="Sak om piloter",
        slug="sak-om-piloter",
        news_type="press_release",
        date=at_noon(2023, 5, 2),
        topics=[pilots],
    )


# Every URL that shows the item: itself, the archive with its feeds and filters,
# and the item's topic with every ancestor topic (they gather their sub-topics).
EXPECTED = {
    ITEM,
    ARCHIVE,
    ARCHIVE + "rss/",
    ARCHIVE + "atom/",
    ARCHIVE + "?year=2023",
    ARCHIVE + "?type=press_release",
    ARCHIVE + "?topic=piloter",
    ARCHIVE + "?topic=bygdevekst",
    ARCHIVE + "?topic=distriktspolitikk",
    ARCHIVE + "tema/piloter/rss/",
    ARCHIVE + "tema/piloter/atom/",
    ARCHIVE + "tema/bygdevekst/rss/",
    ARCHIVE + "tema/distriktspolitikk/atom/",
    PILOTS,
    BYGDEVEKST,
    TOPIC,
}


def test_urls_to_purge_covers_item_archive_feeds_and_topic_pages(item):
    urls = set(urls_to_purge(item))
    assert urls >= EXPECTED
    assert MELDING not in urls  # a sibling topic does not show it
    assert ARCHIVE + "tema/distriktsmelding/rss/" not in urls
    assert HOST + "/" in urls  # the home page shows the latest news


def test_archive_pages_are_purged_as_far_as_the_archive_goes(archive, item):
    archive.per_page = 2
    archive.save()
    for number in range(4):
        NewsPageFactory(parent=archive, title=f"Annen sak {number}")
    urls = set(urls_to_purge(item))
    assert {ARCHIVE + "?page=2", ARCHIVE + "?page=3"} <= urls  # 5 items, 2 a page
    assert ARCHIVE + "?page=4" not in urls


def test_publish_purges_everything_that_shows_the_item(item, purged):
    item.ingress = "Endret."
    item.save_revision().publish()
    assert set(purged) >= EXPECTED


def test_publish_that_removes_a_topic_purges_the_old_topic(archive, subtopic, other_subtopic, purged):
    item = NewsPageFactory(parent=archive, title="Flyttet tema", topics=[other_subtopic])
    assert MELDING in purged and BYGDEVEKST not in purged
    purged.clear()
    item.topics = [subtopic]
    item.save_revision().publish()
    assert MELDING in purged and BYGDEVEKST in purged


def test_unpublish_purges(item, purged):
    item.unpublish()
    assert set(purged) >= EXPECTED


def test_delete_purges(item, purged):
    Page.objects.get(pk=item.pk).delete()
    assert set(purged) >= EXPECTED
    assert not NewsPage.objects.filter(pk=item.pk).exists()


def test_move_purges_old_and_new_address_and_both_archives(item, purged):
    # A second site with its own archive to move the item to.
    other_home = HomePageFactory(parent=site_root(), title="Arkiv", slug="arkiv")
    Site.objects.create(hostname="arkiv.example", root_page=other_home)
    other_archive = NewsIndexPageFactory(parent=other_home, title="Gammelt arkiv", slug="gammelt")
    purged.clear()
    item.move(other_archive, pos="last-child")
    assert ITEM in purged  # the old address
    assert "http://arkiv.example/gammelt/sak-om-piloter/" in purged  # the new address
    assert ARCHIVE in purged and "http://arkiv.example/gammelt/" in purged  # both archives
    assert BYGDEVEKST in purged
