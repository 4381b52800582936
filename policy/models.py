"""The page backbone: what every public page shares, the home page and topic pages,
the contact snippet and the site-wide settings."""

from django.conf import settings
from django.db import models
from django.utils.cache import patch_cache_control
from modelcluster.models import ClusterableModel
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.contrib.settings.models import BaseSiteSetting, register_setting
from wagtail.fields import StreamField
from wagtail.models import Page, RevisionMixin
from wagtail.search import index
from wagtail.snippets.models import register_snippet

from . import registry
from .blocks import LANGUAGE_CHOICES, LinkBlock, PageStreamBlock


class BasePage(Page):
    """What every public page has: målform, ingress, social image and cache headers."""

    language = models.CharField(
        "målform",
        max_length=2,
        choices=LANGUAGE_CHOICES,
        default="nb",
        help_text="Styrer språkattributtet på siden og små ledetekster (Nyhet/Nyheit).",
    )
    ingress = models.TextField("ingress", blank=True)
    social_image = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name="delingsbilde",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="Vises når siden deles i sosiale medier (Open Graph).",
    )

    search_fields = Page.search_fields + [index.SearchField("ingress")]

    content_panels = Page.content_panels + [FieldPanel("language"), FieldPanel("ingress")]
    promote_panels = Page.promote_panels + [FieldPanel("social_image")]

    class Meta:
        abstract = True

    def serve(self, request, *args, **kwargs):
        response = super().serve(request, *args, **kwargs)
        return apply_public_cache_headers(request, response)


def apply_public_cache_headers(request, response):
    """Let browsers and a CDN cache a page, unless it is personal.

    A page is personal when the visitor is signed in, when it is a preview, or when
    it carries a CSRF token (a form): a shared copy of such a page would break the form.
    Whether a token was used is only known once a template response is rendered.
    """
    if getattr(response, "is_rendered", True) is False:
        response.add_post_render_callback(lambda rendered: _set_cache_headers(request, rendered))
    else:
        _set_cache_headers(request, response)
    return response


def _set_cache_headers(request, response):
    personal = (
        request.method not in ("GET", "HEAD")
        or getattr(request, "is_preview", False)
        or (hasattr(request, "user") and request.user.is_authenticated)
        or request.META.get("CSRF_COOKIE_NEEDS_UPDATE")
        or request.META.get("CSRF_COOKIE_USED")
        or response.status_code != 200
    )
    if personal:
        patch_cache_control(response, private=True, no_cache=True)
    else:
        patch_cache_control(response, public=True, max_age=settings.PAGE_CACHE_SECONDS)


class HomePage(BasePage):
    body = StreamField(PageStreamBlock(), blank=True, verbose_name="innhold")

    content_panels = BasePage.content_panels + [FieldPanel("body")]
    search_fields = BasePage.search_fields + [index.SearchField("body")]

    parent_page_types = ["wagtailcore.Page"]
    max_count_per_parent = 1

    class Meta:
        verbose_name = "forside"

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["topics"] = TopicPage.objects.child_of(self).live().public().order_by("path")
        return context


class TopicPage(BasePage):
    """An area ("Kommuner og regioner"), a topic ("Regional- og distriktspolitikk")
    or a sub-topic ("Bygdevekstavtaler"): the same page type at different depths."""

    body = StreamField(PageStreamBlock(), blank=True, verbose_name="innhold")

    content_panels = BasePage.content_panels + [FieldPanel("body")]
    search_fields = BasePage.search_fields + [index.SearchField("body")]

    parent_page_types = ["policy.HomePage", "policy.TopicPage"]

    class Meta:
        verbose_name = "temaside"
        verbose_name_plural = "temasider"

    def topic_tree_ids(self):
        """This topic and all its live sub-topics: what "Aktuelt nå" and "Dokumenter" gather.
        Kept on the instance, since every topic section asks for it during one request."""
        if not hasattr(self, "_topic_tree_ids"):
            self._topic_tree_ids = list(
                TopicPage.objects.descendant_of(self, inclusive=True).live().values_list("pk", flat=True)
            )
        return self._topic_tree_ids

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["subtopics"] = TopicPage.objects.child_of(self).live().public().order_by("path")
        sections = []
        for section in registry.topic_sections():
            section_context = section.get_context(self, request)
            if section_context:
                sections.append({"template": section.template, "context": section_context})
        context["sections"] = sections
        return context


@register_snippet
class ContactPoint(RevisionMixin, models.Model):
    """A unit people can contact, shown as the "Kontakt" block (as on the seed page)."""

    unit = models.CharField("enhet", max_length=200)
    phone = models.CharField("telefon", max_length=40, blank=True)
    email = models.EmailField("e-post", blank=True)
    postal_address = models.CharField("postadresse", max_length=200, blank=True)
    visiting_address = models.CharField("besøksadresse", max_length=200, blank=True)

    panels = [
        FieldPanel("unit"),
        FieldPanel("phone"),
        FieldPanel("email"),
        FieldPanel("postal_address"),
        FieldPanel("visiting_address"),
    ]

    class Meta:
        verbose_name = "kontaktpunkt"
        verbose_name_plural = "kontaktpunkter"
        ordering = ["unit"]

    def __str__(self):
        return self.unit

    @property
    def phone_href(self):
        return "tel:+47" + "".join(c for c in self.phone if c.isdigit())


@register_setting(icon="site")
class SiteSettings(BaseSiteSetting, ClusterableModel):
    organisation_name = models.CharField("virksomhet", max_length=200, default="Kommunal- og distriktsdepartementet")
    accessibility_statement_url = models.URLField(
        "tilgjengelighetserklæring",
        blank=True,
        help_text="Lenke til tilgjengelighetserklæringen (påkrevd etter likestillings- og diskrimineringsloven).",
    )
    footer_links = StreamField([("link", LinkBlock())], blank=True, verbose_name="lenker i bunnteksten")

    panels = [
        FieldPanel("organisation_name"),
        FieldPanel("accessibility_statement_url"),
        MultiFieldPanel([FieldPanel("footer_links")], heading="Bunntekst"),
    ]

    class Meta:
        verbose_name = "nettstedsinnstillinger"


class RateLimitCounter(models.Model):
    """One row per (hashed key, time window); see policy.ratelimit."""

    key = models.CharField(max_length=40)
    window_start = models.BigIntegerField()
    count = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["key", "window_start"], name="ratelimit_key_window")]

    def __str__(self):
        return f"{self.key} @ {self.window_start}: {self.count}"
