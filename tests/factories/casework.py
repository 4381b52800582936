"""Case handling: criteria, reviews, internal notes, attachments and decision e-mail
templates, as rows.

These build the data a test only needs to exist (a note for retention to remove, a
template for the mail to use). Where the behaviour under test is the service itself
(its checks, its audit log entry), tests call `pilots.casework.services` instead."""

import factory

from pilots.models import Attachment, Criterion, DecisionEmailTemplate, InternalNote, Review

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
