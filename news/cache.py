"""Frontend cache purging for news items.

Wagtail purges only the page that changed. A news item also shows up in the
archive (all its pages and filters), the feeds and the "Aktuelt nå" section of
every topic page that shows it (its topics and their ancestor topics), so those
are purged too when an item is published, unpublished, moved or deleted.

`urls_to_purge(page)` is the one place that knows which URLs show an item; the
page cache reuses it.
"""

import math
from copy import copy
from types import SimpleNamespace

from django.db.models.signals import post_delete, post_save, pre_delete
from django.dispatch import receiver
from wagtail.contrib.frontend_cache.utils import PurgeBatch
from wagtail.signals import page_published, page_unpublished, post_page_move

from policy.fragments import start_new_generation
from policy.models import TopicPage
from policy.revisions import previously_published_revision

from .models import Government, NewsIndexPage, NewsPage

TREE_STEP = 4  # treebeard's path step length in Wagtail's page tree


def _topic_pages_showing(topic_ids):
    """The topic pages whose "Aktuelt nå" can show an item tagged with these topics:
    the topics themselves and every ancestor topic (they gather their sub-topics)."""
    paths = TopicPage.objects.filter(pk__in=topic_ids).values_list("path", flat=True)
    prefixes = {path[:end] for path in paths for end in range(TREE_STEP, len(path) + 1, TREE_STEP)}
    return list(TopicPage.objects.live().filter(path__in=prefixes).order_by("path"))


def _archive_urls(archive, item, topics, cache_object):
    base = archive.get_full_url(cache_object)
    if base is None:
        return set()
    urls = {base + path.lstrip("/") for path in archive.get_cached_paths()}
    pages = math.ceil(NewsPage.objects.child_of(archive).live().count() / max(archive.per_page, 1))
    urls.update(f"{base}?page={number}" for number in range(2, pages + 1))
    for topic in topics:
        urls.add(f"{base}?topic={topic.slug}")
        urls.add(base + archive.reverse_subpage("topic_rss", kwargs={"topic": topic.slug}).lstrip("/"))
        urls.add(base + archive.reverse_subpage("topic_atom", kwargs={"topic": topic.slug}).lstrip("/"))
    if item.published:
        urls.add(f"{base}?year={item.published.year}")
    urls.add(f"{base}?type={item.news_type}")
    return urls


def urls_to_purge(page, *, extra_topic_ids=(), archives=None, cache_object=None):
    """Every absolute URL that shows this news item, sorted.

    `extra_topic_ids`: topics the item had before (a publish that removed a topic
    must refresh that topic's page too). `archives`: the archive pages to refresh,
    by default the item's parent (a move passes the old and the new parent).
    """
    page = page.specific if not isinstance(page, NewsPage) else page
    cache_object = cache_object or SimpleNamespace()
    urls = set()
    item_url = page.get_full_url(cache_object)
    if item_url:
        urls.update(item_url + path.lstrip("/") for path in page.get_cached_paths())
    topic_ids = set(page.topics.values_list("pk", flat=True)) | set(extra_topic_ids)
    topics = _topic_pages_showing(topic_ids)
    for topic in topics:
        topic_url = topic.get_full_url(cache_object)
        if topic_url:
            urls.add(topic_url)
    if archives is None:
        archives = NewsIndexPage.objects.filter(pk=page.get_parent().pk)
    for archive in archives:
        urls |= _archive_urls(archive, page, topics, cache_object)
        # The home page of the archive's site shows the latest news.
        home_url = archive.get_site().root_page.get_full_url(cache_object) if archive.get_site() else None
        if home_url:
            urls.add(home_url)
    return sorted(urls)


def purge(urls):
    """Send the URLs to the configured frontend caches (through Wagtail's purge task)."""
    PurgeBatch(urls).purge()


def _previously_published_topic_ids(page, revision):
    previous = previously_published_revision(page, revision)
    return set(previous.content.get("topics") or []) if previous else set()


@receiver(page_published, sender=NewsPage)
def purge_published_item(sender, instance, revision=None, **kwargs):
    purge(urls_to_purge(instance, extra_topic_ids=_previously_published_topic_ids(instance, revision)))


@receiver(page_unpublished, sender=NewsPage)
def purge_unpublished_item(sender, instance, **kwargs):
    purge(urls_to_purge(instance))


@receiver(post_page_move, sender=NewsPage)
def purge_moved_item(sender, instance, parent_page_before, parent_page_after, url_path_before, **kwargs):
    archives = NewsIndexPage.objects.filter(pk__in=[parent_page_before.pk, parent_page_after.pk])
    urls = set(urls_to_purge(instance, archives=archives))
    old_location = copy(instance)
    old_location.url_path = url_path_before
    old_url = old_location.get_full_url()
    if old_url:
        urls.add(old_url)
    purge(sorted(urls))


@receiver(pre_delete, sender=NewsPage)
def purge_deleted_item(sender, instance, **kwargs):
    """Runs before the row goes, while the item's place in the tree and its topics are known."""
    if instance.live:
        purge(urls_to_purge(instance))


# Items and lists name the government they were published under (news.models.all_governments).
post_save.connect(start_new_generation, sender=Government, dispatch_uid="news_government_saved")
post_delete.connect(start_new_generation, sender=Government, dispatch_uid="news_government_deleted")
