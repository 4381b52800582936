"""The letter staff prepare for one application's decision. Editable until the
decisions are released; from then on it is the letter the applicant received."""

from django.conf import settings
from django.db import models

from pilots.applications.models import Application


class DecisionLetter(models.Model):
    application = models.OneToOneField(Application, on_delete=models.CASCADE, related_name="decision_letter")
    grounds = models.TextField(
        "begrunnelse",
        help_text="Hvorfor søknaden ble valgt eller ikke valgt: reglene og de faktiske forholdene vedtaket bygger på, "
        "og hovedhensynene ved skjønnet (forvaltningsloven § 25).",
    )
    amount_granted = models.PositiveBigIntegerField("tildelt beløp (kr)", null=True, blank=True)
    contact_name = models.CharField("kontaktperson i departementet", max_length=200)
    contact_email = models.EmailField("kontaktpersonens e-post")
    contact_phone = models.CharField("kontaktpersonens telefon", max_length=30)
    written_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)
    # Set at release: what the applicant was told, whatever staff edit in templates later.
    subject = models.CharField("emne", max_length=200, blank=True)
    introduction = models.TextField("innledning", blank=True)
    released_at = models.DateTimeField("frigitt", null=True, blank=True)

    class Meta:
        verbose_name = "vedtaksbrev"
        verbose_name_plural = "vedtaksbrev"

    def __str__(self):
        return f"Vedtaksbrev for {self.application}"
