"""Topic page → "Aktuelt nå" → filtered archive → item, in headless Chromium with axe."""

import datetime

import pytest

from tests.conftest import assert_no_axe_violations
from tests.factories.news import GovernmentFactory, NewsIndexPageFactory, NewsPageFactory, at_noon
from tests.factories.policy import TopicPageFactory

pytestmark = pytest.mark.browser

NYNORSK_TITLE = "Fem pilotområde er valde"


@pytest.fixture
def news_site(live_home, live_server):
    """A topic with a nynorsk sub-topic, three items about the sub-topic in 2022 (one
    of them nynorsk), one about the topic in 2023, and an archive of two items a page."""
    GovernmentFactory(name="Regjeringen Støre", start_date=datetime.date(2021, 10, 14))
    archive = NewsIndexPageFactory(parent=live_home, title="Aktuelt", slug="aktuelt", per_page=2)
    topic = TopicPageFactory(parent=live_home, title="Distriktspolitikk", slug="distriktspolitikk")
    subtopic = TopicPageFactory(parent=topic, title="Bygdevekst", slug="bygdevekst", language="nn")
    NewsPageFactory(parent=archive, title="Kommuner kan søke", topics=[subtopic], date=at_noon(2022, 6, 30))
    NewsPageFactory(parent=archive, title="Budsjettet utvider ordningen", topics=[subtopic], date=at_noon(2022, 10, 6))
    NewsPageFactory(
        parent=archive,
        title=NYNORSK_TITLE,
        slug="fem-pilotomrade-er-valde",
        language="nn",
        news_type="press_release",
        topics=[subtopic],
        date=at_noon(2022, 11, 30),
    )
    NewsPageFactory(parent=archive, title="Distriktsmeldingen er lagt fram", topics=[topic], date=at_noon(2023, 4, 20))
    return live_server.url, topic


def test_news_journey(news_site, page):
    base_url, topic = news_site
    page.goto(base_url + topic.url)
    news_now = page.get_by_role("region", name="Aktuelt nå")
    assert news_now.get_by_role("link", name=NYNORSK_TITLE).is_visible()
    assert news_now.get_by_role("link", name="Distriktsmeldingen er lagt fram").is_visible()
    assert_no_axe_violations(page)

    news_now.get_by_role("link", name="Alle saker om distriktspolitikk").click()
    page.wait_for_url("**/aktuelt/?topic=distriktspolitikk")
    assert page.get_by_label("Tema").input_value() == "distriktspolitikk"

    # Narrow down with the filter form, without JavaScript help: a plain GET form.
    page.get_by_label("Tema").select_option(label="Bygdevekst")
    page.get_by_label("År").select_option("2022")
    page.get_by_role("button", name="Vis saker").click()
    page.wait_for_url("**/aktuelt/?year=2022&type=&topic=bygdevekst")
    assert page.locator('meta[name="robots"]').get_attribute("content") == "noindex, follow"
    assert "Viser 1–2 av 3 saker." in page.get_by_role("status").first.inner_text()
    pagination = page.get_by_role("navigation", name="Sider i arkivet")
    assert pagination.is_visible()
    assert_no_axe_violations(page)

    pagination.get_by_role("link", name="Neste").click()
    page.wait_for_url("**page=2")
    assert page.get_by_label("Tema").input_value() == "bygdevekst"  # the filter is kept
    assert page.get_by_role("link", name="Kommuner kan søke").is_visible()
    assert_no_axe_violations(page)

    page.goto(base_url + "/aktuelt/?topic=bygdevekst")
    item_link = page.get_by_role("link", name=NYNORSK_TITLE)
    assert item_link.evaluate("a => a.closest('li').lang") == "nn"
    item_link.click()
    page.wait_for_url("**/aktuelt/fem-pilotomrade-er-valde/")
    assert page.locator("html").get_attribute("lang") == "nn"
    assert page.get_by_role("heading", level=1).inner_text() == NYNORSK_TITLE
    assert page.get_by_text("Publisert under:").is_visible()
    assert_no_axe_violations(page)


def test_bad_filter_input_in_the_browser(live_home, live_server, page):
    archive = NewsIndexPageFactory(parent=live_home, title="Aktuelt", slug="aktuelt")
    NewsPageFactory(parent=archive, title="Sak i arkivet")
    response = page.goto(live_server.url + archive.url + "?year=abc&topic=finst-ikkje&page=99999")
    assert response.status == 200
    notice = page.get_by_role("status").first
    assert "Året «abc» er ugyldig" in notice.inner_text()
    assert page.get_by_role("link", name="Sak i arkivet").is_visible()
    assert_no_axe_violations(page)
