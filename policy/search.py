"""Site search: Wagtail's database backend on PostgreSQL, Norwegian stemming,
and snippets of matching text made by PostgreSQL's ts_headline."""

from django.db import connection
from django.utils.html import escape, strip_tags
from wagtail.models import Page

HEADLINE_OPTIONS = 'StartSel=<mark>, StopSel=</mark>, MaxWords=35, MinWords=15, MaxFragments=2, FragmentDelimiter=" … "'


def search_pages(query):
    return Page.objects.live().public().specific().search(query)


def page_text(page):
    """The readable text of a page: ingress and the searchable content of its body."""
    parts = [getattr(page, "ingress", "") or ""]
    body = getattr(page, "body", None)
    if body is not None and hasattr(body, "stream_block"):
        parts.extend(body.stream_block.get_searchable_content(body))
    return " ".join(strip_tags(p) for p in parts if p)


def add_snippets(pages, query):
    """Set `page.snippet` (safe HTML with <mark>) on each page, in one query."""
    pages = list(pages)
    if not pages:
        return pages
    texts = [escape(page_text(p)) for p in pages]
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT ts_headline('norwegian', t, plainto_tsquery('norwegian', %s), %s) "
            "FROM unnest(%s::text[]) WITH ORDINALITY AS u(t, n) ORDER BY n",
            [query, HEADLINE_OPTIONS, texts],
        )
        for page, (snippet,) in zip(pages, cursor.fetchall(), strict=True):
            page.snippet = snippet
    return pages
