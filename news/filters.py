"""The archive's filters: year, type and topic, read from a shareable query string
(`/aktuelt/?year=2024&type=news&topic=bygdevekst`).

A topic is named by its slug, as in the document finder (`/dokumenter/?topic=…`) and
the topic feeds (`/aktuelt/tema/<slug>/rss/`); a page id still finds its topic, so
older links keep working.

A value that cannot be used is left out with a notice in Norwegian (see
policy.forms.FilterForm); the archive then lists what the other filters allow.
"""

import re

import django_filters
from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from policy.filters import YearFilter
from policy.forms import FilterChoiceField, FilterForm, shown
from policy.models import TopicPage

from .choices import NewsType

MIN_YEAR, MAX_YEAR = 1814, 2200
MAX_ID_DIGITS = 9  # a page id fits PostgreSQL's integer
# What a slug can be (Unicode too: pages made before slugs became ASCII keep theirs).
SLUG = re.compile(r"[-\w]{1,255}")


def find_topic(value):
    """A live, public topic page by slug (the shallowest, when two share one) or by
    id; None when there is none."""
    value = (value or "").strip()
    if not value:
        return None
    topics = TopicPage.objects.live().public()
    if re.fullmatch(rf"[0-9]{{1,{MAX_ID_DIGITS}}}", value):
        return topics.filter(pk=int(value)).first()
    if not SLUG.fullmatch(value):
        # Never a slug, so no query (and PostgreSQL refuses NUL bytes in one).
        return None
    return topics.filter(slug=value).order_by("path").first()


class TopicField(forms.Field):
    """A topic page, by slug or id."""

    default_error_messages = {"invalid": _("Fant ikke temaet «%(value)s». Viser saker om alle tema.")}

    def to_python(self, value):
        if not (value or "").strip():
            return None
        topic = find_topic(value)
        if topic is None:
            raise ValidationError(self.error_messages["invalid"], code="invalid", params={"value": shown(value, 60)})
        return topic


class TypeFilter(django_filters.Filter):
    field_class = FilterChoiceField


class TopicFilter(django_filters.Filter):
    field_class = TopicField


class ArchiveFilterSet(django_filters.FilterSet):
    """Filters a queryset of news items (`NewsPage.objects.visible()`)."""

    year = YearFilter(
        field_name="published_at",
        lookup_expr="year",
        min_value=MIN_YEAR,
        max_value=MAX_YEAR,
        error_messages={"invalid": _("Året «%(value)s» er ugyldig. Viser saker fra alle år.")},
    )
    type = TypeFilter(
        field_name="news_type",
        choices=NewsType.choices,
        error_messages={"invalid_choice": _("Typen «%(value)s» finnes ikke. Viser alle typer.")},
    )
    topic = TopicFilter(method="filter_topic")

    class Meta:
        form = FilterForm

    def filter_topic(self, queryset, name, topic):
        """A topic gathers the items of its sub-topics."""
        return queryset.tagged_with(topic.topic_tree_ids())

    def chosen(self):
        """The values in use, by filter name (None or "" for a filter not in use)."""
        self.form.is_valid()
        return {name: self.form.cleaned_data.get(name) for name in self.filters}

    def is_active(self):
        return any(self.chosen().values())

    def notices(self):
        return self.form.messages()
