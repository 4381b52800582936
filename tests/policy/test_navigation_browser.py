"""Finding one's way in headless Chromium: from the home page to Aktuelt, Dokumenter,
the newsletter and the open call in one click, with the mouse at 1280 px and with the
keyboard alone through the «Meny» button at 320 px; the footer's trust pages; axe on
every page reached."""

import datetime

import pytest
from django.utils import timezone

from tests.conftest import PHONE, assert_no_axe_violations
from tests.factories.documents import DocumentIndexPageFactory
from tests.factories.news import NewsIndexPageFactory, NewsPageFactory
from tests.factories.newsletter import NewsletterIndexPageFactory
from tests.factories.pilots import PilotCallPageFactory, RoundFactory
from tests.factories.policy import (
    InformationPageFactory,
    SitemapPageFactory,
    TopicPageFactory,
    menu_link,
    set_navigation,
)

pytestmark = pytest.mark.browser

# Menu link text → the heading of the page it leads to.
DESTINATIONS = {
    "Fjellpolitikk": "Fjellpolitikk",
    "Aktuelt": "Aktuelt",
    "Dokumenter": "Dokumenter",
    "Fjellbrevet": "Fjellbrevet",
    "Søk om å bli fjellpilot": "Utlysing: fjellpiloter 2099",
}


@pytest.fixture
def site(live_home):
    topic = TopicPageFactory(parent=live_home, title="Fjellpolitikk", slug="fjellpolitikk")
    archive = NewsIndexPageFactory(parent=live_home)
    NewsPageFactory(parent=archive, title="Nye midler til fjellbygdene", topics=[topic])
    documents = DocumentIndexPageFactory(parent=live_home)
    newsletter = NewsletterIndexPageFactory(parent=live_home, title="Fjellbrevet", slug="fjellbrevet")
    deadline = timezone.make_aware(datetime.datetime(2099, 3, 1, 12, 0))
    call = PilotCallPageFactory(
        parent=topic,
        title="Utlysing: fjellpiloter 2099",
        slug="utlysing-2099",
        round=RoundFactory(opens_at=timezone.now() - datetime.timedelta(days=1), closes_at=deadline),
    )
    set_navigation(
        live_home,
        menu=[
            menu_link(topic),
            menu_link(archive),
            menu_link(documents),
            menu_link(newsletter),
            menu_link(call, title="Søk om å bli fjellpilot"),
        ],
        privacy_page=InformationPageFactory(parent=live_home, title="Personvernerklæring", slug="personvern"),
        accessibility_page=InformationPageFactory(
            parent=live_home, title="Tilgjengelighetserklæring", slug="tilgjengelighet"
        ),
        sitemap_page=SitemapPageFactory(parent=live_home),
    )
    return {"call": call}


def main_menu(page):
    return page.get_by_role("navigation", name="Hovedmeny")


def h1(page):
    return page.get_by_role("heading", level=1).inner_text()


def test_every_menu_destination_is_one_click_from_home(live_server, site, page):
    for link_text, heading in DESTINATIONS.items():
        page.goto(live_server.url + "/")
        main_menu(page).get_by_role("link", name=link_text, exact=True).click()
        page.wait_for_load_state()
        assert h1(page) == heading
        current = main_menu(page).get_by_role("link", name=link_text, exact=True)
        assert current.get_attribute("aria-current") == "page"
        assert_no_axe_violations(page)


def test_the_home_page_leads_to_the_latest_news_and_the_open_call(live_server, site, page):
    page.goto(live_server.url + "/")
    assert page.get_by_role("heading", level=2, name="Aktuelt").is_visible()
    assert_no_axe_violations(page)
    page.get_by_role("region", name="Åpne utlysinger").get_by_role("link", name="Utlysing: fjellpiloter 2099").click()
    page.wait_for_url("**/fjellpolitikk/utlysing-2099/")
    assert h1(page) == "Utlysing: fjellpiloter 2099"
    page.goto(live_server.url + "/")
    page.get_by_role("link", name="Nye midler til fjellbygdene").click()
    assert h1(page) == "Nye midler til fjellbygdene"


def test_the_footer_leads_to_the_privacy_and_accessibility_statements_and_the_sitemap(live_server, site, page):
    for link_text in ["Personvernerklæring", "Tilgjengelighetserklæring", "Nettstedskart"]:
        page.goto(live_server.url + "/")
        page.get_by_role("contentinfo").get_by_role("link", name=link_text).click()
        page.wait_for_load_state()
        assert h1(page) == link_text
        assert_no_axe_violations(page)
    assert page.get_by_role("main").get_by_role("link", name="Fjellpolitikk").is_visible()


def tab_to(phone, accessible_name, limit=40):
    """Press Tab until the focused element has this text; fail if it never comes."""
    for _ in range(limit):
        phone.keyboard.press("Tab")
        if phone.evaluate("document.activeElement.textContent.trim()") == accessible_name:
            return
    pytest.fail(f"{accessible_name!r} never got focus with Tab")


def test_on_a_phone_the_keyboard_opens_the_menu_and_reaches_every_destination(live_server, site, phone):
    for link_text, heading in DESTINATIONS.items():
        phone.goto(live_server.url + "/")
        toggle = main_menu(phone).get_by_role("button", name="Meny")
        assert toggle.get_attribute("aria-expanded") == "false"
        assert not main_menu(phone).get_by_role("link", name=link_text, exact=True).is_visible()
        tab_to(phone, "Meny")
        phone.keyboard.press("Enter")
        assert toggle.get_attribute("aria-expanded") == "true"
        assert main_menu(phone).get_by_role("link", name=link_text, exact=True).is_visible()
        tab_to(phone, link_text)
        phone.keyboard.press("Enter")
        phone.wait_for_function(
            "(heading) => document.querySelector('h1')?.textContent.trim() === heading", arg=heading
        )
        assert phone.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def test_on_a_phone_escape_closes_the_menu_and_returns_focus_to_the_button(live_server, site, phone):
    phone.goto(live_server.url + "/")
    assert_no_axe_violations(phone)
    tab_to(phone, "Meny")
    phone.keyboard.press("Enter")
    assert phone.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    assert_no_axe_violations(phone)
    tab_to(phone, "Aktuelt")
    phone.keyboard.press("Escape")
    toggle = main_menu(phone).get_by_role("button", name="Meny")
    assert toggle.get_attribute("aria-expanded") == "false"
    assert toggle.evaluate("el => el === document.activeElement")
    assert not main_menu(phone).get_by_role("link", name="Aktuelt").is_visible()


def test_without_javascript_the_menu_is_simply_shown(live_server, site, browser):
    context = browser.new_context(java_script_enabled=False, locale="nb-NO", viewport=PHONE)
    try:
        phone = context.new_page()
        phone.goto(live_server.url + "/")
        assert not main_menu(phone).get_by_role("button", name="Meny").is_visible()
        main_menu(phone).get_by_role("link", name="Dokumenter").click()
        phone.wait_for_url("**/dokumenter/")
    finally:
        context.close()
