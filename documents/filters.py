"""The finder's filters: free text, document type, a range of years, topics,
målform and the sort order, read from a shareable query string.

Topics are named by their slugs, as on Aktuelt (`?topic=bygdevekstavtaler`); a page
id, which the finder's links used before, still stands for its topic.

A value that cannot be used is left out with a message next to its filter, and
what can still be used is kept (see policy.forms.FilterForm): an unknown type among
known ones drops only that type, reversed years are swapped.
"""

from functools import reduce
from operator import or_

import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from policy.blocks import LANGUAGE_CHOICES
from policy.filters import ChoiceListFilter, SearchFilter, year_filter
from policy.forms import ChoiceListField, FilterChoiceField, YearRangeForm
from policy.search import RANK, search_pages

from .choices import DocumentType

YEARS = {"field_name": "date", "min_value": 1814, "max_value": 2100}
SORTS = {"date": _("Nyeste først"), "relevance": _("Mest relevant")}

# The fieldset in the form that shows each filter's message (the error summary links to it).
ANCHORS = {
    "q": "q",
    "type": "filter-type",
    "year_from": "filter-year",
    "year_to": "filter-year",
    "topic": "filter-topic",
    "language": "filter-language",
    "sort": "filter-sort",
}
# The filters a facet leaves out when it counts its own values.
FACETS = {"type": ["type"], "year": ["year_from", "year_to"], "topic": ["topic"], "language": ["language"]}


class FinderForm(YearRangeForm):
    """Adds the sort order, which is not a filter."""

    sort = FilterChoiceField(
        required=False,
        choices=SORTS.items(),
        error_messages={"invalid_choice": _("Ukjent sortering «%(value)s». Viser nyeste først.")},
    )


class TopicListField(ChoiceListField):
    """Topic slugs; `aliases` maps other names of a topic (its page id) to its slug."""

    def __init__(self, *, aliases=None, **kwargs):
        self.aliases = aliases or {}
        super().__init__(**kwargs)

    def to_python(self, value):
        return list(dict.fromkeys(self.aliases.get(item, item) for item in super().to_python(value)))


class TopicListFilter(django_filters.Filter):
    field_class = TopicListField


def topics_by_slug(topics):
    """{slug: topic} for topics in tree order: when two topics share a slug, the
    shallowest one has it (as on Aktuelt)."""
    by_slug = {}
    for topic in topics:
        by_slug.setdefault(topic.slug, topic)
    return by_slug


def unknown(message):
    return {"invalid_choice": message}


class DocumentFilterSet(django_filters.FilterSet):
    """Filters a queryset of DocumentPages. `topics` are the topic pages that may be
    chosen (a topic also finds the documents of its sub-topics)."""

    # Free text comes first: the search must see the queryset before other filters (policy.search).
    q = SearchFilter(method="filter_text")
    type = ChoiceListFilter(
        field_name="document_type",
        lookup_expr="in",
        choices=DocumentType.choices,
        error_messages=unknown(_("Ukjent dokumenttype «%(value)s» ble ignorert.")),
    )
    year_from = year_filter("year__gte", _("Fra år"), **YEARS)
    year_to = year_filter("year__lte", _("Til år"), **YEARS)
    topic = TopicListFilter(method="filter_topics", error_messages=unknown(_("Ukjent tema «%(value)s» ble ignorert.")))
    language = ChoiceListFilter(
        field_name="language",
        lookup_expr="in",
        choices=LANGUAGE_CHOICES,
        error_messages=unknown(_("Ukjent målform «%(value)s» ble ignorert.")),
    )

    class Meta:
        form = FinderForm

    def __init__(self, data, queryset, *, topics):
        super().__init__(data, queryset)
        self.topics_by_slug = topics_by_slug(topics)
        self.filters["topic"].extra.update(
            choices=[(slug, topic.title) for slug, topic in self.topics_by_slug.items()],
            aliases={str(topic.pk): topic.slug for topic in topics},
        )

    def filter_text(self, queryset, name, query):
        return search_pages(queryset, query)

    def filter_topics(self, queryset, name, values):
        """Documents tagged with one of these topics or any topic below them, without DISTINCT."""
        through = queryset.model.topics.through
        paths = reduce(or_, [Q(topicpage__path__startswith=self.topics_by_slug[slug].path) for slug in values])
        return queryset.filter(pk__in=through.objects.filter(paths).values("documentpage_id"))

    def filter_queryset(self, queryset, *, skip=()):
        """The chosen filters as SQL, in the order declared (the search first); `skip`
        leaves some out."""
        cleaned_data = self.form.cleaned_data
        for name, filter_ in self.filters.items():
            if name in cleaned_data and name not in skip:
                queryset = filter_.filter(queryset, cleaned_data[name])
        return queryset

    def facet_queryset(self, facet):
        """The documents a facet counts: every filter applied but the facet's own, so
        that ticking "NOU" still shows how many reports there are."""
        self.form.is_valid()
        return self.filter_queryset(self.queryset.all(), skip=FACETS[facet]).order_by()

    def chosen(self):
        """The values in use, by name, with the sort order that applies."""
        self.form.is_valid()
        chosen = {name: self.form.cleaned_data.get(name) for name in self.form.fields}
        for name in ("type", "topic", "language"):
            chosen[name] = chosen[name] or []
        chosen["sort"] = "relevance" if chosen["sort"] == "relevance" and chosen["q"] else "date"
        return chosen

    def ordering(self):
        if self.chosen()["sort"] == "relevance":
            return (f"-{RANK}", "-date", "-pk")
        return ("-date", "-pk")

    def messages_by_anchor(self):
        """{fieldset id: message} for the error summary and the fieldsets."""
        messages = {}
        for name, errors in self.errors.items():
            anchor = ANCHORS.get(name, name)
            messages[anchor] = " ".join([messages[anchor], *errors] if anchor in messages else errors)
        return messages
