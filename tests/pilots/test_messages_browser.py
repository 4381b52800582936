"""The dialogue in headless Chromium: a case handler asks a question in the admin, the
applicant (signed in) reads it under «Meldinger» and answers with a text and a PDF,
and the case handler sees the answer. The portal's thread page passes axe, has its
headings in order and does not scroll sideways, at 1280 and at 320 px."""

import datetime
import re

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from pilots.formatting import OSLO, oslo_datetime
from pilots.models import Application
from tests.conftest import PHONE, assert_no_axe_violations, signed_in_page
from tests.factories.pdf import text_pdf
from tests.factories.pilots import RoundFactory, staff, submitted_application
from tests.factories.policy import give_admin_code, totp_device
from tests.factories.portal import ApplicantFactory
from tests.test_reflow import check

pytestmark = pytest.mark.browser

QUESTION = "Når behandler kommunestyret i Utsira saken, og hvor mange boliger gir programmet?"
ANSWER = "Kommunestyret behandlet saken 2. desember. Programmet gir tolv boliger. Vedtaket ligger ved."
DESKTOP = {"width": 1280, "height": 900}


def sign_in_staff(page, base_url, username):
    page.goto(base_url + "/admin/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", "passord-123")
    page.keyboard.press("Enter")
    give_admin_code(page, totp_device(get_user_model().objects.get(username=username)))
    page.wait_for_url(base_url + "/admin/")


def test_question_answer_and_the_answer_seen_by_the_case_handler(live_home, live_server, browser, tmp_path):
    base = live_server.url
    applicant = ApplicantFactory(email="ola@utsira.kommune.example")
    case = submitted_application(round=RoundFactory(), created_by=applicant, status=Application.Status.IN_ASSESSMENT)
    totp_device(staff("Saksbehandler", username="saksbehandler"))
    reply_day = timezone.localtime(timezone.now(), OSLO).date() + datetime.timedelta(days=9)
    reply_by = datetime.datetime.combine(reply_day, datetime.time(13, 45), tzinfo=OSLO)

    mail.outbox.clear()  # the receipt

    # The case handler asks, from the application's page in the admin.
    admin = browser.new_context(locale="nb-NO", viewport=DESKTOP).new_page()
    admin.set_default_timeout(15000)
    sign_in_staff(admin, base, "saksbehandler")
    inspect_url = base + reverse("pilot_applications:inspect", args=[case.pk])
    admin.goto(inspect_url)
    admin.get_by_role("link", name="Be om mer informasjon").click()
    admin.get_by_role("button", name=re.compile("Send spørsmålet")).click()  # nothing filled in yet
    expect(admin.get_by_text("Det er 1 feil i skjemaet")).to_be_visible()
    expect(admin.get_by_text("Skriv spørsmålet til søkeren.").first).to_be_visible()
    assert_no_axe_violations(admin)
    admin.get_by_label("Spørsmål til søkeren").fill(QUESTION)
    admin.get_by_label("Svarfrist (dato)").fill(reply_day.isoformat())
    admin.get_by_label("Svarfrist (klokkeslett)").fill("13:45")
    admin.get_by_role("button", name=re.compile("Send spørsmålet")).click()
    expect(admin.get_by_text("Spørsmålet er sendt til søkerne")).to_be_visible()
    expect(admin.get_by_role("heading", name="Status: Trenger mer informasjon")).to_be_visible()
    (question_mail,) = mail.outbox
    assert QUESTION in question_mail.body and oslo_datetime(reply_by) in question_mail.body

    # The applicant finds the question from the receipt, reads it and answers.
    for viewport in (DESKTOP, PHONE):
        page = signed_in_page(browser, live_server, applicant, viewport)
        page.goto(base + reverse("pilots:receipt", args=[case.round_id, case.pk]))
        page.get_by_role("link", name="Se spørsmålet fra departementet og svar").click()
        box = page.locator("section", has=page.get_by_role("heading", name="Departementet trenger mer informasjon"))
        expect(box.get_by_text(QUESTION)).to_be_visible()
        expect(box.get_by_text(f"Svarfrist: {oslo_datetime(reply_by)}")).to_be_visible()
        check(page)
        page.context.close()
    pdf = tmp_path / "Kommunestyrevedtak Utsira.pdf"
    pdf.write_bytes(text_pdf("Kommunestyrevedtak", [["Kommunestyret vedtok å søke."]]))
    page = signed_in_page(browser, live_server, applicant, DESKTOP)
    page.goto(base + reverse("pilots:messages", args=[case.round_id, case.pk]))
    page.get_by_label("Svaret ditt").fill(ANSWER)
    page.get_by_label("Legg ved PDF-filer").set_input_files(pdf)
    page.get_by_role("radio", name="Kommunestyrevedtak").check()
    page.get_by_role("button", name="Send svaret").click()
    expect(page.get_by_text("Svaret er sendt til departementet.")).to_be_visible()
    answer = page.locator("li", has_text=ANSWER)
    expect(answer.get_by_role("link", name="Kommunestyrevedtak Utsira.pdf")).to_be_visible()
    expect(page.get_by_role("heading", name="Departementet trenger mer informasjon")).to_have_count(0)
    check(page)
    page.context.close()

    # The case handler sees that an answer waits, with the file.
    admin.goto(inspect_url)
    thread = admin.locator("section", has=admin.get_by_role("heading", name=re.compile("Meldinger med søkeren")))
    expect(thread.get_by_text("Nytt svar").first).to_be_visible()
    expect(thread.get_by_text(ANSWER)).to_be_visible()
    expect(thread.get_by_role("link", name="Kommunestyrevedtak Utsira.pdf")).to_be_visible()
    admin.get_by_role("button", name="Marker svar som lest").click()
    expect(admin.get_by_text("Svaret er markert som lest.")).to_be_visible()
    expect(thread.get_by_text("Nytt svar")).to_have_count(0)
    admin.context.close()
