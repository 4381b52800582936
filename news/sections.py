"""The "Aktuelt nå" section on every topic page and the "Aktuelt" section on the home
page (both registered in apps.py)."""

from .models import NewsIndexPage, NewsPage, mark_governments

NEWS_NOW_COUNT = 5
HOME_COUNT = 4


def news_now_context(topic_page, request):
    """The newest items about this topic or one of its sub-topics. None (no section)
    when there is no archive or no item."""
    archive = NewsIndexPage.objects.live().filter(locale_id=topic_page.locale_id).order_by("path").first()
    if archive is None:
        return None
    items = NewsPage.objects.visible().tagged_with(topic_page.topic_tree_ids())
    # A translation keeps its original's topics: the English copy of a news item is
    # tagged with Norwegian topics, and must not be listed on them.
    items = items.filter(locale_id=topic_page.locale_id)[:NEWS_NOW_COUNT]
    items = mark_governments(list(items))
    if not items:
        return None
    return {
        "items": items,
        "archive_url": f"{archive.get_url(request)}?topic={topic_page.slug}",
        "topic": topic_page,
        "feeds": archive.feed_links(request, topic_page),
    }


def home_news_context(home_page, request):
    """The newest items of the home page's archive, in the home page's locale (a page
    moved in from another locale is not listed). None (no section) when there is no
    archive or no item (a private archive has no public items)."""
    archive = NewsIndexPage.objects.child_of(home_page).live().filter(locale_id=home_page.locale_id).first()
    if archive is None:
        return None
    items = archive.visible_items().filter(locale_id=home_page.locale_id)
    items = mark_governments(list(items[:HOME_COUNT]))
    if not items:
        return None
    return {"items": items, "archive": archive, "archive_url": archive.get_url(request)}
