"""Late attachments and council decisions: after submission, typed attachments until
the round's supplement deadline whatever case handling has reached short of a
decision, each with one receipt mail once approved and an entry in the history; one
supplement deadline on every page and mail; withdrawing until a decision; and the
case handlers' filter «Vedtak planlagt, ikke mottatt» with reminders."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from wagtail.models import ModelLogEntry

from pilots.applications import services, supplements
from pilots.formatting import oslo_datetime
from pilots.models import Application, Attachment
from tests.factories.casework import AttachmentFactory
from tests.factories.pdf import text_pdf
from tests.factories.pilots import (
    CLASS_5,
    CLASS_6,
    CLASS_6B,
    CLASS_6C,
    ApplicationFactory,
    RoundFactory,
    close_round,
    staff,
    submitted_application,
)
from tests.factories.policy import verified_staff_client

S = Application.Status
PLANNED = Application.CouncilDecision.PLANNED
DECISION_DATE = datetime.date(2030, 10, 20)


def pdf(title="Vedtak"):
    return text_pdf(title, [[title]])


@pytest.fixture
def planned(open_round, applicant):
    """Submitted with «Vedtak er planlagt»; then the application deadline passed."""
    application = submitted_application(
        round=open_round,
        created_by=applicant,
        council_decision=PLANNED,
        council_decision_date=DECISION_DATE,
    )
    close_round(open_round)
    application.refresh_from_db()
    return application


def urls(application):
    args = [application.round_id, application.pk]
    return {
        "attachments": reverse("pilots:attachments", args=args),
        "receipt": reverse("pilots:receipt", args=args),
        "withdraw": reverse("pilots:withdraw", args=args),
    }


def set_status(application, status):
    Application.objects.filter(pk=application.pk).update(status=status)
    application.refresh_from_db()


def upload(client, application, kind="council_decision", name="Kommunestyrevedtak.pdf", content=None):
    data = {"action": "upload", "file": SimpleUploadedFile(name, content or pdf())}
    if kind is not None:
        data["kind"] = kind
    return client.post(urls(application)["attachments"], data)


@pytest.mark.parametrize("status", [S.SUBMITTED, S.IN_ASSESSMENT, S.SHORTLISTED])
def test_a_council_decision_can_be_sent_late_whatever_the_case_status(client, planned, applicant, status):
    set_status(planned, status)
    client.force_login(applicant)
    receipt = client.get(urls(planned)["receipt"])
    assert "Ettersend vedlegg" in receipt.text
    page = client.get(urls(planned)["attachments"])
    assert "Fristen for å laste opp vedlegg er ute" not in page.text
    assert "Hva slags vedlegg er det?" in page.text

    response = upload(client, planned)
    assert response.status_code == 302
    attachment = Attachment.objects.get(application=planned)
    assert (attachment.kind, attachment.supplementary) == ("council_decision", True)
    listed = client.get(response["Location"])
    row = listed.text.split(f'id="vedlegg-{attachment.pk}"')[1].split("</tr>")[0]
    assert "Kommunestyrevedtak.pdf" in row and "Kommunestyrevedtak</td>" in row and "ettersendt" in row


def test_while_more_information_is_asked_for_uploads_go_with_the_next_submission(client, planned, applicant):
    set_status(planned, S.MORE_INFORMATION)
    client.force_login(applicant)
    assert upload(client, planned, kind="budget").status_code == 302
    attachment = Attachment.objects.get(application=planned)
    assert (attachment.kind, attachment.supplementary) == ("budget", False)


@pytest.mark.parametrize(
    ("status", "deadline_passed", "message"),
    [
        (S.IN_ASSESSMENT, True, "Fristen for å ettersende vedlegg var"),
        (S.SELECTED, False, "Søknaden er avgjort."),
        (S.NOT_SELECTED, False, "Søknaden er avgjort."),
        (S.WITHDRAWN, False, "Søknaden er trukket."),
    ],
)
def test_no_late_attachments_after_the_supplement_deadline_or_a_decision(
    client, planned, applicant, status, deadline_passed, message
):
    if deadline_passed:
        close_round(planned.round, supplement_in=-datetime.timedelta(seconds=1))
    set_status(planned, status)
    client.force_login(applicant)
    page = client.get(urls(planned)["attachments"])
    assert message in page.text
    assert 'enctype="multipart/form-data"' not in page.text
    assert "Ettersend vedlegg" not in client.get(urls(planned)["receipt"]).text
    refused = upload(client, planned)
    assert refused.status_code == 200
    assert "ds-error-summary" in refused.text
    expected = "Fristen for å laste opp vedlegg er ute." if deadline_passed else "Søknaden er avgjort eller trukket."
    assert expected in refused.text
    assert not Attachment.all_objects.filter(application=planned).exists()


def test_the_type_is_required_and_told_next_to_the_choice(client, planned, applicant):
    client.force_login(applicant)
    response = upload(client, planned, kind=None)
    assert response.status_code == 200
    assert response.text.count("Velg hva slags vedlegg du laster opp.") == 2  # summary and field
    assert 'href="#id_kind"' in response.text
    assert 'id="id_kind-error"' in response.text
    forged = upload(client, planned, kind="kart")
    assert "Velg kommunestyrevedtak, budsjett eller annet." in forged.text
    assert not Attachment.all_objects.exists()


def test_each_late_attachment_gets_one_receipt_once_approved_and_a_history_entry(
    client, planned, applicant, mailoutbox, django_capture_on_commit_callbacks
):
    client.force_login(applicant)
    with django_capture_on_commit_callbacks(execute=True):
        assert upload(client, planned, name="Vedtak kommunestyret.pdf").status_code == 302
    attachment = Attachment.objects.get()
    assert attachment.check_status == "approved"  # the check ran in the (immediate) task backend
    assert len(mailoutbox) == 1
    mail = mailoutbox[0]
    assert mail.to == [applicant.email]
    assert planned.reference in mail.subject
    for expected in (
        "Fil: Vedtak kommunestyret.pdf",
        "Type: Kommunestyrevedtak",
        f"Referansenummer: {planned.reference}",
        f"Mottatt: {oslo_datetime(attachment.uploaded_at)}",
        oslo_datetime(planned.round.supplement_deadline),
    ):
        assert expected in mail.body

    # The check running again, or the receipt queued again, mails nothing more.
    with django_capture_on_commit_callbacks(execute=True):
        services.record_check(attachment.pk, "")
        supplements.queue_receipt(attachment)
    assert len(mailoutbox) == 1

    entry = ModelLogEntry.objects.get(object_id=str(planned.pk), action="pilots.supplement_received")
    assert entry.user_id == applicant.pk
    history = verified_staff_client(staff("Saksbehandler")).get(
        reverse("pilot_applications:inspect", args=[planned.pk])
    )
    assert "Vedlegg ettersendt: «Vedtak kommunestyret.pdf» (Kommunestyrevedtak)" in history.text


def test_a_refused_late_file_gets_no_receipt(
    client, planned, applicant, mailoutbox, django_capture_on_commit_callbacks
):
    client.force_login(applicant)
    with django_capture_on_commit_callbacks(execute=True):
        upload(client, planned, content=b"%PDF-1.7\nikke en ekte pdf")
    assert Attachment.objects.get().check_status == "rejected"
    assert mailoutbox == []


def test_one_supplement_deadline_on_every_page_and_in_the_receipt(
    client, applicant, mailoutbox, django_capture_on_commit_callbacks
):
    now = timezone.now()
    closes = (now + datetime.timedelta(days=3)).replace(microsecond=0)
    supplement = closes + datetime.timedelta(days=11, hours=5)
    round = RoundFactory(closes_at=closes, supplement_deadline=supplement)
    application = ApplicationFactory(round=round, created_by=applicant, authorised=True)
    expected = oslo_datetime(supplement)
    client.force_login(applicant)
    args = [round.pk, application.pk]
    assert expected in client.get(reverse("pilots:task_list", args=args)).text
    declaration = client.get(reverse("pilots:declaration", args=args))
    assert f"til og med {expected}" in declaration.text
    assert oslo_datetime(closes) not in declaration.text
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("pilots:declaration", args=args), {"confirm": "on"})
    assert response.status_code == 302
    assert f"(til og med {expected})" in client.get(reverse("pilots:receipt", args=args)).text
    assert f"til og med {expected}" in mailoutbox[0].body
    assert f"til og med {expected}" in client.get(reverse("pilots:attachments", args=args)).text


def test_without_its_own_supplement_deadline_the_closing_time_is_shown(client, open_round, applicant):
    application = submitted_application(round=open_round, created_by=applicant)
    type(open_round).objects.filter(pk=open_round.pk).update(supplement_deadline=None)
    client.force_login(applicant)
    receipt = client.get(urls(application)["receipt"])
    assert f"(til og med {oslo_datetime(open_round.closes_at)})" in receipt.text


def test_withdrawing_is_possible_while_the_case_is_active_not_after_a_decision(client, planned, applicant):
    set_status(planned, S.IN_ASSESSMENT)  # and the application deadline has passed
    client.force_login(applicant)
    assert "Trekk søknaden" in client.get(urls(planned)["receipt"]).text
    response = client.post(urls(planned)["withdraw"])
    assert response.status_code == 302
    planned.refresh_from_db()
    assert planned.status == S.WITHDRAWN

    decided = submitted_application(round=RoundFactory(), created_by=applicant, municipalities=[CLASS_5])
    set_status(decided, S.NOT_SELECTED)
    assert "Trekk søknaden" not in client.get(urls(decided)["receipt"]).text
    refused = client.post(urls(decided)["withdraw"])
    assert refused.status_code == 200
    assert "Søknaden kan ikke trekkes etter at vedtaket er gjort." in refused.text
    decided.refresh_from_db()
    assert decided.status == S.NOT_SELECTED


@pytest.fixture
def awaiting(open_round):
    """Four cases of one round: planned and nothing received, planned with a council
    decision still being checked, planned with only a budget approved, and planned
    with an approved council decision; and one whose decision was made."""

    def case(number, decision=PLANNED, round=open_round):
        return submitted_application(
            round=round, municipalities=[number], council_decision=decision, council_decision_date=DECISION_DATE
        )

    cases = {
        "nothing": case(CLASS_6),
        "pending": case(CLASS_6B),
        "budget": case(CLASS_5),
        "received": case(CLASS_6C),
        "made": case(CLASS_6, decision=Application.CouncilDecision.MADE, round=RoundFactory()),
    }
    AttachmentFactory(application=cases["pending"], kind="council_decision", check_status="pending")
    AttachmentFactory(application=cases["budget"], kind="budget")
    AttachmentFactory(application=cases["received"], kind="council_decision")
    close_round(open_round)
    return cases


def test_case_handlers_filter_planned_council_decisions_not_received(awaiting):
    client = verified_staff_client(staff("Saksbehandler"))
    listing = client.get(reverse("pilot_applications:index") + "?council_decision=missing")
    assert listing.status_code == 200
    assert "Vedtak planlagt, ikke mottatt" in listing.text
    for name in ("nothing", "pending", "budget"):
        assert awaiting[name].reference in listing.text, name
    for name in ("received", "made"):
        assert awaiting[name].reference not in listing.text, name


def test_a_deleted_council_decision_does_not_count_as_received(awaiting):
    Attachment.objects.filter(application=awaiting["received"]).update(deleted_at=timezone.now())
    client = verified_staff_client(staff("Saksbehandler"))
    listing = client.get(reverse("pilot_applications:index") + "?council_decision=missing")
    assert awaiting["received"].reference in listing.text


def test_a_reminder_from_the_inspect_page_is_mailed_logged_and_sent_once_a_day(
    awaiting, mailoutbox, django_capture_on_commit_callbacks
):
    application = awaiting["nothing"]
    client = verified_staff_client(staff("Saksbehandler"))
    inspect = client.get(reverse("pilot_applications:inspect", args=[application.pk]))
    assert "Send påminnelse om kommunestyrevedtaket" in inspect.text
    url = reverse("pilot_applications:remind", args=[application.pk])
    with django_capture_on_commit_callbacks(execute=True):
        first = client.post(url, follow=True)
        second = client.post(url, follow=True)
    assert "påminnelse om kommunestyrevedtaket er sendt" in first.text
    assert "påminnelsen er allerede sendt i dag" in second.text
    assert len(mailoutbox) == 1
    mail = mailoutbox[0]
    assert mail.to == [application.created_by.email]
    assert application.reference in mail.subject
    assert oslo_datetime(application.round.supplement_deadline) in mail.body
    assert reverse("pilots:attachments", args=[application.round_id, application.pk]) in mail.body
    assert "Påminnelse om kommunestyrevedtaket sendt til 1 mottakere" in second.text  # the history

    received = awaiting["received"]
    refused = client.post(reverse("pilot_applications:remind", args=[received.pk]), follow=True)
    assert "kommunestyrevedtaket er mottatt, eller fristen er ute" in refused.text
    assert (
        "Send påminnelse om kommunestyrevedtaket"
        not in client.get(reverse("pilot_applications:inspect", args=[received.pk])).text
    )
    assert len(mailoutbox) == 1


def test_page_editors_cannot_send_reminders(awaiting, mailoutbox):
    client = verified_staff_client(staff("Editors"))
    response = client.post(reverse("pilot_applications:remind", args=[awaiting["nothing"].pk]))
    assert response.status_code in (302, 403)
    assert not ModelLogEntry.objects.filter(action="pilots.council_decision_reminder").exists()
    assert mailoutbox == []


def test_reminders_to_all_filtered_after_a_page_that_lists_them(
    awaiting, mailoutbox, django_capture_on_commit_callbacks
):
    late = submitted_application(
        round=RoundFactory(), municipalities=[CLASS_6], council_decision=PLANNED, council_decision_date=DECISION_DATE
    )
    close_round(late.round, supplement_in=-datetime.timedelta(minutes=1))
    client = verified_staff_client(staff("Saksbehandler"))
    listing = client.get(reverse("pilot_applications:index") + "?council_decision=missing")
    assert "Påminnelse om kommunestyrevedtak" in listing.text

    page = client.get(reverse("pilot_applications:reminders") + f"?round={awaiting['nothing'].round_id}")
    assert "Disse 3 søknadene får påminnelse" in page.text
    for name in ("nothing", "pending", "budget"):
        assert awaiting[name].reference in page.text
    assert awaiting["received"].reference not in page.text
    assert late.reference not in page.text  # another round
    everything = client.get(reverse("pilot_applications:reminders"))
    assert late.reference in everything.text.split("fristen er ute eller saken er avsluttet")[1]

    ids = [awaiting[name].pk for name in ("nothing", "pending", "budget")] + [late.pk]
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("pilot_applications:reminders"), {"application": ids}, follow=True)
    assert "Påminnelse om kommunestyrevedtak er sendt for 3 søknader." in response.text
    assert sorted(m.subject for m in mailoutbox) == sorted(
        f"Påminnelse: kommunestyrevedtak til søknad {awaiting[name].reference}"
        for name in ("nothing", "pending", "budget")
    )
    logged = ModelLogEntry.objects.filter(action="pilots.council_decision_reminder")
    assert sorted(int(e.object_id) for e in logged) == sorted(ids[:3])


def test_the_call_page_states_the_same_supplement_deadline(client, call_page, open_round):
    page = client.get(call_page.url)
    assert page.status_code == 200
    assert "Frist for ettersendte vedlegg" in page.text
    assert oslo_datetime(open_round.supplement_deadline) in page.text
