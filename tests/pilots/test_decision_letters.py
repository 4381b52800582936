"""Decision letters: staff write the grounds, the amount and a contact person before
release; release refuses a letter without grounds; the applicant gets the whole letter
by mail, on a portal page and as a PDF (with a PDF of the application as submitted),
and nobody else can fetch them."""

import datetime
import io
import re

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from pilots.casework import decisions, services
from pilots.letters.content import complaint_deadline
from pilots.models import Application, DecisionLetter, DecisionNotice
from tests.factories.casework import write_letters
from tests.factories.pilots import RoundFactory, staff, submitted_application

S = Application.Status
GROUNDS = "Søknaden har sterk lokal forankring og tydelig overføringsverdi til andre fjellkommuner."
CONTACT = {
    "contact_name": "Ingrid Fjellheim",
    "contact_email": "ingrid.fjellheim@kdd.example",
    "contact_phone": "22 24 71 30",
}


@pytest.fixture
def decision_round(db):
    return RoundFactory(name="Bygdevekst i fjellet", max_pilots=2, max_amount=2_000_000)


@pytest.fixture
def chosen(decision_round):
    return submitted_application(
        round=decision_round,
        municipalities=["1134"],
        title="Fjellbygd i vekst",
        amount_applied=1_500_000,
        status=S.SHORTLISTED,
    )


@pytest.fixture
def rejected(decision_round):
    return submitted_application(
        round=decision_round,
        municipalities=["1135"],
        title="Kystlag",
        amount_applied=1_500_000,
        status=S.IN_ASSESSMENT,
    )


@pytest.fixture
def decision_maker(db):
    return staff("Beslutter", first_name="Berit", last_name="Beslutter")


def normalised(text):
    return re.sub(r"\s+", " ", text.replace("\u00a0", " "))


def pdf_text(response):
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Cache-Control"].startswith("private, no-store")
    reader = PdfReader(io.BytesIO(response.content))
    return reader, normalised(" ".join(page.extract_text() for page in reader.pages))


def release(round, user, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        return services.release_decisions(round, user)


def write_and_release(chosen, rejected, decision_maker, django_capture_on_commit_callbacks):
    services.set_decision(chosen, "selected", decision_maker)
    services.set_decision(rejected, "not_selected", decision_maker)
    decisions.save_letter(chosen, decision_maker, grounds=GROUNDS, amount_granted=1_200_000, **CONTACT)
    decisions.save_letter(
        rejected, decision_maker, grounds="Søknaden er svakere på gjennomførbarhet.", amount_granted=None, **CONTACT
    )
    mail.outbox.clear()
    assert release(chosen.round, decision_maker, django_capture_on_commit_callbacks) == 2


# --- Release ---------------------------------------------------------------------------


def test_release_is_refused_while_a_letter_has_no_grounds(chosen, rejected, decision_maker):
    services.set_decision(chosen, "selected", decision_maker)
    services.set_decision(rejected, "not_selected", decision_maker)
    write_letters([chosen], amount_granted=1_000_000)
    with pytest.raises(services.WorkflowError) as refusal:
        services.release_decisions(chosen.round, decision_maker)
    assert f"{rejected.reference}: mangler begrunnelse og kontaktperson" in str(refusal.value)
    assert chosen.reference not in str(refusal.value)
    assert not DecisionNotice.objects.exists()
    rejected.refresh_from_db()
    assert rejected.status == S.IN_ASSESSMENT


def test_release_is_refused_for_a_selected_application_without_an_amount(chosen, decision_maker):
    services.set_decision(chosen, "selected", decision_maker)
    write_letters([chosen], amount_granted=None)
    with pytest.raises(services.WorkflowError, match=f"{chosen.reference}: mangler tildelt beløp"):
        services.release_decisions(chosen.round, decision_maker)


def test_the_release_form_shows_the_refusal(client, chosen, decision_maker):
    services.set_decision(chosen, "selected", decision_maker)
    client.force_login(decision_maker)
    page = client.post(reverse("pilot_applications:release"), {"round": chosen.round_id, "confirm": "yes"}, follow=True)
    assert "Vedtakene kan ikke frigis før hvert vedtaksbrev har begrunnelse" in page.text
    assert f"{chosen.reference}: mangler begrunnelse" in page.text


def test_the_mail_is_the_whole_letter(chosen, rejected, decision_maker, django_capture_on_commit_callbacks):
    write_and_release(chosen, rejected, decision_maker, django_capture_on_commit_callbacks)
    by_reference = {m.subject.split()[1]: m for m in mail.outbox}
    letter = normalised(by_reference[chosen.reference].body)
    assert GROUNDS in letter
    assert "Tildelt beløp: 1 200 000 kr" in letter
    assert "Klagefristen er tre uker fra den dagen dette vedtaket kom fram til dere (forvaltningsloven § 29)" in letter
    assert "postmottak@kdd.dep.no" in letter
    assert "Ingrid Fjellheim, e-post ingrid.fjellheim@kdd.example, telefon 22 24 71 30" in letter
    other = normalised(by_reference[rejected.reference].body)
    assert "Søknaden er ikke valgt som pilotområde" in other and "Tildelt beløp" not in other
    notice = DecisionNotice.objects.get(application=chosen)
    assert notice.sent_at is not None and chosen.created_by.email in notice.recipients
    # The released letter is frozen: nobody changes it any more.
    with pytest.raises(services.WorkflowError, match="allerede frigitt"):
        decisions.save_letter(chosen, decision_maker, grounds="Ny tekst", amount_granted=1, **CONTACT)


# --- The applicant's page and PDFs -------------------------------------------------------


def portal(name, application):
    return reverse(f"pilots:{name}", args=[application.round_id, application.pk])


def test_the_applicant_reads_and_downloads_the_letter(
    client, chosen, rejected, decision_maker, django_capture_on_commit_callbacks
):
    write_and_release(chosen, rejected, decision_maker, django_capture_on_commit_callbacks)
    sent_at = DecisionNotice.objects.get(application=chosen).sent_at
    deadline = complaint_deadline(sent_at)
    assert deadline - timezone.localdate(sent_at) >= datetime.timedelta(days=21)
    client.force_login(chosen.created_by)

    receipt = client.get(portal("receipt", chosen))
    assert portal("decision", chosen) in receipt.text
    page = normalised(client.get(portal("decision", chosen)).text)
    assert GROUNDS in page and "1 200 000 kr" in page and "Ingrid Fjellheim" in page

    reader, text = pdf_text(client.get(portal("decision_pdf", chosen)))
    assert GROUNDS in text
    assert "Tildelt beløp: 1 200 000 kr" in text
    day = f"{deadline.day}. "
    assert re.search(rf"fristen går ut {re.escape(day)}\w+ {deadline.year}", text), text
    assert "Ingrid Fjellheim" in text and "ingrid.fjellheim@kdd.example" in text and "22 24 71 30" in text
    assert "postmottak@kdd.dep.no" in text
    assert reader.metadata.title == f"Vedtak: {chosen.reference} – Fjellbygd i vekst"
    assert reader.trailer["/Root"]["/Lang"] == "nb"
    assert reader.trailer["/Root"]["/MarkInfo"]["/Marked"]  # tagged for screen readers

    _, application_text = pdf_text(client.get(portal("application_pdf", chosen)))
    assert "Fjellbygd i vekst" in application_text and chosen.reference in application_text
    assert "1 500 000 kr" in application_text


def test_nobody_else_and_nothing_before_release(
    client, chosen, rejected, decision_maker, django_capture_on_commit_callbacks
):
    services.set_decision(chosen, "selected", decision_maker)
    write_letters([chosen])
    client.force_login(chosen.created_by)
    for name in ("decision", "decision_pdf", "application_pdf"):
        assert client.get(portal(name, chosen)).status_code == 404  # prepared, not released

    write_letters([rejected])
    services.set_decision(rejected, "not_selected", decision_maker)
    release(chosen.round, decision_maker, django_capture_on_commit_callbacks)
    client.force_login(rejected.created_by)  # an applicant, but not of this application
    for name in ("decision", "decision_pdf", "application_pdf"):
        assert client.get(portal(name, chosen)).status_code == 404
    client.logout()
    signed_out = client.get(portal("decision_pdf", chosen))
    assert signed_out.status_code == 302 and reverse("pilots:sign_in") in signed_out["Location"]


def test_staff_download_from_the_inspect_page(
    client, chosen, rejected, decision_maker, django_capture_on_commit_callbacks
):
    write_and_release(chosen, rejected, decision_maker, django_capture_on_commit_callbacks)
    client.force_login(staff("Saksbehandler"))
    inspect = client.get(reverse("pilot_applications:inspect", args=[chosen.pk])).text
    letter_pdf = reverse("pilot_applications:letter_pdf", args=[chosen.pk])
    assert letter_pdf in inspect
    _, text = pdf_text(client.get(letter_pdf))
    assert GROUNDS in text
    _, text = pdf_text(client.get(reverse("pilot_applications:application_pdf", args=[chosen.pk])))
    assert "Fjellbygd i vekst" in text

    client.force_login(staff("Editors"))  # page editors see no applications
    refused = client.get(letter_pdf)
    assert refused.status_code in (302, 403) and refused.get("Content-Type") != "application/pdf"


# --- Writing the letter in the admin -----------------------------------------------------


def test_staff_write_the_letter_with_errors_shown_and_nothing_lost(client, chosen, decision_maker):
    services.set_decision(chosen, "selected", decision_maker)
    case_handler = staff("Saksbehandler", first_name="Ola", last_name="Saksbehandler", email="ola@kdd.example")
    client.force_login(case_handler)
    url = reverse("pilot_applications:decision_letter", args=[chosen.pk])
    form = client.get(url)
    assert form.status_code == 200
    assert 'value="Ola Saksbehandler"' in form.text and 'value="ola@kdd.example"' in form.text  # a start

    typed = {
        "grounds": "Et langt og gjennomtenkt resonnement.",
        "amount_granted": "2500000",
        "contact_name": "Ola Saksbehandler",
        "contact_email": "ola-ved-kdd",
        "contact_phone": "",
    }
    invalid = client.post(url, typed)
    assert invalid.status_code == 200
    assert "Det er 3 feil i skjemaet" in invalid.text
    assert "Beløpet kan ikke være høyere enn 2\u00a0000\u00a0000\u00a0kr" in invalid.text
    assert "Skriv en gyldig e-postadresse" in invalid.text
    assert "Skriv telefonnummeret til kontaktpersonen." in invalid.text
    assert "Et langt og gjennomtenkt resonnement." in invalid.text and 'value="ola-ved-kdd"' in invalid.text
    assert not DecisionLetter.objects.exists()

    saved = client.post(
        url, {**typed, "amount_granted": "1500000", "contact_email": "ola@kdd.example", "contact_phone": "22 24 00 00"}
    )
    assert saved.status_code == 302
    letter = DecisionLetter.objects.get(application=chosen)
    assert (letter.amount_granted, letter.contact_phone, letter.written_by) == (1_500_000, "22 24 00 00", case_handler)
    inspect = client.get(saved["Location"]).text
    assert "Et langt og gjennomtenkt resonnement." in inspect and "Endre vedtaksbrevet" in inspect


def test_editors_cannot_write_letters(client, chosen):
    client.force_login(staff("Editors"))
    response = client.post(
        reverse("pilot_applications:decision_letter", args=[chosen.pk]), {"grounds": "Nei", **CONTACT}
    )
    assert response.status_code in (302, 403)
    assert not DecisionLetter.objects.exists()


def test_complaint_deadline_is_three_weeks_and_never_on_a_weekend():
    oslo = timezone.get_current_timezone()
    wednesday = datetime.datetime(2026, 12, 2, 9, tzinfo=oslo)
    assert complaint_deadline(wednesday) == datetime.date(2026, 12, 23)
    saturday = datetime.datetime(2026, 11, 28, 9, tzinfo=oslo)
    assert complaint_deadline(saturday) == datetime.date(2026, 12, 21)  # the Saturday three weeks on → Monday
