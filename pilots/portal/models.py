"""The portal's own records: the public call page of a round, invitations that give
colleagues access to an application, applicants' sign-in identities and single-use
sign-in links."""

import hashlib
import secrets

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.fields import RichTextField
from wagtail.search import index

from pilots.applications.models import Application, Round
from policy.models import BasePage


class PilotCallPage(BasePage):
    """The public call text for one round, with its deadline, state and "Start søknad"."""

    round = models.ForeignKey(Round, verbose_name="utlysing", on_delete=models.PROTECT, related_name="call_pages")
    body = RichTextField("utlysingstekst", blank=True)

    content_panels = BasePage.content_panels + [FieldPanel("round"), FieldPanel("body")]
    search_fields = BasePage.search_fields + [index.SearchField("body")]
    # How the site search names and dates a call (policy.filters).
    search_kind_label = _("Utlysing")
    search_date_fields = ("first_published_at",)

    parent_page_types = ["policy.HomePage", "policy.TopicPage"]
    subpage_types = []

    class Meta:
        verbose_name = _("utlysingsside")
        verbose_name_plural = _("utlysingssider")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["state"] = self.round.state()
        context["State"] = Round.State
        return context


class MemberRole(models.TextChoices):
    """What a member may do besides writing in the application. The creator always may
    invite and remove; the creator may give members the same right («kan invitere»)."""

    LEAD = "lead", _("Kan invitere og fjerne andre")
    WRITER = "writer", _("Medskriver")


class Invitation(models.Model):
    """A colleague invited by e-mail to write in an application.

    The mail carries a single-use link whose token only the mail worker ever sees
    (only its hash is stored). Whoever signs in and accepts the link within
    `expires_at` becomes an `ApplicationMember`: access follows that row, tied to
    the user, never the address the invitation was sent to (see services.py)."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="invitations")
    email = models.EmailField("e-post")
    role = models.CharField("rolle", max_length=10, choices=MemberRole.choices, default=MemberRole.WRITER)
    invited_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    # Blank until the mail worker mints the link (and again when a new link replaces it);
    # kept after acceptance, so a second person with the same link is told it was used.
    token_hash = models.CharField(max_length=64, blank=True, editable=False)
    expires_at = models.DateTimeField("utløper")
    accepted_at = models.DateTimeField("godtatt", null=True, blank=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    withdrawn_at = models.DateTimeField("trukket tilbake", null=True, blank=True)
    withdrawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = "invitasjon"
        verbose_name_plural = "invitasjoner"
        ordering = ["created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["application", "email"],
                condition=models.Q(accepted_at__isnull=True, withdrawn_at__isnull=True),
                name="invitation_pending_once",
            ),
            models.UniqueConstraint(
                fields=["token_hash"], condition=~models.Q(token_hash=""), name="invitation_token_once"
            ),
        ]

    def __str__(self):
        return self.email

    def save(self, *args, **kwargs):
        self.email = self.email.strip().lower()
        super().save(*args, **kwargs)

    @staticmethod
    def hash(token):
        return hashlib.sha256(token.encode()).hexdigest()

    @classmethod
    def issue(cls, pk, now=None):
        """A fresh raw token for the pending, unexpired invitation `pk`, or None. Called
        by the mail worker, so the token is never in a task's arguments; a new token
        replaces the one mailed before, leaving one working link."""
        token = secrets.token_urlsafe(24)  # 192 bits
        pending = cls.objects.filter(
            pk=pk, accepted_at__isnull=True, withdrawn_at__isnull=True, expires_at__gt=now or timezone.now()
        )
        if pending.update(token_hash=cls.hash(token)) != 1:
            return None
        return token

    def is_expired(self, now=None):
        return self.expires_at <= (now or timezone.now())


class ApplicationMember(models.Model):
    """A person who accepted an invitation and may write in the application.

    Rows are never deleted when someone is removed (`removed_at` is set) so the
    application keeps a record of who had access when; access itself only counts
    rows without `removed_at` (access.py)."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="members")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="application_memberships")
    role = models.CharField("rolle", max_length=10, choices=MemberRole.choices, default=MemberRole.WRITER)
    # The address the accepted invitation went to: a name to show when the sign-in
    # method gave no e-mail address (ID-porten often does not).
    invited_email = models.EmailField("invitert som", blank=True)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    accepted_at = models.DateTimeField("godtatt")
    removed_at = models.DateTimeField("fjernet", null=True, blank=True)
    removed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = "medskriver"
        verbose_name_plural = "medskrivere"
        ordering = ["accepted_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["application", "user"],
                condition=models.Q(removed_at__isnull=True),
                name="member_active_once",
            )
        ]

    def __str__(self):
        return self.display_name

    @property
    def display_name(self):
        identity = getattr(self.user, "applicant_identity", None)
        return (identity.email if identity else "") or self.invited_email or "Ukjent"


class SignInToken(models.Model):
    """A sign-in link sent by e-mail. Only a hash of the token is stored, and the raw
    token is made by the mail task itself (`issue`), so it exists only in the mail:
    never in a task's arguments or result, the database or a log."""

    token_hash = models.CharField(max_length=64, unique=True, null=True, blank=True)
    email = models.EmailField()
    next_path = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = "innloggingslenke"
        verbose_name_plural = "innloggingslenker"
        indexes = [models.Index(fields=["expires_at"]), models.Index(fields=["email", "created_at"])]

    def __str__(self):
        return f"Innloggingslenke til {self.email}"

    @staticmethod
    def hash(token):
        return hashlib.sha256(token.encode()).hexdigest()

    @classmethod
    def usable(cls):
        return cls.objects.filter(used_at__isnull=True, expires_at__gt=timezone.now())

    @classmethod
    def issue(cls, pk):
        """A fresh raw token for the still-usable link `pk`, or None when it was used,
        expired or replaced meanwhile. A new token replaces the one mailed before, so
        sending a link again leaves exactly one working link."""
        token = secrets.token_urlsafe(24)  # 192 bits
        if cls.usable().filter(pk=pk).update(token_hash=cls.hash(token)) != 1:
            return None
        return token


class ApplicantIdentity(models.Model):
    """How an applicant proved who they are. The portal finds applicants only through
    this row, never by username or `User.email` (both editable by staff in the admin),
    so a staff account can never become an applicant by taking on someone's address."""

    class Method(models.TextChoices):
        EMAIL_LINK = "email-link", "E-postlenke"
        IDPORTEN = "idporten", "ID-porten"

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="applicant_identity")
    method = models.CharField("innloggingsmåte", max_length=20, choices=Method.choices)
    # email-link: the normalised address; idporten: the `pid` claim, else `sub`.
    subject = models.CharField("identifikator", max_length=255)
    # The address proven at sign-in; blank when the provider gives none.
    email = models.EmailField("e-post", blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    last_sign_in_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = "søkeridentitet"
        verbose_name_plural = "søkeridentiteter"
        constraints = [models.UniqueConstraint(fields=["method", "subject"], name="applicant_identity_once")]

    def __str__(self):
        return f"{self.get_method_display()}: {self.email or self.user_id}"
