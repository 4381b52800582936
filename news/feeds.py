"""RSS 2.0 and Atom feeds for all news and for one topic (with its sub-topics).

Served by routes on NewsIndexPage: /aktuelt/rss/, /aktuelt/atom/,
/aktuelt/tema/<slug>/rss/ and /aktuelt/tema/<slug>/atom/. A feed is given its
archive page and asks it for the items, so this module needs no page models."""

from django.contrib.syndication.views import Feed
from django.db.models import Prefetch
from django.http import Http404
from django.utils import feedgenerator
from django.utils.translation import gettext
from wagtail.models import Site

from policy.links import absolute_url
from policy.models import TopicPage

from .choices import NewsType
from .filters import find_topic

FEED_SIZE = 20
# Part of every GUID: never change it, or feed readers show every item again as new.
GUID_DATE = "2025"


class LanguageAwareRssFeed(feedgenerator.Rss201rev2Feed):
    """RSS has no per-item language; Dublin Core's dc:language carries it for nynorsk items."""

    def rss_attributes(self):
        return {**super().rss_attributes(), "xmlns:dc": "http://purl.org/dc/elements/1.1/"}

    def add_item_elements(self, handler, item):
        super().add_item_elements(handler, item)
        if item.get("language"):
            handler.addQuickElement("dc:language", item["language"])


class LanguageAwareAtomFeed(feedgenerator.Atom1Feed):
    """Marks entries written in another målform than the feed with xml:lang."""

    def item_attributes(self, item):
        attributes = super().item_attributes(item)
        if item.get("language") and item["language"] != self.feed["language"]:
            attributes["xml:lang"] = item["language"]
        return attributes


class NewsRssFeed(Feed):
    feed_type = LanguageAwareRssFeed
    kind = "rss"
    item_guid_is_permalink = False

    def __init__(self, archive):
        super().__init__()
        self.archive = archive
        self.language = archive.language

    def get_object(self, request, topic=None):
        self.request = request
        site = Site.find_for_request(request)
        self.guid_host = site.hostname if site else request.get_host().split(":")[0]
        if topic is None:
            return None
        topic_page = find_topic(topic)
        if topic_page is None:
            raise Http404("Fant ikke temaet.")
        return topic_page

    def title(self, topic):
        return f"{self.archive.title}: {topic.title}" if topic else self.archive.title

    def description(self, topic):
        if topic:
            return gettext("Nyheter, pressemeldinger, taler og artikler om %(topic)s.") % {"topic": topic.title.lower()}
        return gettext("Nyheter, pressemeldinger, taler og artikler fra Kommunal- og distriktsdepartementet.")

    def link(self, topic):
        url = self.archive.get_full_url(self.request)
        return f"{url}?topic={topic.slug}" if topic else url

    def feed_url(self, topic):
        return absolute_url(self.archive.feed_url(self.kind, topic.slug if topic else None, self.request))

    def items(self, topic):
        items = self.archive.visible_items()
        if topic is not None:
            items = items.tagged_with(topic.topic_tree_ids())
        # Only the topic titles are shown (as categories): do not load whole topic pages.
        topics = Prefetch("topics", queryset=TopicPage.objects.only("title"))
        return items.prefetch_related(topics, "changes")[:FEED_SIZE]

    def item_title(self, item):
        return item.title

    def item_description(self, item):
        return item.ingress

    def item_link(self, item):
        return item.get_full_url(self.request)

    def item_guid(self, item):
        """Based on the page id, so it survives changes of title, slug and address."""
        return f"tag:{self.guid_host},{GUID_DATE}:aktuelt/{item.pk}"

    def item_pubdate(self, item):
        return item.published

    def item_updateddate(self, item):
        changes = item.major_changes()
        return changes[0].changed_at if changes else item.published

    def item_author_name(self, item):
        return item.publisher

    def item_categories(self, item):
        return [NewsType(item.news_type).label] + [t.title for t in item.topics.all()]

    def item_extra_kwargs(self, item):
        return {"language": item.language}


class NewsAtomFeed(NewsRssFeed):
    feed_type = LanguageAwareAtomFeed
    kind = "atom"
    subtitle = NewsRssFeed.description
