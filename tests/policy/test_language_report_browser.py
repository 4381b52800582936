"""The språklova report in headless Chromium at 1280 px: an editor signs in with a
password and the authenticator code, opens the report from «Rapporter», compares two
years and meets no axe violations, headings out of order or sideways scrolling (at
320 px too)."""

import datetime

import pytest
from playwright.sync_api import expect

from tests.factories.policy import TopicPageFactory, give_admin_code, page_editor, totp_device
from tests.test_reflow import check

pytestmark = pytest.mark.browser


def published(year):
    return datetime.datetime(year, 6, 1, 12, tzinfo=datetime.UTC)


def test_an_editor_compares_the_years(live_home, live_server, page):
    TopicPageFactory(parent=live_home, title="Bokmål i fjor", first_published_at=published(2024))
    TopicPageFactory(parent=live_home, title="Nynorsk i fjor", language="nn", first_published_at=published(2024))
    TopicPageFactory(parent=live_home, title="Bokmål i år", first_published_at=published(2025))
    editor = page_editor(username="redaktor", password="passord-123")
    device = totp_device(editor)

    page.goto(live_server.url + "/admin/login/")
    page.fill("#id_username", "redaktor")
    page.fill("#id_password", "passord-123")
    page.keyboard.press("Enter")
    give_admin_code(page, device)
    page.wait_for_url(live_server.url + "/admin/")

    page.get_by_role("button", name="Rapporter").click()
    page.get_by_role("link", name="Språkrapport (språklova)").click()
    expect(page.get_by_role("heading", name="Språkrapport (språklova)")).to_be_visible()
    years = page.get_by_role("table", name="Nynorskdel per år")
    expect(years.get_by_role("row", name="2024")).to_contain_text("1 av 2")
    expect(years.get_by_role("row", name="2025")).to_contain_text("0 av 1")
    expect(page.get_by_role("img", name="Nynorskdel av sider og ord per år")).to_be_visible()
    check(page)

    page.get_by_label("Fra år").select_option("2025")
    page.get_by_label("Til år").select_option("2024")
    page.get_by_role("button", name="Vis årene").click()
    expect(page.get_by_role("alert")).to_contain_text("«Til år» kan ikke være før «Fra år».")
    check(page)

    page.get_by_label("Til år").select_option("2025")
    page.get_by_role("button", name="Vis årene").click()
    expect(page.get_by_role("heading", name="2025", exact=True)).to_be_visible()
    expect(page.get_by_role("heading", name="2024", exact=True)).to_have_count(0)
    check(page)

    page.set_viewport_size({"width": 320, "height": 640})
    check(page)  # the tables scroll in their own focusable regions
