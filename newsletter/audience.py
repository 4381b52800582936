"""Who gets Regionalnytt: the lists, the consent texts people agree to, confirmed
subscribers and their subscriptions, the append-only consent history and the
suppression list.

Nothing personal is stored before an address is confirmed (see subscriptions.py):
the confirmation link itself carries the address until then. Only
`subscriptions.py` writes these rows; the admin shows most of them read-only.
"""

from django.core.exceptions import PermissionDenied
from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel

from . import addresses


class NewsletterList(models.Model):
    """A newsletter people can subscribe to. Regionalnytt is the first; more may follow."""

    name = models.CharField(_("navn"), max_length=100, unique=True)
    slug = models.SlugField(_("kortnavn"), max_length=100, unique=True)
    description = models.TextField(_("beskrivelse"), blank=True)

    panels = [FieldPanel("name"), FieldPanel("slug"), FieldPanel("description")]

    class Meta:
        verbose_name = _("nyhetsbrevliste")
        verbose_name_plural = _("nyhetsbrevlister")
        ordering = ["name"]

    def __str__(self):
        return self.name

    def current_consent(self):
        return self.consent_texts.order_by("-version").first()


class ConsentText(models.Model):
    """The text a subscriber agrees to. Versions are never edited: write a new one,
    so every consent event points at the exact words the person saw."""

    newsletter_list = models.ForeignKey(
        NewsletterList, on_delete=models.PROTECT, related_name="consent_texts", verbose_name=_("liste")
    )
    version = models.PositiveIntegerField(_("versjon"))
    text = models.TextField(_("samtykketekst"))
    created_at = models.DateTimeField(_("opprettet"), auto_now_add=True)

    panels = [FieldPanel("newsletter_list"), FieldPanel("version"), FieldPanel("text")]

    class Meta:
        verbose_name = _("samtykketekst")
        verbose_name_plural = _("samtykketekster")
        constraints = [models.UniqueConstraint(fields=["newsletter_list", "version"], name="consent_text_version")]
        ordering = ["newsletter_list", "-version"]

    def __str__(self):
        return f"{self.newsletter_list} v{self.version}"


class Subscriber(models.Model):
    """A confirmed address. `email` is normalised (see addresses.py); `address_hash`
    is its keyed hash, unique, so two spellings differing in case are one person."""

    email = models.EmailField(_("e-postadresse"), max_length=254)
    address_hash = models.CharField(_("hashverdi for e-postadressen"), max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(_("opprettet"), auto_now_add=True)

    class Meta:
        verbose_name = _("abonnent")
        verbose_name_plural = _("abonnenter")
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

    subscription_summary.short_description = _("påmeldt")


class Subscription(models.Model):
    CONFIRMED = "confirmed"
    UNSUBSCRIBED = "unsubscribed"
    STATUS_CHOICES = [(CONFIRMED, _("Påmeldt")), (UNSUBSCRIBED, _("Avmeldt"))]

    subscriber = models.ForeignKey(
        Subscriber, on_delete=models.CASCADE, related_name="subscriptions", verbose_name=_("abonnent")
    )
    newsletter_list = models.ForeignKey(
        NewsletterList, on_delete=models.PROTECT, related_name="subscriptions", verbose_name=_("liste")
    )
    status = models.CharField(_("status"), max_length=20, choices=STATUS_CHOICES, default=CONFIRMED)
    consent_version = models.PositiveIntegerField(_("samtykkeversjon"))
    confirmed_at = models.DateTimeField(_("bekreftet"))
    updated_at = models.DateTimeField(_("endret"), auto_now=True)

    class Meta:
        verbose_name = _("abonnement")
        verbose_name_plural = _("abonnementer")
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
        (REQUESTED, _("Ba om påmelding")),
        (CONFIRMED, _("Bekreftet")),
        (UNSUBSCRIBED, _("Meldte seg av")),
        (RESUBSCRIBED, _("Meldte seg på igjen")),
        (SUPPRESSED, _("Sperret")),
        (ERASED, _("Slettet")),
    ]

    address_hash = models.CharField(_("hashverdi for e-postadressen"), max_length=64, db_index=True)
    newsletter_list = models.ForeignKey(
        NewsletterList, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("liste")
    )
    kind = models.CharField(_("hendelse"), max_length=20, choices=KIND_CHOICES)
    occurred_at = models.DateTimeField(_("tidspunkt"))
    consent_version = models.PositiveIntegerField(_("samtykkeversjon"), null=True, blank=True)
    recorded_at = models.DateTimeField(_("registrert"), auto_now_add=True)

    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        verbose_name = _("samtykkehendelse")
        verbose_name_plural = _("samtykkehendelser")
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
        (ERASED, _("Slettet på forespørsel")),
        (BOUNCED, _("Permanent avvist")),
        (COMPLAINT, _("Klage / markert som søppelpost")),
        (REQUESTED, _("Ba om å aldri få e-post")),
    ]

    address_hash = models.CharField(_("hashverdi for e-postadressen"), max_length=64, unique=True)
    reason = models.CharField(_("grunn"), max_length=20, choices=REASON_CHOICES)
    created_at = models.DateTimeField(_("opprettet"), auto_now_add=True)

    class Meta:
        verbose_name = _("sperring")
        verbose_name_plural = _("sperringer")

    def __str__(self):
        return f"{self.address_hash[:12]}… ({self.get_reason_display()})"
