"""Full-text search behind one small interface.

Everything that searches (the site search at /sok/, the document finder) calls
`search_pages`, `top` (or `Ranked`), `snippet` and `suggest` and knows nothing of how
the index is stored. `PostgresSearch` answers today. It reads the index that Wagtail's database
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
  first for its own words;
- a page of results ranks only a pool of the best pages by title when many titles have
  the word (`top`), and highlights only the pages shown (`snippet`).

Parsing and the tsquery terms are in `policy.search_terms`.

An OpenSearch implementation would replace `backend` below with a class offering the
same methods (the matches as a queryset with a `search_rank` annotation, its own
highlights as snippets, its own suggester); the callers would not change.
"""

from django.conf import settings
from django.contrib.postgres.search import SearchHeadline, SearchQuery, SearchRank
from django.db import connection
from django.db.models import Case, F, FloatField, Q, Value, When
from wagtail.search.backends import get_search_backend
from wagtail.search.models import IndexEntry
from wagtail.search.utils import get_descendants_content_types_pks

from .search_terms import (
    INFIX_MIN_LENGTH,
    PREFIX_MIN_LENGTH,
    Contains,
    HtmlEscaped,
    IsEmpty,
    Matches,
    ParsedQuery,
    fragment,
    prefix_term,
    term,
)

RANK = "search_rank"
MAX_WORDS = 10
HEADLINE_OPTIONS = {
    "start_sel": "<mark>",
    "stop_sel": "</mark>",
    "max_words": 35,
    "min_words": 15,
    "max_fragments": 2,
    "fragment_delimiter": " … ",
}

# A title match outweighs any body; a match inside a compound counts a little less
# than one at the start of a word.
TITLE_WEIGHT = 4.0
TITLE_INFIX_BONUS = 0.05
# «Mente du …»: how alike a typed word and a word of a title must be (pg_trgm).
SUGGESTION_THRESHOLD = 0.45
# How many pages, best by title, get the full rank when more match in the title
# (see `top`): far more than anyone reads, few enough to rank in a few milliseconds.
POOL = 200
# Counting every match of a common word costs as much as finding them; past this
# many the site says «over 1 000 treff» (settings.SEARCH_COUNT_CAP overrides it).
COUNT_CAP = 1000


class PostgresSearch:
    """The search as a queryset, so that it can be filtered, counted, faceted and
    paginated like any other listing. A search adds no query of its own: words are
    stemmed by the database within the query that finds the pages."""

    @property
    def config(self):
        return get_search_backend().config or "simple"

    def tsquery(self, terms, operator="&"):
        return SearchQuery(f" {operator} ".join(terms), search_type="raw", config=self.config)

    def phrase_queries(self, parsed):
        """The "words in quotes" of a ParsedQuery, each as a phrase query."""
        return [SearchQuery(phrase, search_type="phrase", config=self.config) for phrase in parsed.phrases]

    def search(self, queryset, query):
        """The pages of `queryset` that match `query`, most relevant first, each with a
        `search_rank` (higher is more relevant). `queryset` may already be filtered."""
        parsed = ParsedQuery.parse(query)
        words = parsed.words[:MAX_WORDS]
        phrases = self.phrase_queries(parsed)
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
        return self.title_rank(words, phrases) + self.body_rank(words, phrases)

    def rank_queries(self, words, phrases):
        queries = list(phrases)
        if words:
            queries.append(self.tsquery([prefix_term(word) for word in words], "|"))
            queries.append(self.tsquery([term(word) for word in words], "|"))
        return queries

    def title_rank(self, words, phrases):
        """The title's part of the rank: cheap, since titles are short."""
        rank = TITLE_WEIGHT * F("_title_norm") * self.title_match(words, phrases)
        for word in words:
            part = fragment(word)
            if len(part) >= INFIX_MIN_LENGTH:
                # Titles only: reading every matching body again would cost more than it sorts.
                rank = rank + self.bonus(Contains(F("_title_text"), part), TITLE_INFIX_BONUS)
        return rank

    def title_match(self, words, phrases):
        """How well the title's words match, before weighting."""
        title = Value(0.0, output_field=FloatField())
        for query in self.rank_queries(words, phrases):
            title = title + SearchRank(F("_title"), query)
        return title

    def body_rank(self, words, phrases):
        """The body's part of the rank: what costs, since it reads each body's vector."""
        body = Value(0.0, output_field=FloatField())
        for query in self.rank_queries(words, phrases):
            body = body + SearchRank(F("_body"), query)
        return body

    def title_words(self, words, phrases):
        """A word of the query (or its start) is a word of the title: the title's GIN
        index answers it."""
        terms = [prefix_term(word) for word in words] + [term(word) for phrase in phrases for word in phrase.split()]
        return Q(Matches(F("_title"), self.tsquery(terms, "|")))

    def top(self, results, query, start, stop):
        """(primary key, content type id) of `results[start:stop]`, for `results` from `search`
        (filtered further as the caller likes), ranking only a pool of candidates when
        titles decide. Only keys: the pages are read by key afterwards, since the join
        to the index (on text) would carry every page's columns through the ranking.

        Ranking every match reads every matching body (for "kommune", most of 20,000
        pages). So when more than POOL pages (or `stop`, if more) have a word of the
        query in their title, those are first ordered by how their title ranks alone,
        from the title's GIN index, newest first among equals, and only the best POOL
        get the full rank. A page outside them could only come first through a body
        rank above a title word's, which TITLE_WEIGHT makes rare; among pages whose
        titles rank alike, newer ones come first. With fewer title matches every
        match is ranked, as the body then decides the order."""
        if stop <= start:
            return []
        parsed = ParsedQuery.parse(query)
        words = parsed.words[:MAX_WORDS]
        phrases = self.phrase_queries(parsed)
        size = max(POOL, stop)
        pool = list(
            results.filter(self.title_words(words, parsed.phrases))
            .annotate(_title_rank=F("_title_norm") * self.title_match(words, phrases))
            .order_by("-_title_rank", "-pk")
            .values_list("pk", flat=True)[: size + 1]
        )
        if len(pool) > size:
            results = results.filter(pk__in=pool[:size])
        return list(results.values_list("pk", "content_type_id")[start:stop])

    @staticmethod
    def bonus(condition, amount):
        return Case(When(condition, then=Value(amount)), default=Value(0.0), output_field=FloatField())

    def snippet(self, query):
        """The highlighted passage of each page as an expression over the page's index
        entry (safe HTML: the text is escaped before <mark> goes in), to annotate only
        the pages shown: ts_headline reads a whole text."""
        parsed = ParsedQuery.parse(query)
        words = [prefix_term(word) for word in parsed.words[:MAX_WORDS]]
        queries = self.phrase_queries(parsed)
        if words:
            queries.insert(0, self.tsquery(words, "|"))
        if not queries:
            return Value("")
        highlighted = queries[0]
        for other in queries[1:]:
            highlighted = highlighted | other
        return SearchHeadline(
            HtmlEscaped(F("index_entries__body_text")),
            highlighted,
            config=self.config,
            **HEADLINE_OPTIONS,
        )

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


backend = PostgresSearch()


def search_pages(queryset, query):
    """See PostgresSearch.search."""
    return backend.search(queryset, query)


class Ranked:
    """The results of `search` as Django's paginator takes them: a slice of them is
    the keys `top` finds, so a page of results never ranks every match."""

    ordered = True

    def __init__(self, results, query):
        self.results = results
        self.query = query

    def __getitem__(self, index):
        if not isinstance(index, slice) or index.step or index.stop is None:
            raise TypeError("only slices of search results are read")
        return backend.top(self.results, self.query, index.start or 0, index.stop)

    def count(self):
        return capped_count(self.results)


def snippet(query):
    """See PostgresSearch.snippet."""
    return backend.snippet(query)


def top(results, query, start, stop):
    """See PostgresSearch.top."""
    return backend.top(results, query, start, stop)


def suggest(queryset, query):
    """See PostgresSearch.suggest."""
    return backend.suggest(queryset, query)


def count_cap():
    return getattr(settings, "SEARCH_COUNT_CAP", COUNT_CAP)


def capped_count(results):
    """How many `results` there are, counted no further than `count_cap()` + 1: more
    than the cap reads "over the cap", and nobody pages past a thousand results."""
    return results.order_by().values("pk")[: count_cap() + 1].count()
