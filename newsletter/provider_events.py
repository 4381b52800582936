"""What the mail provider reported after a mail left: hard bounces and complaints.

One row per event the provider sent to the tracking webhook (see bounces.py), kept as
the keyed hash of the address only, tied to the newsletter issue the mail belonged to
(none for transactional mail). The issue is named by its model label, as in
deliveries.py, so this module imports no page code.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class ProviderEvent(models.Model):
    HARD_BOUNCE = "hard_bounce"
    COMPLAINT = "complaint"
    KIND_CHOICES = [(HARD_BOUNCE, _("Permanent avvist")), (COMPLAINT, _("Klage (markert som søppelpost)"))]

    NEWSLETTER = "newsletter"
    TRANSACTIONAL = "transactional"
    SOURCE_CHOICES = [(NEWSLETTER, _("Nyhetsbrev")), (TRANSACTIONAL, _("Annen e-post fra nettstedet"))]

    provider = models.CharField(_("e-posttjeneste"), max_length=40)
    # The provider's own id of the event (Mailgun: the signed token), so a webhook call
    # the provider repeats is recorded once.
    event_id = models.CharField(_("hendelses-ID"), max_length=200)
    kind = models.CharField(_("hendelse"), max_length=20, choices=KIND_CHOICES)
    source = models.CharField(_("e-post"), max_length=20, choices=SOURCE_CHOICES)
    address_hash = models.CharField(_("hashverdi for e-postadressen"), max_length=64, db_index=True)
    issue = models.ForeignKey(
        "newsletter.NewsletterIssuePage",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="provider_events",
        verbose_name=_("utgave"),
    )
    # The provider's normalised reason (anymail's reject_reason), never its free text,
    # which often quotes the address.
    reason = models.CharField(_("grunn"), max_length=40, blank=True)
    occurred_at = models.DateTimeField(_("tidspunkt"))
    recorded_at = models.DateTimeField(_("registrert"), auto_now_add=True)

    class Meta:
        verbose_name = _("hendelse fra e-posttjenesten")
        verbose_name_plural = _("hendelser fra e-posttjenesten")
        constraints = [models.UniqueConstraint(fields=["provider", "event_id"], name="provider_event_once")]
        indexes = [models.Index(fields=["issue", "kind"], name="provider_event_issue_kind")]

    def __str__(self):
        return f"{self.get_kind_display()} {self.occurred_at:%Y-%m-%d %H:%M}"
