"""An application's attachments: PDF files the applicant uploads, typed, checked by
the worker (pilots.portal.tasks) and soft-deleted so the file stays until retention.

Kept apart from models.py, which re-exports them, to keep each module readable."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from .status import AttachmentCheck
from .storage import attachment_path, clean_pdf_name, private_storage


class AttachmentKind(models.TextChoices):
    """What a file is, chosen by the applicant at upload; the case handlers' filter
    «Vedtak planlagt, ikke mottatt» looks for an approved council decision."""

    COUNCIL_DECISION = "council_decision", _("Kommunestyrevedtak")
    BUDGET = "budget", _("Budsjett")
    OTHER = "other", _("Annet")


class PresentAttachments(models.Manager):
    """The default manager, and so `application.attachments`: what the applicant deleted
    is left out everywhere (lists, counts, submission, summaries). Retention and the
    case handlers' list use `Attachment.all_objects`."""

    def get_queryset(self):
        return super().get_queryset().filter(deleted_at__isnull=True)


class Attachment(models.Model):
    Kind = AttachmentKind

    application = models.ForeignKey("pilots.Application", on_delete=models.CASCADE, related_name="attachments")
    kind = models.CharField("type", max_length=20, choices=AttachmentKind.choices, default=AttachmentKind.OTHER)
    file = models.FileField(storage=private_storage, upload_to=attachment_path, max_length=200)
    original_name = models.CharField("filnavn", max_length=255)
    size = models.PositiveIntegerField("størrelse (byte)")
    supplementary = models.BooleanField("ettersendt", default=False)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(auto_now_add=True)
    # Sent with an answer in the thread with the ministry (pilots.messages).
    message = models.ForeignKey(
        "pilots.Message",
        verbose_name="sendt med svar",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="attachments",
    )
    check_status = models.CharField(
        "kontroll", max_length=10, choices=AttachmentCheck.choices, default=AttachmentCheck.PENDING
    )
    rejection_reason = models.CharField("grunn til avvisning", max_length=300, blank=True)
    checked_at = models.DateTimeField("kontrollert", null=True, blank=True)
    # A soft delete: the file stays until the retention job (casework.retention) removes it.
    deleted_at = models.DateTimeField("slettet av søker", null=True, blank=True)
    deleted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="slettet av", on_delete=models.SET_NULL, null=True, related_name="+"
    )

    # The first manager is the default one, which `application.attachments` uses.
    objects = PresentAttachments()
    all_objects = models.Manager()  # noqa: DJ012 - ruff takes models.Manager() for a field

    class Meta:
        verbose_name = "vedlegg"
        verbose_name_plural = "vedlegg"
        ordering = ["uploaded_at", "pk"]
        # The sweeper's look-up of checks a dead worker left behind (pilots.portal.tasks).
        indexes = [models.Index(fields=["uploaded_at"], condition=Q(check_status="pending"), name="attachment_pending")]

    def __str__(self):
        return self.original_name

    @property
    def download_name(self):
        """Always `<name>.pdf`, whatever the uploader's file was called."""
        return clean_pdf_name(self.original_name)
