"""Applications in the Wagtail admin for case handlers and decision makers.

A read-only ModelViewSet (see permissions.ApplicationPermissionPolicy): listing with
filters, search, sorting and spreadsheet export, and an inspect view with everything
about one application. Changes are made through the forms on the inspect page,
which post to admin_views and so to services."""

import django_filters
from django.db.models import Avg, Count, F, FloatField, IntegerField, OuterRef, Subquery, Value
from django.db.models.functions import Coalesce
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.ui.tables import Column
from wagtail.admin.views import generic
from wagtail.admin.views.generic import history
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.log_actions import registry as log_registry

from .models import CENTRALITY_CLASSES, Application, County, Review, Round
from .templatetags.pilots_tags import kroner


def with_scores(queryset):
    """Mean score and number of reviews as subqueries, so the listing costs the same
    number of queries whatever the page size (and filters that join municipalities
    cannot multiply the reviews)."""
    reviews = Review.objects.filter(application=OuterRef("pk")).order_by().values("application")
    return queryset.annotate(
        mean_score=Subquery(reviews.annotate(v=Avg("score")).values("v")[:1]),
        # For sorting: unscored applications count as 0, so they never come first.
        mean_score_sort=Coalesce("mean_score", Value(0.0), output_field=FloatField()),
        review_count=Coalesce(
            Subquery(reviews.annotate(v=Count("pk")).values("v")[:1], output_field=IntegerField()), 0
        ),
    )


def case_queryset():
    """Applications the ministry handles: everything submitted at least once."""
    return with_scores(
        Application.objects.exclude(status=Application.Status.DRAFT)
        .select_related("round")
        .prefetch_related("municipality_links__municipality__county")
    )


class ApplicationFilterSet(WagtailFilterSet):
    round = django_filters.ModelChoiceFilter(label="Utlysing", queryset=Round.objects.all())
    status = django_filters.ChoiceFilter(
        label="Status", choices=[c for c in Application.Status.choices if c[0] != Application.Status.DRAFT]
    )
    county = django_filters.ModelChoiceFilter(
        label="Fylke", queryset=County.objects.all(), method="filter_county", distinct=True
    )
    centrality_class = django_filters.ChoiceFilter(
        label="Sentralitetsklasse", choices=CENTRALITY_CLASSES, method="filter_centrality_class"
    )
    theme = django_filters.CharFilter(label="Tema inneholder", field_name="themes", lookup_expr="icontains")

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


class ApplicationIndexView(generic.IndexView):
    def get_base_queryset(self):
        return case_queryset()


class ApplicationHistoryView(history.HistoryView):
    """The audit log of an application; Wagtail's default asks for edit rights,
    which nobody has here, so seeing the application is enough."""

    any_permission_required = ["view"]


class ApplicationInspectView(generic.InspectView):
    template_name = "pilots/admin/application_inspect.html"

    def get_object(self, queryset=None):
        from django.shortcuts import get_object_or_404

        return get_object_or_404(
            with_scores(Application.objects.exclude(status=Application.Status.DRAFT))
            .select_related("round", "contact", "created_by")
            .prefetch_related(
                "municipality_links__municipality__county",
                "municipality_links__municipality__centralities",
                "budget_lines",
                "attachments",
            ),
            pk=self.pk,
        )

    def get_page_subtitle(self):
        return f"{self.object.reference} – {self.object.display_name()}"

    def get_context_data(self, **kwargs):
        from .admin_views import inspect_context

        context = super().get_context_data(**kwargs)
        context.update(inspect_context(self.request, self.object))
        context["history"] = log_registry.get_logs_for_instance(self.object).select_related("user")[:15]
        return context


def _score(application):
    return f"{application.mean_score:.1f}".replace(".", ",") if application.mean_score is not None else "–"


class ApplicationViewSet(ModelViewSet):
    model = Application
    icon = "form"
    menu_label = "Søknader (saksbehandling)"
    menu_order = 310
    add_to_admin_menu = True
    copy_view_enabled = False
    # The add/edit/delete views exist in every ModelViewSet but the permission policy
    # refuses them to everyone; this only satisfies the viewset's form configuration.
    form_fields = ["title"]
    inspect_view_enabled = True
    index_view_class = ApplicationIndexView
    inspect_view_class = ApplicationInspectView
    history_view_class = ApplicationHistoryView
    filterset_class = ApplicationFilterSet
    search_fields = ["reference", "title", "summary", "themes"]
    search_backend_name = None  # plain database lookups: applications are not in the site search index
    ordering = ["-submitted_at"]
    list_per_page = 50
    list_display = [
        "reference",  # the title column: links to the inspect view
        Column("title", label="Prosjekt", sort_key="title"),
        Column("lead_county", label="Fylke", accessor="lead_county"),
        Column("municipality_count", label="Kommuner", accessor="municipality_count"),
        Column("status", label="Status", accessor="get_status_display", sort_key="status"),
        Column(
            "decision",
            label="Forberedt vedtak",
            accessor=lambda a: a.get_decision_display() if a.decision else "",
            sort_key="decision",
        ),
        Column("mean_score", label="Snittpoeng", accessor=_score, sort_key="mean_score_sort"),
        Column("review_count", label="Vurderinger", sort_key="review_count"),
        Column(
            "amount_applied", label="Søkt beløp", accessor=lambda a: kroner(a.amount_applied), sort_key="amount_applied"
        ),
        Column("submitted_at", label="Sendt inn", sort_key="submitted_at"),
    ]
    list_export = [
        "reference",
        "title",
        "round",
        "get_status_display",
        "get_decision_display",
        "lead_county",
        "municipality_names",
        "municipality_count",
        "themes",
        "amount_applied",
        "own_contribution",
        "mean_score",
        "review_count",
        "submitted_at",
    ]
    export_headings = {
        "reference": "Referanse",
        "title": "Prosjekt",
        "round": "Utlysing",
        "get_status_display": "Status",
        "get_decision_display": "Forberedt vedtak",
        "lead_county": "Fylke (søkerkommune)",
        "municipality_names": "Kommuner",
        "municipality_count": "Antall kommuner",
        "themes": "Tema",
        "amount_applied": "Søkt beløp (kr)",
        "own_contribution": "Egeninnsats (kr)",
        "mean_score": "Snittpoeng",
        "review_count": "Antall vurderinger",
        "submitted_at": "Sendt inn",
    }
    export_filename = "soknader"


application_viewset = ApplicationViewSet("pilot_applications")
