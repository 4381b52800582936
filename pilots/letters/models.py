"""The letter staff prepare for one application's decision. Editable until the
decisions are released; from then on it is the letter the applicant received."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from pilots.applications.models import Application


class DecisionLetter(models.Model):
    application = models.OneToOneField(Application, on_delete=models.CASCADE, related_name="decision_letter")
    grounds = models.TextField(
        _("begrunnelse"),
        help_text=_(
            "Hvorfor søknaden ble valgt eller ikke valgt: reglene og de faktiske forholdene vedtaket bygger på, "
            "og hovedhensynene ved skjønnet (forvaltningsloven § 25)."
        ),
    )
    amount_granted = models.PositiveBigIntegerField(_("tildelt beløp (kr)"), null=True, blank=True)
    contact_name = models.CharField(_("kontaktperson i departementet"), max_length=200)
    contact_email = models.EmailField(_("kontaktpersonens e-post"))
    contact_phone = models.CharField(_("kontaktpersonens telefon"), max_length=30)
    written_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)
    # Set at release: what the applicant was told, whatever staff edit in templates later.
    subject = models.CharField(_("emne"), max_length=200, blank=True)
    introduction = models.TextField(_("innledning"), blank=True)
    released_at = models.DateTimeField(_("frigitt"), null=True, blank=True)

    class Meta:
        verbose_name = _("vedtaksbrev")
        verbose_name_plural = pgettext_lazy("plural", "vedtaksbrev")

    def __str__(self):
        return gettext("Vedtaksbrev for %(application)s") % {"application": self.application}
