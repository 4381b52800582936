"""What case handling records about an application: published criteria and each
case handler's scores, internal notes, and the decision letters with their
staff-edited e-mail templates.

None of this is ever shown to the applicant, except a released DecisionNotice's
outcome, which is the application's final status."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel

from pilots.applications.models import Application, Round
from pilots.applications.status import OUTCOMES

#: The outcomes a released decision can have ("Valgt", "Ikke valgt").
OUTCOME_CHOICES = [(status.value, status.label) for status in OUTCOMES]


class Criterion(models.Model):
    """A published assessment criterion of one round, scored 1–5 by each case handler."""

    round = models.ForeignKey(Round, verbose_name=_("utlysing"), on_delete=models.CASCADE, related_name="criteria")
    name = models.CharField(_("navn"), max_length=100)
    description = models.TextField(_("beskrivelse"), blank=True)
    sort_order = models.PositiveSmallIntegerField(_("rekkefølge"), default=0)

    panels = [FieldPanel("round"), FieldPanel("name"), FieldPanel("description"), FieldPanel("sort_order")]

    class Meta:
        verbose_name = _("vurderingskriterium")
        verbose_name_plural = _("vurderingskriterier")
        ordering = ["round", "sort_order", "pk"]
        constraints = [models.UniqueConstraint(fields=["round", "name"], name="criterion_name_per_round")]

    def __str__(self):
        return self.name


class Review(models.Model):
    """One case handler's score of one criterion for one application."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="reviews")
    reviewer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    criterion = models.ForeignKey(Criterion, on_delete=models.PROTECT, related_name="reviews")
    score = models.PositiveSmallIntegerField(_("poeng"), validators=[MinValueValidator(1), MaxValueValidator(5)])
    comment = models.TextField(_("begrunnelse"), blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("vurdering")
        verbose_name_plural = _("vurderinger")
        ordering = ["criterion__sort_order", "criterion_id", "reviewer_id"]
        constraints = [
            models.UniqueConstraint(fields=["application", "reviewer", "criterion"], name="review_once"),
            models.CheckConstraint(condition=Q(score__gte=1, score__lte=5), name="review_score_1_to_5"),
        ]

    def __str__(self):
        return f"{self.criterion}: {self.score}"


class InternalNote(models.Model):
    """A case handler's note on an application; internal, never shown to the applicant."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="internal_notes")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    text = models.TextField(_("notat"))
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("internt notat")
        verbose_name_plural = _("interne notater")
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return self.text[:50]


class DecisionNotice(models.Model):
    """The decision letter to one applicant: one row per application (so released
    once), marked sent by the mail task that claimed it (so mailed once)."""

    application = models.OneToOneField(Application, on_delete=models.CASCADE, related_name="decision_notice")
    outcome = models.CharField(max_length=20, choices=OUTCOME_CHOICES)
    released_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    released_at = models.DateTimeField()
    sent_at = models.DateTimeField(null=True, blank=True)
    recipients = models.TextField(blank=True)

    class Meta:
        verbose_name = _("vedtaksbrev")
        verbose_name_plural = pgettext_lazy("plural", "vedtaksbrev")

    def __str__(self):
        return gettext("Vedtak for %(application)s") % {"application": self.application}


class DecisionEmailTemplate(models.Model):
    """The decision e-mail for one outcome, edited by staff as a snippet.

    Placeholders: {reference}, {title}, {round}, {municipalities}, {amount}."""

    PLACEHOLDERS = ["reference", "title", "round", "municipalities", "amount"]

    outcome = models.CharField(_("utfall"), max_length=20, unique=True, choices=OUTCOME_CHOICES)
    subject = models.CharField(_("emne"), max_length=200)
    body = models.TextField(
        _("tekst"), help_text=_("Du kan bruke {reference}, {title}, {round}, {municipalities} og {amount}.")
    )

    panels = [FieldPanel("outcome"), FieldPanel("subject"), FieldPanel("body")]

    class Meta:
        verbose_name = _("e-postmal for vedtak")
        verbose_name_plural = _("e-postmaler for vedtak")

    def __str__(self):
        return gettext("Vedtak: %(outcome)s") % {"outcome": self.get_outcome_display()}

    def clean(self):
        for name, text in (("subject", self.subject), ("body", self.body)):
            try:
                text.format(**dict.fromkeys(self.PLACEHOLDERS, ""))
            except (KeyError, IndexError, ValueError) as error:
                raise ValidationError(
                    {
                        name: gettext(
                            "Ukjent eller ugyldig plassholder (%(error)s). Bruk bare {reference}, {title}, "
                            "{round}, {municipalities} og {amount}."
                        )
                        % {"error": error}
                    }
                ) from error


class CaseAssignment(models.Model):
    """The case handler responsible for an application: at most one, changed or
    removed through casework.assignment, which logs every change."""

    application = models.OneToOneField(Application, on_delete=models.CASCADE, related_name="assignment")
    handler = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("saksbehandler"), on_delete=models.PROTECT, related_name="+"
    )
    assigned_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    assigned_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("tildeling")
        verbose_name_plural = _("tildelinger")

    def __str__(self):
        return f"{self.application}: {self.handler}"


class Disqualification(models.Model):
    """A staff member's declaration that they are disqualified (inhabil, the Public
    Administration Act § 6) in one case. It is never withdrawn: the record of who
    stood aside is part of the case (see casework.assignment for what it blocks)."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="disqualifications")
    person = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    reason = models.TextField(_("begrunnelse"), blank=True)
    declared_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("inhabilitet")
        verbose_name_plural = pgettext_lazy("plural", "inhabilitet")
        ordering = ["declared_at", "pk"]
        constraints = [models.UniqueConstraint(fields=["application", "person"], name="disqualified_once_per_case")]

    def __str__(self):
        return gettext("%(person)s er inhabil i %(application)s") % {
            "person": self.person,
            "application": self.application,
        }
