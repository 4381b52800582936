"""The document finder on "Dokumenter": free text, facets with counts, sorting.

Everything is one PostgreSQL query per facet plus the result page, whatever the
number of documents:

- free text goes through policy.search (the `norwegian` configuration, so
  "kommunane" finds "kommune") as a queryset, so that search, filters and facet
  counts combine in the same SQL;
- each facet is counted with the other facets' filters applied but not its own,
  using conditional aggregates;
- input that makes no sense is ignored with a message next to the filter
  (filters.DocumentFilterSet); it never gives an error page.

The page model hands the finder its documents, so this module needs no page models.
"""

from django.db.models import Count, Q
from django.db.models.functions import ExtractYear

from policy import fragments
from policy.blocks import LANGUAGE_CHOICES
from policy.models import TopicPage
from policy.pagination import paginate

from .choices import DocumentType
from .filters import SORTS, DocumentFilterSet, topics_by_slug

PER_PAGE = 20
LANGUAGE_LABELS = dict(LANGUAGE_CHOICES)


def count_facets(filters, topics):
    """{facet: {value: count}}: four queries, each with the other facets applied."""
    types = filters.facet_queryset("type").aggregate(
        **{value: Count("pk", filter=Q(document_type=value)) for value in DocumentType.values}
    )
    languages = filters.facet_queryset("language").aggregate(
        **{code: Count("pk", filter=Q(language=code)) for code in LANGUAGE_LABELS}
    )
    years = {
        row["year"]: row["n"]
        for row in filters.facet_queryset("year")
        .annotate(year=ExtractYear("date"))
        .values("year")
        .annotate(n=Count("pk"))
    }
    topic_counts = {}
    if topics:
        topic_counts = filters.facet_queryset("topic").aggregate(
            **{
                f"t{t.pk}": Count("pk", distinct=True, filter=Q(topics__path__startswith=t.path, topics__live=True))
                for t in topics
            }
        )
        topic_counts = {int(key[1:]): n for key, n in topic_counts.items()}
    return {"type": types, "language": languages, "year": years, "topic": topic_counts}


def facet_options(chosen, counts, topics):
    """What the form shows: values with documents, plus any value the visitor chose."""
    type_options = [
        {"value": value, "label": label, "count": counts["type"][value], "checked": value in chosen["type"]}
        for value, label in DocumentType.choices
        if counts["type"][value] or value in chosen["type"]
    ]
    language_options = [
        {"value": code, "label": label, "count": counts["language"][code], "checked": code in chosen["language"]}
        for code, label in LANGUAGE_CHOICES
        if counts["language"][code] or code in chosen["language"]
    ]
    topic_options = [
        {
            "value": slug,
            "label": t.title,
            "count": counts["topic"].get(t.pk, 0),
            "checked": slug in chosen["topic"],
            "depth": t.depth,
        }
        for slug, t in topics_by_slug(topics).items()
        if counts["topic"].get(t.pk) or slug in chosen["topic"]
    ]
    years = sorted(set(counts["year"]) | {y for y in (chosen["year_from"], chosen["year_to"]) if y}, reverse=True)
    # Numbers as text: the two year lists render them by the hundred, and Django's
    # localisation of every number in a template costs more than the rest of an option.
    year_options = [{"number": y, "value": str(y), "label": f"{y} ({counts['year'].get(y, 0)})"} for y in years]
    return {"type": type_options, "language": language_options, "topic": topic_options, "year": year_options}


def finder_context(request, documents):
    """Template context for the finder over `documents` (a DocumentPage queryset):
    form state, facets, results and messages."""
    topics = fragments.cached(
        request,
        "finder-topics",
        [],
        lambda: list(TopicPage.objects.live().order_by("path").only("id", "title", "slug", "path", "depth")),
    )
    filters = DocumentFilterSet(request.GET, documents, topics=topics)
    chosen = filters.chosen()
    # The same for every visitor with the same filters until the next purge.
    criteria = [request.path, fragments.query_key(request, ignore=("page", "sort"))]
    counts = fragments.cached(request, "finder-facets", criteria, lambda: count_facets(filters, topics))
    count = fragments.cached(request, "finder-count", criteria, filters.qs.count)
    page_obj, page_notice = paginate(request, filters.qs.order_by(*filters.ordering()), PER_PAGE, count=count)
    filtered = any(request.GET.get(name) for name in filters.form.fields)
    return {
        "criteria": chosen,
        "facets": facet_options(chosen, counts, topics),
        "sorts": SORTS,
        "page_obj": page_obj,
        "page_notice": page_notice,
        "finder_errors": filters.messages_by_anchor(),
        "filtered": filtered,
        # Every combination of facets is a page of its own; only the plain list is indexed.
        "noindex": filtered or "page" in request.GET,
    }
