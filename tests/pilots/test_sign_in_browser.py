"""The sign-in pages a throttled or stale link leads to, in headless Chromium on a
320 px phone: no sideways scroll, headings in order, no axe violations, and the
«send again» button works by keyboard."""

import pytest
from django.core import mail
from django.urls import reverse

from tests.test_reflow import check

pytestmark = pytest.mark.browser

ADDRESS = "ola@kommune.example"


def ask_for_link(page, base):
    page.goto(base + reverse("pilots:sign_in"))
    page.get_by_label("E-postadressen din").fill(ADDRESS)
    with page.expect_navigation():
        page.get_by_role("button", name="Send meg en lenke").click()


def press_by_keyboard(page, name):
    """Tab to the button as a keyboard user would, and press Enter."""
    button = page.get_by_role("button", name=name)
    for _ in range(40):
        if button.evaluate("el => el === document.activeElement"):
            break
        page.keyboard.press("Tab")
    else:
        pytest.fail(f"«{name}» cannot be reached with Tab")
    with page.expect_navigation():
        page.keyboard.press("Enter")


def test_throttled_sign_in_resend_and_stale_link_on_a_phone(live_home, live_server, phone):
    for _ in range(6):
        ask_for_link(phone, live_server.url)
    assert len(mail.outbox) == 5
    assert phone.get_by_role("heading", name="Vi sendte ingen ny lenke").is_visible()
    check(phone)

    press_by_keyboard(phone, "Send siste lenke på nytt")
    phone.wait_for_url("**/logg-inn/sendt/**")
    assert phone.get_by_text("har vi sendt den på nytt", exact=False).is_visible()
    assert len(mail.outbox) == 6
    check(phone)

    for _ in range(3):
        ask_for_link(phone, live_server.url)
        press_by_keyboard(phone, "Send siste lenke på nytt")
    assert phone.get_by_role("heading", name="For mange forsøk").is_visible()
    check(phone)

    phone.goto(live_server.url + reverse("pilots:sign_in_link", args=["ugyldig-lenke"]))
    assert phone.get_by_role("heading", name="Lenken virker ikke").is_visible()
    check(phone)
