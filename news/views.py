"""The archive's filters and the "Aktuelt nå" section on topic pages.

Both read a fixed number of queries however many items exist: items are one
paginated query, topics are prefetched, governments are loaded once and matched
in Python."""

from dataclasses import dataclass, field

from django.db.models.functions import ExtractYear

from policy.models import TopicPage
from policy.pagination import paginate

from .models import Government, NewsIndexPage, NewsPage, NewsType, government_for

NEWS_NOW_COUNT = 5
MIN_YEAR, MAX_YEAR = 1814, 2200


def shown(value, limit):
    """User input as it may be echoed in a notice: printable characters only, shortened."""
    return "".join(c for c in value if c.isprintable())[:limit]


def find_topic(value):
    """A live topic page by slug or id; None when there is none."""
    value = (value or "").strip()
    if not value:
        return None
    topics = TopicPage.objects.live().public()
    if value.isdigit():
        return topics.filter(pk=int(value)).first()
    return topics.filter(slug=value[:255]).order_by("path").first()


@dataclass
class ArchiveFilters:
    """The filters from the query string; invalid values are dropped with a notice."""

    year: int | None = None
    news_type: str = ""
    topic: TopicPage | None = None
    notices: list = field(default_factory=list)

    @classmethod
    def from_request(cls, request):
        filters = cls()
        raw_year = request.GET.get("year", "").strip()
        if raw_year:
            if raw_year.isdigit() and MIN_YEAR <= int(raw_year) <= MAX_YEAR:
                filters.year = int(raw_year)
            else:
                filters.notices.append(f"Året «{shown(raw_year, 20)}» er ugyldig. Viser saker fra alle år.")
        raw_type = request.GET.get("type", "").strip()
        if raw_type:
            if raw_type in NewsType.values:
                filters.news_type = raw_type
            else:
                filters.notices.append(f"Typen «{shown(raw_type, 40)}» finnes ikke. Viser alle typer.")
        raw_topic = request.GET.get("topic", "").strip()
        if raw_topic:
            filters.topic = find_topic(raw_topic)
            if filters.topic is None:
                filters.notices.append(f"Fant ikke temaet «{shown(raw_topic, 60)}». Viser saker om alle tema.")
        return filters

    @property
    def active(self):
        return bool(self.year or self.news_type or self.topic)

    def apply(self, items):
        if self.year:
            items = items.filter(published__year=self.year)
        if self.news_type:
            items = items.filter(news_type=self.news_type)
        if self.topic:
            items = items.tagged_with(self.topic.topic_tree_ids())
        return items


def visible_items(archive=None):
    items = NewsPage.objects.visible()
    if archive is not None:
        items = items.child_of(archive)
    return items


def mark_governments(items):
    """Set `item.government` on each item from one query, and `item.earlier_government`
    when it was published under a government that has since left office."""
    governments = list(Government.objects.all())
    for item in items:
        item.government = government_for(item.published, governments)
        item.earlier_government = item.government is not None and not item.government.is_current
    return items


def archive_context(archive, request):
    filters = ArchiveFilters.from_request(request)
    all_items = visible_items(archive)
    items = filters.apply(all_items).prefetch_related("topics")
    page_obj, page_notice = paginate(request, items, archive.per_page)
    mark_governments(page_obj.object_list)
    notices = filters.notices + ([page_notice] if page_notice else [])
    years = list(
        all_items.annotate(year=ExtractYear("published")).order_by("-year").values_list("year", flat=True).distinct()
    )
    if filters.year and filters.year not in years:
        years = sorted([*years, filters.year], reverse=True)
    return {
        "items": page_obj.object_list,
        "page_obj": page_obj,
        "filters": filters,
        "notices": notices,
        "years": years,
        "news_types": NewsType.choices,
        "topic_choices": TopicPage.objects.live().public().order_by("path").only("pk", "title", "slug", "depth"),
        # Filtered and paged variants are the same content again: keep them out of search engines.
        "noindex": filters.active or bool(request.GET.get("page")) or bool(notices),
        "feeds": archive.feed_links(request, filters.topic),
    }


def news_now_context(topic_page, request):
    """The "Aktuelt nå" section on a topic page: the newest items about this topic or
    one of its sub-topics. None (no section) when there is no archive or no item."""
    archive = NewsIndexPage.objects.live().order_by("path").first()
    if archive is None:
        return None
    items = mark_governments(list(visible_items().tagged_with(topic_page.topic_tree_ids())[:NEWS_NOW_COUNT]))
    if not items:
        return None
    return {
        "items": items,
        "archive_url": f"{archive.get_url(request)}?topic={topic_page.slug}",
        "topic": topic_page,
        "feeds": archive.feed_links(request, topic_page),
    }
