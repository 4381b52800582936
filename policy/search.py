"""Full-text search behind one small interface.

Everything that searches (the site search at /sok/, the document finder) calls
`search_pages` and `add_snippets` and knows nothing of how the index is stored.
`PostgresSearch` answers today: Wagtail's database search backend on PostgreSQL
with the `norwegian` configuration, so "kommunane" finds "kommune". An OpenSearch
implementation would replace `backend` below with a class offering the same two
methods (the ids and scores of the matches as `pk__in` and a `search_rank`
annotation, its own highlights as snippets); the callers would not change.
"""

import re
from dataclasses import dataclass, field

from django.db import connection
from django.utils.html import escape, strip_tags
from wagtail.search.backends import get_search_backend
from wagtail.search.query import And, Not, Phrase, PlainText

RANK = "search_rank"
WORD = re.compile(r"\w+")
HEADLINE_OPTIONS = 'StartSel=<mark>, StopSel=</mark>, MaxWords=35, MinWords=15, MaxFragments=2, FragmentDelimiter=" … "'


@dataclass
class ParsedQuery:
    """What a visitor typed, as words: every word must occur, "words in quotes" must
    occur together, and a -word must not occur.

    Only word characters are kept, so nothing typed (operators, unclosed quotes, NUL
    bytes) can make the database reject the query."""

    words: list[str] = field(default_factory=list)
    phrases: list[str] = field(default_factory=list)
    excluded: list[str] = field(default_factory=list)

    @classmethod
    def parse(cls, text):
        parsed = cls()
        for number, part in enumerate(text.split('"')):
            if number % 2:  # between quotes (an unclosed quote runs to the end)
                if words := WORD.findall(part):
                    parsed.phrases.append(" ".join(words))
                continue
            for token in part.split():
                words = WORD.findall(token)
                (parsed.excluded if token.startswith("-") else parsed.words).extend(words)
        return parsed

    def __bool__(self):
        return bool(self.words or self.phrases or self.excluded)

    def as_wagtail_query(self):
        parts = [PlainText(" ".join(self.words), operator="and")] if self.words else []
        parts += [Phrase(phrase) for phrase in self.phrases]
        parts += [Not(PlainText(" ".join(self.excluded), operator="or"))] if self.excluded else []
        return parts[0] if len(parts) == 1 else And(parts)

    def highlighted_words(self):
        return " ".join(self.words + self.phrases)


class PostgresSearch:
    """Wagtail's database search backend, used as a queryset so that a search can be
    filtered, counted and paginated like any other listing."""

    def search(self, queryset, query):
        """The pages of `queryset` that match `query`, most relevant first, each with a
        `search_rank` (higher is more relevant).

        Search first and filter the result: Wagtail refuses a queryset that is already
        filtered on a field that is not one of the model's FilterFields."""
        parsed = ParsedQuery.parse(query)
        if not parsed:
            return queryset.none()
        results = get_search_backend().search(parsed.as_wagtail_query(), queryset, order_by_relevance=True)
        # The database backend's results are a plain queryset underneath.
        return results.annotate_score(RANK).get_queryset()

    def add_snippets(self, pages, query):
        """Set `page.snippet` (safe HTML with <mark>) on each page, in one query."""
        pages = list(pages)
        if not pages:
            return pages
        texts = [escape(page_text(p)) for p in pages]
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT ts_headline('norwegian', t, plainto_tsquery('norwegian', %s), %s) "
                "FROM unnest(%s::text[]) WITH ORDINALITY AS u(t, n) ORDER BY n",
                [ParsedQuery.parse(query).highlighted_words(), HEADLINE_OPTIONS, texts],
            )
            for page, (snippet,) in zip(pages, cursor.fetchall(), strict=True):
                page.snippet = snippet
        return pages


def page_text(page):
    """The readable text of a page: ingress and the searchable content of its body."""
    parts = [getattr(page, "ingress", "") or ""]
    body = getattr(page, "body", None)
    if body is not None and hasattr(body, "stream_block"):
        parts.extend(body.stream_block.get_searchable_content(body))
    return " ".join(strip_tags(p) for p in parts if p)


backend = PostgresSearch()


def search_pages(queryset, query):
    """See PostgresSearch.search."""
    return backend.search(queryset, query)


def add_snippets(pages, query):
    """See PostgresSearch.add_snippets."""
    return backend.add_snippets(pages, query)
