"""Home → topic page → search in headless Chromium, with axe-core on every page."""

import pytest

from tests.conftest import assert_no_axe_violations

pytestmark = pytest.mark.browser


def test_home_topic_search_journey(live_site, page):
    page.goto(live_site.url + "/")
    assert page.locator("html").get_attribute("lang") == "nb"
    assert_no_axe_violations(page)

    page.get_by_role("link", name="Regional- og distriktspolitikk", exact=True).first.click()
    page.wait_for_url("**/regional-og-distriktspolitikk/")
    assert page.get_by_role("heading", level=1).inner_text() == "Regional- og distriktspolitikk"
    assert page.get_by_role("heading", name="Regionalpolitisk avdeling").is_visible()
    assert_no_axe_violations(page)

    page.get_by_label("Søk på nettstedet").fill("pilotområde")
    page.keyboard.press("Enter")
    page.wait_for_url("**/sok/?q=*")
    assert page.get_by_role("link", name="Bygdevekstavtaler", exact=True).first.is_visible()
    assert_no_axe_violations(page)


def test_skip_link_moves_focus_to_main(live_site, page):
    page.goto(live_site.url + "/kommuner-og-regioner/regional-og-distriktspolitikk/")
    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="Hopp til hovedinnhold")
    assert skip.evaluate("el => el === document.activeElement")
    assert skip.is_visible()
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"


def test_nynorsk_page_and_404(live_site, page):
    page.goto(live_site.url + "/kommuner-og-regioner/regional-og-distriktspolitikk/bygdevekstavtaler/")
    assert page.locator("html").get_attribute("lang") == "nn"
    assert_no_axe_violations(page)
    response = page.goto(live_site.url + "/finst-ikkje/")
    assert response.status == 404
    assert_no_axe_violations(page)


def test_axe_check_catches_a_real_violation(page):
    # Guards the guard: an image without alternative text must be reported.
    page.set_content('<html lang="nb"><head><title>t</title></head><body><main><img src="x.png"></main></body></html>')
    from tests.conftest import axe_violations

    assert "image-alt" in {v["id"] for v in axe_violations(page)}
