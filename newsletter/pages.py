"""Regionalnytt's pages: the sign-up page, the archive of a list's issues, and the
issue itself, which is both a page in the archive and, from the same content, the
e-mail (see emails.py). Sending an issue is recorded beside it in deliveries.py.
"""

from django.db import models
from django.http import HttpResponse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from wagtail import blocks
from wagtail.admin.panels import FieldPanel
from wagtail.fields import StreamField
from wagtail.search import index

from policy.blocks import TEXT_FEATURES, HeadingBlock, LinkListBlock, ParagraphBlock
from policy.models import BasePage
from policy.pagination import paginate

from . import emails, signup
from .audience import NewsletterList


class NewsletterSignupPage(BasePage):
    """The full sign-up form for one list. Its form and what a POST does live in
    signup.py; the small form in a topic page's block leads here (see views.py)."""

    newsletter_list = models.ForeignKey(
        NewsletterList, on_delete=models.PROTECT, related_name="+", verbose_name=_("nyhetsbrev")
    )

    content_panels = BasePage.content_panels + [FieldPanel("newsletter_list")]

    parent_page_types = ["policy.HomePage", "policy.TopicPage"]
    subpage_types = []

    class Meta:
        verbose_name = _("påmeldingsside for nyhetsbrev")
        verbose_name_plural = _("påmeldingssider for nyhetsbrev")

    def serve(self, request, *args, **kwargs):
        return signup.signup_page_response(self, request)


class NewsletterIndexPage(BasePage):
    """The public archive of a newsletter's issues."""

    newsletter_list = models.ForeignKey(
        NewsletterList, on_delete=models.PROTECT, related_name="+", verbose_name=_("nyhetsbrev")
    )
    signup_page = models.ForeignKey(
        NewsletterSignupPage,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("påmeldingsside"),
    )

    content_panels = BasePage.content_panels + [FieldPanel("newsletter_list"), FieldPanel("signup_page")]

    parent_page_types = ["policy.HomePage"]
    subpage_types = ["newsletter.NewsletterIssuePage"]

    class Meta:
        verbose_name = _("nyhetsbrevarkiv")
        verbose_name_plural = _("nyhetsbrevarkiver")

    def get_context(self, request, *args, **kwargs):
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

    body = StreamField(IssueStreamBlock(), blank=True, verbose_name=_("innhold"))

    content_panels = BasePage.content_panels + [FieldPanel("body")]
    search_fields = BasePage.search_fields + [index.SearchField("body")]
    # How the site search names and dates an issue (policy.filters).
    search_kind_label = pgettext_lazy("type of a search result", "Nyhetsbrev")
    search_date_fields = ("first_published_at",)

    parent_page_types = ["newsletter.NewsletterIndexPage"]
    subpage_types = []

    preview_modes = [("", _("Nettside")), ("email", _("E-post"))]

    class Meta:
        verbose_name = _("nyhetsbrevutgave")
        verbose_name_plural = _("nyhetsbrevutgaver")
        permissions = [("send_issue", "Kan sende nyhetsbrev til abonnenter")]

    @property
    def newsletter_list(self):
        return self.get_parent().specific.newsletter_list

    def serve_preview(self, request, mode_name):
        if mode_name == "email":
            rendered = emails.render_issue(self, unsubscribe_url="#", manage_url="#")
            return HttpResponse(rendered.html)
        return super().serve_preview(request, mode_name)
