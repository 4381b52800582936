"""The "Aktuelt nå" section on every topic page (registered in apps.py)."""

from .models import NewsIndexPage, NewsPage, mark_governments

NEWS_NOW_COUNT = 5


def news_now_context(topic_page, request):
    """The newest items about this topic or one of its sub-topics. None (no section)
    when there is no archive or no item."""
    archive = NewsIndexPage.objects.live().order_by("path").first()
    if archive is None:
        return None
    items = NewsPage.objects.visible().tagged_with(topic_page.topic_tree_ids())[:NEWS_NOW_COUNT]
    items = mark_governments(list(items))
    if not items:
        return None
    return {
        "items": items,
        "archive_url": f"{archive.get_url(request)}?topic={topic_page.slug}",
        "topic": topic_page,
        "feeds": archive.feed_links(request, topic_page),
    }
