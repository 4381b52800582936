"""The case-handling admin speaks the staff member's admin language: bokmål by default,
English for someone who chose it under «Konto» (Wagtail's preferred_language), from
the messages in pilots/locale. What the applicant gets stays in bokmål."""

import csv
import datetime
import io

import pytest
from django.urls import reverse
from django.utils import timezone
from wagtail.users.models import UserProfile

from pilots.casework import services
from pilots.models import Application
from tests.factories.pilots import CLASS_5, CLASS_6, close_round, criteria, staff, submitted_application

LIST = reverse("pilot_applications:index")


def speaks(user, language):
    profile = UserProfile.get_for_user(user)
    profile.preferred_language = language
    profile.save()
    return user


@pytest.fixture
def case_handler(db):
    return speaks(staff("Saksbehandler", first_name="Eva", last_name="Lie"), "en")


@pytest.fixture
def reviewed(open_round, case_handler):
    application = submitted_application(round=open_round, municipalities=[CLASS_6], title="Fjellbygd")
    submitted_application(round=open_round, municipalities=[CLASS_5], title="Kystkultur")
    forankring, *_ = criteria(open_round, names=("Forankring",))
    services.save_review(application, case_handler, forankring, 4, "Godt forankret")
    return application


def test_case_listing_headings_in_english(client, case_handler, reviewed):
    client.force_login(case_handler)
    html = client.get(LIST).text
    for heading in ("Project", "County", "Prepared decision", "Mean score", "Case handler", "Amount applied for"):
        assert heading in html, heading
    assert "Council decision reminder" in html  # the header button
    assert "Not assigned" in html  # the case handler column of an unassigned case
    for bokmal in ("Snittpoeng", "Forberedt vedtak", "Søkt beløp", "Ikke tildelt"):
        assert bokmal not in html, bokmal


def test_inspect_page_headings_in_english(client, case_handler, reviewed):
    client.force_login(case_handler)
    html = client.get(reverse("pilot_applications:inspect", args=[reviewed.pk])).text
    for heading in (
        "Case handler: not assigned",
        "Disqualification",
        "Decision letter",
        "Messages with the applicant",
        "Municipalities",
        "Authority to apply for the municipalities",
        "The answers",
        "Attachments",
        "Reviews",
        "Internal notes",
        "History",
    ):
        assert f'class="w-h3">{heading}' in html, heading
    assert "Reviewed “Forankring”: 4 points" in html  # the audit log, in the reader's language
    assert "Change status" in html and "Save the review" in html
    for bokmal in ("Interne notater", "Historikk", "Vurdert «Forankring»", "Lagre vurderingen"):
        assert bokmal not in html, bokmal


def test_action_messages_and_export_in_english(client, case_handler, reviewed):
    client.force_login(case_handler)
    response = client.post(reverse("pilot_applications:add_note", args=[reviewed.pk]), {"text": "  "}, follow=True)
    assert "Write a note before saving." in response.text
    response = client.post(
        reverse("pilot_applications:add_note", args=[reviewed.pk]), {"text": "Ring kommunen"}, follow=True
    )
    assert "The note has been saved." in response.text

    export = client.get(f"{LIST}?export=csv")
    header = next(csv.reader(io.StringIO(b"".join(export.streaming_content).decode("utf-8-sig")), delimiter=";"))
    assert header[:4] == ["Reference", "Project", "Application round", "Status"]
    assert "Mean score" in header and "Case handler" in header


def test_bokmal_stays_the_default(client, reviewed):
    colleague = staff("Saksbehandler")
    client.force_login(colleague)
    html = client.get(reverse("pilot_applications:inspect", args=[reviewed.pk])).text
    assert 'class="w-h3">Interne notater' in html
    assert "Vurdert «Forankring»: 4 poeng" in html
    assert "Internal notes" not in html


def test_dashboard_panel_and_portfolio_in_english(client, case_handler, reviewed):
    client.force_login(case_handler)
    dashboard = client.get("/admin/").text
    assert "Applications for a rural growth agreement" in dashboard
    assert "<strong>2</strong> applications from <strong>2</strong> municipalities" in dashboard
    portfolio = client.get(reverse("pilot_applications:portfolio")).text
    for heading in ("Selected so far", "By county", "The shortlist and the selected"):
        assert f'class="w-h3">{heading}<' in portfolio, heading
    assert "Valgt så langt" not in portfolio


def test_form_errors_in_english_with_the_error_summary(client, case_handler, reviewed):
    client.force_login(case_handler)
    reply_by = (timezone.localdate() + datetime.timedelta(days=14)).isoformat()
    response = client.post(
        reverse("pilot_applications:ask_question", args=[reviewed.pk]),
        {"text": "", "reply_by_date": reply_by, "reply_by_time": "15:00"},
    )
    assert response.status_code == 200
    assert "There is 1 error in the form. Correct it and try again:" in response.text
    assert "Write the question to the applicant." in response.text
    assert "Question to the applicant" in response.text  # the field's label


def test_mail_a_case_handler_causes_stays_in_bokmal(
    client, case_handler, open_round, mailoutbox, django_capture_on_commit_callbacks
):
    application = submitted_application(
        round=open_round,
        municipalities=[CLASS_6],
        council_decision=Application.CouncilDecision.PLANNED,
        council_decision_date=datetime.date(2030, 10, 20),
    )
    close_round(open_round)
    client.force_login(case_handler)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("pilot_applications:remind", args=[application.pk]), follow=True)
    assert "a reminder about the council decision has been sent" in response.text  # the admin: English
    assert len(mailoutbox) == 1
    assert "Vi minner om kommunestyrevedtaket." in mailoutbox[0].body  # the applicant: bokmål
    assert "Oppgi referansenummeret hvis du kontakter oss." in mailoutbox[0].body
