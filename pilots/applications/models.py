"""Rounds ("utlysinger") and the applications to them, with the rows that hold an
application's answers.

State changes live in services.py and the rules they follow in status.py and
deadlines.py; this module describes the data and its invariants, most of them
enforced by the database (unique references, one claim per municipality and
round, one lead municipality per application)."""

import datetime

from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel

from pilots.register.models import Municipality

from . import deadlines
from .attachments import Attachment, AttachmentKind  # noqa: F401 - re-exported: the app imports them from here
from .status import ACTIVE, PORTFOLIO, Decision, Status


def default_eligible_classes():
    return [5, 6]


def default_conditional_classes():
    return [4]


class Round(models.Model):
    """One call for applications, managed by staff in the Wagtail admin.

    All times are stored as aware datetimes (UTC in the database) and shown in
    Europe/Oslo; deadlines.py says how they are compared."""

    class State(models.TextChoices):
        UPCOMING = "upcoming", _("Åpner snart")
        OPEN = "open", _("Åpen")
        CLOSED = "closed", _("Stengt")

    name = models.CharField("navn", max_length=200)
    opens_at = models.DateTimeField("åpner")
    closes_at = models.DateTimeField(
        "frist", help_text="Norsk tid. Den første utlysingen hadde frist 30.09.2022 kl. 23.59.59."
    )
    grace_minutes = models.PositiveSmallIntegerField(
        "ekstra tid ved påbegynt innsending (minutter)",
        default=60,
        help_text="En søker som har begynt innsendingen før fristen, kan fullføre innen denne tiden.",
    )
    supplement_deadline = models.DateTimeField(
        "frist for ettersendte vedlegg",
        null=True,
        blank=True,
        help_text="For eksempel kommunestyrevedtak som kommer etter søknadsfristen.",
    )
    max_pilots = models.PositiveSmallIntegerField("maks antall piloter", default=5)
    max_amount = models.PositiveIntegerField("maks beløp per pilot (kr)", default=2_000_000)
    budget_total = models.PositiveBigIntegerField("samlet ramme (kr)", null=True, blank=True)
    centrality_edition = models.CharField(
        "sentralitetsindeks (utgave)",
        max_length=10,
        default="2023",
        help_text="Hvilken utgave av SSBs indeks som gjelder.",
    )
    eligible_classes = ArrayField(
        models.PositiveSmallIntegerField(validators=[MinValueValidator(1), MaxValueValidator(6)]),
        verbose_name="klasser som kan søke",
        default=default_eligible_classes,
        help_text="Kommuner i disse sentralitetsklassene kan søke (kommaseparert, for eksempel 5,6).",
    )
    conditional_classes = ArrayField(
        models.PositiveSmallIntegerField(validators=[MinValueValidator(1), MaxValueValidator(6)]),
        verbose_name="klasser som kan søke sammen med en av klassene over",
        default=default_conditional_classes,
        blank=True,
        help_text="Kommuner i disse klassene kan bare være med sammen med minst én kommune som kan søke alene.",
    )
    reference_prefix = models.CharField("prefiks for referansenummer", max_length=5, default="BVA")

    panels = [
        FieldPanel("name"),
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel("opens_at"), FieldPanel("closes_at")]),
                FieldPanel("grace_minutes"),
                FieldPanel("supplement_deadline"),
            ],
            heading="Tider",
        ),
        MultiFieldPanel(
            [FieldPanel("max_pilots"), FieldPanel("max_amount"), FieldPanel("budget_total")], heading="Rammer"
        ),
        MultiFieldPanel(
            [FieldPanel("centrality_edition"), FieldPanel("eligible_classes"), FieldPanel("conditional_classes")],
            heading="Hvem kan søke",
        ),
        FieldPanel("reference_prefix"),
    ]

    class Meta:
        verbose_name = "utlysing"
        verbose_name_plural = "utlysinger"
        ordering = ["-closes_at"]
        constraints = [
            models.CheckConstraint(condition=Q(opens_at__lt=models.F("closes_at")), name="round_opens_before_closes")
        ]

    def __str__(self):
        return self.name

    def state(self, now=None):
        now = now or timezone.now()
        if now < self.opens_at:
            return self.State.UPCOMING
        if deadlines.on_time(now, self.closes_at):
            return self.State.OPEN
        return self.State.CLOSED

    def is_open(self, now=None):
        return self.state(now) == self.State.OPEN

    @property
    def grace_period(self):
        return datetime.timedelta(minutes=self.grace_minutes)

    def register_date(self):
        """The day whose municipality register applies: the deadline's date in Oslo."""
        return timezone.localtime(self.closes_at).date()

    def municipalities(self):
        return Municipality.objects.valid_on(self.register_date()).select_related("county")

    def call_page(self):
        return self.call_pages.live().first()


class ApplicationQuerySet(models.QuerySet):
    """The status groups of status.py as queries, so listings and services ask the same thing."""

    def cases(self):
        """Submitted at least once (drafts are the applicant's own business)."""
        return self.exclude(status=Status.DRAFT)

    def active(self):
        return self.filter(status__in=ACTIVE)

    def in_portfolio(self):
        return self.filter(status__in=PORTFOLIO)

    def chosen(self):
        """Pilots chosen so far: released (selected) and prepared (decision "selected")."""
        return self.filter(Q(status=Status.SELECTED) | Q(status__in=ACTIVE, decision=Decision.SELECTED))

    def undecided(self):
        return self.active().filter(decision=Decision.NONE)

    def prepared(self):
        """Active, with a decision waiting to be released."""
        return self.active().exclude(decision=Decision.NONE)


class Application(models.Model):
    """A municipality's (or several municipalities') application in one round.

    `version` grows by one on every save so two people editing at once cannot
    silently overwrite each other; see services.save_answers."""

    Status = Status
    Decision = Decision

    class CouncilDecision(models.TextChoices):
        MADE = "made", _("Kommunestyret har gjort vedtak")
        PLANNED = "planned", _("Vedtak er planlagt")

    round = models.ForeignKey(Round, verbose_name="utlysing", on_delete=models.PROTECT, related_name="applications")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="opprettet av",
        on_delete=models.PROTECT,
        related_name="pilot_applications",
    )
    created_at = models.DateTimeField("opprettet", auto_now_add=True)
    updated_at = models.DateTimeField("sist endret", auto_now=True)
    status = models.CharField("status", max_length=20, choices=Status.choices, default=Status.DRAFT)
    version = models.PositiveIntegerField("versjon", default=1)
    reference = models.CharField("referansenummer", max_length=20, unique=True, null=True, blank=True)
    submission_started_at = models.DateTimeField("innsending påbegynt", null=True, blank=True)
    submitted_at = models.DateTimeField("sendt inn", null=True, blank=True)
    withdrawn_at = models.DateTimeField("trukket", null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="sendt inn av",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text="Den som sendte inn søknaden sist (kan være en medskriver).",
    )

    title = models.CharField("prosjektets navn", max_length=200, blank=True)
    summary = models.TextField("kort sammendrag", max_length=500, blank=True)
    challenges = models.TextField("dokumenterte utfordringer", blank=True)
    themes = models.TextField("tema", blank=True)
    measures = models.TextField("planlagte tiltak", blank=True)
    transfer_value = models.TextField("overføringsverdi", blank=True)
    organisation = models.TextField("organisering", blank=True)
    council_decision = models.CharField(
        "politisk forankring", max_length=10, choices=CouncilDecision.choices, blank=True
    )
    council_decision_date = models.DateField("dato for vedtak", null=True, blank=True)

    amount_applied = models.PositiveIntegerField("søkt beløp (kr)", null=True, blank=True)
    own_contribution = models.PositiveIntegerField("egeninnsats (kr)", null=True, blank=True)

    declaration_accepted_at = models.DateTimeField("erklæring bekreftet", null=True, blank=True)

    decision = models.CharField(
        "forberedt vedtak", max_length=20, choices=Decision.choices, blank=True, default=Decision.NONE
    )
    resubmitted_at = models.DateTimeField("sendt inn på nytt", null=True, blank=True)
    # A draft holding an applicant's corrections to a submitted application, so the
    # submitted answers stay as they are until the corrections are submitted (corrections.py).
    revision_of = models.OneToOneField(
        "self",
        verbose_name="endringer i",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="revision",
    )

    objects = ApplicationQuerySet.as_manager()

    class Meta:
        verbose_name = "søknad"
        verbose_name_plural = "søknader"
        ordering = ["-updated_at"]
        permissions = [
            ("assess_application", "Kan vurdere søknader (poeng og notater)"),
            ("change_application_status", "Kan endre status på søknader"),
            ("decide_application", "Kan velge piloter og frigi vedtak"),
        ]

    def __str__(self):
        return self.reference or self.title or f"Søknad {self.pk}"

    @property
    def lead(self):
        for link in self.municipality_links.all():
            if link.role == ApplicationMunicipality.Role.LEAD:
                return link.municipality
        return None

    @property
    def partners(self):
        return [
            link.municipality
            for link in self.municipality_links.all()
            if link.role == ApplicationMunicipality.Role.PARTNER
        ]

    def display_name(self):
        if self.title:
            return self.title
        if self.lead:
            return gettext("Søknad fra %(municipality)s") % {"municipality": self.lead.display_name}
        return gettext("Søknad uten navn")

    @property
    def public_status(self):
        """What the applicant is told: in «Mine søknader», on the receipt, and quoted
        on the admin's inspect page, so staff know what the applicant sees."""
        label = Status(self.status).public_label
        if self.status != Status.DRAFT:
            return label
        if deadlines.is_open_for_answers(self) or deadlines.can_submit_now(self):
            return gettext("%(status)s – du kan fortsette å skrive") % {"status": label}
        return gettext("%(status)s – fristen er ute") % {"status": label}

    @property
    def is_chosen(self):
        """Chosen as a pilot: released, or prepared and waiting for the release."""
        return self.status == Status.SELECTED or self.decision == Decision.SELECTED

    # Values for the admin listing and its spreadsheet export (prefetch municipality_links__municipality__county).

    def lead_county(self):
        lead = self.lead
        return lead.county.name if lead else ""

    lead_county.short_description = "fylke"

    def municipality_names(self):
        return ", ".join(link.municipality.display_name for link in self.municipality_links.all())

    municipality_names.short_description = "kommuner"

    def municipality_count(self):
        return len(self.municipality_links.all())

    municipality_count.short_description = "antall kommuner"


class MunicipalityRole(models.TextChoices):
    LEAD = "lead", _("Søkerkommune")
    PARTNER = "partner", _("Samarbeidskommune")


class ApplicationMunicipality(models.Model):
    """One municipality of an application: the lead (exactly one) or a partner."""

    Role = MunicipalityRole

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="municipality_links")
    municipality = models.ForeignKey(Municipality, on_delete=models.PROTECT, related_name="+")
    role = models.CharField(max_length=10, choices=Role.choices)

    class Meta:
        verbose_name = "søknadskommune"
        verbose_name_plural = "søknadskommuner"
        ordering = ["role", "municipality__number"]
        constraints = [
            models.UniqueConstraint(fields=["application", "municipality"], name="application_municipality_once"),
            models.UniqueConstraint(
                fields=["application"], condition=Q(role=MunicipalityRole.LEAD), name="application_one_lead"
            ),
        ]

    def __str__(self):
        return f"{self.municipality} ({self.get_role_display()})"


class RoundMunicipalityClaim(models.Model):
    """A municipality takes part in at most one submitted application per round.

    Inserted when an application is submitted, deleted when it is withdrawn. The
    unique constraint is what settles a race between two submissions."""

    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="claims")
    municipality = models.ForeignKey(Municipality, on_delete=models.PROTECT, related_name="+")
    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="claims")

    class Meta:
        verbose_name = "kommune i innsendt søknad"
        verbose_name_plural = "kommuner i innsendte søknader"
        constraints = [models.UniqueConstraint(fields=["round", "municipality"], name="one_claim_per_round")]

    def __str__(self):
        return f"{self.municipality} i {self.round}"


class Contact(models.Model):
    application = models.OneToOneField(Application, on_delete=models.CASCADE, related_name="contact")
    name = models.CharField("navn", max_length=200, blank=True)
    role = models.CharField("stilling", max_length=200, blank=True)
    email = models.EmailField("e-post", blank=True)
    phone = models.CharField("telefon", max_length=30, blank=True)

    class Meta:
        verbose_name = "kontaktperson"
        verbose_name_plural = "kontaktpersoner"

    def __str__(self):
        return self.name


class BudgetLine(models.Model):
    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="budget_lines")
    description = models.CharField("kostnad", max_length=200)
    amount = models.PositiveIntegerField("beløp (kr)")

    class Meta:
        verbose_name = "budsjettpost"
        verbose_name_plural = "budsjettposter"
        ordering = ["pk"]

    def __str__(self):
        return f"{self.description}: {self.amount} kr"


class ApplicationSnapshot(models.Model):
    """The answers of an earlier submitted version, kept when the application is
    submitted again, so case handlers can see what changed (answers.version_history)."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="snapshots")
    version = models.PositiveIntegerField("versjon")
    answers = models.JSONField("svar")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "innsendt versjon"
        verbose_name_plural = "innsendte versjoner"
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return f"{self.application} v{self.version}"
