"""Lists sort and filter news by a stored publication time: these tests hold that the
archive's order, the dates it shows, its year filter and its year list follow every
way an item's publication time changes (publishing, a later date, a scheduled
publication, a revert) and stay put for an unpublished draft."""

import datetime
import re
import time

import pytest
from django.utils import timezone

from news.models import NewsPage
from policy import registry
from tests.factories.news import NewsPageFactory, at_noon

from .test_archive import get, titles

pytestmark = pytest.mark.django_db


def years_offered(html):
    """The years in the archive's year filter, in order."""
    select = re.search(r'<select[^>]*id="filter-year"[^>]*>(.*?)</select>', html, re.S).group(1)
    return [int(year) for year in re.findall(r'<option value="(\d+)"', select)]


def shown_date(html, title):
    """The date the archive shows for the item with this title."""
    item = re.search(rf"{re.escape(title)}</a>.*?<time datetime=\"([0-9-]+)\"", html, re.S)
    return item.group(1)


def get_archive(client, archive, query=""):
    return get(client, archive.url + query)


def republish(item, **changes):
    """What an editor does: change the item, save and publish a new revision."""
    item = NewsPage.objects.get(pk=item.pk)
    for name, value in changes.items():
        setattr(item, name, value)
    item.save_revision().publish()


def test_a_new_date_moves_the_item_in_the_archive(archive, topic, client):
    NewsPageFactory(parent=archive, title="Nyere sak", topics=[topic], date=at_noon(2024, 5, 1))
    older = NewsPageFactory(parent=archive, title="Eldre sak", topics=[topic], date=at_noon(2019, 3, 1))
    assert titles(get_archive(client, archive)) == ["Nyere sak", "Eldre sak"]

    republish(older, date=at_noon(2025, 2, 3))

    html = get_archive(client, archive)
    assert titles(html) == ["Eldre sak", "Nyere sak"]
    assert shown_date(html, "Eldre sak") == "2025-02-03"
    assert titles(get_archive(client, archive, "?year=2025")) == ["Eldre sak"]
    assert titles(get_archive(client, archive, "?year=2019")) == []


def test_an_unpublished_draft_does_not_move_the_item(archive, topic, client):
    NewsPageFactory(parent=archive, title="Nyere sak", topics=[topic], date=at_noon(2024, 5, 1))
    older = NewsPageFactory(parent=archive, title="Eldre sak", topics=[topic], date=at_noon(2019, 3, 1))
    draft = NewsPage.objects.get(pk=older.pk)
    draft.date = at_noon(2025, 2, 3)
    draft.save_revision()  # saved, not published

    html = get_archive(client, archive)
    assert titles(html) == ["Nyere sak", "Eldre sak"]
    assert shown_date(html, "Eldre sak") == "2019-03-01"
    assert years_offered(html) == [2024, 2019]


def test_without_a_date_the_first_publication_counts(archive, topic, client):
    NewsPageFactory(parent=archive, title="Sak med dato", topics=[topic], date=at_noon(2020, 1, 15))
    NewsPageFactory(parent=archive, title="Sak uten dato", topics=[topic])
    today = timezone.localdate()

    html = get_archive(client, archive)
    assert titles(html) == ["Sak uten dato", "Sak med dato"]
    assert shown_date(html, "Sak uten dato") == today.isoformat()
    assert titles(get_archive(client, archive, f"?year={today.year}")) == ["Sak uten dato"]


def test_a_revert_restores_the_old_date_and_place(archive, topic, client):
    NewsPageFactory(parent=archive, title="Mellomsak", topics=[topic], date=at_noon(2022, 6, 1))
    item = NewsPageFactory(parent=archive, title="Sak som rulles tilbake", topics=[topic], date=at_noon(2021, 9, 9))
    first_revision = item.revisions.order_by("created_at", "pk").first()
    republish(item, date=at_noon(2023, 1, 2))
    assert titles(get_archive(client, archive)) == ["Sak som rulles tilbake", "Mellomsak"]

    # What "Erstatt nåværende utkast" (revert) in the admin does, then publish.
    reverted = first_revision.as_object()
    reverted.save_revision(previous_revision=first_revision).publish()

    html = get_archive(client, archive)
    assert titles(html) == ["Mellomsak", "Sak som rulles tilbake"]
    assert shown_date(html, "Sak som rulles tilbake") == "2021-09-09"
    assert years_offered(html) == [2022, 2021]
    assert titles(get_archive(client, archive, "?year=2023")) == []


def test_a_scheduled_item_goes_to_the_top_when_it_goes_live(archive, topic, client):
    NewsPageFactory(parent=archive, title="Sak publisert i dag", topics=[topic])
    go_live = timezone.now() + datetime.timedelta(seconds=1)
    item = NewsPageFactory(parent=archive, title="Planlagt sak", topics=[topic], live=False)
    item.go_live_at = go_live
    item.save_revision().publish()  # schedules it
    assert titles(get_archive(client, archive)) == ["Sak publisert i dag"]

    time.sleep(max(0, (go_live - timezone.now()).total_seconds()) + 0.2)
    next(job for job in registry.periodic_jobs() if job.name == "publish_scheduled").run()

    html = get_archive(client, archive)
    assert titles(html) == ["Planlagt sak", "Sak publisert i dag"]
    assert shown_date(html, "Planlagt sak") == timezone.localdate().isoformat()


def test_the_year_list_has_each_year_with_public_items_once(archive, topic, client):
    for title, moment in [
        ("Vårsak", at_noon(2019, 4, 1)),
        ("Høstsak", at_noon(2019, 10, 1)),
        ("Sak fra 2021", at_noon(2021, 6, 1)),
        # 23:30 UTC on New Year's Eve is past midnight in Oslo: it belongs to 2024.
        ("Nyttårssak", datetime.datetime(2023, 12, 31, 23, 30, tzinfo=datetime.UTC)),
    ]:
        NewsPageFactory(parent=archive, title=title, topics=[topic], date=moment)
    NewsPageFactory(parent=archive, title="Utkast fra 2016", topics=[topic], date=at_noon(2016, 1, 1), live=False)
    unpublished = NewsPageFactory(parent=archive, title="Avpublisert 2017", topics=[topic], date=at_noon(2017, 1, 1))
    unpublished.unpublish()

    html = get_archive(client, archive)
    assert years_offered(html) == [2024, 2021, 2019]
    assert titles(get_archive(client, archive, "?year=2024")) == ["Nyttårssak"]
    assert titles(get_archive(client, archive, "?year=2023")) == []
    # A chosen year without items is still offered, so the form shows what is filtered on.
    assert years_offered(get_archive(client, archive, "?year=2018")) == [2024, 2021, 2019, 2018]
