"""RSS 2.0 and Atom, read by a real feed reader library (feedparser)."""

import datetime

import feedparser
import pytest

from news.models import NewsChange, NewsType
from tests.factories.news import NewsPageFactory, at_noon

pytestmark = pytest.mark.django_db

FEEDS = {
    "rss": ("/aktuelt/rss/", "rss20"),
    "atom": ("/aktuelt/atom/", "atom10"),
    "topic rss": ("/aktuelt/tema/bygdevekst/rss/", "rss20"),
    "topic atom": ("/aktuelt/tema/distriktspolitikk/atom/", "atom10"),  # gathers its sub-topics' items
}


@pytest.fixture
def items(archive, topic, subtopic):
    """A nynorsk press release about the sub-topic, then a newer bokmål item about the topic."""
    return {
        "nynorsk": NewsPageFactory(
            parent=archive,
            title="Regjeringa utvidar ordninga",
            slug="regjeringa-utvidar-ordninga",
            language="nn",
            news_type=NewsType.PRESS_RELEASE,
            date=at_noon(2022, 10, 6),
            ingress="Ordninga får ei totalramme på 25 millionar kronar.",
            topics=[subtopic],
        ),
        "bokmal": NewsPageFactory(
            parent=archive, title="Dokumentene til budsjettet", language="nb", date=at_noon(2022, 10, 7), topics=[topic]
        ),
    }


def parse(client, url):
    response = client.get(url)
    assert response.status_code == 200
    feed = feedparser.parse(response.content)
    assert feed.bozo == 0, feed.get("bozo_exception")
    return response, feed


@pytest.mark.parametrize("name", FEEDS)
def test_feeds_parse_cleanly(items, client, name):
    url, version = FEEDS[name]
    response, feed = parse(client, url)
    assert feed.version == version
    assert "public" in response["Cache-Control"]
    assert feed.feed.language == "nb"
    entry = next(entry for entry in feed.entries if entry.title == "Regjeringa utvidar ordninga")
    assert entry.link == "http://localhost/aktuelt/regjeringa-utvidar-ordninga/"
    # 06.10.2022 12:00 in Oslo is 10:00 UTC.
    assert entry.published_parsed[:5] == (2022, 10, 6, 10, 0)
    assert "totalramme på 25 millionar" in entry.summary


def test_newest_first_and_per_topic(items, client):
    _, all_news = parse(client, "/aktuelt/rss/")
    assert [e.title for e in all_news.entries] == ["Dokumentene til budsjettet", "Regjeringa utvidar ordninga"]
    _, topic = parse(client, "/aktuelt/tema/bygdevekst/rss/")
    assert [e.title for e in topic.entries] == ["Regjeringa utvidar ordninga"]
    assert topic.feed.title == "Aktuelt: Bygdevekst"
    assert topic.feed.link == "http://localhost/aktuelt/?topic=bygdevekst"


def test_guid_is_stable_across_renames(items, client):
    item = items["nynorsk"]
    _, before = parse(client, "/aktuelt/atom/")
    guid = next(e.id for e in before.entries if e.title == "Regjeringa utvidar ordninga")
    assert guid == f"tag:localhost,2025:aktuelt/{item.pk}"
    item.title = "Ny tittel"
    item.slug = "ny-tittel"
    item.save_revision().publish()
    _, after = parse(client, "/aktuelt/atom/")
    assert next(e.id for e in after.entries if e.title == "Ny tittel") == guid
    _, rss = parse(client, "/aktuelt/rss/")
    entry = next(e for e in rss.entries if e.title == "Ny tittel")
    assert entry.id == guid and entry.guidislink is False
    assert entry.link == "http://localhost/aktuelt/ny-tittel/"


def test_item_language_in_feeds(items, client):
    _, atom = parse(client, "/aktuelt/atom/")
    languages = {e.title: e.title_detail.language for e in atom.entries}
    assert languages["Regjeringa utvidar ordninga"] == "nn"
    assert languages["Dokumentene til budsjettet"] == "nb"  # inherits the feed's
    rss = client.get("/aktuelt/rss/").content.decode()
    assert rss.count("<dc:language>nn</dc:language>") == 1


def test_updated_date_follows_major_change(archive, topic, client):
    item = NewsPageFactory(parent=archive, title="Endret sak", topics=[topic], date=at_noon(2024, 3, 1))
    NewsChange.objects.create(page=item, changed_at=at_noon(2024, 3, 5), note="Rettet frist.")
    NewsPageFactory(parent=archive, title="Uendret sak", topics=[topic], date=at_noon(2024, 2, 1))
    _, atom = parse(client, "/aktuelt/atom/")
    entry = next(e for e in atom.entries if e.title == "Endret sak")
    assert entry.published_parsed[:3] == (2024, 3, 1)
    assert entry.updated_parsed[:3] == (2024, 3, 5)
    unchanged = next(e for e in atom.entries if e.title == "Uendret sak")
    assert unchanged.updated_parsed[:3] == (2024, 2, 1)
    assert datetime.datetime(*atom.feed.updated_parsed[:6]) >= datetime.datetime(2024, 3, 5)


def test_unknown_topic_feed_is_404(archive, client):
    assert client.get("/aktuelt/tema/finnes-ikke/rss/").status_code == 404


def test_feeds_linked_from_heads(items, subtopic, client):
    item_html = client.get(items["nynorsk"].url).content.decode()
    assert 'type="application/atom+xml" title="Aktuelt (Atom)" href="/aktuelt/atom/"' in item_html
    topic_html = client.get(subtopic.url).content.decode()
    assert 'href="/aktuelt/tema/bygdevekst/rss/"' in topic_html
