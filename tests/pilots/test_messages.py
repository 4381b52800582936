"""The thread between an applicant and the ministry: «Trenger mer informasjon» needs a
question and a reply deadline and mails the question's text; the applicant reads it
under «Meldinger» and answers with text and PDF files; the case handler sees the
answer («Nytt svar»); who may see and answer; and every event in the history."""

import datetime
import zoneinfo

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from wagtail.models import ModelLogEntry

from pilots.applications import services as applications
from pilots.applications.services import WorkflowError
from pilots.casework import services as casework
from pilots.formatting import oslo_datetime
from pilots.models import Application, Attachment, Message
from tests.factories.casework import MessageFactory
from tests.factories.pdf import text_pdf
from tests.factories.pilots import ApplicationFactory, staff, submitted_application
from tests.factories.portal import MemberFactory
from tests.pilots.casework import assert_refused

pytestmark = pytest.mark.django_db

OSLO = zoneinfo.ZoneInfo("Europe/Oslo")
S = Application.Status
QUESTION = "Hvor mange boliger skal boligprogrammet gi, og når behandler kommunestyret saken?"
ANSWER = "Programmet gir tolv boliger. Kommunestyret behandler saken 4. februar."


@pytest.fixture
def case(open_round, applicant):
    return submitted_application(round=open_round, created_by=applicant)


@pytest.fixture
def case_handler():
    return staff("Saksbehandler")


def reply_by_in(days, at=datetime.time(14, 30)):
    day = timezone.localtime(timezone.now(), OSLO).date() + datetime.timedelta(days=days)
    return datetime.datetime.combine(day, at, tzinfo=OSLO)


def question_form(reply_by, text=QUESTION):
    return {"text": text, "reply_by_date": reply_by.date().isoformat(), "reply_by_time": reply_by.strftime("%H:%M")}


def thread_url(application):
    return reverse("pilots:messages", args=[application.round_id, application.pk])


def ask(application, case_handler, reply_by=None, text=QUESTION):
    casework.change_status(
        application, S.MORE_INFORMATION, case_handler, question=text, reply_by=reply_by or reply_by_in(14)
    )
    return Message.objects.get(application=application, kind=Message.Kind.QUESTION)


def pdf(name="Kommunestyrevedtak.pdf"):
    return SimpleUploadedFile(name, text_pdf("Vedtak", [["Kommunestyret vedtok søknaden."]]))


def entries(application, action):
    return ModelLogEntry.objects.filter(object_id=str(application.pk), action=action)


# --- The ministry asks ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("question", "days", "refusal"),
    [("", 14, "Skriv en tekst"), ("   ", 14, "Skriv en tekst"), (QUESTION, None, "Sett en svarfrist"),
     (QUESTION, -1, "fram i tid")],
)  # fmt: skip
def test_more_information_needs_a_question_and_a_future_reply_deadline(case, case_handler, question, days, refusal):
    reply_by = None if days is None else reply_by_in(days)
    with pytest.raises(WorkflowError, match=refusal):
        casework.change_status(case, S.MORE_INFORMATION, case_handler, question=question, reply_by=reply_by)
    case.refresh_from_db()
    assert case.status == S.SUBMITTED
    assert not Message.objects.exists()
    assert not entries(case, "pilots.status_changed").exists()


@pytest.mark.parametrize(
    ("form", "error"),
    [
        (question_form(reply_by_in(3), text=""), "Skriv spørsmålet til søkeren."),
        ({"text": QUESTION, "reply_by_date": "", "reply_by_time": "14:30"}, "Skriv datoen for svarfristen."),
        ({"text": QUESTION, "reply_by_date": "31.02.2027", "reply_by_time": "14:30"}, "Skriv en gyldig dato"),
        (question_form(reply_by_in(-2)), "Svarfristen må være fram i tid."),
        ({**question_form(reply_by_in(3)), "reply_by_time": "25:99"}, "Skriv et gyldig klokkeslett"),
    ],
)
def test_the_question_page_names_the_mistake_at_its_field_and_keeps_what_was_typed(
    client, case, case_handler, form, error
):
    client.force_login(case_handler)
    response = client.post(reverse("pilot_applications:ask_question", args=[case.pk]), form)
    assert response.status_code == 200
    assert error in response.text
    assert "Det er 1 feil i skjemaet" in response.text
    if form["text"]:
        assert form["text"] in response.text
    case.refresh_from_db()
    assert case.status == S.SUBMITTED and not Message.objects.exists()


def test_asking_a_question_sets_the_status_and_mails_the_question_and_its_deadline(
    client, case, case_handler, applicant, mailoutbox, django_capture_on_commit_callbacks
):
    reply_by = reply_by_in(10)
    client.force_login(case_handler)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("pilot_applications:ask_question", args=[case.pk]), question_form(reply_by))
    assert response["Location"] == reverse("pilot_applications:inspect", args=[case.pk]) + "#meldinger"
    case.refresh_from_db()
    assert case.status == S.MORE_INFORMATION
    question = Message.objects.get()
    assert (question.kind, question.text, question.reply_by, question.author) == (
        Message.Kind.QUESTION, QUESTION, reply_by, case_handler
    )  # fmt: skip

    (mail,) = mailoutbox
    assert mail.to == [applicant.email]
    assert case.reference in mail.subject
    assert QUESTION in mail.body
    assert f"Svarfrist: {oslo_datetime(reply_by)}" in mail.body and "kl. 14.30" in mail.body
    assert settings.SITE_URL + thread_url(case) in mail.body

    (entry,) = entries(case, "pilots.question_asked")
    assert entry.user == case_handler and QUESTION in entry.message and oslo_datetime(reply_by) in entry.message
    inspect = client.get(reverse("pilot_applications:inspect", args=[case.pk]))
    assert QUESTION in inspect.text and "ikke besvart" in inspect.text


def test_choosing_more_information_in_the_status_form_leads_to_the_question_page(client, case, case_handler):
    client.force_login(case_handler)
    response = client.post(reverse("pilot_applications:change_status", args=[case.pk]), {"status": S.MORE_INFORMATION})
    assert response["Location"] == reverse("pilot_applications:ask_question", args=[case.pk])
    case.refresh_from_db()
    assert case.status == S.SUBMITTED


def test_staff_without_case_handling_rights_can_neither_ask_nor_send(client, case):
    client.force_login(staff("Editors"))
    assert_refused(client.get(reverse("pilot_applications:ask_question", args=[case.pk])))
    assert_refused(client.post(reverse("pilot_applications:send_message", args=[case.pk]), {"text": "Hei"}))
    assert not Message.objects.exists()


def test_a_case_handler_sends_a_message_that_is_mailed_and_shown_to_the_applicant(
    client, case, case_handler, applicant, mailoutbox, django_capture_on_commit_callbacks
):
    url = reverse("pilot_applications:send_message", args=[case.pk])
    client.force_login(case_handler)
    empty = client.post(url, {"text": "  "})
    assert empty.status_code == 200 and "Skriv meldingen til søkeren." in empty.text

    text = "Vi har mottatt vedtaket. Saken blir behandlet i mars."
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(url, {"text": text}).status_code == 302
    (mail,) = mailoutbox
    assert text in mail.body and mail.to == [applicant.email]
    assert entries(case, "pilots.message_sent").get().user == case_handler
    case.refresh_from_db()
    assert case.status == S.SUBMITTED  # a message does not change the status

    client.force_login(applicant)
    page = client.get(thread_url(case))
    assert text in page.text and "Melding fra departementet" in page.text


# --- The applicant reads and answers ------------------------------------------------------


def test_the_applicant_sees_the_question_its_deadline_and_how_to_answer(client, case, case_handler, applicant):
    reply_by = reply_by_in(7, at=datetime.time(12, 0))
    ask(case, case_handler, reply_by)
    client.force_login(applicant)
    page = client.get(thread_url(case))
    assert page.status_code == 200
    assert QUESTION in page.text
    assert f"Svarfrist: {oslo_datetime(reply_by)}" in page.text
    assert "Slik svarer du" in page.text and "Svarfristen er ute" not in page.text
    assert reverse("pilots:task_list", args=[case.round_id, case.pk]) in page.text
    # Found from the application's own pages.
    for name in ("pilots:receipt", "pilots:task_list"):
        assert thread_url(case) in client.get(reverse(name, args=[case.round_id, case.pk])).text


def test_a_member_answers_with_text_and_a_pdf_and_the_case_handler_sees_it(
    client, case, case_handler, django_capture_on_commit_callbacks
):
    question = ask(case, case_handler)
    member = MemberFactory(application=case).user
    client.force_login(member)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(thread_url(case), {"text": ANSWER, "files": [pdf()], "kind": "council_decision"})
    assert response.status_code == 302

    answer = Message.objects.get(kind=Message.Kind.ANSWER)
    assert (answer.author, answer.sender, answer.in_reply_to, answer.text) == (member, "applicant", question, ANSWER)
    question.refresh_from_db()
    assert question.answered_at is not None
    (attachment,) = answer.attachments.all()
    assert attachment.application == case and attachment.kind == Attachment.Kind.COUNCIL_DECISION
    assert attachment.download_name == "Kommunestyrevedtak.pdf" and attachment.check_status == "approved"

    (entry,) = entries(case, "pilots.answer_received")
    assert entry.user == member
    assert member.email in entry.message and ANSWER in entry.message and "Kommunestyrevedtak.pdf" in entry.message

    page = client.get(thread_url(case))
    assert ANSWER in page.text and "Kommunestyrevedtak.pdf" in page.text and "Svaret er sendt" in page.text
    assert "Departementet trenger mer informasjon" not in page.text  # the question is answered

    client.force_login(case_handler)
    inspect = client.get(reverse("pilot_applications:inspect", args=[case.pk]))
    assert "Nytt svar" in inspect.text and ANSWER in inspect.text
    listing = reverse("pilot_applications:index")
    assert case.reference in client.get(listing, {"thread": "new_answer"}).text

    client.post(reverse("pilot_applications:answers_read", args=[case.pk]))
    assert "Nytt svar" not in client.get(reverse("pilot_applications:inspect", args=[case.pk])).text
    assert case.reference not in client.get(listing, {"thread": "new_answer"}).text
    assert entries(case, "pilots.answers_read").get().user == case_handler


def test_the_wait_for_an_answer_ends_when_the_case_moves_on_without_one(client, case, case_handler, applicant):
    ask(case, case_handler)
    client.force_login(case_handler)
    listing = reverse("pilot_applications:index")
    assert case.reference in client.get(listing, {"thread": "open_question"}).text
    casework.change_status(case, S.IN_ASSESSMENT, case_handler)  # as after a resubmission
    assert case.reference not in client.get(listing, {"thread": "open_question"}).text
    assert "Venter på svar fra søkeren" not in client.get(reverse("pilot_applications:inspect", args=[case.pk])).text
    client.force_login(applicant)
    page = client.get(thread_url(case))
    assert QUESTION in page.text and "Departementet trenger mer informasjon" not in page.text
    assert "Skriv til departementet" in page.text  # still possible to write


def test_an_answer_needs_text(client, case, case_handler, applicant):
    ask(case, case_handler)
    client.force_login(applicant)
    response = client.post(thread_url(case), {"text": "", "kind": "other"})
    assert response.status_code == 200
    assert "Skriv svaret ditt." in response.text and 'id="id_text-error"' in response.text
    assert not Message.objects.filter(kind=Message.Kind.ANSWER).exists()


def test_a_refused_file_leaves_no_answer_and_keeps_the_text(client, case, case_handler, applicant):
    ask(case, case_handler)
    client.force_login(applicant)
    not_pdf = SimpleUploadedFile("vedtak.pdf", b"<html>ikke en pdf</html>")
    response = client.post(thread_url(case), {"text": ANSWER, "files": [not_pdf], "kind": "other"})
    assert response.status_code == 200
    assert 'id="id_files-error"' in response.text and "«vedtak.pdf»" in response.text
    assert ANSWER in response.text
    assert not Message.objects.filter(kind=Message.Kind.ANSWER).exists() and not Attachment.objects.exists()


def test_an_answer_after_the_reply_deadline_is_taken_and_marked_late(client, case, case_handler, applicant):
    question = ask(case, case_handler)
    Message.objects.filter(pk=question.pk).update(reply_by=timezone.now() - datetime.timedelta(hours=1))
    client.force_login(applicant)
    assert "Svarfristen er ute" in client.get(thread_url(case)).text
    assert client.post(thread_url(case), {"text": ANSWER, "kind": "other"}).status_code == 302
    (entry,) = entries(case, "pilots.answer_received")
    assert entry.data["late"] is True and "etter svarfristen" in entry.message


# --- Who may see and answer -----------------------------------------------------------------


def test_an_applicant_without_access_gets_404_on_someone_elses_thread(client, case, case_handler, other_applicant):
    ask(case, case_handler)
    client.force_login(other_applicant)
    assert client.get(thread_url(case)).status_code == 404
    assert client.post(thread_url(case), {"text": "Hei", "kind": "other"}).status_code == 404
    # Their own round and id in the URL make no difference either.
    own = ApplicationFactory(round=case.round, created_by=other_applicant)
    assert client.get(reverse("pilots:messages", args=[own.round_id, case.pk])).status_code == 404
    assert not Message.objects.filter(kind=Message.Kind.ANSWER).exists()


def test_a_removed_member_can_neither_read_nor_answer(client, case, case_handler):
    ask(case, case_handler)
    member = MemberFactory(application=case, removed_at=timezone.now()).user
    client.force_login(member)
    assert client.get(thread_url(case)).status_code == 404
    assert client.post(thread_url(case), {"text": ANSWER, "kind": "other"}).status_code == 404
    assert not Message.objects.filter(kind=Message.Kind.ANSWER).exists()


def test_staff_see_no_thread_in_the_portal(client, case, case_handler):
    client.force_login(case_handler)
    assert client.get(thread_url(case)).status_code == 404


@pytest.mark.parametrize("status", [S.SELECTED, S.NOT_SELECTED, S.WITHDRAWN])
def test_after_a_decision_or_withdrawal_the_thread_can_be_read_but_not_answered(client, case, applicant, status):
    message = MessageFactory(application=case)
    Application.objects.filter(pk=case.pk).update(status=status)
    client.force_login(applicant)
    page = client.get(thread_url(case))
    assert message.text in page.text and "Send svaret" not in page.text and "ikke svare" in page.text
    refused = client.post(thread_url(case), {"text": ANSWER, "kind": "other"})
    assert refused.status_code == 200 and "ferdig behandlet eller trukket" in refused.text
    assert not Message.objects.filter(kind=Message.Kind.ANSWER).exists()


def test_a_draft_has_no_thread_yet(client, open_round, applicant):
    draft = ApplicationFactory(round=open_round, created_by=applicant)
    client.force_login(applicant)
    response = client.get(thread_url(draft))
    assert response["Location"] == reverse("pilots:task_list", args=[draft.round_id, draft.pk])


# --- The history ---------------------------------------------------------------------------


def test_submission_and_withdrawal_are_in_the_history_with_the_applicant_as_actor(client, open_round, applicant):
    application = ApplicationFactory(round=open_round, created_by=applicant, authorised=True)
    applications.submit(application, applicant)
    applications.withdraw(application, applicant)
    assert entries(application, "pilots.submitted").get().user == applicant
    assert entries(application, "pilots.withdrawn").get().user == applicant

    client.force_login(staff("Saksbehandler"))
    history = client.get(reverse("pilot_applications:history", args=[application.pk]))
    assert f"Søknaden er sendt inn av søkeren {applicant.email}" in history.text
    assert f"Søknaden er trukket av søkeren {applicant.email}" in history.text
