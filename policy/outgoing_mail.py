"""The outbox row: one transactional mail, written in the transaction of the change that
causes it and sent by the mail worker (policy.outbox)."""

from django.db import models


class OutgoingMail(models.Model):
    class State(models.TextChoices):
        PENDING = "pending", "Venter"
        SENT = "sent", "Sendt"
        FAILED = "failed", "Feilet"
        # A sign-in or invitation link that was used, replaced or expired before sending.
        VOID = "void", "Ikke sendt: lenken gjelder ikke lenger"

    # Names the event ("pilots.receipt:42:3"), so queueing the same event twice sends once.
    key = models.CharField("nøkkel", max_length=200, unique=True)
    to = models.JSONField("mottakere", default=list)
    subject = models.CharField("emne", max_length=300)
    body = models.TextField("tekst")
    state = models.CharField("status", max_length=10, choices=State.choices, default=State.PENDING)
    created_at = models.DateTimeField("lagt i kø", auto_now_add=True)
    next_attempt_at = models.DateTimeField("neste forsøk")
    attempts = models.PositiveIntegerField("forsøk", default=0)
    last_error = models.TextField("siste feil", blank=True)
    sent_at = models.DateTimeField("sendt", null=True, blank=True)
    failed_at = models.DateTimeField("feilet", null=True, blank=True)
    # When the sweep last enqueued it, so a long outage does not pile up tasks.
    swept_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = "utgående e-post"
        verbose_name_plural = "utgående e-poster"
        indexes = [
            models.Index(fields=["next_attempt_at"], name="outgoing_mail_due", condition=models.Q(state="pending"))
        ]

    def __str__(self):
        return f"{self.subject} → {', '.join(self.to)}"
