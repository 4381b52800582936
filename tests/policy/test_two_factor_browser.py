"""The two-factor pages in Chromium, as a case handler meets them on the first sign-in
and the next: readable by axe, usable by keyboard, no sideways scroll at 320 px, and
no script or style the strict Content-Security-Policy would block."""

import re

import pytest
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import expect

from tests.conftest import assert_no_axe_violations
from tests.factories.pilots import staff
from tests.factories.policy import give_admin_code, totp_code
from tests.test_reflow import assert_reflows

pytestmark = pytest.mark.browser


def sign_in(page, base):
    page.goto(base + "/admin/login/")
    page.fill("#id_username", "saksbehandler")
    page.fill("#id_password", "passord-123")
    page.keyboard.press("Enter")


def test_first_sign_in_sets_up_the_app_and_the_next_asks_for_its_code(live_home, live_server, browser):
    staff("Saksbehandler", username="saksbehandler")
    base = live_server.url
    context = browser.new_context(locale="nb-NO", viewport={"width": 320, "height": 640})
    page = context.new_page()
    page.set_default_timeout(15000)
    blocked = []
    page.on("console", lambda message: "Content Security Policy" in message.text and blocked.append(message.text))

    sign_in(page, base)
    page.wait_for_url("**/admin/tofaktor/oppsett/**")
    expect(page.get_by_role("heading", name="Sett opp tofaktorinnlogging")).to_be_visible()
    expect(page.get_by_role("img", name="QR-kode for å legge til kontoen i autentiseringsappen")).to_be_visible()
    assert_reflows(page)
    assert_no_axe_violations(page)

    # A wrong code: the message next to the field and in the summary, by keyboard only.
    page.keyboard.type("000000")  # the code field has focus when the page opens
    page.keyboard.press("Enter")
    expect(page.get_by_role("alert")).to_contain_text("Koden stemmer ikke")
    assert_no_axe_violations(page)

    device = TOTPDevice.objects.get(user__username="saksbehandler", confirmed=False)
    page.wait_for_timeout(1100)  # django-otp's wait after one wrong code
    page.fill("#id_code", totp_code(device))
    page.keyboard.press("Enter")
    page.wait_for_url("**/admin/tofaktor/gjenopprettingskoder/**")
    expect(page.locator(".two-factor__codes li")).to_have_count(10)
    assert_reflows(page)
    assert_no_axe_violations(page)
    page.get_by_role("link", name="Jeg har tatt vare på kodene, fortsett").click()
    page.wait_for_url(base + "/admin/")
    context.close()

    context = browser.new_context(locale="nb-NO", viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(15000)
    page.on("console", lambda message: "Content Security Policy" in message.text and blocked.append(message.text))
    sign_in(page, base)
    page.wait_for_url(re.compile(r".*/admin/tofaktor/\?next="))
    expect(page.get_by_role("heading", name="Bekreft innloggingen")).to_be_visible()
    assert_no_axe_violations(page)
    device.refresh_from_db()
    give_admin_code(page, device, steps_ahead=1)  # the code just used may not be used twice
    page.wait_for_url(base + "/admin/")
    context.close()
    assert not blocked, blocked
