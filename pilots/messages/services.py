"""The rules of the thread between an applicant and the ministry.

- The ministry asks a question only together with the status «Trenger mer
  informasjon» (casework.services.change_status calls `ask_question` on the locked
  row), and may send a plain message about a case at any time. Both are mailed to
  everyone with access to the application and its contact person, with the full
  text, through the outbox in the same transaction.
- The applicant answers while the case is being handled (not after a decision or a
  withdrawal). An answer marks every open question answered. After a question's
  reply deadline an answer is still accepted: the page says the deadline has passed,
  and the case handler decides what to do with a late answer, which is fairer than
  losing it. Files sent with an answer are attachments of the application (with the
  usual content check, limits and deadlines), linked to the answer.
- Answers are new to the ministry («Nytt svar») until a case handler marks them read
  or writes back.
- Every event is in the application's history, with the person who caused it.

Who may do what is checked by the callers: case handling's permissions
(casework.services) and the portal's access rules (portal.access)."""

import datetime

from django.conf import settings
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext
from wagtail.log_actions import log

from pilots.applications.deadlines import on_time
from pilots.applications.models import Attachment
from pilots.applications.services import WorkflowError, applicant_name, lock
from pilots.applications.status import ACTIVE, Status
from pilots.applications.tasks import recipients
from pilots.formatting import oslo_datetime
from policy.links import absolute_url
from policy.outbox import queue_mail

from .models import MAX_TEXT_LENGTH, Message, MessageKind, Sender

#: How far ahead a reply deadline may be set; a longer one is surely a typing error.
LATEST_REPLY_BY = datetime.timedelta(days=365)
#: How much of a text the history shows.
HISTORY_EXCERPT = 300


def thread(application):
    """The whole thread, newest first, with the files sent with each answer."""
    return application.messages.select_related("author", "in_reply_to").prefetch_related("attachments")


def open_question(application):
    """The newest question not answered yet, or None. Only while the status says more
    information is needed: a resubmission, or a case handler moving the case on, ends
    the wait even without an answer in the thread."""
    if application.status != Status.MORE_INFORMATION:
        return None
    return application.messages.open_questions().first()


def reply_deadline_passed(question, now=None):
    return not on_time(now or timezone.now(), question.reply_by)


def may_answer(application):
    """Answers are for cases still being handled."""
    return application.status in ACTIVE


def has_unread_answers(application):
    return application.messages.unread_answers().exists()


def check_text(text):
    """The text, stripped; WorkflowError when it is empty or too long."""
    text = (text or "").strip()
    if not text:
        raise WorkflowError(gettext("Skriv en tekst."))
    if len(text) > MAX_TEXT_LENGTH:
        raise WorkflowError(
            gettext("Teksten kan ha høyst %(limit)s tegn. Den har %(length)s.")
            % {"limit": MAX_TEXT_LENGTH, "length": len(text)}
        )
    return text


def check_reply_by(reply_by, now=None):
    now = now or timezone.now()
    if reply_by is None:
        raise WorkflowError(gettext("Sett en svarfrist."))
    if reply_by <= now:
        raise WorkflowError(gettext("Svarfristen må være fram i tid."))
    if reply_by > now + LATEST_REPLY_BY:
        raise WorkflowError(gettext("Svarfristen kan være høyst ett år fram i tid."))
    return reply_by


# --- The ministry ---------------------------------------------------------------------


def ask_question(locked, user, text, reply_by, now=None):
    """Ask the applicant for more information; call it inside the transaction of the
    status change, on the locked row. Returns the question."""
    now = now or timezone.now()
    try:
        text = check_text(text)
    except WorkflowError as error:
        raise WorkflowError(gettext("Spørsmålet til søkeren: %(error)s") % {"error": error}) from error
    check_reply_by(reply_by, now)
    question = Message.objects.create(
        application=locked, author=user, sender=Sender.MINISTRY, kind=MessageKind.QUESTION, text=text, reply_by=reply_by
    )
    _mark_read(locked, now)
    log(
        instance=locked,
        action="pilots.question_asked",
        user=user,
        data={"message": question.pk, "text": _excerpt(text), "reply_by": oslo_datetime(reply_by)},
    )
    _mail(
        question,
        "pilots/email/question.txt",
        lambda: (
            gettext("Spørsmål om søknad %(reference)s – svar innen %(reply_by)s")
            % {"reference": locked.reference, "reply_by": oslo_datetime(reply_by)}
        ),
    )
    return question


def send_message(application, user, text, now=None):
    """A message from the ministry about a case, at any time after submission."""
    now = now or timezone.now()
    text = check_text(text)
    with transaction.atomic():
        locked = lock(application)
        if locked.status == Status.DRAFT:
            raise WorkflowError(gettext("Søknaden er ikke sendt inn."))
        message = Message.objects.create(
            application=locked, author=user, sender=Sender.MINISTRY, kind=MessageKind.MESSAGE, text=text
        )
        _mark_read(locked, now)
        log(
            instance=locked,
            action="pilots.message_sent",
            user=user,
            data={"message": message.pk, "text": _excerpt(text)},
        )
        _mail(
            message,
            "pilots/email/message.txt",
            lambda: gettext("Melding om søknad %(reference)s") % {"reference": locked.reference},
        )
    return message


def mark_read(application, user, now=None):
    """A case handler has read the applicant's answers. Returns how many were new."""
    count = _mark_read(application, now or timezone.now())
    if count:
        log(instance=application, action="pilots.answers_read", user=user, data={"count": count})
    return count


def _mark_read(application, now):
    return application.messages.unread_answers().update(read_at=now)


def _mail(message, template, subject):
    """Queue the mail about `message`; `subject()` makes its subject. Written in bokmål:
    the applicant has not told the ministry a language, and a case handler whose admin
    speaks English must not send English by accident."""
    application = message.application
    to = recipients(application)
    if not to:
        return
    url = absolute_url(reverse("pilots:messages", args=[application.round_id, application.pk]))
    with translation.override(settings.LANGUAGE_CODE):
        body = render_to_string(template, {"message": message, "application": application, "url": url})
        queue_mail(to=to, subject=subject(), body=body, key=f"pilots.{message.kind}:{message.pk}")


# --- The applicant --------------------------------------------------------------------


def answer(application, user, text, files=(), store=None, now=None):
    """The applicant's answer, with the files in `files` stored through `store(file)`
    (which returns the new Attachment: the portal's upload path, with its content check
    and rate limits). All or nothing: a refused file leaves no answer behind.

    Returns the answer; raises WorkflowError with a message for the applicant."""
    now = now or timezone.now()
    text = check_text(text)
    with transaction.atomic():
        locked = lock(application)
        if not may_answer(locked):
            raise WorkflowError(gettext("Saken er ferdig behandlet eller trukket, så du kan ikke svare her lenger."))
        question = open_question(locked)
        message = Message.objects.create(
            application=locked,
            author=user,
            sender=Sender.APPLICANT,
            kind=MessageKind.ANSWER,
            text=text,
            in_reply_to=question,
        )
        if question is not None:
            locked.messages.open_questions().update(answered_at=now)
        attachments = [_store(store, uploaded) for uploaded in files]
        Attachment.objects.filter(pk__in=[a.pk for a in attachments]).update(message=message)
        log(
            instance=locked,
            action="pilots.answer_received",
            user=user,
            data={
                "message": message.pk,
                "author": applicant_name(user),
                "text": _excerpt(text),
                "attachments": [a.original_name for a in attachments],
                "late": bool(question and reply_deadline_passed(question, now)),
            },
        )
    return message


class AttachmentRefused(WorkflowError):
    """A file of the answer could not be stored; nothing of the answer was saved."""


def _store(store, uploaded):
    try:
        return store(uploaded)
    except WorkflowError as error:
        raise AttachmentRefused(
            gettext("«%(name)s» ble ikke lagret: %(error)s Svaret er ikke sendt.")
            % {"name": uploaded.name, "error": error}
        ) from error


def _excerpt(text):
    return text if len(text) <= HISTORY_EXCERPT else text[: HISTORY_EXCERPT - 1] + "…"
