"""Pilot applications for bygdevekstavtaler: the municipality register, rounds
("utlysinger"), the public call page and the applications themselves.

State changes of an application (submit, withdraw, save with a version check) live
in `pilots.services`; this module only describes the data and its invariants, most
of them enforced by the database (unique references, one claim per municipality
and round, one lead municipality per application).
"""

import datetime
import os
import uuid

from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.core.files.storage import FileSystemStorage
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel
from wagtail.fields import RichTextField
from wagtail.search import index

from policy.models import BasePage

CENTRALITY_CLASSES = [(n, f"Klasse {n}") for n in range(1, 7)]


# --- Reference data ------------------------------------------------------------


class County(models.Model):
    """A county (fylke) as it was during its validity period."""

    number = models.CharField("fylkesnummer", max_length=2)
    name = models.CharField("navn", max_length=100)
    name_full = models.CharField("fullt navn", max_length=200, blank=True)
    valid_from = models.DateField("gyldig fra")
    valid_to = models.DateField("gyldig til", null=True, blank=True)

    class Meta:
        verbose_name = "fylke"
        verbose_name_plural = "fylker"
        ordering = ["number", "valid_from"]
        constraints = [models.UniqueConstraint(fields=["number", "valid_from"], name="county_number_valid_from")]

    def __str__(self):
        return f"{self.number} {self.name}"


class MunicipalityQuerySet(models.QuerySet):
    def valid_on(self, day):
        """The register as it stood on `day` (a date)."""
        return self.filter(Q(valid_to__isnull=True) | Q(valid_to__gte=day), valid_from__lte=day)


class Municipality(models.Model):
    """A municipality (kommune) in one edition of the register.

    The number is text with leading zeros ("0301"). The same number may occur in
    several editions (Oslo is 0301 in both 2022 and 2024); each edition is a row with
    its own validity period, so an application always points to the municipality as
    it was when the round ran."""

    number = models.CharField("kommunenummer", max_length=4)
    name = models.CharField("navn", max_length=100)
    name_full = models.CharField("fullt navn", max_length=200, blank=True)
    name_north_sami = models.CharField("nordsamisk navn", max_length=100, blank=True)
    name_lule_sami = models.CharField("lulesamisk navn", max_length=100, blank=True)
    name_south_sami = models.CharField("sørsamisk navn", max_length=100, blank=True)
    name_kven = models.CharField("kvensk navn", max_length=100, blank=True)
    county = models.ForeignKey(County, verbose_name="fylke", on_delete=models.PROTECT, related_name="municipalities")
    valid_from = models.DateField("gyldig fra")
    valid_to = models.DateField("gyldig til", null=True, blank=True)

    objects = MunicipalityQuerySet.as_manager()

    class Meta:
        verbose_name = "kommune"
        verbose_name_plural = "kommuner"
        ordering = ["number", "valid_from"]
        constraints = [models.UniqueConstraint(fields=["number", "valid_from"], name="municipality_number_valid_from")]

    def __str__(self):
        return f"{self.display_name} ({self.number})"

    @property
    def display_name(self):
        """The official name with its parallel Sami/Kven names, as in the register."""
        return self.name_full or self.name


class Centrality(models.Model):
    """SSB's centrality index and class (1 = most central, 6 = least) for one edition."""

    municipality = models.ForeignKey(Municipality, on_delete=models.CASCADE, related_name="centralities")
    edition = models.CharField("utgave", max_length=10, help_text="Årgangen til indeksen, for eksempel 2023.")
    index = models.PositiveSmallIntegerField("indeks")
    centrality_class = models.PositiveSmallIntegerField("klasse", choices=CENTRALITY_CLASSES)

    class Meta:
        verbose_name = "sentralitet"
        verbose_name_plural = "sentralitet"
        constraints = [models.UniqueConstraint(fields=["municipality", "edition"], name="centrality_edition")]

    def __str__(self):
        return f"{self.municipality.number} {self.edition}: {self.centrality_class}"


# --- Rounds and the call page --------------------------------------------------


def default_eligible_classes():
    return [5, 6]


def default_conditional_classes():
    return [4]


class Round(models.Model):
    """One call for applications ("utlysing"), managed by staff in the Wagtail admin.

    All times are stored as aware datetimes (UTC in the database) and shown in
    Europe/Oslo; the deadline second itself counts as on time (see services)."""

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

    class State(models.TextChoices):
        UPCOMING = "upcoming", "Åpner snart"
        OPEN = "open", "Åpen"
        CLOSED = "closed", "Stengt"

    def state(self, now=None):
        now = now or timezone.now()
        if now < self.opens_at:
            return self.State.UPCOMING
        if now.replace(microsecond=0) <= self.closes_at:
            return self.State.OPEN
        return self.State.CLOSED

    @property
    def grace_period(self):
        return datetime.timedelta(minutes=self.grace_minutes)

    def register_date(self):
        """The day whose municipality register applies: the deadline's date in Oslo."""
        return timezone.localtime(self.closes_at).date()

    def municipalities(self):
        return Municipality.objects.valid_on(self.register_date()).select_related("county")

    def call_page(self):
        return PilotCallPage.objects.live().filter(round=self).first()


class PilotCallPage(BasePage):
    """The public call text for one round, with its deadline, state and "Start søknad"."""

    round = models.ForeignKey(Round, verbose_name="utlysing", on_delete=models.PROTECT, related_name="call_pages")
    body = RichTextField("utlysingstekst", blank=True)

    content_panels = BasePage.content_panels + [FieldPanel("round"), FieldPanel("body")]
    search_fields = BasePage.search_fields + [index.SearchField("body")]

    parent_page_types = ["policy.HomePage", "policy.TopicPage"]
    subpage_types = []

    class Meta:
        verbose_name = "utlysingsside"
        verbose_name_plural = "utlysingssider"

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["state"] = self.round.state()
        return context


# --- Applications ----------------------------------------------------------------


class Application(models.Model):
    """A municipality's (or several municipalities') application in one round.

    `version` grows by one on every save so two people editing at once cannot
    silently overwrite each other; see services.save_answers."""

    class Status(models.TextChoices):
        """The staff names; `PUBLIC_STATUS` below has what the applicant sees."""

        DRAFT = "draft", "Utkast"
        SUBMITTED = "submitted", "Sendt inn"
        IN_ASSESSMENT = "in_assessment", "Til vurdering"
        MORE_INFORMATION = "more_information", "Trenger mer informasjon"
        SHORTLISTED = "shortlisted", "Aktuell (kortliste)"
        SELECTED = "selected", "Valgt"
        NOT_SELECTED = "not_selected", "Ikke valgt"
        WITHDRAWN = "withdrawn", "Trukket"

    class Decision(models.TextChoices):
        """A decision prepared by a decision maker, not yet released to the applicant."""

        NONE = "", "Ingen"
        SELECTED = "selected", "Foreslått valgt"
        NOT_SELECTED = "not_selected", "Foreslått ikke valgt"

    class CouncilDecision(models.TextChoices):
        MADE = "made", "Kommunestyret har gjort vedtak"
        PLANNED = "planned", "Vedtak er planlagt"

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

    decision = models.CharField("forberedt vedtak", max_length=20, choices=Decision.choices, blank=True, default="")
    resubmitted_at = models.DateTimeField("sendt inn på nytt", null=True, blank=True)

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
        return self.title or (f"Søknad fra {self.lead.display_name}" if self.lead else "Søknad uten navn")

    @property
    def public_status(self):
        return PUBLIC_STATUS.get(self.status, self.get_status_display())

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


PUBLIC_STATUS = {
    Application.Status.DRAFT: "Ikke sendt inn",
    Application.Status.SUBMITTED: "Mottatt",
    Application.Status.IN_ASSESSMENT: "Under behandling",
    Application.Status.MORE_INFORMATION: "Vi trenger mer informasjon – du kan endre søknaden og sende den inn på nytt",
    # Shortlisting is an internal step: the applicant still sees "Under behandling".
    Application.Status.SHORTLISTED: "Under behandling",
    Application.Status.SELECTED: "Valgt som pilotområde",
    Application.Status.NOT_SELECTED: "Ikke valgt som pilotområde",
    Application.Status.WITHDRAWN: "Trukket",
}


class ApplicationMunicipality(models.Model):
    class Role(models.TextChoices):
        LEAD = "lead", "Søkerkommune"
        PARTNER = "partner", "Samarbeidskommune"

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="municipality_links")
    municipality = models.ForeignKey(Municipality, on_delete=models.PROTECT, related_name="+")
    role = models.CharField(max_length=10, choices=Role.choices)

    class Meta:
        ordering = ["role", "municipality__number"]
        constraints = [
            models.UniqueConstraint(fields=["application", "municipality"], name="application_municipality_once"),
            models.UniqueConstraint(fields=["application"], condition=Q(role="lead"), name="application_one_lead"),
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
        constraints = [models.UniqueConstraint(fields=["round", "municipality"], name="one_claim_per_round")]

    def __str__(self):
        return f"{self.municipality} i {self.round}"


class Contact(models.Model):
    application = models.OneToOneField(Application, on_delete=models.CASCADE, related_name="contact")
    name = models.CharField("navn", max_length=200, blank=True)
    role = models.CharField("stilling", max_length=200, blank=True)
    email = models.EmailField("e-post", blank=True)
    phone = models.CharField("telefon", max_length=30, blank=True)

    def __str__(self):
        return self.name


class BudgetLine(models.Model):
    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="budget_lines")
    description = models.CharField("kostnad", max_length=200)
    amount = models.PositiveIntegerField("beløp (kr)")

    class Meta:
        ordering = ["pk"]

    def __str__(self):
        return f"{self.description}: {self.amount} kr"


class PrivateStorage(FileSystemStorage):
    """Files under PRIVATE_MEDIA_ROOT, outside MEDIA_ROOT and without a URL: they are
    only ever sent by the permission-checked download view. The folder is read from
    settings on every use, so tests (and deployments) can point it elsewhere."""

    def __init__(self):
        super().__init__(base_url=None)

    @property
    def base_location(self):
        return settings.PRIVATE_MEDIA_ROOT

    @property
    def location(self):
        return os.path.abspath(self.base_location)

    @property
    def base_url(self):
        return None


_private_storage = PrivateStorage()


def private_storage():
    return _private_storage


def attachment_path(instance, filename):
    """A random name: the uploader's file name is kept only as metadata."""
    return f"pilots/{instance.application.round_id}/{uuid.uuid4().hex}.pdf"


class Attachment(models.Model):
    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(storage=private_storage, upload_to=attachment_path, max_length=200)
    original_name = models.CharField("filnavn", max_length=255)
    size = models.PositiveIntegerField("størrelse (byte)")
    supplementary = models.BooleanField("ettersendt", default=False)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["uploaded_at", "pk"]

    def __str__(self):
        return self.original_name

    def download_response(self):
        """The file as a private download: for applicants and case handlers alike,
        never cached on the way and never sniffed into something other than a PDF."""
        from django.http import FileResponse

        response = FileResponse(
            self.file.open("rb"), as_attachment=True, filename=self.original_name, content_type="application/pdf"
        )
        response["X-Content-Type-Options"] = "nosniff"
        response["Cache-Control"] = "private, no-store"
        return response


class Invitation(models.Model):
    """A colleague invited by e-mail; signing in with that address gives access."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="invitations")
    email = models.EmailField("e-post")
    invited_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at"]
        constraints = [models.UniqueConstraint(fields=["application", "email"], name="invitation_once")]

    def __str__(self):
        return self.email

    def save(self, *args, **kwargs):
        self.email = self.email.strip().lower()
        super().save(*args, **kwargs)


class SignInToken(models.Model):
    """A sign-in link sent by e-mail. Only a hash of the token is stored."""

    token_hash = models.CharField(max_length=64, unique=True)
    email = models.EmailField()
    next_path = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["expires_at"])]

    def __str__(self):
        return f"Innloggingslenke til {self.email}"


# --- Case handling (issue 6): criteria, reviews, notes, snapshots, decisions ----------
# None of these is ever shown to the applicant except a released DecisionNotice's outcome,
# which is the application's final status.


class Criterion(models.Model):
    """A published assessment criterion of one round, scored 1–5 by each case handler."""

    round = models.ForeignKey(Round, verbose_name="utlysing", on_delete=models.CASCADE, related_name="criteria")
    name = models.CharField("navn", max_length=100)
    description = models.TextField("beskrivelse", blank=True)
    sort_order = models.PositiveSmallIntegerField("rekkefølge", default=0)

    panels = [FieldPanel("round"), FieldPanel("name"), FieldPanel("description"), FieldPanel("sort_order")]

    class Meta:
        verbose_name = "vurderingskriterium"
        verbose_name_plural = "vurderingskriterier"
        ordering = ["round", "sort_order", "pk"]
        constraints = [models.UniqueConstraint(fields=["round", "name"], name="criterion_name_per_round")]

    def __str__(self):
        return self.name


class Review(models.Model):
    """One case handler's score of one criterion for one application."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="reviews")
    reviewer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    criterion = models.ForeignKey(Criterion, on_delete=models.PROTECT, related_name="reviews")
    score = models.PositiveSmallIntegerField("poeng", validators=[MinValueValidator(1), MaxValueValidator(5)])
    comment = models.TextField("begrunnelse", blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "vurdering"
        verbose_name_plural = "vurderinger"
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
    text = models.TextField("notat")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return self.text[:50]


class ApplicationSnapshot(models.Model):
    """The answers as they were when the ministry asked for more information, so the
    changes in the resubmitted version can be shown (sections.summary_rows as JSON)."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="snapshots")
    version = models.PositiveIntegerField("versjon")
    answers = models.JSONField("svar")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return f"{self.application} v{self.version}"


class DecisionNotice(models.Model):
    """The decision letter to one applicant: one row per application (so released
    once), marked sent by the mail task that claimed it (so mailed once)."""

    application = models.OneToOneField(Application, on_delete=models.CASCADE, related_name="decision_notice")
    outcome = models.CharField(max_length=20, choices=[("selected", "Valgt"), ("not_selected", "Ikke valgt")])
    released_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    released_at = models.DateTimeField()
    sent_at = models.DateTimeField(null=True, blank=True)
    recipients = models.TextField(blank=True)

    def __str__(self):
        return f"Vedtak for {self.application}"


class DecisionEmailTemplate(models.Model):
    """The decision e-mail for one outcome, edited by staff as a snippet.

    Placeholders: {reference}, {title}, {round}, {municipalities}, {amount}."""

    PLACEHOLDERS = ["reference", "title", "round", "municipalities", "amount"]

    outcome = models.CharField(
        "utfall", max_length=20, unique=True, choices=DecisionNotice._meta.get_field("outcome").choices
    )
    subject = models.CharField("emne", max_length=200)
    body = models.TextField(
        "tekst", help_text="Du kan bruke {reference}, {title}, {round}, {municipalities} og {amount}."
    )

    panels = [FieldPanel("outcome"), FieldPanel("subject"), FieldPanel("body")]

    class Meta:
        verbose_name = "e-postmal for vedtak"
        verbose_name_plural = "e-postmaler for vedtak"

    def __str__(self):
        return f"Vedtak: {self.get_outcome_display()}"

    def clean(self):
        from django.core.exceptions import ValidationError

        for name, text in (("subject", self.subject), ("body", self.body)):
            try:
                text.format(**dict.fromkeys(self.PLACEHOLDERS, ""))
            except (KeyError, IndexError, ValueError) as error:
                raise ValidationError(
                    {
                        name: f"Ukjent eller ugyldig plassholder ({error}). Bruk bare {{reference}}, {{title}}, "
                        "{round}, {municipalities} og {amount}."
                    }
                ) from error
