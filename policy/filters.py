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
from django.db.models import Case, Count, DateField, DateTimeField, F, Q, When
from django.db.models.functions import Coalesce, ExtractYear, TruncDate
from django.utils import timezone, translation
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


def date_expression():
    """Each page's date as SQL, the same as `result_meta` shows."""
    whens = []
    for model, content_type in page_models():
        fields = getattr(model, "search_date_fields", None)
        if fields:
            dates = [as_date(model, name) for name in fields]
            whens.append(When(content_type=content_type, then=Coalesce(*dates) if len(dates) > 1 else dates[0]))
    return Case(*whens, default=TruncDate("last_published_at"), output_field=DateField())


def result_meta(page):
    """The type and date a result shows (`page` is a specific page)."""
    model = type(page)
    field_name = getattr(model, "search_kind_field", None)
    kind = page._get_FIELD_display(model._meta.get_field(field_name)) if field_name else kind_label(model)
    own_dates = getattr(model, "search_date_fields", None)
    dates = [getattr(page, name, None) for name in own_dates or ("last_published_at",)]
    date = next((value for value in dates if value), None)
    if isinstance(date, datetime.datetime):
        date = timezone.localdate(date)
    return ResultMeta(str(kind), date, "" if own_dates else str(UPDATED))


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
