"""Scheduled publishing end to end: an item with a future go-live time is invisible,
then appears in the archive, on its topic page and in the feeds when the periodic
job that `make run` starts (policy.registry "publish_scheduled") runs after that time."""

import time

import feedparser
import pytest
from django.utils import timezone
from django.utils.formats import date_format

from news.models import NewsPage
from policy import registry
from tests.factories.news import NewsPageFactory

pytestmark = pytest.mark.django_db

TITLE = "Planlagt sak om bygdevekst"
PLACES = ["archive", "topic page", "rss", "topic atom"]


def feed_titles(client, url):
    return [entry.title for entry in feedparser.parse(client.get(url).content).entries]


def visible_everywhere(client, subtopic):
    return {
        "archive": TITLE in client.get("/aktuelt/").content.decode(),
        "topic page": TITLE in client.get(subtopic.url).content.decode(),
        "rss": TITLE in feed_titles(client, "/aktuelt/rss/"),
        "topic atom": TITLE in feed_titles(client, f"/aktuelt/tema/{subtopic.slug}/atom/"),
    }


def test_item_appears_when_its_time_comes(archive, subtopic, client, purged):
    # Another item makes sure the lists are drawn (and read) before the planned one goes live.
    NewsPageFactory(parent=archive, title="Sak som alt er publisert", topics=[subtopic])
    go_live = timezone.now() + timezone.timedelta(seconds=2)
    item = NewsPageFactory(parent=archive, title=TITLE, topics=[subtopic], live=False)
    item.go_live_at = go_live
    item.save_revision().publish()  # what "Publish" does with a go-live time set: schedule it

    item = NewsPage.objects.get(pk=item.pk)
    assert not item.live
    assert item.scheduled_revision is not None
    publish_job = next(job for job in registry.periodic_jobs() if job.name == "publish_scheduled")
    purged.clear()
    publish_job.run()  # too early: nothing happens
    assert visible_everywhere(client, subtopic) == dict.fromkeys(PLACES, False)
    assert client.get(item.url).status_code == 404
    assert "Sak som alt er publisert" in client.get("/aktuelt/").content.decode()
    assert purged == []

    time.sleep(max(0, (go_live - timezone.now()).total_seconds()) + 0.2)
    publish_job.run()

    assert visible_everywhere(client, subtopic) == dict.fromkeys(PLACES, True)
    item.refresh_from_db()
    assert item.live and go_live <= item.first_published_at
    # The published date shown is the moment it went live, not when it was written.
    shown = date_format(timezone.localdate(item.first_published_at), "DATE_FORMAT")
    assert shown in client.get(item.url).content.decode()
    # Going live by schedule refreshes the caches like a manual publish.
    assert "http://localhost/aktuelt/" in purged
    assert "http://localhost" + subtopic.url in purged
