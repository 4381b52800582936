"""The application flow over real HTTP (Django test client): the call page, the
task list, each question page with bad and good input, autosave, the version check,
invitations, check-your-answers, submitting and the receipt."""

import datetime
import re

import pytest
from django.core import mail
from django.core.files.base import ContentFile
from django.urls import reverse
from django.utils import timezone

from pilots.applications import services
from pilots.models import Application, Invitation
from tests.factories.pdf import text_pdf
from tests.factories.pilots import (
    CLASS_4,
    CLASS_5,
    CLASS_6,
    ApplicationFactory,
    PilotCallPageFactory,
    RoundFactory,
    municipality,
)
from tests.factories.portal import ApplicantFactory
from tests.pilots.conftest import oslo


def section_url(application, slug):
    return reverse("pilots:section", args=[application.round_id, application.pk, slug])


@pytest.fixture
def signed_in(client, applicant):
    client.force_login(applicant)
    return client


def test_call_pages_show_deadline_state_and_start(client, call_page):
    topic = call_page.get_parent()
    closed = PilotCallPageFactory(
        parent=topic,
        title="Utlysing for fjellbygder 2022",
        round=RoundFactory(
            opens_at=oslo(2022, 6, 1),
            closes_at=oslo(2022, 9, 30, 23, 59, 59),
            supplement_deadline=oslo(2022, 10, 21, 23, 59, 59),
            budget_total=10_000_000,
        ),
    )
    page = client.get(closed.url)
    assert page.status_code == 200
    assert "Utlysing for fjellbygder 2022" in page.text
    assert "30. september 2022 kl. 23.59" in page.text
    assert "Stengt" in page.text and "Start søknad" not in page.text
    assert "Søknadsfristen er ute." in page.text
    assert "10\u00a0000\u00a0000\u00a0kr" in page.text

    page = client.get(call_page.url)
    assert page.status_code == 200
    assert "Søk om å bli pilot" in page.text
    assert "Åpen" in page.text and "Stengt" not in page.text
    assert reverse("pilots:start", args=[call_page.round_id]) in page.text

    now = timezone.now()
    upcoming = PilotCallPageFactory(
        parent=topic,
        round=RoundFactory(opens_at=now + datetime.timedelta(days=3), closes_at=now + datetime.timedelta(days=30)),
    )
    page = client.get(upcoming.url)
    assert "Åpner snart" in page.text and "Start søknad" not in page.text


def test_complete_flow_without_javascript(signed_in, db, django_capture_on_commit_callbacks):
    client = signed_in
    open_round = RoundFactory(max_amount=2_000_000)
    response = client.post(reverse("pilots:start", args=[open_round.pk]))
    application = Application.objects.get()
    task_list = reverse("pilots:task_list", args=[open_round.pk, application.pk])
    assert response["Location"] == task_list
    page = client.get(task_list)
    assert page.text.count("Kan ikke starte ennå") == 5  # four locked sections and the final step

    # Locked sections send the applicant back to the first one.
    assert client.get(section_url(application, "prosjektet"))["Location"] == section_url(application, "kommuner")

    lead, partner = municipality(CLASS_4), municipality(CLASS_6)
    page = client.post(
        section_url(application, "kommuner"), {"version": 1, "lead": municipality(CLASS_4).pk, "action": "continue"}
    )
    assert page.status_code == 200
    assert "Sentralitetsklasse 4: kan bare søke sammen med en kommune i klasse 5 eller 6." in page.text
    page = client.post(
        section_url(application, "kommuner"),
        {"version": 2, "lead": lead.pk, "partner_1": partner.pk, "partner_2": "", "action": "continue"},
    )
    assert page["Location"] == section_url(application, "kontaktperson")

    contact = {
        "version": 3,
        "name": "Ola Nordmann",
        "role": "Rådgiver",
        "email": "ola@",
        "phone": "12",
        "action": "continue",
    }
    page = client.post(section_url(application, "kontaktperson"), contact)
    assert page.status_code == 200
    assert "ds-error-summary" in page.text
    assert "Skriv inn en gyldig e-postadresse" in page.text
    assert "Skriv inn et telefonnummer med 8 siffer" in page.text
    assert 'value="Ola Nordmann"' in page.text and 'value="ola@"' in page.text
    contact.update(email="ola@kommune.example", phone="22 24 70 01")
    page = client.post(section_url(application, "kontaktperson"), contact)
    assert page["Location"] == section_url(application, "prosjektet")

    project = {
        "version": 4,
        "title": "Vekst i fjellbygdene",
        "summary": "x" * 501,
        "challenges": "Nedgang i folketallet.",
        "themes": "Bolig",
        "measures": "Boligprogram",
        "transfer_value": "Kan brukes av andre.",
        "organisation": "Styringsgruppe",
        "council_decision": "planned",
        "council_decision_date": "",
        "action": "continue",
    }
    page = client.post(section_url(application, "prosjektet"), project)
    assert "Kort sammendrag kan ha høyst 500 tegn. Du har 1 tegn for mye." in page.text
    assert "Skriv inn når vedtaket er planlagt." in page.text
    assert "Nedgang i folketallet." in page.text
    project.update(summary="Et samarbeid om bolig og arbeid.", council_decision_date="20.10.2022")
    assert client.post(section_url(application, "prosjektet"), project)["Location"] == section_url(
        application, "budsjett"
    )

    budget = {
        "version": 5,
        "amount_applied": "2000001",
        "own_contribution": "0",
        "line_count": "3",
        "line_1_description": "Prosjektleder",
        "line_1_amount": "1000000",
        "action": "continue",
    }
    page = client.post(section_url(application, "budsjett"), budget)
    assert "Dere kan søke om høyst 2 000 000 kr." in page.text
    budget.update(amount_applied="1500000", own_contribution="500000")
    page = client.post(section_url(application, "budsjett"), budget)
    assert "Summene må være like" in page.text
    budget.update(line_2_description="Tiltak", line_2_amount="1000000")
    assert client.post(section_url(application, "budsjett"), budget)["Location"] == section_url(application, "vedlegg")

    page = client.get(task_list)
    assert page.text.count("Fullført") == 4
    check = client.get(reverse("pilots:check_answers", args=[open_round.pk, application.pk]))
    assert check.text.count(">Endre<") == 19  # one per answer
    assert "Eigersund" in check.text and "Utsira" in check.text

    declaration = reverse("pilots:declaration", args=[open_round.pk, application.pk])
    page = client.get(declaration)
    application.refresh_from_db()
    assert application.submission_started_at is not None
    page = client.post(declaration, {})
    assert "Du må bekrefte erklæringen" in page.text
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(declaration, {"confirm": "on"})
    receipt = reverse("pilots:receipt", args=[open_round.pk, application.pk])
    assert response["Location"] == receipt
    # A resent form (double click, back button) changes nothing.
    assert client.post(declaration, {"confirm": "on"})["Location"] == receipt
    application.refresh_from_db()
    page = client.get(receipt)
    assert application.reference in page.text
    assert "Hva skjer nå" in page.text
    assert len(mail.outbox) == 1
    assert set(mail.outbox[0].to) == {"ola@kommune.example"}

    # Answers are locked now.
    response = client.post(section_url(application, "prosjektet"), {**project, "version": application.version})
    assert response["Location"] == reverse("pilots:check_answers", args=[open_round.pk, application.pk])
    mine = client.get(reverse("pilots:my_applications"))
    assert "Sendt inn" in mine.text and application.reference in mine.text


def test_autosave_and_version_conflict(signed_in, open_round, applicant):
    application = ApplicationFactory(round=open_round, created_by=applicant, municipalities=[CLASS_6])
    url = section_url(application, "prosjektet")
    version = application.version
    fields = {"version": version, "title": "Nytt navn", "summary": "", "action": "autosave"}
    response = signed_in.post(url, fields, headers={"X-Autosave": "1"})
    assert response.status_code == 200
    assert response.json()["saved"] is True and response.json()["version"] == version + 1
    application.refresh_from_db()
    assert application.title == "Nytt navn" and application.summary == ""

    # A colleague still has the old version open and saves: refused, nothing overwritten.
    stale = {"version": version, "title": "Kollegaens navn", "action": "autosave"}
    response = signed_in.post(url, stale, headers={"X-Autosave": "1"})
    assert response.status_code == 409 and response.json()["conflict"] is True
    page = signed_in.post(url, {**stale, "action": "continue"})
    assert "Noen andre har endret søknaden" in page.text
    assert 'value="Kollegaens navn"' in page.text  # what they typed is still there
    assert f'name="version" value="{version + 1}"' in page.text
    application.refresh_from_db()
    assert application.title == "Nytt navn"

    # A malformed value is not autosaved (the valid ones are; see test_typing.py) and is named.
    response = signed_in.post(
        section_url(application, "kontaktperson"),
        {"version": application.version, "email": "ikke-epost"},
        headers={"X-Autosave": "1"},
    )
    assert response.status_code == 200 and [field["label"] for field in response.json()["invalid"]] == ["E-post"]
    application.refresh_from_db()
    assert application.contact.email == applicant.email


def test_save_and_return_keeps_a_partial_draft(signed_in, open_round, applicant):
    application = ApplicationFactory(round=open_round, created_by=applicant, municipalities=[CLASS_6])
    response = signed_in.post(
        section_url(application, "prosjektet"),
        {"version": application.version, "title": "Bare tittel", "action": "return"},
    )
    assert response["Location"] == reverse("pilots:task_list", args=[open_round.pk, application.pk])
    page = signed_in.get(response["Location"])
    assert "Utkastet er lagret kl." in page.text
    assert "Påbegynt" in page.text


def test_invited_colleague_gets_access_after_signing_in(
    client, signed_in, open_round, applicant, django_capture_on_commit_callbacks
):
    application = ApplicationFactory(
        round=open_round, created_by=applicant, municipalities=[CLASS_5], title="Felles løft for Sokndal"
    )
    invite = reverse("pilots:invite", args=[open_round.pk, application.pk])
    assert "Skriv inn en gyldig e-postadresse" in signed_in.post(invite, {"email": "kari@"}).text
    with django_capture_on_commit_callbacks(execute=True):
        signed_in.post(invite, {"email": "Kari@Kommune.Example"})
    assert Invitation.objects.get().email == "kari@kommune.example"
    assert mail.outbox[0].to == ["kari@kommune.example"]
    colleague = ApplicantFactory(email="kari@kommune.example")
    client.force_login(colleague)
    task_list = reverse("pilots:task_list", args=[open_round.pk, application.pk])
    assert client.get(task_list).status_code == 404  # the address alone gives nothing
    client.get(re.search(r"/soknad/invitasjon/\S+/", mail.outbox[0].body).group(0))
    assert client.post(reverse("pilots:invitation"))["Location"] == task_list
    assert client.get(task_list).status_code == 200
    assert "Felles løft for Sokndal" in client.get(reverse("pilots:my_applications")).text


def test_another_applicant_gets_404_everywhere(
    client, open_round, applicant, other_applicant, django_capture_on_commit_callbacks
):
    application = ApplicationFactory(
        round=open_round, created_by=applicant, municipalities=[CLASS_6], title="Bygdevekst på Utsira"
    )
    upload = ContentFile(text_pdf("Vedtak", [["Kommunestyrets vedtak"]]), name="vedtak.pdf")
    attachment = services.add_attachment(application, upload, applicant)
    submitted = ApplicationFactory(round=open_round, created_by=applicant, municipalities=[CLASS_5])
    services.submit(submitted, applicant)

    client.force_login(other_applicant)
    args = [open_round.pk, application.pk]
    urls = [
        reverse("pilots:task_list", args=args),
        section_url(application, "prosjektet"),
        reverse("pilots:attachments", args=args),
        reverse("pilots:download_attachment", args=[*args, attachment.pk]),
        reverse("pilots:check_answers", args=args),
        reverse("pilots:declaration", args=args),
        reverse("pilots:invite", args=args),
        reverse("pilots:receipt", args=[open_round.pk, submitted.pk]),
        reverse("pilots:withdraw", args=[open_round.pk, submitted.pk]),
    ]
    for url in urls:
        assert client.get(url).status_code == 404, url
        assert (
            client.post(url, {"version": 1, "title": "Kapret", "confirm": "on", "email": "x@y.no"}).status_code == 404
        ), url
    application.refresh_from_db()
    assert application.title == "Bygdevekst på Utsira"
    assert not Invitation.objects.exists()
    # A wrong round in the URL is not found either, even for the owner.
    client.force_login(applicant)
    assert client.get(reverse("pilots:task_list", args=[open_round.pk + 1000, application.pk])).status_code == 404
    assert "Kapret" not in client.get(reverse("pilots:my_applications")).text
