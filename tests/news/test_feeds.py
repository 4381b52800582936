"""RSS 2.0 and Atom, read by a real feed reader library (feedparser)."""

import datetime

import feedparser
import pytest

from news.models import NewsChange
from policy.models import TopicPage

from .conftest import ARCHIVE_URL, SEED_TITLE, aware, make_item

pytestmark = pytest.mark.django_db

FEEDS = {
    "rss": (ARCHIVE_URL + "rss/", "rss20"),
    "atom": (ARCHIVE_URL + "atom/", "atom10"),
    "topic rss": (ARCHIVE_URL + "tema/bygdevekstavtaler/rss/", "rss20"),
    "topic atom": (ARCHIVE_URL + "tema/regional-og-distriktspolitikk/atom/", "atom10"),
}


def parse(client, url):
    response = client.get(url)
    assert response.status_code == 200
    feed = feedparser.parse(response.content)
    assert feed.bozo == 0, feed.get("bozo_exception")
    return response, feed


def test_feeds_parse_cleanly(archive, client):
    for url, version in FEEDS.values():
        check_feed(client, url, version)


def check_feed(client, url, version):
    response, feed = parse(client, url)
    assert feed.version == version
    assert "public" in response["Cache-Control"]
    assert feed.feed.language == "nb"
    titles = [entry.title for entry in feed.entries]
    assert SEED_TITLE in titles
    seed = next(entry for entry in feed.entries if entry.title == SEED_TITLE)
    assert (
        seed.link == "http://localhost/aktuelt/statsbudsjettet-2023-regjeringa-utvidar-ordninga-for-bygdevekstavtalar/"
    )
    # 06.10.2022 12:00 in Oslo is 10:00 UTC.
    assert seed.published_parsed[:5] == (2022, 10, 6, 10, 0)
    assert "totalramme på 25 millionar" in seed.summary


def test_newest_first_and_per_topic(archive, client):
    _, all_news = parse(client, ARCHIVE_URL + "rss/")
    assert [e.title for e in all_news.entries][0] == "Fem pilotområde for bygdevekstavtalar er valde"
    _, topic = parse(client, ARCHIVE_URL + "tema/bygdevekstavtaler/rss/")
    assert "Statsbudsjettet 2023: Kommunal- og moderniseringsdepartementet" not in [e.title for e in topic.entries]
    assert topic.feed.title == "Aktuelt: Bygdevekstavtaler"
    assert topic.feed.link == "http://localhost/aktuelt/?topic=bygdevekstavtaler"


def test_guid_is_stable_across_renames(archive, client):
    _, before = parse(client, ARCHIVE_URL + "atom/")
    seed = archive.get_children().get(title=SEED_TITLE).specific
    guid = next(e.id for e in before.entries if e.title == SEED_TITLE)
    assert guid == f"tag:localhost,2025:aktuelt/{seed.pk}"
    seed.title = "Ny tittel"
    seed.slug = "ny-tittel"
    seed.save_revision().publish()
    _, after = parse(client, ARCHIVE_URL + "atom/")
    assert next(e.id for e in after.entries if e.title == "Ny tittel") == guid
    _, rss = parse(client, ARCHIVE_URL + "rss/")
    entry = next(e for e in rss.entries if e.title == "Ny tittel")
    assert entry.id == guid and entry.guidislink is False


def test_item_language_in_feeds(archive, client):
    _, atom = parse(client, ARCHIVE_URL + "atom/")
    languages = {e.title: e.title_detail.language for e in atom.entries}
    assert languages[SEED_TITLE] == "nn"
    assert languages["Statsbudsjettet 2023: Kommunal- og moderniseringsdepartementet"] == "nb"  # inherits the feed's
    rss = client.get(ARCHIVE_URL + "rss/").content.decode()
    assert "<dc:language>nn</dc:language>" in rss


def test_updated_date_follows_major_change(archive, client, topic_page):
    item = make_item(archive, title="Endret sak", topics=[topic_page], date=aware(2024, 3, 1))
    NewsChange.objects.create(page=item, changed_at=aware(2024, 3, 5), note="Rettet frist.")
    _, atom = parse(client, ARCHIVE_URL + "atom/")
    entry = next(e for e in atom.entries if e.title == "Endret sak")
    assert entry.published_parsed[:3] == (2024, 3, 1)
    assert entry.updated_parsed[:3] == (2024, 3, 5)
    assert datetime.datetime(*atom.feed.updated_parsed[:6]) >= datetime.datetime(2024, 3, 5)


def test_unknown_topic_feed_is_404(archive, client):
    assert client.get(ARCHIVE_URL + "tema/finnes-ikke/rss/").status_code == 404


def test_feeds_linked_from_heads(archive, client):
    item_html = client.get(archive.get_children().live().first().url).content.decode()
    assert 'type="application/atom+xml" title="Aktuelt (Atom)" href="/aktuelt/atom/"' in item_html
    topic = TopicPage.objects.get(slug="bygdevekstavtaler")
    topic_html = client.get(topic.url).content.decode()
    assert 'href="/aktuelt/tema/bygdevekstavtaler/rss/"' in topic_html
