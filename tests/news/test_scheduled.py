"""Scheduled publishing end to end: an item with a future go-live time is invisible,
then appears in the archive, on its topic page and in the feeds when the periodic
job that `make run` starts (policy.registry "publish_scheduled") runs after that time."""

import time

import feedparser
import pytest
from django.utils import timezone

from news.models import NewsPage
from policy import registry

from .conftest import ARCHIVE_URL, BYGDEVEKST_URL, make_item
from .recording_backend import PURGED_URLS

pytestmark = pytest.mark.django_db

TITLE = "Planlagt sak om bygdevekst"


def visible_everywhere(client):
    return {
        "archive": TITLE in client.get(ARCHIVE_URL).content.decode(),
        "topic page": TITLE in client.get(BYGDEVEKST_URL).content.decode(),
        "rss": TITLE in [e.title for e in feedparser.parse(client.get(ARCHIVE_URL + "rss/").content).entries],
        "topic atom": TITLE
        in [
            e.title for e in feedparser.parse(client.get(ARCHIVE_URL + "tema/bygdevekstavtaler/atom/").content).entries
        ],
    }


def test_item_appears_when_its_time_comes(archive, client, settings):
    settings.WAGTAILFRONTENDCACHE = {"recorder": {"BACKEND": "tests.news.recording_backend.RecordingBackend"}}
    PURGED_URLS.clear()
    from policy.models import TopicPage

    go_live = timezone.now() + timezone.timedelta(seconds=2)
    item = make_item(archive, title=TITLE, topics=[TopicPage.objects.get(slug="bygdevekstavtaler")], publish=False)
    item.go_live_at = go_live
    item.save_revision().publish()  # what "Publish" does with a go-live time set: schedule it

    item = NewsPage.objects.get(pk=item.pk)
    assert not item.live
    assert item.scheduled_revision is not None
    publish_job = next(job for job in registry.periodic_jobs() if job.name == "publish_scheduled")
    publish_job.run()  # too early: nothing happens
    assert visible_everywhere(client) == dict.fromkeys(["archive", "topic page", "rss", "topic atom"], False)
    assert client.get(item.url).status_code == 404

    time.sleep(max(0, (go_live - timezone.now()).total_seconds()) + 0.2)
    publish_job.run()

    assert visible_everywhere(client) == dict.fromkeys(["archive", "topic page", "rss", "topic atom"], True)
    item.refresh_from_db()
    assert item.live and go_live <= item.first_published_at
    # The published date shown is the moment it went live, not when it was written.
    assert timezone.localdate(item.first_published_at).strftime("%d.%m.%Y") in client.get(item.url).content.decode()
    # Going live by schedule refreshes the caches like a manual publish.
    assert "http://localhost/aktuelt/" in PURGED_URLS
    assert "http://localhost" + BYGDEVEKST_URL in PURGED_URLS
