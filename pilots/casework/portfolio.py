"""The portfolio of one round: the shortlist and the pilots chosen from it, with how
they spread over counties and centrality classes and what they cost against the
round's budget. Decision makers choose the pilots and release the decisions from it."""

from collections import Counter, defaultdict

from django.shortcuts import get_object_or_404

from pilots.applications.models import Application, Round
from pilots.applications.status import ACTIVE, Status

from .assessment import scored_cases


def current_round(round_id=None):
    """The round asked for, else the latest one with applications still in the running
    or chosen, else the latest round (None when there are no rounds)."""
    if round_id and str(round_id).isdigit():
        return get_object_or_404(Round, pk=round_id)
    in_play = Round.objects.filter(applications__status__in=(*ACTIVE, Status.SELECTED)).distinct()
    return in_play.order_by("-closes_at").first() or Round.objects.order_by("-closes_at").first()


def width_class(value, maximum):
    """A CSS class for a bar width in steps of 5 % (no inline styles)."""
    if not maximum:
        return "pilots-bar--w0"
    return f"pilots-bar--w{round(value / maximum * 20) * 5}"


def _row(application, round):
    links = application.municipality_links.all()
    classes = Counter(
        c.centrality_class
        for link in links
        for c in link.municipality.centralities.all()
        if c.edition == round.centrality_edition
    )
    return {
        "application": application,
        "chosen": application.is_chosen,
        "decidable": application.status == Status.SHORTLISTED,
        "counties": sorted({link.municipality.county.name for link in links}),
        "classes": sorted(classes.items()),
    }


def _chart(rows):
    """Per county: applications chosen and only shortlisted (one with municipalities in
    several counties counts in each), and municipalities involved."""
    by_county = defaultdict(lambda: {"chosen": 0, "shortlisted": 0, "municipalities": 0})
    for row in rows:
        for county in row["counties"]:
            by_county[county]["chosen" if row["chosen"] else "shortlisted"] += 1
        for link in row["application"].municipality_links.all():
            by_county[link.municipality.county.name]["municipalities"] += 1
    most = max((c["chosen"] + c["shortlisted"] for c in by_county.values()), default=0)
    return [
        {
            "county": county,
            **counts,
            "chosen_class": width_class(counts["chosen"], most),
            "shortlisted_class": width_class(counts["shortlisted"], most),
        }
        for county, counts in sorted(by_county.items())
    ]


def portfolio(round):
    """Everything the portfolio page shows about `round`."""
    applications = (
        scored_cases()
        .filter(round=round)
        .in_portfolio()
        .prefetch_related("municipality_links__municipality__centralities")
        .order_by("-mean_score", "reference")
    )
    rows = [_row(application, round) for application in applications]
    chosen_rows = [r for r in rows if r["chosen"]]
    chosen_amount = sum(r["application"].amount_applied or 0 for r in chosen_rows)
    in_round = Application.objects.filter(round=round)
    return {
        "rows": rows,
        "chart": _chart(rows),
        "chosen_count": len(chosen_rows),
        "chosen_amount": chosen_amount,
        "shortlisted_amount": sum(r["application"].amount_applied or 0 for r in rows),
        "budget_class": width_class(min(chosen_amount, round.budget_total), round.budget_total)
        if round.budget_total
        else "",
        "undecided": in_round.undecided().count(),
        "pending": in_round.prepared().count(),
    }
