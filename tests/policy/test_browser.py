"""Home → topic page → search in headless Chromium, with axe-core on every page."""

import pytest

from tests.conftest import assert_no_axe_violations, axe_violations
from tests.factories.policy import ContactPointFactory, TopicPageFactory

pytestmark = pytest.mark.browser


@pytest.fixture
def topic(live_home):
    """A bokmål topic with a contact block and a nynorsk sub-topic, in the search index
    (a live server's test commits, so Wagtail indexes on commit as in production)."""
    topic = TopicPageFactory(parent=live_home, title="Fjellpolitikk", slug="fjellpolitikk")
    topic.subtopic = TopicPageFactory(
        parent=topic, title="Stølsavtalar", slug="stolsavtalar", language="nn", ingress="Inntil fem pilotområde."
    )
    topic.body = [("contact", {"contact": ContactPointFactory(unit="Fjellseksjonen")})]
    topic.save_revision().publish()
    return topic


def test_home_topic_search_journey(live_server, topic, page):
    page.goto(live_server.url + "/")
    assert page.locator("html").get_attribute("lang") == "nb"
    assert_no_axe_violations(page)

    page.get_by_role("link", name="Fjellpolitikk", exact=True).first.click()
    page.wait_for_url("**/fjellpolitikk/")
    assert page.get_by_role("heading", level=1).inner_text() == "Fjellpolitikk"
    assert page.get_by_role("heading", name="Fjellseksjonen").is_visible()
    assert_no_axe_violations(page)

    page.get_by_label("Søk på nettstedet").fill("pilotområder")
    page.keyboard.press("Enter")
    page.wait_for_url("**/sok/?q=*")
    assert page.get_by_role("link", name="Stølsavtalar", exact=True).first.is_visible()
    assert_no_axe_violations(page)


def test_skip_link_moves_focus_to_main(live_server, topic, page):
    page.goto(live_server.url + topic.url)
    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="Hopp til hovedinnhold")
    assert skip.evaluate("el => el === document.activeElement")
    assert skip.is_visible()
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"


def test_nynorsk_page_and_404(live_server, topic, page):
    page.goto(live_server.url + topic.subtopic.url)
    assert page.locator("html").get_attribute("lang") == "nn"
    assert_no_axe_violations(page)
    response = page.goto(live_server.url + "/finst-ikkje/")
    assert response.status == 404
    assert_no_axe_violations(page)


def test_axe_check_catches_a_real_violation(page):
    # Guards the guard: an image without alternative text must be reported.
    page.set_content('<html lang="nb"><head><title>t</title></head><body><main><img src="x.png"></main></body></html>')
    assert "image-alt" in {v["id"] for v in axe_violations(page)}
