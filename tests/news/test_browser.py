"""Topic page → "Aktuelt nå" → filtered archive → item, in headless Chromium with axe."""

import pytest

from tests.conftest import assert_no_axe_violations

from .conftest import SEED_TITLE, TOPIC_URL

pytestmark = pytest.mark.browser


def test_news_journey(live_site, page):
    from news.models import NewsIndexPage

    NewsIndexPage.objects.update(per_page=2)  # so the archive shows its pagination

    page.goto(live_site.url + TOPIC_URL)
    news_now = page.get_by_role("region", name="Aktuelt nå")
    assert news_now.get_by_role("link", name=SEED_TITLE).is_visible()
    assert_no_axe_violations(page)

    news_now.get_by_role("link", name="Alle saker om regional- og distriktspolitikk").click()
    page.wait_for_url("**/aktuelt/?topic=regional-og-distriktspolitikk")
    assert page.get_by_label("Tema").input_value() == "regional-og-distriktspolitikk"

    # Narrow down with the filter form, without JavaScript help: a plain GET form.
    page.get_by_label("Tema").select_option(label="Bygdevekstavtaler")
    page.get_by_label("År").select_option("2022")
    page.get_by_role("button", name="Vis saker").click()
    page.wait_for_url("**/aktuelt/?year=2022&type=&topic=bygdevekstavtaler")
    assert page.locator('meta[name="robots"]').get_attribute("content") == "noindex, follow"
    assert "Viser 1–2 av 3 saker." in page.get_by_role("status").first.inner_text()
    pagination = page.get_by_role("navigation", name="Sider i arkivet")
    assert pagination.is_visible()
    assert_no_axe_violations(page)

    pagination.get_by_role("link", name="Neste").click()
    page.wait_for_url("**page=2")
    assert page.get_by_label("Tema").input_value() == "bygdevekstavtaler"  # the filter is kept
    assert_no_axe_violations(page)

    page.goto(live_site.url + "/aktuelt/?topic=bygdevekstavtaler")
    item_link = page.get_by_role("link", name=SEED_TITLE)
    assert item_link.evaluate("a => a.closest('li').lang") == "nn"
    item_link.click()
    page.wait_for_url("**/statsbudsjettet-2023-regjeringa-utvidar-ordninga-for-bygdevekstavtalar/")
    assert page.locator("html").get_attribute("lang") == "nn"
    assert page.get_by_role("heading", level=1).inner_text() == SEED_TITLE
    assert page.get_by_text("Publisert under:").is_visible()
    assert_no_axe_violations(page)


def test_bad_filter_input_in_the_browser(live_site, page):
    response = page.goto(live_site.url + "/aktuelt/?year=abc&topic=finst-ikkje&page=99999")
    assert response.status == 200
    notice = page.get_by_role("status").first
    assert "Året «abc» er ugyldig" in notice.inner_text()
    assert_no_axe_violations(page)
