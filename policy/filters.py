"""The site search's filters (words, types, a range of years) and what a result says
about itself: its type («Pressemelding», «NOU», «Temaside») and its date.

Page types describe themselves with class attributes that are read here, so policy
needs no feature app:

- `search_kind_field`: a field with choices whose value is each page's type (a news
  item's `news_type`, so a press release reads «Pressemelding»);
- `search_kind_label`: the type of every page of the model when it has no such field
  (default: its verbose name, «Temaside»);
- `search_date_fields`: fields whose first non-empty value is the page's own date (a
  news item's `date`, else `first_published_at`). A page without one is dated by its
  last publication, shown as «Oppdatert».

A type is named in the query string by its value, so `?type=press_release` means press
releases on Aktuelt and here alike; a type without a field by its bokmål label, in ASCII
(`?type=temaside`), whatever language the label is shown in. Labels are lazy
translations, shown in the language active when they are rendered. A value that cannot be used is left out with a message, as in every
public filter (policy.forms.FilterForm).
"""

import datetime
from dataclasses import dataclass

import django_filters
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db.models import Case, CharField, Count, DateField, DateTimeField, F, Q, Value, When
from django.db.models.functions import Coalesce, ExtractYear, TruncDate
from django.utils import translation
from django.utils.text import capfirst, format_lazy, slugify
from django.utils.translation import gettext_lazy as _
from wagtail.models import Page, get_page_models

from .forms import ChoiceListField, SearchQueryField, YearField, YearRangeForm
from .search import search_pages

UPDATED = _("Oppdatert")
DATE = "result_date"
# The part of the form that shows each filter's message (the years share one).
GROUPS = {"q": "q", "type": "type", "year_from": "year", "year_to": "year"}
# The filters a facet leaves out when it counts its own values.
FACETS = {"type": ["type"], "year": ["year_from", "year_to"], "q": ["q"]}


@dataclass(frozen=True)
class Kind:
    """A type of page: `condition` picks its pages from a queryset of Page."""

    value: str
    label: str  # or a lazy translation
    condition: Q


@dataclass(frozen=True)
class ResultMeta:
    kind: str
    date: datetime.date | None
    date_label: str = ""


def ascii_slug(text):
    return slugify(text.lower().replace("æ", "ae").replace("ø", "o").replace("å", "a"))


def page_models():
    """Every page type with its content type, Wagtail's bare Page (the tree's root) left out."""
    models = [model for model in get_page_models() if model is not Page]
    content_types = ContentType.objects.get_for_models(*models)
    return [(model, content_types[model]) for model in models]


def page_kinds():
    """{value: Kind} of every type of page, by label. Two page types with the same
    value (or label) are one type."""
    kinds = {}
    for model, content_type in page_models():
        field_name = getattr(model, "search_kind_field", None)
        if field_name:
            for value, label in model._meta.get_field(field_name).flatchoices:
                pages = model._base_manager.filter(**{field_name: value}).values("pk")
                add_kind(kinds, str(value), label, Q(content_type=content_type, pk__in=pages))
        else:
            label = kind_label(model)
            with translation.override(settings.LANGUAGE_CODE):
                value = ascii_slug(str(label))
            add_kind(kinds, value, label, Q(content_type=content_type))
    return dict(sorted(kinds.items(), key=lambda item: str(item[1].label).lower()))


def kind_label(model):
    """The type of every page of a model without a `search_kind_field`."""
    return getattr(model, "search_kind_label", None) or capfirst(model._meta.verbose_name)


def add_kind(kinds, value, label, condition):
    if value in kinds:
        condition |= kinds[value].condition
        label = kinds[value].label
    kinds[value] = Kind(value, label, condition)


def lookup_from_page(model, field_name):
    """The lookup of a page type's field from a queryset of Page ("newspage__date")."""
    field = model._meta.get_field(field_name)
    names, owner = [field_name], field.model
    while owner is not Page:
        names.insert(0, owner._meta.model_name)
        owner = next(parent for parent in owner._meta.parents if issubclass(parent, Page))
    return names, field


def as_date(model, field_name):
    names, field = lookup_from_page(model, field_name)
    lookup = "__".join(names)
    # A moment is dated where the ministry is (TruncDate uses the current time zone).
    return TruncDate(lookup) if isinstance(field, DateTimeField) else F(lookup)


def date_expression(models=None):
    """Each page's date as SQL: its first `search_date_fields` that has a value, else
    its last publication. `models`: the (model, content type) pairs to cover, default all."""
    whens = []
    for model, content_type in models or page_models():
        fields = getattr(model, "search_date_fields", None)
        if fields:
            dates = [as_date(model, name) for name in fields]
            whens.append(When(content_type=content_type, then=Coalesce(*dates) if len(dates) > 1 else dates[0]))
    return Case(*whens, default=TruncDate("last_published_at"), output_field=DateField())


def kind_expression(models):
    """Each page's own type value as SQL (a news item's `news_type`), for page types
    that have a `search_kind_field`; NULL for the others."""
    whens = []
    for model, content_type in models:
        field_name = getattr(model, "search_kind_field", None)
        if field_name:
            whens.append(When(content_type=content_type, then=F("__".join(lookup_from_page(model, field_name)[0]))))
    return Case(*whens, default=Value(None), output_field=CharField())


def language_expression(models):
    """Each page's målform as SQL (every page type keeps it in its own table)."""
    whens = [
        When(content_type=content_type, then=F("__".join(lookup_from_page(model, "language")[0])))
        for model, content_type in models
        if any(field.name == "language" for field in model._meta.concrete_fields)
    ]
    return Case(*whens, default=Value(None), output_field=CharField())


def result_kind(model, value):
    """The type a result shows: the label of its own type value (`value`), or its
    page type's."""
    field_name = getattr(model, "search_kind_field", None)
    if field_name:
        return str(dict(model._meta.get_field(field_name).flatchoices).get(value, value))
    return str(kind_label(model))


def describe(keys, **annotations):
    """The pages of `keys` ((primary key, content type id) pairs), in their order, read
    as Page whatever their types, each with its `meta` (the type and date a result
    shows), its `language` and each of `annotations` (a snippet) as attributes: one
    query however many page types are among them (loading them as their specific
    types asks one query per type)."""
    keys = list(keys)
    if not keys:
        return []
    # Only the types shown: fewer joins to build and to run.
    content_types = {pk: ContentType.objects.get_for_id(content_type_id) for pk, content_type_id in keys}
    models = [(content_type.model_class(), content_type) for content_type in set(content_types.values())]
    pages = Page.objects.filter(pk__in=content_types).annotate(
        _kind=kind_expression(models),
        _date=date_expression(models),
        _language=language_expression(models),
        **annotations,
    )
    by_key = {page.pk: page for page in pages}
    found = [by_key[pk] for pk, _content_type_id in keys if pk in by_key]
    for page in found:
        model = content_types[page.pk].model_class()
        own_dates = getattr(model, "search_date_fields", None)
        page.meta = ResultMeta(result_kind(model, page._kind), page._date, "" if own_dates else str(UPDATED))
        page.language = page._language
    return found


class SearchFilter(django_filters.Filter):
    field_class = SearchQueryField


class ChoiceListFilter(django_filters.Filter):
    field_class = ChoiceListField


class YearFilter(django_filters.Filter):
    field_class = YearField


def year_filter(lookup_expr, label, field_name=DATE, **kwargs):
    """One end of a range of years; a value that is not a year is ignored with a message."""
    return YearFilter(
        field_name=field_name,
        lookup_expr=lookup_expr,
        error_messages={
            "invalid": format_lazy(_("«%(value)s» er ikke et årstall. {label} ble ignorert."), label=label)
        },
        **kwargs,
    )


class SiteSearchFilterSet(django_filters.FilterSet):
    """Searches and filters a queryset of Page (the live pages of the site)."""

    q = SearchFilter(method="filter_text")
    type = ChoiceListFilter(
        method="filter_kinds", error_messages={"invalid_choice": _("Ukjent type «%(value)s» ble ignorert.")}
    )
    year_from = year_filter("year__gte", _("Fra år"))
    year_to = year_filter("year__lte", _("Til år"))

    class Meta:
        form = YearRangeForm

    def __init__(self, data, queryset):
        super().__init__(data, queryset)
        self.kinds = page_kinds()
        self.filters["type"].extra["choices"] = [(value, kind.label) for value, kind in self.kinds.items()]

    def filter_text(self, queryset, name, query):
        return search_pages(queryset, query)

    def filter_kinds(self, queryset, name, values):
        condition = Q()
        for value in values:
            condition |= self.kinds[value].condition
        return queryset.filter(condition)

    def filter_queryset(self, queryset, *, skip=()):
        """The chosen filters as SQL, the search first; `skip` leaves some out."""
        cleaned_data = self.form.cleaned_data
        if any(cleaned_data.get(name) and name not in skip for name in FACETS["year"]):
            # Only then: the date joins every page type's table.
            queryset = queryset.alias(**{DATE: date_expression()})
        for name, filter_ in self.filters.items():
            if name in cleaned_data and name not in skip:
                queryset = filter_.filter(queryset, cleaned_data[name])
        return queryset

    def facet_queryset(self, facet):
        """The pages a facet counts: every filter applied but the facet's own."""
        self.form.is_valid()
        return self.filter_queryset(self.queryset.all(), skip=FACETS[facet])

    def chosen(self):
        """The values in use, by name."""
        self.form.is_valid()
        chosen = {name: self.form.cleaned_data.get(name) for name in self.form.fields}
        chosen["q"] = chosen["q"] or ""
        chosen["type"] = chosen["type"] or []
        return chosen

    def facets(self):
        """What the form offers: the types and years of the pages found (whatever the
        type and year chosen), with their numbers, and any value the visitor chose."""
        chosen = self.chosen()
        kinds = list(self.kinds.values())
        counts = (
            self.facet_queryset("type")
            .order_by()
            .aggregate(**{f"kind_{n}": Count("pk", filter=kind.condition) for n, kind in enumerate(kinds)})
        )
        types = [
            {
                "value": kind.value,
                "label": str(kind.label),
                "count": counts[f"kind_{n}"],
                "checked": kind.value in chosen["type"],
            }
            for n, kind in enumerate(kinds)
            if counts[f"kind_{n}"] or kind.value in chosen["type"]
        ]
        by_year = {
            row["year"]: row["n"]
            for row in self.facet_queryset("year")
            .order_by()
            .annotate(year=ExtractYear(date_expression()))
            .values("year")
            .annotate(n=Count("pk"))
            if row["year"]
        }
        years = sorted(set(by_year) | {y for y in (chosen["year_from"], chosen["year_to"]) if y}, reverse=True)
        return {"type": types, "year": [{"value": y, "count": by_year.get(y, 0)} for y in years]}

    def messages_by_group(self):
        """{"q" | "type" | "year": message} for the error summary and the form."""
        self.form.is_valid()
        messages = {}
        for name, errors in self.form.errors.items():
            group = GROUPS.get(name, name)
            messages[group] = " ".join([messages[group], *errors] if group in messages else errors)
        return messages
