"""The public newsletter pages in headless Chromium, with axe-core on each."""

import re

import pytest
from django.core import mail
from playwright.sync_api import expect

from newsletter import proof, tokens
from newsletter.models import Subscriber, Subscription
from tests.conftest import assert_no_axe_violations
from tests.factories.newsletter import subscribed

from .conftest import make_issue, make_list, make_signup_page, make_topic_page

pytestmark = pytest.mark.browser


@pytest.fixture
def live_signup(live_home):
    """The sign-up page and the topic page with its block, behind the live server."""
    newsletter_list = make_list()
    signup = make_signup_page(live_home, newsletter_list)
    return newsletter_list, signup, make_topic_page(live_home, signup)


def test_subscribe_confirm_and_unsubscribe_journey(live_signup, live_server, page, settings, monkeypatch):
    _, _, topic = live_signup
    verified = []
    real_verify = proof.verify
    monkeypatch.setattr(proof, "verify", lambda payload: verified.append(real_verify(payload)) or verified[-1])
    settings.NEWSLETTER_BASE_URL = live_server.url
    page.goto(live_server.url + topic.url)
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
    assert verified == [True], "the browser's solution passes the altcha package's check"
    assert_no_axe_violations(page)

    link = re.search(r"http://\S+/nyhetsbrev/bekreft/\S+/", mail.outbox[-1].body).group(0)
    page.goto(link)
    assert_no_axe_violations(page)
    page.get_by_role("button", name="Bekreft påmeldingen").click()
    page.get_by_role("heading", name="Du er påmeldt Distriktsbrevet").wait_for()
    assert_no_axe_violations(page)

    subscription = Subscription.objects.get()
    token = tokens.make_unsubscribe_token(subscription.subscriber_id, subscription.newsletter_list_id)
    page.goto(f"{live_server.url}/nyhetsbrev/avmeld/{token}/")
    assert_no_axe_violations(page)
    page.get_by_role("button", name="Meld meg av").click()
    page.get_by_role("heading", name="Du er meldt av Distriktsbrevet").wait_for()
    subscription.refresh_from_db()
    assert subscription.status == "unsubscribed"


def test_archive_and_issue_pages(live_signup, live_home, live_server, page):
    newsletter_list, signup, topic = live_signup
    issue = make_issue(
        live_home,
        newsletter_list,
        signup,
        title="Nytt fra fjellbygdene",
        ingress="Om unge som flytter hjem.",
        body=[
            ("heading", {"text": "Flere unge flytter hjem", "level": "h2"}),
            ("paragraph", "<p>Tallene for 2025 er klare.</p>"),
            ("link_list", {"heading": "Les mer", "links": [{"page": topic, "url": "", "title": "", "lang": ""}]}),
        ],
    )
    page.goto(live_server.url + issue.get_parent().url)
    assert page.get_by_role("heading", level=1).inner_text() == "Distriktsbrevet"
    expect(page.get_by_role("link", name="Meld deg på Distriktsbrevet")).to_be_visible()
    assert_no_axe_violations(page)
    page.get_by_role("link", name="Nytt fra fjellbygdene").click()
    page.get_by_role("heading", name="Flere unge flytter hjem").wait_for()
    assert_no_axe_violations(page)


def test_signup_form_works_without_javascript(live_signup, live_server, browser):
    _, signup, _ = live_signup
    # page.evaluate (and so axe) cannot run with JavaScript off; the fallback state is
    # checked with axe below, with the script blocked instead.
    context = browser.new_context(java_script_enabled=False, locale="nb-NO")
    context.set_default_timeout(15000)
    page = context.new_page()
    try:
        page.goto(live_server.url + signup.url)
        assert page.get_by_text("Uten JavaScript kan vi ikke bruke").is_visible()
        page.get_by_label("E-postadresse").fill("utenjs@example.no")
        page.get_by_label("Jeg har lest samtykketeksten").check()
        page.get_by_role("button", name="Meld meg på").click()
        page.get_by_role("heading", name="Sjekk e-posten din").wait_for()
        assert [m.to for m in mail.outbox] == [["utenjs@example.no"]]
    finally:
        context.close()


def test_fallback_note_when_the_script_does_not_load(live_signup, live_server, page):
    _, signup, _ = live_signup
    page.route("**/newsletter/signup.js", lambda route: route.abort())
    page.goto(live_server.url + signup.url)
    assert page.get_by_text("Uten JavaScript kan vi ikke bruke").is_visible()
    assert_no_axe_violations(page)


def test_erase_the_address_from_the_manage_page(live_signup, live_server, page):
    newsletter_list, _, _ = live_signup
    subscription = subscribed("kari@example.no", newsletter_list)
    page.goto(f"{live_server.url}/nyhetsbrev/abonnement/{tokens.make_manage_token(subscription.subscriber_id)}/")
    assert_no_axe_violations(page)
    page.get_by_role("link", name="Slett adressen min").click()
    page.get_by_role("heading", name="Vil du slette adressen din?").wait_for()
    assert_no_axe_violations(page)
    page.get_by_role("button", name="Ja, slett adressen min").focus()
    page.keyboard.press("Enter")
    page.get_by_role("heading", name="Adressen din er slettet").wait_for()
    assert_no_axe_violations(page)
    assert not Subscriber.objects.exists()
