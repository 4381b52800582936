"""Case handling: criteria, reviews, internal notes, attachments and decision e-mail
templates, as rows.

These build the data a test only needs to exist (a note for retention to remove, a
template for the mail to use). Where the behaviour under test is the service itself
(its checks, its audit log entry), tests call `pilots.casework.services` instead."""

import datetime

import factory
from django.utils import timezone

from pilots.models import (
    Attachment,
    CaseAssignment,
    Criterion,
    DecisionEmailTemplate,
    DecisionLetter,
    Disqualification,
    InternalNote,
    Message,
    Review,
)

from .pdf import text_pdf
from .pilots import ApplicationFactory, RoundFactory, staff

PDF = text_pdf("Vedlegg", [["Vedlegg"]])


class CriterionFactory(factory.django.DjangoModelFactory):
    """One assessment criterion; `criteria(round)` in .pilots makes the usual four."""

    round = factory.SubFactory(RoundFactory)
    name = factory.Sequence(lambda n: f"Kriterium {n}")
    sort_order = factory.Sequence(int)

    class Meta:
        model = Criterion


class ReviewFactory(factory.django.DjangoModelFactory):
    """One case handler's score of one criterion of the application's own round (the
    service refuses a criterion from another round, so the factory never makes one).
    The reviewer is in "Saksbehandler", as everyone who scores is."""

    application = factory.SubFactory(ApplicationFactory)
    reviewer = factory.LazyFunction(lambda: staff("Saksbehandler"))
    criterion = factory.SubFactory(CriterionFactory, round=factory.SelfAttribute("..application.round"))
    score = 3
    comment = factory.Sequence(lambda n: f"Begrunnelse {n}")

    class Meta:
        model = Review


class InternalNoteFactory(factory.django.DjangoModelFactory):
    """A case handler's note: internal, never shown to the applicant."""

    application = factory.SubFactory(ApplicationFactory)
    author = factory.LazyFunction(lambda: staff("Saksbehandler"))
    text = factory.Sequence(lambda n: f"Internt notat {n}")

    class Meta:
        model = InternalNote


class AttachmentFactory(factory.django.DjangoModelFactory):
    """A small valid PDF in private storage, uploaded by the applicant; the file is
    stored under a random name, so `original_name` is what people see."""

    application = factory.SubFactory(ApplicationFactory)
    file = factory.django.FileField(filename="vedlegg.pdf", data=PDF)
    original_name = factory.Sequence(lambda n: f"vedlegg-{n}.pdf")
    size = factory.LazyAttribute(lambda attachment: attachment.file.size)
    uploaded_by = factory.SelfAttribute("application.created_by")
    check_status = "approved"  # the task worker's content check has passed

    class Meta:
        model = Attachment


class DecisionEmailTemplateFactory(factory.django.DjangoModelFactory):
    """Staff's own text for one outcome (there is at most one per outcome)."""

    outcome = "selected"
    subject = "Vedtak for {reference}"
    body = "Søknaden «{title}» i {round}."

    class Meta:
        model = DecisionEmailTemplate


class CaseAssignmentFactory(factory.django.DjangoModelFactory):
    """A case assigned to a case handler (tests of assigning itself use casework.assignment)."""

    application = factory.SubFactory(ApplicationFactory)
    handler = factory.LazyFunction(lambda: staff("Saksbehandler"))
    assigned_by = factory.SelfAttribute("handler")

    class Meta:
        model = CaseAssignment


class DisqualificationFactory(factory.django.DjangoModelFactory):
    """A staff member's declaration of being disqualified (inhabil) in one case."""

    application = factory.SubFactory(ApplicationFactory)
    person = factory.LazyFunction(lambda: staff("Saksbehandler"))
    reason = "Gift med rådmannen i søkerkommunen"

    class Meta:
        model = Disqualification


def more_information(question="Send oss kommunestyrevedtaket.", days=14):
    """What «Trenger mer informasjon» asks for besides the status: the question and its
    reply deadline (keyword arguments of casework.services.change_status)."""
    return {"question": question, "reply_by": timezone.now() + datetime.timedelta(days=days)}


class MessageFactory(factory.django.DjangoModelFactory):
    """A plain message from the ministry in the application's thread, as a row (the
    services that send them, with mail and history, have their own tests)."""

    application = factory.SubFactory(ApplicationFactory)
    author = factory.LazyFunction(lambda: staff("Saksbehandler"))
    sender = Message.Sender.MINISTRY
    kind = Message.Kind.MESSAGE
    text = factory.Sequence(lambda n: f"Melding {n} fra departementet")

    class Meta:
        model = Message


class DecisionLetterFactory(factory.django.DjangoModelFactory):
    """The grounds, amount and contact person staff write before release (release
    refuses an application without them)."""

    application = factory.SubFactory(ApplicationFactory)
    grounds = factory.Sequence(lambda n: f"Begrunnelse for vedtak {n}: søknaden er vurdert etter kriteriene.")
    amount_granted = 1_000_000
    contact_name = "Kari Saksbehandler"
    contact_email = "kari.saksbehandler@kdd.example"
    contact_phone = "22 24 90 90"

    class Meta:
        model = DecisionLetter


def write_letters(applications, **fields):
    """A complete decision letter for each application."""
    return [DecisionLetterFactory(application=application, **fields) for application in applications]
