"""The public newsletter pages in headless Chromium, with axe-core on each."""

import re

import pytest
from django.core import mail
from playwright.sync_api import expect

from newsletter import tokens
from tests.conftest import assert_no_axe_violations

pytestmark = pytest.mark.browser


@pytest.fixture
def newsletter_live(transactional_db, live_server):
    from wagtail.models import Site

    from newsletter import demo
    from policy.demo import load_policy_tree

    home = load_policy_tree()
    demo.load(home)
    site = Site.objects.get(is_default_site=True)
    host, port = live_server.url.removeprefix("http://").split(":")
    site.hostname, site.port = host, int(port)
    site.save()
    return live_server


def test_subscribe_confirm_and_unsubscribe_journey(newsletter_live, page, settings):
    settings.NEWSLETTER_BASE_URL = newsletter_live.url
    page.goto(newsletter_live.url + "/kommuner-og-regioner/regional-og-distriktspolitikk/")
    page.get_by_label("E-postadresse").fill("kari@example.no")
    page.get_by_role("button", name="Meld deg på").click()
    page.wait_for_url("**/nyhetsbrev/pamelding/*/")

    # The full form, prefilled; the proof of work is solved in the background.
    assert page.get_by_label("E-postadresse").input_value() == "kari@example.no"
    expect(page.locator("input[name=proof]")).not_to_have_value("", timeout=30000)
    expect(page.get_by_text("Uten JavaScript kan vi ikke bruke")).to_be_hidden()
    assert_no_axe_violations(page)
    page.get_by_label("Jeg har lest samtykketeksten").check()
    page.get_by_role("button", name="Meld meg på").click()
    page.get_by_role("heading", name="Sjekk e-posten din").wait_for()
    assert_no_axe_violations(page)

    link = re.search(r"http://\S+/nyhetsbrev/bekreft/\S+/", mail.outbox[-1].body).group(0)
    page.goto(link)
    assert_no_axe_violations(page)
    page.get_by_role("button", name="Bekreft påmeldingen").click()
    page.get_by_role("heading", name="Du er påmeldt Regionalnytt").wait_for()
    assert_no_axe_violations(page)

    from newsletter.models import Subscription

    subscription = Subscription.objects.get()
    token = tokens.make_unsubscribe_token(subscription.subscriber_id, subscription.newsletter_list_id)
    page.goto(f"{newsletter_live.url}/nyhetsbrev/avmeld/{token}/")
    assert_no_axe_violations(page)
    page.get_by_role("button", name="Meld meg av").click()
    page.get_by_role("heading", name="Du er meldt av Regionalnytt").wait_for()
    subscription.refresh_from_db()
    assert subscription.status == "unsubscribed"


def test_archive_and_issue_pages(newsletter_live, page):
    page.goto(newsletter_live.url + "/regionalnytt/")
    assert page.get_by_role("heading", level=1).inner_text() == "Regionalnytt"
    assert_no_axe_violations(page)
    page.get_by_role("link", name=re.compile("Ny distriktsmelding, bygdevekstavtaler")).click()
    page.get_by_role("heading", name="Arbeidet med ny distriktsmelding er i gang").wait_for()
    assert_no_axe_violations(page)


def test_signup_form_works_without_javascript(newsletter_live, browser):
    # page.evaluate (and so axe) cannot run with JavaScript off; the fallback state is
    # checked with axe below, with the script blocked instead.
    context = browser.new_context(java_script_enabled=False, locale="nb-NO")
    context.set_default_timeout(15000)
    page = context.new_page()
    try:
        page.goto(newsletter_live.url + "/regionalnytt-meld-deg-pa/")
        assert page.get_by_text("Uten JavaScript kan vi ikke bruke").is_visible()
        page.get_by_label("E-postadresse").fill("utenjs@example.no")
        page.get_by_label("Jeg har lest samtykketeksten").check()
        page.get_by_role("button", name="Meld meg på").click()
        page.get_by_role("heading", name="Sjekk e-posten din").wait_for()
        assert [m.to for m in mail.outbox] == [["utenjs@example.no"]]
    finally:
        context.close()


def test_fallback_note_when_the_script_does_not_load(newsletter_live, page):
    page.route("**/newsletter/signup.js", lambda route: route.abort())
    page.goto(newsletter_live.url + "/regionalnytt-meld-deg-pa/")
    assert page.get_by_text("Uten JavaScript kan vi ikke bruke").is_visible()
    assert_no_axe_violations(page)
