"""The filters of the applications listing: round, status, county, centrality class,
theme, and authority (unconfirmed municipalities, or several applications naming one)."""

import django_filters
from django.db.models import F
from wagtail.admin.filters import WagtailFilterSet

from pilots.applications.models import Application, Round
from pilots.applications.status import CASES
from pilots.register.models import CENTRALITY_CLASSES, County

from . import authority

AUTHORITY_CHOICES = [
    ("unconfirmed", "Fullmakt ikke bekreftet for minst én kommune"),
    ("conflict", "Flere søknader for samme kommune"),
]


class ApplicationFilterSet(WagtailFilterSet):
    round = django_filters.ModelChoiceFilter(label="Utlysing", queryset=Round.objects.all())
    status = django_filters.ChoiceFilter(label="Status", choices=[(s.value, s.label) for s in CASES])
    county = django_filters.ModelChoiceFilter(
        label="Fylke", queryset=County.objects.all(), method="filter_county", distinct=True
    )
    centrality_class = django_filters.ChoiceFilter(
        label="Sentralitetsklasse", choices=CENTRALITY_CLASSES, method="filter_centrality_class"
    )
    theme = django_filters.CharFilter(label="Tema inneholder", field_name="themes", lookup_expr="icontains")
    authority = django_filters.ChoiceFilter(label="Fullmakt", choices=AUTHORITY_CHOICES, method="filter_authority")

    class Meta:
        model = Application
        fields = ["round", "status"]

    def filter_county(self, queryset, name, value):
        """Any of the application's municipalities lies in the county."""
        ids = Application.objects.filter(municipality_links__municipality__county=value).values("pk")
        return queryset.filter(pk__in=ids)

    def filter_centrality_class(self, queryset, name, value):
        """Any municipality has this class in the edition of the index the round uses."""
        ids = Application.objects.filter(
            municipality_links__municipality__centralities__centrality_class=value,
            municipality_links__municipality__centralities__edition=F("round__centrality_edition"),
        ).values("pk")
        return queryset.filter(pk__in=ids)

    def filter_authority(self, queryset, name, value):
        return authority.unconfirmed(queryset) if value == "unconfirmed" else authority.conflicting(queryset)
