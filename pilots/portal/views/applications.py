"""An application from «Mine søknader» to the receipt: starting one, the task list,
"Se over svarene", the declaration that submits it, the receipt and withdrawing.
Who has access is in members.py."""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone

from pilots.applications import authority, deadlines, services
from pilots.applications.answers import answer_changes, summary_rows
from pilots.applications.models import Application, Round
from pilots.applications.status import EDITABLE, Status
from pilots.portal import access
from pilots.portal.forms import DeclarationForm
from pilots.portal.task_list import TaskStatus, task_list

from .base import applicant_required, application_context


@applicant_required
def my_applications(request):
    applications = (
        access.accessible_applications(request.user)
        .select_related("round")
        .prefetch_related("municipality_links__municipality")
        .order_by("-created_at")
    )
    now = timezone.now()
    open_rounds = [r for r in Round.objects.filter(opens_at__lte=now) if r.is_open(now)]
    rows = [{"application": a, "url": _home_url(a)} for a in applications]
    return render(request, "pilots/my_applications.html", {"rows": rows, "open_rounds": open_rounds, "noindex": True})


def _home_url(application):
    """Where «Mine søknader» leads: the task list while the applicant works on the
    answers, the receipt after that."""
    name = "pilots:task_list" if application.status in EDITABLE else "pilots:receipt"
    return reverse(name, args=[application.round_id, application.pk])


@applicant_required
def start(request, round_pk):
    round = get_object_or_404(Round, pk=round_pk)
    if request.method == "POST":
        try:
            application = services.start_application(round, request.user)
        except services.WorkflowError as error:
            messages.error(request, str(error))
            return redirect("pilots:start", round_pk=round.pk)
        return redirect("pilots:task_list", round_pk=round.pk, pk=application.pk)
    return render(
        request,
        "pilots/start.html",
        {"round": round, "state": round.state(), "State": Round.State, "call_page": round.call_page(), "noindex": True},
    )


@applicant_required
def task_list_page(request, round_pk, pk):
    application = access.get_application(request.user, pk, round_pk)
    if application.status not in EDITABLE:
        return redirect("pilots:receipt", round_pk=round_pk, pk=pk)
    rows, all_done = task_list(application)
    return render(
        request,
        "pilots/task_list.html",
        application_context(
            application,
            rows=rows,
            all_done=all_done,
            editable=deadlines.is_open_for_answers(application),
            can_submit=deadlines.can_submit_now(application),
            done_count=sum(1 for r in rows if r["status"] == TaskStatus.DONE),
            authority_notice=authority.notice(application, request.user),
        ),
    )


def _with_answers(application):
    return (
        Application.objects.select_related("round", "contact")
        .prefetch_related("municipality_links__municipality", "budget_lines", "attachments")
        .get(pk=application.pk)
    )


@applicant_required
def check_answers(request, round_pk, pk):
    application = _with_answers(access.get_application(request.user, pk, round_pk))
    _rows, all_done = task_list(application)
    return render(
        request,
        "pilots/check_answers.html",
        application_context(
            application,
            summary=summary_rows(application),
            editable=deadlines.is_open_for_answers(application),
            all_done=all_done,
            can_submit=deadlines.can_submit_now(application),
            changes=answer_changes(application) if application.status == Status.MORE_INFORMATION else [],
        ),
    )


@applicant_required
def declaration(request, round_pk, pk):
    application = access.get_application(request.user, pk, round_pk)
    if application.status not in EDITABLE:
        return redirect("pilots:receipt", round_pk=round_pk, pk=pk)
    _rows, all_done = task_list(application)
    if not all_done:
        messages.info(request, "Fullfør alle delene av søknaden før du sender den inn.")
        return redirect("pilots:task_list", round_pk=round_pk, pk=pk)
    form = DeclarationForm(request.POST if request.method == "POST" else None)
    if request.method == "GET":
        services.mark_submission_started(application)
    elif form.is_valid():
        try:
            services.submit(application, request.user)
        except services.WorkflowError as error:
            form.add_error(None, str(error))
        else:
            return redirect("pilots:receipt", round_pk=round_pk, pk=pk)
    return render(
        request,
        "pilots/declaration.html",
        application_context(
            application,
            form=form,
            can_submit=deadlines.can_submit_now(application),
            deadline=deadlines.submission_deadline(application),
        ),
    )


@applicant_required
def receipt(request, round_pk, pk):
    application = access.get_application(request.user, pk, round_pk)
    if application.status == Status.DRAFT:
        return redirect("pilots:task_list", round_pk=round_pk, pk=pk)
    application = _with_answers(application)
    now = timezone.now()
    return render(
        request,
        "pilots/receipt.html",
        application_context(
            application,
            summary=summary_rows(application),
            can_withdraw=deadlines.can_withdraw(application, now),
            can_add_supplement=deadlines.can_add_supplement(application, now),
            authority_notice=authority.notice(application, request.user, ask_sources=False),
        ),
    )


@applicant_required
def withdraw(request, round_pk, pk):
    application = access.get_application(request.user, pk, round_pk)
    error = None
    if request.method == "POST":
        try:
            services.withdraw(application, request.user)
        except services.WorkflowError as failure:
            error = str(failure)
        else:
            messages.success(request, "Søknaden er trukket. Kommunene kan være med i en ny søknad.")
            return redirect("pilots:my_applications")
    return render(
        request,
        "pilots/withdraw.html",
        application_context(application, error=error, can_withdraw=deadlines.can_withdraw(application)),
    )
