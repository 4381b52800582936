"""The portal's language choice in headless Chromium on a 320 px phone: an applicant
switches to nynorsk and then English with the buttons at the top of the sign-in page,
and each page is in that language with no sideways scroll, headings in order and no
axe violations; the character counter speaks the chosen language too."""

import pytest
from django.conf import settings
from django.urls import reverse
from playwright.sync_api import expect

from tests.conftest import PHONE, signed_in_page
from tests.factories.pilots import ApplicationFactory, RoundFactory
from tests.factories.portal import ApplicantFactory
from tests.test_reflow import check

pytestmark = pytest.mark.browser


def choose(page, language_name):
    with page.expect_navigation():
        page.get_by_role("button", name=language_name).click()


def test_choosing_nynorsk_and_english_on_a_phone(live_home, live_server, phone):
    phone.goto(live_server.url + reverse("pilots:sign_in"))
    assert phone.locator("html").get_attribute("lang") == "nb"

    choose(phone, "Norsk (nynorsk)")
    assert phone.url.endswith(reverse("pilots:sign_in"))
    assert phone.locator("html").get_attribute("lang") == "nn"
    assert phone.get_by_role("heading", name="Logg inn for å søkje").is_visible()
    assert phone.get_by_label("E-postadressa di").is_visible()
    check(phone)

    choose(phone, "English")
    assert phone.locator("html").get_attribute("lang") == "en"
    assert phone.get_by_role("heading", name="Sign in to apply").is_visible()
    assert phone.get_by_role("button", name="Send me a link").is_visible()
    check(phone)


def test_the_character_counter_speaks_the_chosen_language(live_home, live_server, browser):
    applicant = ApplicantFactory(email="ola@kommune.example")
    application = ApplicationFactory(round=RoundFactory(), created_by=applicant, summary="")
    page = signed_in_page(browser, live_server, applicant, PHONE)
    page.context.add_cookies([{"name": settings.LANGUAGE_COOKIE_NAME, "value": "nn", "url": live_server.url}])
    page.goto(live_server.url + reverse("pilots:section", args=[application.round_id, application.pk, "prosjektet"]))

    assert page.locator("html").get_attribute("lang") == "nn"
    page.get_by_label("Kort samandrag").fill("Eit samarbeid")
    expect(page.locator('[data-counter-for="id_summary"]')).to_have_attribute("data-label", "Du har 487 teikn att")
    expect(page.locator('[data-counter-live="id_summary"]')).to_have_text("Du har 487 teikn att")
    check(page)
    page.context.close()
