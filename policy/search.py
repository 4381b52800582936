"""Full-text search behind one small interface.

Everything that searches (the site search at /sok/, the document finder) calls
`search_pages`, `add_snippets` and `suggest` and knows nothing of how the index is
stored. `PostgresSearch` answers today. It reads the index that Wagtail's database
search backend keeps up to date (one row per page: title and body as tsvectors in the
`norwegian` configuration, and the same text in plain), but builds its own query, since
Norwegian is written in compounds and Wagtail matches whole words only:

- a word matches a word in the index that starts with its stem, so "sentralitet" finds
  "Sentralitetsindeksen" and "kommunane" finds "kommune" (a prefix tsquery, which the
  GIN indexes on the tsvectors answer);
- a word of four letters or more also matches inside a word, so "avtale" finds
  "Bygdevekstavtaler" (ILIKE on the plain text, which the trigram indexes of policy's
  migration 0004 answer);
- a match in the title counts several times a match in the body, so a topic page comes
  first for its own words.

An OpenSearch implementation would replace `backend` below with a class offering the
same methods (the matches as a queryset with a `search_rank` annotation, its own
highlights as snippets, its own suggester); the callers would not change.
"""

import re
from dataclasses import dataclass, field

from django.conf import settings
from django.contrib.postgres.search import SearchQuery, SearchRank
from django.db import connection
from django.db.models import BooleanField, Case, F, FloatField, Func, Q, Value, When
from django.utils.html import escape, strip_tags
from wagtail.search.backends import get_search_backend
from wagtail.search.models import IndexEntry
from wagtail.search.utils import get_descendants_content_types_pks

RANK = "search_rank"
WORD = re.compile(r"\w+")
MAX_WORDS = 10
HEADLINE_OPTIONS = 'StartSel=<mark>, StopSel=</mark>, MaxWords=35, MinWords=15, MaxFragments=2, FragmentDelimiter=" … "'

# Short words would match too many unrelated ones: one or two letters match whole
# words only ("e" of "e-post"), three also the start of a word ("lov" finds
# "lovforslag", but not "klovn"), four or more also a part of a compound ("avtale"
# finds "bygdevekstavtaler").
PREFIX_MIN_LENGTH = 3
INFIX_MIN_LENGTH = 4
# A title match outweighs any body; a match inside a compound counts a little less
# than one at the start of a word.
TITLE_WEIGHT = 4.0
TITLE_INFIX_BONUS = 0.05
# «Mente du …»: how alike a typed word and a word of a title must be (pg_trgm).
SUGGESTION_THRESHOLD = 0.45
# Counting every match of a common word costs as much as finding them; past this
# many the site says «over 1 000 treff» (settings.SEARCH_COUNT_CAP overrides it).
COUNT_CAP = 1000


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


class Matches(Func):
    """`vector @@ query`, as a condition."""

    arg_joiner = " @@ "
    template = "(%(expressions)s)"
    output_field = BooleanField()


class Contains(Func):
    """`text ILIKE '%fragment%'`, as a condition the trigram indexes answer (Django's
    `icontains` wraps both sides in UPPER(), which no index answers)."""

    arg_joiner = " ILIKE "
    template = "(%(expressions)s)"
    output_field = BooleanField()

    def __init__(self, text, fragment):
        escaped = fragment.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        super().__init__(text, Value(f"%{escaped}%"))


class IsEmpty(Func):
    """True for a tsquery with nothing left in it: its words were all stop words."""

    function = "numnode"
    template = "(%(function)s(%(expressions)s) = 0)"
    output_field = BooleanField()


# Endings of inflected Norwegian words, longest first (see `fragment`).
ENDINGS = ("ene", "ane", "ens", "ets", "er", "ar", "en", "et", "e", "a")


def fragment(word):
    """The part of a word that its inflected forms share, roughly ("avtaler" and
    "avtale" → "avtal"), to find it inside compounds ("bygdevekstavtalen"). Whole words
    and their starts are matched by the index's own stemmer, in the database."""
    word = word.lower()
    for ending in ENDINGS:
        if word.endswith(ending) and len(word) - len(ending) >= INFIX_MIN_LENGTH:
            return word[: -len(ending)]
    return word


def term(word, prefix=False):
    """One term of a tsquery, quoted so that no word can be read as an operator; the
    database stems it (and drops it if it is a stop word)."""
    return "'" + word.replace("'", "''").replace("\\", "\\\\") + "'" + (":*" if prefix else "")


def prefix_term(word):
    """The word as the start of a word, when it is long enough to be one."""
    return term(word, prefix=len(word) >= PREFIX_MIN_LENGTH)


class PostgresSearch:
    """The search as a queryset, so that it can be filtered, counted, faceted and
    paginated like any other listing. A search adds no query of its own: words are
    stemmed by the database within the query that finds the pages."""

    @property
    def config(self):
        return get_search_backend().config or "simple"

    def tsquery(self, terms, operator="&"):
        return SearchQuery(f" {operator} ".join(terms), search_type="raw", config=self.config)

    def search(self, queryset, query):
        """The pages of `queryset` that match `query`, most relevant first, each with a
        `search_rank` (higher is more relevant). `queryset` may already be filtered."""
        parsed = ParsedQuery.parse(query)
        words = parsed.words[:MAX_WORDS]
        phrases = [SearchQuery(phrase, search_type="phrase", config=self.config) for phrase in parsed.phrases]
        if not (words or phrases):
            return queryset.none()

        # One join to the page's index entry; every condition below reads these columns.
        queryset = queryset.alias(
            _title=F("index_entries__title"),
            _body=F("index_entries__body"),
            _title_text=F("index_entries__title_text"),
            _body_text=F("index_entries__body_text"),
            _title_norm=F("index_entries__title_norm"),
        )
        condition = Q()
        for word in words:
            condition &= self.word_condition(word)
        if words and not phrases:
            # Stop words alone ("og", "i") find nothing, as in the index.
            condition &= ~Q(IsEmpty(self.tsquery([term(word) for word in words], "|")))
        for phrase in phrases:
            condition &= Q(Matches(F("_title"), phrase)) | Q(Matches(F("_body"), phrase))
        for word in parsed.excluded[:MAX_WORDS]:
            exact = self.tsquery([term(word)])
            condition &= ~Q(Matches(F("_title"), exact)) & ~Q(Matches(F("_body"), exact))
        return queryset.filter(condition).annotate(**{RANK: self.rank(words, phrases)}).order_by(f"-{RANK}", "-pk")

    def word_condition(self, word):
        """A word occurs: a word starts with its stem, or (long words) a word contains
        its `fragment`. A stop word is no condition."""
        prefix = self.tsquery([prefix_term(word)])
        condition = Q(Matches(F("_title"), prefix)) | Q(Matches(F("_body"), prefix)) | Q(IsEmpty(prefix))
        part = fragment(word)
        if len(part) >= INFIX_MIN_LENGTH:
            condition |= Q(Contains(F("_title_text"), part)) | Q(Contains(F("_body_text"), part))
        return condition

    def rank(self, words, phrases):
        """Title matches weigh TITLE_WEIGHT times body matches, and more in a short
        title than in a long one (Wagtail's `title_norm`: the average title length over
        this one's), so that "Distriktspolitikk" comes before a news item that has
        "distriktene" among ten other words in its title. A whole word counts more than
        the start of one, and the start of one more than a part inside a compound."""
        queries = list(phrases)
        if words:
            queries.append(self.tsquery([prefix_term(word) for word in words], "|"))
            queries.append(self.tsquery([term(word) for word in words], "|"))
        title = Value(0.0, output_field=FloatField())
        body = Value(0.0, output_field=FloatField())
        for query in queries:
            title = title + SearchRank(F("_title"), query)
            body = body + SearchRank(F("_body"), query)
        rank = TITLE_WEIGHT * F("_title_norm") * title + body
        for word in words:
            part = fragment(word)
            if len(part) >= INFIX_MIN_LENGTH:
                # Titles only: reading every matching body again would cost more than it sorts.
                rank = rank + self.bonus(Contains(F("_title_text"), part), TITLE_INFIX_BONUS)
        return rank

    @staticmethod
    def bonus(condition, amount):
        return Case(When(condition, then=Value(amount)), default=Value(0.0), output_field=FloatField())

    def add_snippets(self, pages, query):
        """Set `page.snippet` (safe HTML with <mark>) on each page, in one query."""
        pages = list(pages)
        if not pages:
            return pages
        parsed = ParsedQuery.parse(query)
        words = " | ".join(prefix_term(word) for word in parsed.words[:MAX_WORDS])
        texts = [escape(page_text(p)) for p in pages]
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT ts_headline(%s::regconfig, t, to_tsquery(%s::regconfig, %s) || "
                "  (SELECT coalesce(string_agg(phraseto_tsquery(%s::regconfig, p)::text, ' | '), '')::tsquery "
                "   FROM unnest(%s::text[]) AS phrases(p)), %s) "
                "FROM unnest(%s::text[]) WITH ORDINALITY AS u(t, n) ORDER BY n",
                [self.config, self.config, words, self.config, parsed.phrases, HEADLINE_OPTIONS, texts],
            )
            for page, (snippet,) in zip(pages, cursor.fetchall(), strict=True):
                page.snippet = snippet
        return pages

    def suggest(self, queryset, query):
        """«Mente du …»: `query` with each word that finds nothing on its own replaced
        by the most alike word in the titles of `queryset`'s pages, when that query
        finds something; else "".

        Only wanted when a search found nothing, so the titles are read when asked:
        those with a word like the typed one come from the trigram index (pg_trgm's
        `<%`), and only titles of pages in `queryset` count, so that no draft or
        private page gives its words away."""
        parsed = ParsedQuery.parse(query)
        words = parsed.words[:MAX_WORDS]
        replacements = {}
        for word in words:
            unknown = len(word) >= PREFIX_MIN_LENGTH and not self.indexed(queryset.model, word)
            if unknown and (alike := self.alike_title_word(queryset, word.lower())):
                replacements[word] = alike
        if not replacements:
            return ""
        suggestion = " ".join(
            [
                *(replacements.get(word, word) for word in words),
                *(f'"{phrase}"' for phrase in parsed.phrases),
                *(f"-{word}" for word in parsed.excluded),
            ]
        )
        return suggestion if self.search(queryset, suggestion).count() else ""

    def indexed(self, model, word):
        """Whether any page of `model` in the index has the word (drafts too: this
        only decides whether to look for a word like it).

        count(), not exists(): with LIMIT 1 PostgreSQL bets on finding a match early
        and reads the whole index when there is none, which is the case that matters."""
        entries = IndexEntry.objects.filter(content_type_id__in=get_descendants_content_types_pks(model)).alias(
            _title=F("title"), _body=F("body"), _title_text=F("title_text"), _body_text=F("body_text")
        )
        return entries.filter(self.word_condition(word)).count() > 0

    def alike_title_word(self, queryset, word):
        """The word of a title in `queryset` most like `word` (pg_trgm), or None."""
        pages_sql, pages_params = queryset.order_by().values("pk").query.sql_with_params()
        with connection.cursor() as cursor:
            cursor.execute(
                f"""
                SELECT title_word FROM (
                    SELECT DISTINCT lower(title_word) AS title_word
                    FROM {IndexEntry._meta.db_table} AS entry,
                         regexp_split_to_table(entry.title_text, '\\W+') AS title_word
                    WHERE %s <%% entry.title_text
                      AND entry.content_type_id = ANY(%s)
                      AND entry.object_id IN (SELECT pages.pk::text FROM ({pages_sql}) AS pages(pk))
                ) AS candidates
                WHERE length(title_word) >= %s
                  AND greatest(similarity(%s, title_word), word_similarity(%s, title_word)) >= %s
                ORDER BY similarity(%s, title_word) DESC, title_word
                LIMIT 1
                """,  # noqa: S608 (the table name is the model's; values are parameters)
                [
                    word,
                    get_descendants_content_types_pks(queryset.model),
                    *pages_params,
                    PREFIX_MIN_LENGTH,
                    word,
                    word,
                    SUGGESTION_THRESHOLD,
                    word,
                ],
            )
            row = cursor.fetchone()
        return row[0] if row else None


def page_text(page):
    """The readable text of a page: ingress and the searchable content of its body."""
    parts = [getattr(page, "ingress", "") or ""]
    body = getattr(page, "body", None)
    if isinstance(body, str):  # a RichTextField
        parts.append(body)
    elif body is not None and hasattr(body, "stream_block"):
        parts.extend(body.stream_block.get_searchable_content(body))
    return " ".join(strip_tags(p) for p in parts if p)


backend = PostgresSearch()


def search_pages(queryset, query):
    """See PostgresSearch.search."""
    return backend.search(queryset, query)


def add_snippets(pages, query):
    """See PostgresSearch.add_snippets."""
    return backend.add_snippets(pages, query)


def suggest(queryset, query):
    """See PostgresSearch.suggest."""
    return backend.suggest(queryset, query)


def count_cap():
    return getattr(settings, "SEARCH_COUNT_CAP", COUNT_CAP)


def capped_count(results):
    """How many `results` there are, counted no further than `count_cap()` + 1: more
    than the cap reads "over the cap", and nobody pages past a thousand results."""
    return results.order_by().values("pk")[: count_cap() + 1].count()
