"""The portal's own records: the public call page of a round, invitations that give
colleagues access to an application, and single-use sign-in links."""

from django.conf import settings
from django.db import models
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
    search_kind_label = "Utlysing"
    search_date_fields = ("first_published_at",)

    parent_page_types = ["policy.HomePage", "policy.TopicPage"]
    subpage_types = []

    class Meta:
        verbose_name = "utlysingsside"
        verbose_name_plural = "utlysingssider"

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["state"] = self.round.state()
        context["State"] = Round.State
        return context


class Invitation(models.Model):
    """A colleague invited by e-mail; signing in with that address gives access (see access.py)."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="invitations")
    email = models.EmailField("e-post")
    invited_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "invitasjon"
        verbose_name_plural = "invitasjoner"
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
        verbose_name = "innloggingslenke"
        verbose_name_plural = "innloggingslenker"
        indexes = [models.Index(fields=["expires_at"])]

    def __str__(self):
        return f"Innloggingslenke til {self.email}"
