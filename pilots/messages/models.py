"""One message in the thread of an application.

The ministry writes questions (asking for more information, with a reply deadline)
and plain messages; the applicant writes answers. A question is answered once the
applicant replies; an answer is new to the ministry until a case handler has read it
(or written back). Files sent with an answer are ordinary attachments of the
application, linked to the answer (`Attachment.message`)."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from pilots.applications.models import Application

#: Long enough for a letter; the form says so before the database would refuse it.
MAX_TEXT_LENGTH = 5000


class Sender(models.TextChoices):
    MINISTRY = "ministry", _("Departementet")
    APPLICANT = "applicant", _("Søkeren")


class MessageKind(models.TextChoices):
    QUESTION = "question", _("Spørsmål")
    MESSAGE = "message", _("Melding")
    ANSWER = "answer", _("Svar")


class MessageQuerySet(models.QuerySet):
    def questions(self):
        return self.filter(kind=MessageKind.QUESTION)

    def open_questions(self):
        return self.questions().filter(answered_at__isnull=True)

    def unread_answers(self):
        """Answers the ministry has not read yet («Nytt svar»)."""
        return self.filter(sender=Sender.APPLICANT, read_at__isnull=True)


class Message(models.Model):
    Sender = Sender
    Kind = MessageKind

    application = models.ForeignKey(
        Application, verbose_name="søknad", on_delete=models.CASCADE, related_name="messages"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="skrevet av", on_delete=models.PROTECT, related_name="+"
    )
    sender = models.CharField("fra", max_length=10, choices=Sender.choices)
    kind = models.CharField("type", max_length=10, choices=MessageKind.choices)
    text = models.TextField("tekst", max_length=MAX_TEXT_LENGTH)
    created_at = models.DateTimeField("sendt", auto_now_add=True)
    reply_by = models.DateTimeField("svarfrist", null=True, blank=True)
    answered_at = models.DateTimeField("besvart", null=True, blank=True)
    in_reply_to = models.ForeignKey(
        "self", verbose_name="svar på", on_delete=models.SET_NULL, null=True, blank=True, related_name="answers"
    )
    read_at = models.DateTimeField("lest av departementet", null=True, blank=True)

    objects = MessageQuerySet.as_manager()

    class Meta:
        verbose_name = "melding"
        verbose_name_plural = "meldinger"
        ordering = ["-created_at", "-pk"]
        constraints = [
            # A question always has its reply deadline; nothing else has one.
            models.CheckConstraint(
                condition=Q(kind=MessageKind.QUESTION, reply_by__isnull=False, sender=Sender.MINISTRY)
                | (~Q(kind=MessageKind.QUESTION) & Q(reply_by__isnull=True)),
                name="message_question_has_reply_by",
            ),
            models.CheckConstraint(
                condition=Q(sender=Sender.APPLICANT, kind=MessageKind.ANSWER)
                | Q(sender=Sender.MINISTRY, kind__in=[MessageKind.QUESTION, MessageKind.MESSAGE]),
                name="message_kind_matches_sender",
            ),
        ]
        indexes = [
            models.Index(
                fields=["application"], condition=Q(sender="applicant", read_at__isnull=True), name="message_unread"
            )
        ]

    def __str__(self):
        return f"{self.get_kind_display()} {self.created_at:%Y-%m-%d %H:%M}"

    @property
    def from_ministry(self):
        return self.sender == Sender.MINISTRY

    @property
    def label(self):
        """What the thread calls it: an applicant's message is an answer when it replies to a question."""
        if self.sender == Sender.APPLICANT and self.in_reply_to_id is None:
            return MessageKind.MESSAGE.label
        return self.get_kind_display()

    @property
    def is_question(self):
        return self.kind == MessageKind.QUESTION
