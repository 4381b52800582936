"""Regionalnytt: lists, subscribers and their consent history, the suppression list,
issues as Wagtail pages, and one delivery row per recipient per issue.

Nothing personal is stored before an address is confirmed (see services.py): the
confirmation link itself carries the address until then.
"""

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import models
from django.http import HttpResponse
from wagtail import blocks
from wagtail.admin.panels import FieldPanel
from wagtail.fields import StreamField
from wagtail.search import index

from policy.blocks import TEXT_FEATURES, HeadingBlock, LinkListBlock, ParagraphBlock
from policy.models import BasePage

from . import addresses


class NewsletterList(models.Model):
    """A newsletter people can subscribe to. Regionalnytt is the first; more may follow."""

    name = models.CharField("navn", max_length=100, unique=True)
    slug = models.SlugField("kortnavn", max_length=100, unique=True)
    description = models.TextField("beskrivelse", blank=True)

    panels = [FieldPanel("name"), FieldPanel("slug"), FieldPanel("description")]

    class Meta:
        verbose_name = "nyhetsbrevliste"
        verbose_name_plural = "nyhetsbrevlister"
        ordering = ["name"]

    def __str__(self):
        return self.name

    def current_consent(self):
        return self.consent_texts.order_by("-version").first()


class ConsentText(models.Model):
    """The text a subscriber agrees to. Versions are never edited: write a new one,
    so every consent event points at the exact words the person saw."""

    newsletter_list = models.ForeignKey(
        NewsletterList, on_delete=models.PROTECT, related_name="consent_texts", verbose_name="liste"
    )
    version = models.PositiveIntegerField("versjon")
    text = models.TextField("samtykketekst")
    created_at = models.DateTimeField("opprettet", auto_now_add=True)

    panels = [FieldPanel("newsletter_list"), FieldPanel("version"), FieldPanel("text")]

    class Meta:
        verbose_name = "samtykketekst"
        verbose_name_plural = "samtykketekster"
        constraints = [models.UniqueConstraint(fields=["newsletter_list", "version"], name="consent_text_version")]
        ordering = ["newsletter_list", "-version"]

    def __str__(self):
        return f"{self.newsletter_list} v{self.version}"


class Subscriber(models.Model):
    """A confirmed address. `email` is normalised (see addresses.py); `address_hash`
    is its keyed hash, unique, so two spellings differing in case are one person."""

    email = models.EmailField("e-postadresse", max_length=254)
    address_hash = models.CharField(max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField("opprettet", auto_now_add=True)

    class Meta:
        verbose_name = "abonnent"
        verbose_name_plural = "abonnenter"
        ordering = ["-created_at"]

    def __str__(self):
        return self.email

    def save(self, *args, **kwargs):
        self.email = addresses.normalise(self.email)
        self.address_hash = addresses.address_hash(self.email)
        super().save(*args, **kwargs)

    def subscription_summary(self):
        """Lists this person is subscribed to, for the admin listing and export."""
        confirmed = self.subscriptions.filter(status=Subscription.CONFIRMED).select_related("newsletter_list")
        return ", ".join(sub.newsletter_list.name for sub in confirmed) or "–"

    subscription_summary.short_description = "påmeldt"


class Subscription(models.Model):
    CONFIRMED = "confirmed"
    UNSUBSCRIBED = "unsubscribed"
    STATUS_CHOICES = [(CONFIRMED, "Påmeldt"), (UNSUBSCRIBED, "Avmeldt")]

    subscriber = models.ForeignKey(
        Subscriber, on_delete=models.CASCADE, related_name="subscriptions", verbose_name="abonnent"
    )
    newsletter_list = models.ForeignKey(
        NewsletterList, on_delete=models.PROTECT, related_name="subscriptions", verbose_name="liste"
    )
    status = models.CharField("status", max_length=20, choices=STATUS_CHOICES, default=CONFIRMED)
    consent_version = models.PositiveIntegerField("samtykkeversjon")
    confirmed_at = models.DateTimeField("bekreftet")
    updated_at = models.DateTimeField("endret", auto_now=True)

    class Meta:
        verbose_name = "abonnement"
        verbose_name_plural = "abonnementer"
        constraints = [
            models.UniqueConstraint(fields=["subscriber", "newsletter_list"], name="subscription_once_per_list")
        ]

    def __str__(self):
        return f"{self.subscriber} – {self.newsletter_list} ({self.get_status_display()})"


class AppendOnlyQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise PermissionDenied("Samtykkehendelser kan ikke endres.")

    def delete(self):
        raise PermissionDenied("Samtykkehendelser kan ikke slettes.")


class ConsentEvent(models.Model):
    """The consent history, append-only (also enforced by a database trigger).

    Events point at the person through `address_hash`, not a foreign key, so the
    history outlives erasure without keeping the address and without ever being
    rewritten."""

    REQUESTED = "requested"
    CONFIRMED = "confirmed"
    UNSUBSCRIBED = "unsubscribed"
    RESUBSCRIBED = "resubscribed"
    SUPPRESSED = "suppressed"
    ERASED = "erased"
    KIND_CHOICES = [
        (REQUESTED, "Ba om påmelding"),
        (CONFIRMED, "Bekreftet"),
        (UNSUBSCRIBED, "Meldte seg av"),
        (RESUBSCRIBED, "Meldte seg på igjen"),
        (SUPPRESSED, "Sperret"),
        (ERASED, "Slettet"),
    ]

    address_hash = models.CharField(max_length=64, db_index=True)
    newsletter_list = models.ForeignKey(
        NewsletterList, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name="liste"
    )
    kind = models.CharField("hendelse", max_length=20, choices=KIND_CHOICES)
    occurred_at = models.DateTimeField("tidspunkt")
    consent_version = models.PositiveIntegerField("samtykkeversjon", null=True, blank=True)
    recorded_at = models.DateTimeField("registrert", auto_now_add=True)

    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        verbose_name = "samtykkehendelse"
        verbose_name_plural = "samtykkehendelser"
        ordering = ["occurred_at", "id"]

    def __str__(self):
        return f"{self.get_kind_display()} {self.occurred_at:%Y-%m-%d %H:%M}"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise PermissionDenied("Samtykkehendelser kan ikke endres.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise PermissionDenied("Samtykkehendelser kan ikke slettes.")


class Suppression(models.Model):
    """An address that must never be mailed again, kept only as its keyed hash."""

    ERASED = "erased"
    BOUNCED = "bounced"
    COMPLAINT = "complaint"
    REQUESTED = "requested"
    REASON_CHOICES = [
        (ERASED, "Slettet på forespørsel"),
        (BOUNCED, "Permanent avvist"),
        (COMPLAINT, "Klage / markert som søppelpost"),
        (REQUESTED, "Ba om å aldri få e-post"),
    ]

    address_hash = models.CharField(max_length=64, unique=True)
    reason = models.CharField("grunn", max_length=20, choices=REASON_CHOICES)
    created_at = models.DateTimeField("opprettet", auto_now_add=True)

    class Meta:
        verbose_name = "sperring"
        verbose_name_plural = "sperringer"

    def __str__(self):
        return f"{self.address_hash[:12]}… ({self.get_reason_display()})"


# --- Pages ---------------------------------------------------------------------


class NewsletterSignupPage(BasePage):
    """The full sign-up form. The form logic lives in views.signup_page_response."""

    newsletter_list = models.ForeignKey(
        NewsletterList, on_delete=models.PROTECT, related_name="+", verbose_name="nyhetsbrev"
    )

    content_panels = BasePage.content_panels + [FieldPanel("newsletter_list")]

    parent_page_types = ["policy.HomePage", "policy.TopicPage"]
    subpage_types = []

    class Meta:
        verbose_name = "påmeldingsside for nyhetsbrev"

    def serve(self, request, *args, **kwargs):
        from .views import signup_page_response

        return signup_page_response(self, request)


class NewsletterIndexPage(BasePage):
    """The public archive of a newsletter's issues."""

    newsletter_list = models.ForeignKey(
        NewsletterList, on_delete=models.PROTECT, related_name="+", verbose_name="nyhetsbrev"
    )
    signup_page = models.ForeignKey(
        NewsletterSignupPage,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="påmeldingsside",
    )

    content_panels = BasePage.content_panels + [FieldPanel("newsletter_list"), FieldPanel("signup_page")]

    parent_page_types = ["policy.HomePage"]
    subpage_types = ["newsletter.NewsletterIssuePage"]

    class Meta:
        verbose_name = "nyhetsbrevarkiv"

    def get_context(self, request, *args, **kwargs):
        from policy.pagination import paginate

        context = super().get_context(request, *args, **kwargs)
        issues = NewsletterIssuePage.objects.child_of(self).live().public().order_by("-first_published_at")
        context["page_obj"], context["pagination_notice"] = paginate(request, issues, 20)
        return context


class IssueStreamBlock(blocks.StreamBlock):
    """An issue's body: only what renders the same on the web and in an e-mail
    (no headings inside text, no fact boxes)."""

    paragraph = ParagraphBlock(features=TEXT_FEATURES)
    heading = HeadingBlock()
    link_list = LinkListBlock()


class NewsletterIssuePage(BasePage):
    """One issue: a page in the archive and, rendered from the same content, the e-mail."""

    body = StreamField(IssueStreamBlock(), blank=True, verbose_name="innhold")

    content_panels = BasePage.content_panels + [FieldPanel("body")]
    search_fields = BasePage.search_fields + [index.SearchField("body")]

    parent_page_types = ["newsletter.NewsletterIndexPage"]
    subpage_types = []

    preview_modes = [("", "Nettside"), ("email", "E-post")]

    class Meta:
        verbose_name = "nyhetsbrevutgave"
        verbose_name_plural = "nyhetsbrevutgaver"
        permissions = [("send_issue", "Kan sende nyhetsbrev til abonnenter")]

    @property
    def newsletter_list(self):
        return self.get_parent().specific.newsletter_list

    def serve_preview(self, request, mode_name):
        if mode_name == "email":
            from .emails import render_issue

            rendered = render_issue(self, unsubscribe_url="#", manage_url="#")
            return HttpResponse(rendered.html)
        return super().serve_preview(request, mode_name)


class IssueDispatch(models.Model):
    """The sending of one issue. A separate row (not a page field) so that publishing
    an old revision of the issue can never reset "sent" back to "not sent"."""

    SENDING = "sending"
    DONE = "done"
    STATUS_CHOICES = [(SENDING, "Sendes"), (DONE, "Ferdig")]

    issue = models.OneToOneField(NewsletterIssuePage, on_delete=models.PROTECT, related_name="dispatch")
    status = models.CharField(max_length=20, choices=STATUS_CHOICES, default=SENDING)
    started_at = models.DateTimeField(auto_now_add=True)
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    heartbeat_at = models.DateTimeField(null=True, blank=True, help_text="Last time a drain was enqueued or claimed.")
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = "utsending"
        verbose_name_plural = "utsendinger"

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
        (QUEUED, "I kø"),
        (SENDING, "Sendes"),
        (SENT, "Sendt"),
        (RETRY, "Prøves igjen"),
        (FAILED, "Feilet"),
        (SKIPPED, "Hoppet over"),
        (UNKNOWN, "Ukjent"),
    ]

    issue = models.ForeignKey(NewsletterIssuePage, on_delete=models.PROTECT, related_name="deliveries")
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
        verbose_name = "levering"
        verbose_name_plural = "leveringer"
        constraints = [models.UniqueConstraint(fields=["issue", "subscriber"], name="delivery_once_per_subscriber")]
        indexes = [models.Index(fields=["issue", "status"], name="delivery_issue_status")]

    def __str__(self):
        return f"{self.issue_id}/{self.subscriber_id}: {self.status}"
