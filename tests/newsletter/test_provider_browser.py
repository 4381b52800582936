"""The issue's sending status with the mail provider's reports, in headless Chromium:
the counts staff read, axe on the page, and no sideways scroll on a phone."""

import pytest
from django.contrib.auth.models import Permission
from django.test import Client
from playwright.sync_api import expect

from newsletter import sending
from newsletter.models import Delivery
from tests.conftest import PHONE, assert_no_axe_violations, signed_in_page
from tests.factories.newsletter import subscribed
from tests.factories.policy import StaffUserFactory
from tests.test_reflow import assert_reflows

from .conftest import make_issue, make_list
from .mailgun import SIGNING_KEY, complaint, hard_bounce, post_event, signed, soft_bounce

pytestmark = pytest.mark.browser


@pytest.fixture
def subscribe_live(live_home):
    """`subscribe` for a live-server test (whose database is flushed between tests)."""
    newsletter_list = make_list()

    def _subscribe(email):
        return subscribed(email, newsletter_list)

    _subscribe.newsletter_list = newsletter_list
    return _subscribe


def test_status_page_shows_hard_bounces_and_complaints(live_home, live_server, browser, settings, subscribe_live):
    settings.ANYMAIL = {"MAILGUN_WEBHOOK_SIGNING_KEY": SIGNING_KEY}
    issue = make_issue(live_home, subscribe_live.newsletter_list, title="Fjellbygder og fiskevær")
    for name in ("borte", "ogsa-borte", "lei", "full", "kari"):
        subscribe_live(f"{name}@example.no")
    sending.start_sending(issue)  # committed at once here, so the drains run and send
    assert Delivery.objects.filter(status=Delivery.SENT).count() == 5
    provider = Client()
    for body in (
        hard_bounce("borte@example.no", issue.pk),
        hard_bounce("ogsa-borte@example.no", issue.pk),
        complaint("lei@example.no", issue.pk),
        soft_bounce("full@example.no", issue.pk),
    ):
        assert post_event(provider, signed(body)).status_code == 200

    manager = StaffUserFactory(email="ansvarlig@example.no")
    # The permission the "Nyhetsbrevansvarlig" group holds (its migration's rows do not
    # survive the flush between live-server tests).
    manager.user_permissions.add(*Permission.objects.filter(codename__in=["access_admin", "send_issue"]))
    for viewport in ({"width": 1280, "height": 900}, PHONE):
        page = signed_in_page(browser, live_server, manager, viewport)
        page.goto(f"{live_server.url}/admin/nyhetsbrev/{issue.pk}/status/")
        expect(page.get_by_role("heading", name="Tilbakemeldinger fra e-posttjenesten")).to_be_visible()
        expect(page.locator('tr[data-report="hard_bounce"]')).to_have_text("Permanent avvist2")
        expect(page.locator('tr[data-report="complaint"]')).to_have_text("Klage (markert som søppelpost)1")
        expect(page.locator('tr[data-status="sent"]')).to_have_text("Sendt5")
        assert_no_axe_violations(page)
        if viewport is PHONE:
            assert_reflows(page)
        page.context.close()
