"""The decision letter in the browser: a decision maker writes it in the admin (a
mistake shown next to the field, nothing typed lost, no axe violations); after release
the applicant follows the link on the application's page to the decision, reads the
grounds, the amount and how to complain, and downloads the letter as a PDF. The page
passes axe, keeps its headings in order and does not scroll sideways at 1280 and 320 px."""

import io
import re

import pytest
from django.conf import settings as conf
from django.core import mail
from django.urls import reverse
from playwright.sync_api import expect
from pypdf import PdfReader

from pilots.casework import services
from tests.conftest import PHONE, assert_no_axe_violations, signed_in_page
from tests.factories.pilots import RoundFactory, staff, submitted_application
from tests.factories.policy import verified_staff_client
from tests.factories.portal import ApplicantFactory
from tests.test_reflow import check

pytestmark = pytest.mark.browser
DESKTOP = {"width": 1280, "height": 900}
GROUNDS = "Kommunene har en tydelig plan for bolig og arbeidsplasser som andre kan lære av."


def staff_page(browser, live_server, user):
    """A browser page signed in to the admin as `user`, the second factor given."""
    session = verified_staff_client(user)
    context = browser.new_context(locale="nb-NO", viewport=DESKTOP)
    cookie = session.cookies[conf.SESSION_COOKIE_NAME].value
    context.add_cookies([{"name": conf.SESSION_COOKIE_NAME, "value": cookie, "url": live_server.url}])
    page = context.new_page()
    page.set_default_timeout(15000)
    return page


def test_the_applicant_downloads_the_decision_letter(live_home, live_server, browser, tmp_path):
    applicant = ApplicantFactory(email="kari@fjellbygd.kommune.example")
    round = RoundFactory(name="Bygdevekst 2027", max_pilots=3, max_amount=2_000_000)
    application = submitted_application(
        round=round, created_by=applicant, municipalities=["1134"], title="Fjellbygd", status="shortlisted"
    )
    boss = staff("Beslutter", first_name="Per", last_name="Rådgiver", email="per.radgiver@kdd.example")
    services.set_decision(application, "selected", boss)

    # The decision maker writes the letter in the admin: first without grounds.
    admin = staff_page(browser, live_server, boss)
    admin.goto(live_server.url + reverse("pilot_applications:inspect", args=[application.pk]))
    admin.get_by_role("link", name="Skriv vedtaksbrevet").click()
    expect(admin.get_by_label("Kontaktperson i departementet")).to_have_value("Per Rådgiver")
    admin.get_by_label("Tildelt beløp (kr)").fill("1750000")
    admin.get_by_role("button", name="Lagre vedtaksbrevet").click()
    expect(admin.get_by_text("Det er 2 feil i skjemaet")).to_be_visible()
    expect(admin.get_by_role("link", name="Skriv begrunnelsen for vedtaket.")).to_be_visible()
    expect(admin.get_by_label("Tildelt beløp (kr)")).to_have_value("1750000")  # kept
    assert_no_axe_violations(admin)
    admin.get_by_label("Begrunnelse").fill(GROUNDS)
    admin.get_by_label("Kontaktpersonens telefon").fill("22 24 60 00")
    admin.get_by_role("button", name="Lagre vedtaksbrevet").click()
    expect(admin.get_by_text("Vedtaksbrevet er lagret.")).to_be_visible()
    expect(admin.get_by_text(GROUNDS)).to_be_visible()
    admin.context.close()

    assert services.release_decisions(round, boss) == 1
    (letter_mail,) = [m for m in mail.outbox if m.subject.startswith("Vedtak:")]
    assert GROUNDS in letter_mail.body

    page = signed_in_page(browser, live_server, applicant, DESKTOP)
    page.goto(live_server.url + reverse("pilots:receipt", args=[round.pk, application.pk]))
    page.get_by_role("link", name="Les vedtaket og last det ned som PDF").click()
    expect(page.get_by_role("heading", name="Vedtak om pilotområde for bygdevekstavtaler")).to_be_visible()
    expect(page.get_by_text(GROUNDS)).to_be_visible()
    expect(page.get_by_text("1\u00a0750\u00a0000\u00a0kr")).to_be_visible()
    expect(page.get_by_role("heading", name="Du kan klage på vedtaket")).to_be_visible()
    expect(page.get_by_role("link", name="per.radgiver@kdd.example")).to_be_visible()
    check(page)

    with page.expect_download() as download_info:
        page.get_by_role("link", name="Vedtaksbrevet (PDF)").click()
    download = download_info.value
    assert download.suggested_filename == f"vedtak-{application.reference}.pdf"
    path = tmp_path / download.suggested_filename
    download.save_as(path)
    reader = PdfReader(io.BytesIO(path.read_bytes()))
    text = re.sub(r"\s+", " ", " ".join(p.extract_text() for p in reader.pages).replace("\u00a0", " "))
    assert GROUNDS in text and "1 750 000 kr" in text and "Per Rådgiver" in text
    assert "Klagefristen er tre uker" in text
    page.context.close()

    phone = signed_in_page(browser, live_server, applicant, PHONE)
    phone.goto(live_server.url + reverse("pilots:decision", args=[round.pk, application.pk]))
    expect(phone.get_by_text(GROUNDS)).to_be_visible()
    check(phone)
    phone.context.close()
