"""The home page's sections from the feature apps (through policy.registry): the
latest news and the calls open for applications, with headings that never skip a level."""

import datetime

import pytest
from django.utils import timezone

from policy import registry
from tests.factories.news import NewsIndexPageFactory, NewsPageFactory, at_noon
from tests.factories.pilots import PilotCallPageFactory, RoundFactory
from tests.factories.policy import TopicPageFactory
from tests.policy.test_navigation import assert_no_skipped_heading_level

pytestmark = pytest.mark.django_db


def test_sections_are_shown_in_order_and_only_with_something_to_show(home, rf, monkeypatch):
    monkeypatch.setattr(registry, "_home_sections", {})
    registry.register_home_section("b", order=20, template="b.html", get_context=lambda page, request: {"n": 2})
    registry.register_home_section("none", order=5, template="x.html", get_context=lambda page, request: None)
    registry.register_home_section("a", order=10, template="a.html", get_context=lambda page, request: {"n": 1})
    shown = registry.render_sections(registry.home_sections(), home, rf.get("/"))
    assert shown == [{"template": "a.html", "context": {"n": 1}}, {"template": "b.html", "context": {"n": 2}}]


def test_the_home_page_shows_the_four_newest_items_and_links_the_archive(home, client):
    archive = NewsIndexPageFactory(parent=home)
    topic = TopicPageFactory(parent=home)
    for day in range(1, 6):
        NewsPageFactory(parent=archive, title=f"Fjellnytt {day}. mai", date=at_noon(2026, 5, day), topics=[topic])
    html = client.get("/").content.decode()
    section = html[html.index('id="home-news-heading"') :]
    assert '<h2 id="home-news-heading" class="ds-heading" data-size="md">Aktuelt</h2>' in html
    positions = [section.find(f"Fjellnytt {day}. mai") for day in (5, 4, 3, 2)]
    assert -1 not in positions and positions == sorted(positions)
    assert "Fjellnytt 1. mai" not in html
    assert '<a class="ds-link" href="/aktuelt/">Alle saker i Aktuelt</a>' in html


def test_no_news_section_without_items(home, client):
    NewsIndexPageFactory(parent=home)
    assert "home-news-heading" not in client.get("/").content.decode()


def test_the_home_page_shows_only_calls_open_now(home, client):
    now = timezone.now()
    day = datetime.timedelta(days=1)
    PilotCallPageFactory(
        parent=home,
        title="Søk om fjellpilot",
        round=RoundFactory(opens_at=now - day, closes_at=timezone.make_aware(datetime.datetime(2099, 3, 1, 12, 0))),
    )
    PilotCallPageFactory(
        parent=home, title="Stengt fjellrunde", round=RoundFactory(opens_at=now - 9 * day, closes_at=now - day)
    )
    PilotCallPageFactory(
        parent=home, title="Kommende fjellrunde", round=RoundFactory(opens_at=now + day, closes_at=now + 9 * day)
    )
    PilotCallPageFactory(parent=home, title="Upublisert fjellrunde", live=False)
    html = client.get("/").content.decode()
    assert "Åpne utlysinger" in html
    assert "Søk om fjellpilot" in html
    assert "Søknadsfrist: 1. mars 2099 kl. 12.00" in html
    for hidden in ["Stengt fjellrunde", "Kommende fjellrunde", "Upublisert fjellrunde"]:
        assert hidden not in html


def test_no_call_section_when_no_call_is_open(home, client):
    now = timezone.now()
    closed = RoundFactory(opens_at=now - datetime.timedelta(days=9), closes_at=now - datetime.timedelta(minutes=1))
    PilotCallPageFactory(parent=home, round=closed)
    assert "Åpne utlysinger" not in client.get("/").content.decode()


def test_home_and_topic_headings_never_skip_a_level(home, client):
    archive = NewsIndexPageFactory(parent=home)
    topic = TopicPageFactory(parent=home, title="Fjellpolitikk")
    sub = TopicPageFactory(parent=topic, title="Stølsavtalar")
    NewsPageFactory(parent=archive, topics=[topic])
    PilotCallPageFactory(parent=topic)
    item = {"url": "", "title": "", "text": "", "lang": ""}
    for page in (home, topic):
        page.body = [("featured_items", {"heading": "", "items": [{**item, "page": sub}]})]
        page.save_revision().publish()
    assert_no_skipped_heading_level(client.get("/").content.decode())
    assert_no_skipped_heading_level(client.get(topic.url).content.decode())
