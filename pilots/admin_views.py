"""Case-handling views in the Wagtail admin besides the ModelViewSet: the actions
posted from an application's inspect page (status, scores, notes, decision), the
private attachment download, and the portfolio where decision makers pick the
pilots and release the decisions.

Every action calls `services`; these views only check the request, translate
WorkflowError into a message and PermissionDenied into 403."""

from collections import Counter, defaultdict

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.views.decorators.http import require_POST

from . import permissions, sections, services
from .models import Application, Attachment, Criterion, Review, Round
from .viewsets import case_queryset

ACTIVE_AND_CHOSEN = (*services.ACTIVE, Application.Status.SELECTED)


def _require(request, permission):
    if not request.user.has_perm(permission):
        raise PermissionDenied


def _case(pk):
    return get_object_or_404(
        Application.objects.exclude(status=Application.Status.DRAFT).select_related("round"), pk=pk
    )


def inspect_url(application):
    return reverse("pilot_applications:inspect", args=[application.pk])


def inspect_context(request, application):
    """Everything the inspect template shows besides the history."""
    user = request.user
    edition = application.round.centrality_edition
    municipalities = []
    for link in application.municipality_links.all():
        classes = [c.centrality_class for c in link.municipality.centralities.all() if c.edition == edition]
        municipalities.append({"link": link, "centrality_class": classes[0] if classes else None})
    criteria = list(application.round.criteria.all())
    reviews = list(Review.objects.filter(application=application).select_related("reviewer", "criterion"))
    mine = {r.criterion_id: r for r in reviews if r.reviewer_id == user.pk}
    return {
        "summary": sections.summary_rows(application),
        "changes": services.answer_changes(application),
        "municipalities": municipalities,
        "attachments": application.attachments.all(),
        "reviews": reviews,
        "review_rows": [{"criterion": c, "mine": mine.get(c.pk)} for c in criteria],
        "notes": application.internal_notes.select_related("author"),
        "transitions": [(s.value, s.label) for s in services.allowed_transitions(application, user)],
        "can_assess": user.has_perm(permissions.ASSESS) and application.status in services.ACTIVE,
        "can_decide": user.has_perm(permissions.DECIDE) and application.status in services.ACTIVE,
        "decisions": Application.Decision.choices,
        "portfolio_url": reverse("pilots_admin:portfolio") + f"?round={application.round_id}",
    }


@require_POST
def change_status(request, pk):
    _require(request, permissions.CHANGE_STATUS)
    application = _case(pk)
    new_status = request.POST.get("status", "")
    if new_status not in Application.Status.values:
        messages.error(request, "Velg en ny status.")
        return redirect(inspect_url(application))
    try:
        services.change_status(application, new_status, request.user, note=request.POST.get("note", "").strip())
    except services.WorkflowError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, f"Status er endret til «{application.get_status_display()}».")
    return redirect(inspect_url(application))


@require_POST
def save_reviews(request, pk):
    """Scores (1–5) and comments for every criterion of the round; a blank score is
    left out, anything else than 1–5 is refused with a message and nothing saved."""
    _require(request, permissions.ASSESS)
    application = _case(pk)
    wanted, problems = [], []
    for criterion in Criterion.objects.filter(round=application.round_id):
        raw = request.POST.get(f"score_{criterion.pk}", "").strip()
        comment = request.POST.get(f"comment_{criterion.pk}", "").strip()
        if not raw:
            continue
        if raw not in {"1", "2", "3", "4", "5"}:
            problems.append(f"{criterion.name}: poeng må være et helt tall fra 1 til 5.")
            continue
        wanted.append((criterion, int(raw), comment))
    if problems:
        for problem in problems:
            messages.error(request, problem)
        return redirect(inspect_url(application) + "#vurdering")
    try:
        for criterion, score, comment in wanted:
            services.save_review(application, request.user, criterion, score, comment)
    except services.WorkflowError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, f"Vurderingen er lagret ({len(wanted)} kriterier).")
    return redirect(inspect_url(application) + "#vurdering")


@require_POST
def add_note(request, pk):
    _require(request, permissions.ASSESS)
    application = _case(pk)
    text = request.POST.get("text", "").strip()
    if not text:
        messages.error(request, "Skriv et notat før du lagrer.")
    else:
        services.add_note(application, request.user, text)
        messages.success(request, "Notatet er lagret.")
    return redirect(inspect_url(application) + "#notater")


@require_POST
def set_decision(request, pk):
    _require(request, permissions.DECIDE)
    application = _case(pk)
    decision = request.POST.get("decision", "")
    if decision not in Application.Decision.values:
        messages.error(request, "Velg et vedtak.")
    else:
        try:
            services.set_decision(application, decision, request.user)
        except services.WorkflowError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, f"{application.reference}: {application.get_decision_display().lower()}.")
    return redirect(_back(request, application))


def _back(request, application):
    if request.POST.get("back") == "portfolio":
        return reverse("pilots_admin:portfolio") + f"?round={application.round_id}#soknad-{application.pk}"
    return inspect_url(application)


def download_attachment(request, pk, attachment_pk):
    """Attachments are private files: only people who may see applications get them."""
    _require(request, permissions.VIEW)
    attachment = Attachment.objects.filter(
        pk=attachment_pk,
        application_id=pk,
        application__status__in=[s for s in Application.Status.values if s != "draft"],
    ).first()
    if attachment is None:
        raise Http404
    return attachment.download_response()


# --- Portfolio --------------------------------------------------------------------------


def _current_round(request):
    round_id = request.GET.get("round") or request.POST.get("round")
    if round_id and str(round_id).isdigit():
        return get_object_or_404(Round, pk=round_id)
    with_cases = Round.objects.filter(applications__status__in=ACTIVE_AND_CHOSEN).distinct()
    return with_cases.order_by("-closes_at").first() or Round.objects.order_by("-closes_at").first()


def _width_class(value, maximum):
    """A CSS class for a bar width in steps of 5 % (no inline styles)."""
    if not maximum:
        return "pilots-bar--w0"
    return f"pilots-bar--w{round(value / maximum * 20) * 5}"


def portfolio(request):
    _require(request, permissions.VIEW)
    round = _current_round(request)
    applications = []
    if round is not None:
        applications = list(
            case_queryset()
            .filter(round=round, status__in=[Application.Status.SHORTLISTED, Application.Status.SELECTED])
            .prefetch_related("municipality_links__municipality__centralities")
            .order_by("-mean_score", "reference")
        )
    rows, by_county = [], defaultdict(lambda: {"chosen": 0, "shortlisted": 0, "municipalities": 0})
    for application in applications:
        chosen = application.status == Application.Status.SELECTED or application.decision == "selected"
        counties = sorted({link.municipality.county.name for link in application.municipality_links.all()})
        classes = Counter(
            c.centrality_class
            for link in application.municipality_links.all()
            for c in link.municipality.centralities.all()
            if c.edition == round.centrality_edition
        )
        for county in counties:
            by_county[county]["chosen" if chosen else "shortlisted"] += 1
        for link in application.municipality_links.all():
            by_county[link.municipality.county.name]["municipalities"] += 1
        rows.append(
            {
                "application": application,
                "chosen": chosen,
                "counties": counties,
                "classes": sorted(classes.items()),
            }
        )
    chosen_rows = [r for r in rows if r["chosen"]]
    chosen_amount = sum(r["application"].amount_applied or 0 for r in chosen_rows)
    shortlisted_amount = sum(r["application"].amount_applied or 0 for r in rows)
    most = max((c["chosen"] + c["shortlisted"] for c in by_county.values()), default=0)
    chart = [
        {
            "county": county,
            **counts,
            "chosen_class": _width_class(counts["chosen"], most),
            "shortlisted_class": _width_class(counts["shortlisted"], most),
        }
        for county, counts in sorted(by_county.items())
    ]
    undecided = Application.objects.filter(round=round, status__in=services.ACTIVE, decision="").count() if round else 0
    pending = (
        Application.objects.filter(round=round, status__in=services.ACTIVE).exclude(decision="").count() if round else 0
    )
    return TemplateResponse(
        request,
        "pilots/admin/portfolio.html",
        {
            "round": round,
            "rounds": Round.objects.order_by("-closes_at"),
            "rows": rows,
            "chart": chart,
            "chosen_count": len(chosen_rows),
            "chosen_amount": chosen_amount,
            "shortlisted_amount": shortlisted_amount,
            "budget_class": _width_class(min(chosen_amount, round.budget_total or 0), round.budget_total)
            if round and round.budget_total
            else "",
            "undecided": undecided,
            "pending": pending,
            "can_decide": request.user.has_perm(permissions.DECIDE),
            "decisions": Application.Decision.choices,
            "header_icon": "table",
        },
    )


@require_POST
def prepare_rest(request):
    _require(request, permissions.DECIDE)
    round = get_object_or_404(Round, pk=request.POST.get("round"))
    count = services.prepare_not_selected_for_rest(round, request.user)
    messages.success(request, f"{count} søknader er forberedt som «ikke valgt».")
    return redirect(reverse("pilots_admin:portfolio") + f"?round={round.pk}")


@require_POST
def release(request):
    _require(request, permissions.DECIDE)
    round = get_object_or_404(Round, pk=request.POST.get("round"))
    if request.POST.get("confirm") != "yes":
        messages.error(request, "Kryss av for at du vil frigi vedtakene.")
        return redirect(reverse("pilots_admin:portfolio") + f"?round={round.pk}#frigi")
    try:
        count = services.release_decisions(round, request.user)
    except services.WorkflowError as error:
        messages.error(request, str(error))
    else:
        messages.success(
            request,
            f"{count} vedtak er frigitt. Søkerne får e-post, og statusen deres er oppdatert under «Mine søknader»."
            if count
            else "Det var ingen nye vedtak å frigi.",
        )
    return redirect(reverse("pilots_admin:portfolio") + f"?round={round.pk}")
