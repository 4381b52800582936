"""The sending of an issue: one IssueDispatch per issue and one Delivery per recipient.

The issue is named by its model label rather than imported: the issue page's
module serves the sign-up form, which enqueues tasks, whose worker reads these
rows; importing the page here would close that circle.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from .audience import Subscriber


class IssueDispatch(models.Model):
    """The sending of one issue. A separate row (not a page field) so that publishing
    an old revision of the issue can never reset "sent" back to "not sent"."""

    SENDING = "sending"
    DONE = "done"
    STATUS_CHOICES = [(SENDING, _("Sendes")), (DONE, _("Ferdig"))]

    issue = models.OneToOneField("newsletter.NewsletterIssuePage", on_delete=models.PROTECT, related_name="dispatch")
    status = models.CharField(max_length=20, choices=STATUS_CHOICES, default=SENDING)
    started_at = models.DateTimeField(auto_now_add=True)
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    heartbeat_at = models.DateTimeField(null=True, blank=True, help_text="Last time a drain was enqueued or claimed.")
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("utsending")
        verbose_name_plural = _("utsendinger")

    def __str__(self):
        return f"{self.issue} ({self.get_status_display()})"


class Delivery(models.Model):
    """One recipient of one issue: the unit of "exactly once".

    queued → sending (claimed by a drain) → sent | failed | retry (→ sending again)
    | skipped (unsubscribed or suppressed after the row was made). A row stuck in
    "sending" after a crash becomes "unknown" and is never resent automatically:
    the mail may or may not have left, and sending it twice is the worse error."""

    QUEUED = "queued"
    SENDING = "sending"
    SENT = "sent"
    RETRY = "retry"
    FAILED = "failed"
    SKIPPED = "skipped"
    UNKNOWN = "unknown"
    STATUS_CHOICES = [
        (QUEUED, _("I kø")),
        (SENDING, _("Sendes")),
        (SENT, _("Sendt")),
        (RETRY, _("Prøves igjen")),
        (FAILED, _("Feilet")),
        (SKIPPED, _("Hoppet over")),
        (UNKNOWN, _("Ukjent")),
    ]

    issue = models.ForeignKey("newsletter.NewsletterIssuePage", on_delete=models.PROTECT, related_name="deliveries")
    subscriber = models.ForeignKey(
        Subscriber, on_delete=models.SET_NULL, null=True, blank=True, related_name="deliveries"
    )
    status = models.CharField(max_length=20, choices=STATUS_CHOICES, default=QUEUED)
    attempts = models.PositiveIntegerField(default=0)
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    claimed_at = models.DateTimeField(null=True, blank=True)
    worker_id = models.CharField(max_length=100, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    last_error = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("levering")
        verbose_name_plural = _("leveringer")
        constraints = [models.UniqueConstraint(fields=["issue", "subscriber"], name="delivery_once_per_subscriber")]
        indexes = [models.Index(fields=["issue", "status"], name="delivery_issue_status")]

    def __str__(self):
        return f"{self.issue_id}/{self.subscriber_id}: {self.status}"
