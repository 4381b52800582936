"""The page backbone: what every public page shares, the home page, topic pages,
information pages and the sitemap for people, the contact snippet and the site-wide
settings (menu and footer)."""

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q
from django.http import Http404
from django.utils import translation
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext_lazy as _
from modelcluster.models import ClusterableModel
from wagtail.admin.panels import FieldPanel, MultiFieldPanel, ObjectList, TabbedInterface
from wagtail.contrib.settings.models import BaseSiteSetting, register_setting
from wagtail.fields import StreamField
from wagtail.models import Page, PageViewRestriction, RevisionMixin, get_page_models
from wagtail.search import index
from wagtail.snippets.models import register_snippet

from . import fragments, plumbing, registry, translations
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
        # The page's own målform for what its context builds (sections, notices);
        # base.html keeps it for the rendering, which happens after serve returns.
        with translation.override(self.language or settings.LANGUAGE_CODE):
            response = super().serve(request, *args, **kwargs)
        return apply_public_cache_headers(request, response)

    @property
    def localized(self):
        """This page in the active language (Wagtail routes from the home page's, and
        rich-text links follow it), on public pages without Wagtail's locale query
        (policy.translations)."""
        if plumbing.in_snapshot():
            return translations.localized(self)
        return super().localized

    def get_view_restrictions(self):
        """None to read when no page on the site has a view restriction (policy.plumbing)."""
        if plumbing.no_view_restrictions():
            return PageViewRestriction.objects.none()
        return super().get_view_restrictions()

    def breadcrumb_ancestors(self):
        """The pages above this one, read once by the routing (policy.plumbing) when it
        found this page, else from the tree."""
        ancestors = getattr(self, "route_ancestors", None)
        return ancestors if ancestors is not None else list(self.get_ancestors())


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
    # Editors add no second home page; the English one is made by «Translate» (a translation
    # copy, which this limit does not apply to).
    max_count_per_parent = 1

    class Meta:
        verbose_name = _("forside")
        verbose_name_plural = _("forsider")

    def route(self, request, path_components):
        """Pages below the home page in two queries at any depth (policy.plumbing)."""
        if not translations.answers_in_active_language(self):
            raise Http404
        if not path_components:
            return super().route(request, path_components)
        return plumbing.route(self, request, path_components)

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["topics"] = fragments.cached(
            request,
            "home-topics",
            [self.pk],
            lambda: list(TopicPage.objects.child_of(self).live().public().order_by("path")),
        )
        context["sections"] = registry.render_sections(registry.home_sections(), self, request)
        return context


class TopicPage(BasePage):
    """An area ("Kommuner og regioner"), a topic ("Regional- og distriktspolitikk")
    or a sub-topic ("Bygdevekstavtaler"): the same page type at different depths."""

    body = StreamField(PageStreamBlock(), blank=True, verbose_name="innhold")

    content_panels = BasePage.content_panels + [FieldPanel("body")]
    search_fields = BasePage.search_fields + [index.SearchField("body")]

    parent_page_types = ["policy.HomePage", "policy.TopicPage"]

    class Meta:
        verbose_name = _("temaside")
        verbose_name_plural = _("temasider")

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
        context["sections"] = registry.render_sections(registry.topic_sections(), self, request)
        return context


def topic_links(ids):
    """The live, public topics among `ids`, in tree order: the topic links a news item
    or a document shows. Inside a public request all topics are read once per purge
    generation (publishing one starts a new generation) and shared, so only read."""
    ids = set(ids)
    if plumbing.in_snapshot():
        topics = plumbing.per_generation(
            "policy.topics", lambda: list(TopicPage.objects.live().public().order_by("path").defer_streamfields())
        )
        return [topic for topic in topics if topic.pk in ids]
    return list(TopicPage.objects.live().public().filter(pk__in=ids).order_by("path").defer_streamfields())


class InformationPage(BasePage):
    """A page of plain information about the site itself: the privacy statement, the
    accessibility statement. Chosen in the site settings, which link them from the
    footer and from every form that collects personal data."""

    updated = models.DateField(
        "sist oppdatert",
        null=True,
        blank=True,
        help_text="Vises under tittelen. Endre datoen når innholdet endres.",
    )
    body = StreamField(PageStreamBlock(), blank=True, verbose_name="innhold")

    content_panels = BasePage.content_panels + [FieldPanel("updated"), FieldPanel("body")]
    search_fields = BasePage.search_fields + [index.SearchField("body")]

    parent_page_types = ["policy.HomePage", "policy.TopicPage"]
    subpage_types = []

    class Meta:
        verbose_name = _("informasjonsside")
        verbose_name_plural = _("informasjonssider")


SITEMAP_DEPTH = 5  # levels below the home page
TREE_STEP = 4  # treebeard's path step length in Wagtail's page tree


def _is_archive(model):
    """A page type that holds only one kind of page, which holds none (the news
    archive, the document list, the newsletter archive): the sitemap lists the
    archive, and the archive lists its items."""
    allowed = model.allowed_subpage_models()
    return len(allowed) == 1 and not allowed[0].allowed_subpage_models()


class SitemapPage(BasePage):
    """«Nettstedskart»: the site's page tree for people (the XML sitemap is for search
    engines). Archives are listed without their items."""

    parent_page_types = ["policy.HomePage"]
    subpage_types = []
    max_count = 1

    class Meta:
        verbose_name = _("nettstedskart")
        verbose_name_plural = _("nettstedskart")

    def page_tree(self):
        """The live, public pages of this page's site as nested nodes
        `{"page": …, "children": [...]}`, starting with the home page."""
        root = self.get_site().root_page
        pages = Page.objects.live().public().descendant_of(root, inclusive=True)
        pages = pages.filter(depth__lte=root.depth + SITEMAP_DEPTH)
        archive_types = ContentType.objects.get_for_models(*filter(_is_archive, get_page_models())).values()
        archive_paths = pages.filter(content_type__in=archive_types).values_list("path", flat=True)
        items = Q()
        for path in archive_paths:
            items |= Q(path__startswith=path, depth__gt=len(path) // TREE_STEP)
        if items:
            pages = pages.exclude(items)
        nodes, tree = {}, []
        for page in pages.order_by("path").specific():
            node = nodes[page.path] = {"page": page, "children": []}
            parent = nodes.get(page.path[:-TREE_STEP])
            (parent["children"] if parent else tree).append(node)
        return tree

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["tree"] = self.page_tree()
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
        verbose_name = _("kontaktpunkt")
        verbose_name_plural = _("kontaktpunkter")
        ordering = ["unit"]

    def __str__(self):
        return self.unit

    @property
    def phone_href(self):
        return "tel:+47" + "".join(c for c in self.phone if c.isdigit())


MAIN_MENU_MAX = 8


@register_setting(icon="site")
class SiteSettings(BaseSiteSetting, ClusterableModel):
    """What editors set once per site: the organisation's name, the main menu and the
    footer (see policy.navigation, which reads all its pages in one query)."""

    organisation_name = models.CharField("virksomhet", max_length=200, default="Kommunal- og distriktsdepartementet")
    main_menu = StreamField(
        [("link", LinkBlock())],
        blank=True,
        max_num=MAIN_MENU_MAX,
        verbose_name="hovedmeny",
        help_text=(
            f"Lenkene øverst på alle sider, i denne rekkefølgen (høyst {MAIN_MENU_MAX}). "
            "Velg målform på lenker til sider som ikke er på bokmål. Sider som allerede ligger i "
            "mellomlageret, får den nye menyen innen noen minutter."
        ),
    )
    privacy_page = models.ForeignKey(
        "policy.InformationPage",
        verbose_name="personvernerklæring",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="Lenkes fra bunnteksten og fra alle skjemaer som samler inn personopplysninger.",
    )
    accessibility_page = models.ForeignKey(
        "policy.InformationPage",
        verbose_name="tilgjengelighetserklæring",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="Nettstedets egen erklæring, lenket fra bunnteksten (påkrevd etter likestillings- og "
        "diskrimineringsloven).",
    )
    accessibility_statement_url = models.URLField(
        "tilgjengelighetserklæring på annet nettsted",
        blank=True,
        help_text="Brukes i bunnteksten bare når ingen side er valgt over, for eksempel erklæringen "
        "publisert på uustatus.no.",
    )
    sitemap_page = models.ForeignKey(
        "policy.SitemapPage",
        verbose_name="nettstedskart",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="Oversikten over alle sidene, lenket fra bunnteksten.",
    )
    footer_links = StreamField([("link", LinkBlock())], blank=True, verbose_name="lenker i bunnteksten")

    edit_handler = TabbedInterface(
        [
            ObjectList([FieldPanel("organisation_name")], heading=_("Generelt")),
            ObjectList([FieldPanel("main_menu")], heading=_("Hovedmeny")),
            ObjectList(
                [
                    FieldPanel("privacy_page"),
                    MultiFieldPanel(
                        [FieldPanel("accessibility_page"), FieldPanel("accessibility_statement_url")],
                        heading=_("Tilgjengelighetserklæring"),
                    ),
                    FieldPanel("sitemap_page"),
                    FieldPanel("footer_links"),
                ],
                heading=_("Bunntekst"),
            ),
        ]
    )

    @classmethod
    def for_site(cls, site):
        """Read once per purge generation and process on public pages (policy.plumbing)."""
        return plumbing.site_setting(cls, site, super().for_site)

    class Meta:
        verbose_name = _("nettstedsinnstillinger")
        verbose_name_plural = _("nettstedsinnstillinger")


class RateLimitCounter(models.Model):
    """One row per (hashed key, time window); see policy.ratelimit."""

    key = models.CharField(max_length=40)
    window_start = models.BigIntegerField()
    count = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("teller for bruksgrense")
        verbose_name_plural = _("tellere for bruksgrense")
        constraints = [models.UniqueConstraint(fields=["key", "window_start"], name="ratelimit_key_window")]

    def __str__(self):
        return f"{self.key} @ {self.window_start}: {self.count}"


class StaffIdentity(models.Model):
    """A staff member's identity at an OpenID Provider (policy.staff_sign_in). Staff who
    sign in that way are found only through this row, never by username or e-mail, which
    anyone with user rights in the admin can change."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="staff_identity")
    issuer = models.URLField("utsteder", max_length=255)
    subject = models.CharField("identifikator", max_length=255)
    created_at = models.DateTimeField(auto_now_add=True)
    last_sign_in_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("ansattidentitet")
        verbose_name_plural = _("ansattidentiteter")
        constraints = [models.UniqueConstraint(fields=["issuer", "subject"], name="staff_identity_once")]

    def __str__(self):
        return f"{self.issuer} {self.subject}"


from .outgoing_mail import OutgoingMail  # noqa: E402, F401  (Django finds models only in policy.models)
