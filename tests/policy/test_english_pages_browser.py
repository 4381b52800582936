"""An English page in headless Chromium at desktop and phone width: `lang="en"`, the
language link to the Norwegian original and back by keyboard, no axe violations and
no sideways scrolling at 320 px."""

import pytest

from tests.conftest import assert_no_axe_violations
from tests.factories.policy import ContactPointFactory, TopicPageFactory, translate_to_english
from tests.test_reflow import assert_headings_in_order, assert_reflows

pytestmark = pytest.mark.browser


@pytest.fixture
def pages(live_home):
    """A bokmål topic page and its English translation, with a contact block."""
    topic = TopicPageFactory(parent=live_home, title="Fjellpolitikk", slug="fjellpolitikk")
    translate_to_english(live_home, title="Ministry home", body=[])
    english = translate_to_english(
        topic,
        slug="mountain-policy",
        title="Mountain policy in Norway",
        ingress="The aim is thriving mountain communities.",
        body=[
            ("heading", {"text": "Why mountain policy", "level": "h2"}),
            ("paragraph", "<p>Mountain villages face challenges of their own.</p>"),
            ("contact", {"contact": ContactPointFactory(unit="Mountain section")}),
        ],
    )
    return topic, english


@pytest.mark.parametrize("viewport", [{"width": 1280, "height": 900}, {"width": 320, "height": 640}])
def test_english_page_has_no_axe_violations_and_reflows(live_server, pages, browser, viewport):
    topic, english = pages
    context = browser.new_context(locale="en-GB", viewport=viewport)
    page = context.new_page()
    page.set_default_timeout(15000)
    try:
        page.goto(live_server.url + "/en/mountain-policy/")
        assert page.locator("html").get_attribute("lang") == "en"
        assert page.get_by_role("heading", level=1).inner_text() == "Mountain policy in Norway"
        link = page.get_by_role("link", name="Norsk", exact=True)
        assert link.get_attribute("lang") == "nb"
        assert link.get_attribute("hreflang") == "nb"
        assert_reflows(page)
        assert_headings_in_order(page)
        assert_no_axe_violations(page)

        link.focus()
        page.keyboard.press("Enter")
        page.wait_for_url("**/fjellpolitikk/")
        assert page.locator("html").get_attribute("lang") == "nb"
        back = page.get_by_role("link", name="English", exact=True)
        assert back.get_attribute("lang") == "en"
        assert_reflows(page)
        assert_no_axe_violations(page)
        back.click()
        page.wait_for_url("**/en/mountain-policy/")
    finally:
        context.close()
