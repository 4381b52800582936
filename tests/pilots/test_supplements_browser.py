"""A late council decision in the browser: an application submitted with «Vedtak er
planlagt», a case handler sets «Til vurdering» in the admin after the application
deadline, and the applicant still uploads the council decision (typed) before the
supplement deadline, sees it listed and gets the receipt mail. The attachments page
passes axe, keeps its headings in order and does not scroll sideways at 1280 and 320 px."""

import datetime

import pytest
from django.conf import settings as conf
from django.core import mail
from django.urls import reverse
from playwright.sync_api import expect

from pilots.formatting import oslo_datetime
from pilots.models import Application, Attachment
from tests.conftest import PHONE, signed_in_page
from tests.factories.pdf import text_pdf
from tests.factories.pilots import RoundFactory, close_round, staff, submitted_application
from tests.factories.policy import verified_staff_client
from tests.factories.portal import ApplicantFactory
from tests.test_reflow import check

pytestmark = pytest.mark.browser
DESKTOP = {"width": 1280, "height": 900}


def staff_page(browser, live_server, user):
    """A browser page signed in to the admin as `user`, the second factor given."""
    session = verified_staff_client(user)
    context = browser.new_context(locale="nb-NO", viewport=DESKTOP)
    cookie = session.cookies[conf.SESSION_COOKIE_NAME].value
    context.add_cookies([{"name": conf.SESSION_COOKIE_NAME, "value": cookie, "url": live_server.url}])
    page = context.new_page()
    page.set_default_timeout(15000)
    return page


def test_a_late_council_decision_after_case_handling_started(live_home, live_server, browser, tmp_path):
    applicant = ApplicantFactory(email="ola@kommune.example")
    round = RoundFactory()
    application = submitted_application(
        round=round,
        created_by=applicant,
        council_decision=Application.CouncilDecision.PLANNED,
        council_decision_date=datetime.date(2030, 10, 20),
    )
    close_round(round, supplement_in=datetime.timedelta(days=4))
    deadline = oslo_datetime(round.supplement_deadline)

    handler = staff_page(browser, live_server, staff("Saksbehandler"))
    handler.goto(live_server.url + reverse("pilot_applications:inspect", args=[application.pk]))
    handler.get_by_label("Ny status").select_option(label="Til vurdering")
    handler.get_by_role("button", name="Endre status").click()
    expect(handler.get_by_text("Status er endret til «Til vurdering».")).to_be_visible()
    handler.context.close()

    page = signed_in_page(browser, live_server, applicant, DESKTOP)
    page.goto(live_server.url + reverse("pilots:receipt", args=[round.pk, application.pk]))
    expect(page.get_by_text(f"(til og med {deadline})")).to_be_visible()
    page.get_by_role("link", name="Ettersend vedlegg").click()
    expect(page.get_by_role("heading", name="Ettersend vedlegg")).to_be_visible()
    check(page)

    pdf = tmp_path / "Vedtak i kommunestyret.pdf"
    pdf.write_bytes(text_pdf("Kommunestyrevedtak", [["Kommunestyret vedtok å søke."]]))
    page.get_by_label("Last opp en PDF-fil").set_input_files(pdf)
    page.get_by_role("button", name="Last opp", exact=True).click()
    expect(page.get_by_text("Velg hva slags vedlegg du laster opp.").first).to_be_visible()
    check(page)  # the error summary and the message at the radio group

    page.get_by_role("radio", name="Kommunestyrevedtak").check()
    page.get_by_label("Last opp en PDF-fil").set_input_files(pdf)
    page.get_by_role("button", name="Last opp", exact=True).click()
    expect(page.get_by_text("Vedtak i kommunestyret.pdf er lastet opp.")).to_be_visible()
    row = page.locator("tr", has_text="Vedtak i kommunestyret.pdf")
    expect(row.get_by_role("cell", name="Kommunestyrevedtak", exact=True)).to_be_visible()
    expect(row.locator(".ds-tag", has_text="Godkjent")).to_be_visible()  # the test's task backend runs at once
    check(page)
    page.context.close()

    attachment = Attachment.objects.get(application=application)
    assert (attachment.kind, attachment.supplementary) == ("council_decision", True)
    receipts = [m for m in mail.outbox if "vedlegg til søknad" in m.subject]
    assert len(receipts) == 1
    assert receipts[0].to == ["ola@kommune.example"]
    assert "Fil: Vedtak i kommunestyret.pdf" in receipts[0].body
    assert "Type: Kommunestyrevedtak" in receipts[0].body

    phone = signed_in_page(browser, live_server, applicant, PHONE)
    phone.goto(live_server.url + reverse("pilots:attachments", args=[round.pk, application.pk]))
    expect(phone.get_by_text("Vedtak i kommunestyret.pdf")).to_be_visible()
    check(phone)
    phone.context.close()
