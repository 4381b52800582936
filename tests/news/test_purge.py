"""Frontend cache purging: the item, the archive, the feeds and every topic page
showing the item are purged on publish, unpublish, move and delete."""

import pytest
from wagtail.models import Page, Site

from news.cache import urls_to_purge
from news.models import NewsIndexPage, NewsPage
from policy.models import TopicPage

from .conftest import make_item
from .recording_backend import PURGED_URLS

pytestmark = pytest.mark.django_db

HOST = "http://localhost"
AREA = HOST + "/kommuner-og-regioner/"
TOPIC = AREA + "regional-og-distriktspolitikk/"
BYGDEVEKST = TOPIC + "bygdevekstavtaler/"
MELDING = TOPIC + "ny-distriktsmelding/"
ARCHIVE = HOST + "/aktuelt/"


@pytest.fixture
def purged(settings):
    settings.WAGTAILFRONTENDCACHE = {"recorder": {"BACKEND": "tests.news.recording_backend.RecordingBackend"}}
    PURGED_URLS.clear()
    return PURGED_URLS


@pytest.fixture
def item(archive):
    return make_item(archive, title="Sak om bygdevekst", topics=[TopicPage.objects.get(slug="bygdevekstavtaler")])


def expected_for_bygdevekst_item(item_url):
    return {
        item_url,
        ARCHIVE,
        ARCHIVE + "rss/",
        ARCHIVE + "atom/",
        ARCHIVE + "tema/bygdevekstavtaler/rss/",
        ARCHIVE + "tema/bygdevekstavtaler/atom/",
        ARCHIVE + "tema/regional-og-distriktspolitikk/rss/",
        ARCHIVE + "tema/kommuner-og-regioner/atom/",
        ARCHIVE + "?topic=bygdevekstavtaler",
        BYGDEVEKST,
        TOPIC,  # shows its sub-topics' items
        AREA,
    }


def test_urls_to_purge_covers_item_archive_feeds_and_topic_pages(item):
    urls = set(urls_to_purge(item))
    assert expected_for_bygdevekst_item(HOST + "/aktuelt/sak-om-bygdevekst/") <= urls
    assert MELDING not in urls  # a sibling topic does not show it
    assert HOST + "/" not in urls


def test_publish_purges_everything_that_shows_the_item(item, purged):
    item.ingress = "Endret."
    item.save_revision().publish()
    assert expected_for_bygdevekst_item(HOST + "/aktuelt/sak-om-bygdevekst/") <= set(purged)


def test_publish_that_removes_a_topic_purges_the_old_topic(archive, purged):
    melding = TopicPage.objects.get(slug="ny-distriktsmelding")
    item = make_item(archive, title="Flyttet tema", topics=[melding])
    PURGED_URLS.clear()
    item.topics = [TopicPage.objects.get(slug="bygdevekstavtaler")]
    item.save_revision().publish()
    assert MELDING in purged and BYGDEVEKST in purged


def test_unpublish_purges(item, purged):
    item.unpublish()
    assert expected_for_bygdevekst_item(HOST + "/aktuelt/sak-om-bygdevekst/") <= set(purged)


def test_delete_purges(item, purged):
    Page.objects.get(pk=item.pk).delete()
    assert expected_for_bygdevekst_item(HOST + "/aktuelt/sak-om-bygdevekst/") <= set(purged)
    assert not NewsPage.objects.filter(pk=item.pk).exists()


def test_move_purges_old_and_new_address_and_both_archives(item, purged, demo_site):
    # A second site with its own archive to move the item to.
    other_home = Page.get_first_root_node().add_child(instance=type(demo_site)(title="Arkiv", slug="arkiv"))
    Site.objects.create(hostname="arkiv.example", root_page=other_home)
    other_archive = other_home.add_child(instance=NewsIndexPage(title="Gammelt arkiv", slug="gammelt"))
    PURGED_URLS.clear()
    item.move(other_archive, pos="last-child")
    assert HOST + "/aktuelt/sak-om-bygdevekst/" in purged  # the old address
    assert "http://arkiv.example/gammelt/sak-om-bygdevekst/" in purged  # the new address
    assert ARCHIVE in purged and "http://arkiv.example/gammelt/" in purged  # both archives
    assert BYGDEVEKST in purged
