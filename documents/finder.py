"""The document finder on "Dokumenter": free text, facets with counts, sorting.

Everything is one PostgreSQL query per facet plus the result page, whatever the
number of documents:

- free text uses Wagtail's own search index (the `norwegian` configuration, so
  "kommunane" finds "kommune") joined into the same SQL as the filters, so that
  search, filters and facet counts can be combined;
- each facet is counted with the other facets' filters applied but not its own
  (so ticking "NOU" still shows how many reports there are), using conditional
  aggregates;
- input that makes no sense is ignored with a message next to the filter; it never
  gives an error page.
"""

from dataclasses import dataclass, field
from functools import reduce
from operator import or_

from django.contrib.postgres.search import SearchQuery, SearchRank
from django.db.models import Count, F, Q
from django.db.models.functions import ExtractYear

from policy.blocks import LANGUAGE_CHOICES
from policy.models import TopicPage
from policy.pagination import paginate

from .models import DocumentPage, DocumentType

PER_PAGE = 20
MAX_QUERY_LENGTH = 200
MAX_VALUES = 30
YEAR_MIN, YEAR_MAX = 1814, 2100
SORTS = {"date": "Nyeste først", "relevance": "Mest relevant"}
FILTER_PARAMS = ("q", "type", "year_from", "year_to", "topic", "language", "sort")
LANGUAGE_LABELS = dict(LANGUAGE_CHOICES)


@dataclass
class Criteria:
    q: str = ""
    types: list = field(default_factory=list)
    year_from: int | None = None
    year_to: int | None = None
    topics: list = field(default_factory=list)  # TopicPage objects
    languages: list = field(default_factory=list)
    sort: str = "date"
    errors: dict = field(default_factory=dict)  # fieldset id -> message

    @property
    def topic_ids(self):
        return [t.pk for t in self.topics]


def _clean(text):
    """Text without control characters (PostgreSQL rejects NUL bytes), spaces collapsed."""
    return " ".join("".join(ch for ch in text if ch.isprintable() or ch.isspace()).split())


def _values(params, name):
    seen = []
    for value in params.getlist(name)[:MAX_VALUES]:
        value = _clean(value)
        if value and value not in seen:
            seen.append(value)
    return seen


def _year(raw, label, errors):
    raw = _clean(raw or "")
    if not raw:
        return None
    if raw.isdigit() and YEAR_MIN <= int(raw) <= YEAR_MAX:
        return int(raw)
    errors["filter-year"] = f"«{raw[:20]}» er ikke et årstall. {label} ble ignorert."
    return None


def parse_criteria(params, topics_by_id):
    """Read the GET parameters; unknown values are dropped with a message."""
    c = Criteria()
    q = _clean(params.get("q", ""))
    if len(q) > MAX_QUERY_LENGTH:
        c.errors["q"] = f"Søkeordene var for lange og ble forkortet til {MAX_QUERY_LENGTH} tegn."
        q = q[:MAX_QUERY_LENGTH]
    c.q = q

    for value in _values(params, "type"):
        if value in DocumentType.values:
            c.types.append(value)
        else:
            c.errors["filter-type"] = f"Ukjent dokumenttype «{value[:40]}» ble ignorert."

    c.year_from = _year(params.get("year_from"), "Fra år", c.errors)
    c.year_to = _year(params.get("year_to"), "Til år", c.errors)
    if c.year_from and c.year_to and c.year_from > c.year_to:
        c.errors["filter-year"] = "«Fra år» var senere enn «Til år». Årene ble byttet om."
        c.year_from, c.year_to = c.year_to, c.year_from

    for value in _values(params, "topic"):
        topic = topics_by_id.get(int(value)) if value.isdigit() else None
        if topic:
            c.topics.append(topic)
        else:
            c.errors["filter-topic"] = f"Ukjent tema «{value[:40]}» ble ignorert."

    for value in _values(params, "language"):
        if value in LANGUAGE_LABELS:
            c.languages.append(value)
        else:
            c.errors["filter-language"] = f"Ukjent målform «{value[:40]}» ble ignorert."

    sort = _clean(params.get("sort", "date"))
    if sort not in SORTS:
        c.errors["filter-sort"] = f"Ukjent sortering «{sort[:40]}». Viser nyeste først."
        sort = "date"
    c.sort = "relevance" if sort == "relevance" and c.q else "date"
    return c


def search_query(q):
    # websearch syntax accepts anything a visitor types ("quoted phrase", -word, or)
    # and never raises a syntax error; terms are AND-ed like Wagtail's operator="and".
    return SearchQuery(q, search_type="websearch", config="norwegian")


def topic_tree_q(topics):
    """Documents tagged with one of these topics or any topic below them."""
    through = DocumentPage.topics.through
    paths = reduce(or_, [Q(topicpage__path__startswith=t.path) for t in topics])
    return Q(pk__in=through.objects.filter(paths).values("documentpage_id"))


def apply_filters(qs, c, *, skip=None):
    """The criteria as SQL; `skip` leaves one facet out (for counting that facet)."""
    if c.types and skip != "type":
        qs = qs.filter(document_type__in=c.types)
    if skip != "year":
        if c.year_from:
            qs = qs.filter(date__year__gte=c.year_from)
        if c.year_to:
            qs = qs.filter(date__year__lte=c.year_to)
    if c.topics and skip != "topic":
        qs = qs.filter(topic_tree_q(c.topics))
    if c.languages and skip != "language":
        qs = qs.filter(language__in=c.languages)
    return qs


def base_queryset(index_page, c):
    qs = DocumentPage.objects.live().public().descendant_of(index_page)
    if c.q:
        query = search_query(c.q)
        qs = qs.filter(Q(index_entries__title=query) | Q(index_entries__body=query))
    return qs


def count_facets(base, c, topics):
    """{facet: {value: count}}: four queries, each with the other facets applied."""
    types = apply_filters(base, c, skip="type").aggregate(
        **{value: Count("pk", filter=Q(document_type=value)) for value in DocumentType.values}
    )
    languages = apply_filters(base, c, skip="language").aggregate(
        **{code: Count("pk", filter=Q(language=code)) for code in LANGUAGE_LABELS}
    )
    years = {
        row["year"]: row["n"]
        for row in apply_filters(base, c, skip="year")
        .annotate(year=ExtractYear("date"))
        .values("year")
        .annotate(n=Count("pk"))
        .order_by()
    }
    topic_counts = {}
    if topics:
        topic_counts = apply_filters(base, c, skip="topic").aggregate(
            **{
                f"t{t.pk}": Count("pk", distinct=True, filter=Q(topics__path__startswith=t.path, topics__live=True))
                for t in topics
            }
        )
        topic_counts = {int(key[1:]): n for key, n in topic_counts.items()}
    return {"type": types, "language": languages, "year": years, "topic": topic_counts}


def facet_options(c, counts, topics):
    """What the form shows: values with documents, plus any value the visitor chose."""
    type_options = [
        {"value": value, "label": label, "count": counts["type"][value], "checked": value in c.types}
        for value, label in DocumentType.choices
        if counts["type"][value] or value in c.types
    ]
    language_options = [
        {"value": code, "label": label, "count": counts["language"][code], "checked": code in c.languages}
        for code, label in LANGUAGE_CHOICES
        if counts["language"][code] or code in c.languages
    ]
    topic_options = [
        {
            "value": t.pk,
            "label": t.title,
            "count": counts["topic"].get(t.pk, 0),
            "checked": t.pk in c.topic_ids,
            "depth": t.depth,
        }
        for t in topics
        if counts["topic"].get(t.pk) or t.pk in c.topic_ids
    ]
    years = sorted(set(counts["year"]) | {y for y in (c.year_from, c.year_to) if y}, reverse=True)
    year_options = [{"value": y, "count": counts["year"].get(y, 0)} for y in years]
    return {"type": type_options, "language": language_options, "topic": topic_options, "year": year_options}


def run_finder(index_page, request):
    """Template context for the finder: form state, facets, results and notices."""
    topics = list(TopicPage.objects.live().order_by("path").only("id", "title", "path", "depth"))
    c = parse_criteria(request.GET, {t.pk: t for t in topics})
    base = base_queryset(index_page, c)
    counts = count_facets(base, c, topics)

    results = apply_filters(base, c)
    if c.sort == "relevance":
        query = search_query(c.q)
        rank = SearchRank(F("index_entries__title"), query) * 2 + SearchRank(F("index_entries__body"), query)
        results = results.annotate(rank=rank).order_by("-rank", "-date", "-pk")
    else:
        results = results.order_by("-date", "-pk")
    page_obj, page_notice = paginate(request, results, PER_PAGE)

    filtered = any(request.GET.get(name) for name in FILTER_PARAMS)
    return {
        "criteria": c,
        "facets": facet_options(c, counts, topics),
        "sorts": SORTS,
        "page_obj": page_obj,
        "page_notice": page_notice,
        "finder_errors": c.errors,
        "filtered": filtered,
        # Every combination of facets is a page of its own; only the plain list is indexed.
        "noindex": filtered or "page" in request.GET,
    }
