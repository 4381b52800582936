"""News ("Aktuelt"): the archive page, news items and the governments they were published under.

The archive's listing lives on NewsIndexPage, as in Wagtail's own examples: its
filters come from filters.ArchiveFilterSet and its feeds from feeds.py, neither of
which imports this module. Lists read a fixed number of queries however many items
exist: items are one paginated query in the order of the `news_published` index (the
feeds prefetch topic titles), governments are loaded once and matched in Python."""

from django import forms
from django.core.exceptions import ValidationError
from django.db import models
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey, ParentalManyToManyField
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.fields import StreamField
from wagtail.models import Orderable, PageManager, PageQuerySet
from wagtail.search import index
from wagtail.snippets.models import register_snippet

from policy import fragments, plumbing
from policy.blocks import PageStreamBlock
from policy.models import BasePage, TopicPage, apply_public_cache_headers, topic_links
from policy.pagination import paginate

from .choices import NewsType
from .feeds import NewsAtomFeed, NewsRssFeed
from .filters import ArchiveFilterSet
from .forms import NewsPageForm
from .queries import published_years

DEFAULT_PUBLISHER = "Kommunal- og distriktsdepartementet"
# The fields `NewsPage.published_at` is derived from.
PUBLISHED_SOURCES = {"date", "first_published_at"}


@register_snippet
class Government(models.Model):
    """A government period ("Regjeringen Støre"), so an item can say which
    government it was published under and older items are marked as such."""

    name = models.CharField("navn", max_length=100, help_text="For eksempel «Regjeringen Støre».")
    start_date = models.DateField("tiltrådte")
    end_date = models.DateField("gikk av", null=True, blank=True, help_text="Tom for sittende regjering.")

    panels = [FieldPanel("name"), FieldRowPanel([FieldPanel("start_date"), FieldPanel("end_date")])]

    class Meta:
        verbose_name = _("regjering")
        verbose_name_plural = _("regjeringer")
        ordering = ["-start_date"]

    def __str__(self):
        return self.name

    def clean(self):
        if self.end_date and self.start_date and self.end_date < self.start_date:
            raise ValidationError({"end_date": "Datoen regjeringen gikk av kan ikke være før den tiltrådte."})

    @property
    def is_current(self):
        return self.end_date is None

    def covers(self, day):
        """On a change of government, the day belongs to the incoming one."""
        return self.start_date <= day and (self.end_date is None or day < self.end_date)


def all_governments():
    """Every government, newest first. Inside a public request they are read once per
    purge generation (saving or deleting one starts a new generation, news.cache);
    the list is shared, so it is only read."""
    if plumbing.in_snapshot():
        return plumbing.per_generation("news.governments", lambda: list(Government.objects.all()))
    return list(Government.objects.all())


def government_for(moment, governments):
    """The government in office at `moment` (a datetime or date), from an already
    loaded list of governments (lists look up every item in one query)."""
    if moment is None:
        return None
    day = timezone.localdate(moment) if hasattr(moment, "hour") else moment
    return next((g for g in governments if g.covers(day)), None)


def mark_governments(items):
    """Set `item.government` on each item from one list of governments, and `item.earlier_government`
    when it was published under a government that has since left office."""
    governments = all_governments()
    for item in items:
        item.government = government_for(item.published, governments)
        item.earlier_government = item.government is not None and not item.government.is_current
    return items


class NewsPageQuerySet(PageQuerySet):
    def visible(self):
        """What the public sees, newest first (the order the `news_published` index holds).
        Lists show the ingress, never the body: leave that out of the rows read."""
        return self.live().public().defer("body").order_by("-published_at", "-pk")

    def tagged_with(self, topic_ids):
        """Items tagged with any of these topics, without duplicates and without DISTINCT."""
        through = NewsPage.topics.through
        return self.filter(pk__in=through.objects.filter(topicpage_id__in=topic_ids).values("newspage_id"))


NewsPageManager = PageManager.from_queryset(NewsPageQuerySet)


class NewsIndexPage(RoutablePageMixin, BasePage):
    """The archive ("Aktuelt"): its items with filters and pagination, and the feeds."""

    per_page = models.PositiveSmallIntegerField("saker per side", default=20)

    content_panels = BasePage.content_panels + [FieldPanel("per_page")]

    parent_page_types = ["policy.HomePage"]
    subpage_types = ["news.NewsPage"]
    max_count_per_parent = 1

    class Meta:
        verbose_name = _("aktueltarkiv")
        verbose_name_plural = _("aktueltarkiv")

    def visible_items(self):
        """What the archive lists: its live, public items, newest first."""
        return NewsPage.objects.visible().child_of(self)

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        all_items = self.visible_items()
        filters = ArchiveFilterSet(request.GET, queryset=all_items)
        # The count and the year list are the same for every visitor until the next purge.
        count = fragments.cached(
            request, "news-archive-count", [self.pk, fragments.query_key(request)], filters.qs.count
        )
        page_obj, page_notice = paginate(request, filters.qs, self.per_page, count=count)
        mark_governments(page_obj.object_list)
        chosen, filtered = filters.chosen(), filters.is_active()
        notices = filters.notices() + ([page_notice] if page_notice else [])
        context.update(
            items=page_obj.object_list,
            page_obj=page_obj,
            chosen=chosen,
            filtered=filtered,
            notices=notices,
            years=fragments.cached(
                request,
                "news-archive-years",
                [self.pk, chosen["year"]],
                lambda: self.years(all_items, also=chosen["year"]),
            ),
            news_types=NewsType.choices,
            topic_choices=fragments.cached(
                request,
                "news-archive-topics",
                [],
                lambda: list(TopicPage.objects.live().public().order_by("path").only("pk", "title", "slug", "depth")),
            ),
            # Filtered and paged variants are the same content again: keep them out of search engines.
            noindex=filtered or bool(request.GET.get("page")) or bool(notices),
            feeds=self.feed_links(request, chosen["topic"]),
        )
        return context

    @staticmethod
    def years(items, also=None):
        """The years with items, newest first, and the chosen year even without items
        (so the form shows what the visitor is looking at)."""
        years = published_years(items)
        if also and also not in years:
            years = sorted([*years, also], reverse=True)
        return years

    @path("")
    def index_route(self, request, *args, **kwargs):
        """The archive itself, with the public cache headers every page gets."""
        return apply_public_cache_headers(request, super().index_route(request, *args, **kwargs))

    def get_cached_paths(self):
        return ["/", "rss/", "atom/"]

    @path("rss/", name="rss")
    def rss_feed(self, request):
        return apply_public_cache_headers(request, NewsRssFeed(self)(request))

    @path("atom/", name="atom")
    def atom_feed(self, request):
        return apply_public_cache_headers(request, NewsAtomFeed(self)(request))

    @path("tema/<slug:topic>/rss/", name="topic_rss")
    def topic_rss_feed(self, request, topic):
        return apply_public_cache_headers(request, NewsRssFeed(self)(request, topic=topic))

    @path("tema/<slug:topic>/atom/", name="topic_atom")
    def topic_atom_feed(self, request, topic):
        return apply_public_cache_headers(request, NewsAtomFeed(self)(request, topic=topic))

    @path("tema/<slug:topic>/", name="topic")
    def topic_archive(self, request, topic):
        """A readable address for a topic's archive: the filtered archive."""
        return redirect(self.get_url(request) + "?topic=" + topic)

    def feed_url(self, kind, topic_slug=None, request=None):
        """Relative URL of a feed: kind is "rss" or "atom"."""
        base = self.get_url(request)
        if topic_slug:
            return base + self.reverse_subpage(f"topic_{kind}", kwargs={"topic": topic_slug})
        return base + self.reverse_subpage(kind)

    def feed_links(self, request, topic=None):
        """The head links for the feeds (all news, or one topic's news)."""
        suffix = f": {topic.title}" if topic else ""
        slug = topic.slug if topic else None
        return [
            {
                "type": "application/rss+xml",
                "title": f"{self.title}{suffix} (RSS)",
                "url": self.feed_url("rss", slug, request),
            },
            {
                "type": "application/atom+xml",
                "title": f"{self.title}{suffix} (Atom)",
                "url": self.feed_url("atom", slug, request),
            },
        ]


class NewsPage(BasePage):
    """A news item, press release or speech/article."""

    date = models.DateTimeField(
        "publiseringsdato",
        null=True,
        blank=True,
        help_text="Tom: tidspunktet saken først publiseres (også ved planlagt publisering). "
        "Fyll ut bare for saker som er publisert tidligere et annet sted.",
    )
    # What lists sort and filter on, stored so an index can serve them: the editor's
    # date, else the first publication time. Derived in save(), never edited.
    published_at = models.DateTimeField("publisert", null=True, editable=False)
    news_type = models.CharField("type", max_length=20, choices=NewsType.choices, default=NewsType.NEWS)
    topics = ParentalManyToManyField("policy.TopicPage", verbose_name="tema", related_name="news_items", blank=False)
    publisher = models.CharField("utgiver", max_length=200, default=DEFAULT_PUBLISHER)
    image = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name="bilde",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    image_alt = models.CharField(
        "alternativ tekst",
        max_length=250,
        blank=True,
        help_text="Beskriv det bildet viser for dem som ikke ser det.",
    )
    image_decorative = models.BooleanField(
        "bildet er dekorativt",
        default=False,
        help_text="Kryss av bare når bildet ikke gir informasjon (da leses det ikke opp).",
    )
    body = StreamField(PageStreamBlock(), blank=True, verbose_name="innhold")

    objects = NewsPageManager()

    base_form_class = NewsPageForm

    content_panels = BasePage.content_panels + [
        FieldRowPanel([FieldPanel("news_type"), FieldPanel("date")]),
        FieldPanel("topics", widget=forms.CheckboxSelectMultiple),
        FieldPanel("publisher"),
        MultiFieldPanel(
            [FieldPanel("image"), FieldPanel("image_alt"), FieldPanel("image_decorative")], heading=_("Bilde")
        ),
        FieldPanel("body"),
        MultiFieldPanel(
            [
                FieldPanel("major_change"),
                FieldPanel("change_note"),
                InlinePanel("changes", label="Tidligere vesentlige endringer"),
            ],
            heading=_("Endringslogg"),
            help_text="Kryss av for vesentlige endringer. Da vises «Sist oppdatert» og notatet på saken. "
            "Små rettelser krysser du ikke av for.",
        ),
    ]
    search_fields = BasePage.search_fields + [index.SearchField("body"), index.FilterField("news_type")]
    # The site search names each item by its type («Pressemelding») and dates it as
    # published (policy.filters).
    search_kind_field = "news_type"
    search_date_fields = ("date", "first_published_at")

    parent_page_types = ["news.NewsIndexPage"]
    subpage_types = []

    class Meta:
        verbose_name = _("nyhet")
        verbose_name_plural = _("nyheter")
        # The archive, home page, feeds and «Aktuelt nå» read the newest items first.
        indexes = [models.Index(fields=["-published_at", "-page_ptr"], name="news_published")]

    def save(self, *args, **kwargs):
        """Keep `published_at` in step on every save: publishing, a scheduled publication
        and a revert all end in save() with the date and first publication time they set."""
        self.published_at = self.date or self.first_published_at
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and PUBLISHED_SOURCES.intersection(update_fields):
            kwargs["update_fields"] = {*update_fields, "published_at"}
        return super().save(*args, **kwargs)

    def clean(self):
        super().clean()
        if self.image_id and not self.image_decorative and not self.image_alt.strip():
            raise ValidationError(
                {"image_alt": "Skriv en alternativ tekst, eller kryss av for at bildet er dekorativt."}
            )

    @property
    def news_type_label(self):
        """What `get_news_type_display` gives, without hashing every choice's label (a
        translation each) on every call, as Django does: lists show it once per item."""
        return NewsType(self.news_type).label

    @property
    def published(self):
        """When the item was published (or will be, when scheduled). Computed rather than
        read from `published_at` so that a preview shows an edited date."""
        return self.date or self.first_published_at or self.go_live_at

    def major_changes(self):
        """Public change history, newest first ("Sist oppdatert" is the first)."""
        return sorted(self.changes.all(), key=lambda c: c.changed_at, reverse=True)

    def government(self):
        return government_for(self.published, all_governments())

    def visible_topics(self):
        """The item's live, public topics. In a preview the topics are the form's, held
        in memory, so they are read by id rather than through the relation."""
        return topic_links(self.topics.values_list("id", flat=True))

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        archive = plumbing.specific_parent(self)
        context["archive"] = archive
        context["feeds"] = archive.feed_links(request) if isinstance(archive, NewsIndexPage) else []
        context["government"] = self.government()
        context["item_topics"] = self.visible_topics()
        return context


class NewsChange(Orderable):
    """A major change, shown publicly as "Sist oppdatert" and in the change history.
    Part of the page's content, so it lives in revisions and follows reverts."""

    page = ParentalKey(NewsPage, on_delete=models.CASCADE, related_name="changes")
    changed_at = models.DateTimeField("tidspunkt", default=timezone.now)
    note = models.CharField("hva er endret", max_length=500)

    panels = [FieldPanel("changed_at"), FieldPanel("note")]

    class Meta(Orderable.Meta):
        verbose_name = _("vesentlig endring")
        verbose_name_plural = _("vesentlige endringer")

    def __str__(self):
        return self.note
