"""The dashboard panel: applications per status and per county, and municipalities
involved, for the current round (the latest one that has opened); withdrawn
applications are not counted, only mentioned."""

from django.db.models import Count
from django.utils import timezone
from wagtail.admin.ui.components import Component

from pilots.applications.models import Application, ApplicationMunicipality, Round
from pilots.applications.status import Status


def current_round(now=None):
    return Round.objects.filter(opens_at__lte=now or timezone.now()).order_by("-opens_at").first()


def round_statistics(round):
    """Counts for one round. Drafts are not applications yet, and withdrawn ones are
    no longer: both are left out, withdrawn ones counted on their own."""
    in_round = Application.objects.filter(round=round).cases()
    cases = in_round.exclude(status=Status.WITHDRAWN)
    labels = dict(Status.choices)
    by_status = [
        (labels[row["status"]], row["n"]) for row in cases.values("status").annotate(n=Count("pk")).order_by("status")
    ]
    links = ApplicationMunicipality.objects.filter(application__in=cases)
    by_county = list(
        links.filter(role=ApplicationMunicipality.Role.LEAD)
        .values_list("municipality__county__name")
        .annotate(n=Count("pk"))
        .order_by("-n", "municipality__county__name")
    )
    return {
        "round": round,
        "total": cases.count(),
        "withdrawn": in_round.filter(status=Status.WITHDRAWN).count(),
        "by_status": by_status,
        "by_county": by_county,
        "municipalities": links.values("municipality__number").distinct().count(),
    }


class StatisticsPanel(Component):
    name = "pilots_statistics"
    order = 160
    template_name = "pilots/admin/statistics_panel.html"

    def get_context_data(self, parent_context):
        round = current_round()
        return round_statistics(round) if round else {"round": None}
