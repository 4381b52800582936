"""An application from «Mine søknader» to the receipt: starting one, the task list,
"Se over svarene", the declaration that submits it, the receipt and withdrawing.
Who has access is in members.py."""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext

from pilots.applications import authority, corrections, deadlines, services
from pilots.applications.answers import answer_changes, answers_snapshot, summary_rows
from pilots.applications.models import Application, Round
from pilots.applications.status import EDITABLE, Status
from pilots.portal import access, revisions
from pilots.portal.forms import DeclarationForm, StartForm
from pilots.portal.task_list import TaskStatus, task_list

from .base import applicant_required, application_context


@applicant_required
def my_applications(request):
    applications = (
        access.accessible_applications(request.user)
        .select_related("round", "revision_of")
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
    """«Opprett søknad»: continue a draft the user has in this round, copy an earlier
    application, or start an empty one (the choice is offered only when there is one)."""
    round = get_object_or_404(Round, pk=round_pk)
    accessible = access.accessible_applications(request.user).filter(revision_of__isnull=True).select_related("round")
    drafts = list(accessible.filter(round=round, status=Status.DRAFT).order_by("-updated_at"))
    earlier = list(accessible.exclude(status=Status.DRAFT, title="").order_by("-created_at")[:20])
    form = StartForm(request.POST if request.method == "POST" else None, drafts=drafts, earlier=earlier)
    if request.method == "POST" and form.is_valid():
        choice, source = form.chosen()
        if choice == StartForm.CONTINUE:
            return redirect("pilots:task_list", round_pk=source.round_id, pk=source.pk)
        try:
            if choice == StartForm.COPY:
                application = corrections.start_copy(source, round, request.user)
                messages.success(
                    request,
                    gettext("Svarene fra «%(name)s» er kopiert. Se over og endre dem.")
                    % {"name": source.display_name()},
                )
            else:
                application = services.start_application(round, request.user)
        except services.WorkflowError as error:
            messages.error(request, str(error))
            return redirect("pilots:start", round_pk=round.pk)
        return redirect("pilots:task_list", round_pk=round.pk, pk=application.pk)
    return render(
        request,
        "pilots/start.html",
        {
            "round": round,
            "state": round.state(),
            "State": Round.State,
            "call_page": round.call_page(),
            "form": form,
            "noindex": True,
        },
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
            can_delete=corrections.can_delete(application, request.user),
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
            changes=_changes(application),
        ),
    )


def _changes(application):
    """What the applicant has changed since the version the ministry has."""
    if application.revision_of_id:
        return answer_changes(application, _Submitted(answers_snapshot(_with_answers(application.revision_of))))
    if application.status == Status.MORE_INFORMATION:
        return answer_changes(application)
    return []


class _Submitted:
    """The submitted application's answers in the shape of a snapshot, for answer_changes."""

    def __init__(self, answers):
        self.answers = answers


@applicant_required
def declaration(request, round_pk, pk):
    application = access.get_application(request.user, pk, round_pk)
    if application.status not in EDITABLE:
        return redirect("pilots:receipt", round_pk=round_pk, pk=pk)
    _rows, all_done = task_list(application)
    if not all_done:
        messages.info(request, gettext("Fullfør alle delene av søknaden før du sender den inn."))
        return redirect("pilots:task_list", round_pk=round_pk, pk=pk)
    form = DeclarationForm(request.POST if request.method == "POST" else None)
    if request.method == "GET":
        services.mark_submission_started(application)
    elif form.is_valid():
        original = application.revision_of
        try:
            if original is not None:
                corrections.submit_revision(application, request.user)
            else:
                services.submit(application, request.user)
        except services.WorkflowError as error:
            form.add_error(None, str(error))
        else:
            if original is not None:
                messages.success(request, gettext("Endringene er sendt inn. Saksbehandleren ser den nye versjonen."))
                return redirect("pilots:receipt", round_pk=round_pk, pk=original.pk)
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
            can_reopen=corrections.can_reopen(application, now),
            revision=corrections.revision(application),
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
            messages.success(request, gettext("Søknaden er trukket. Kommunene kan være med i en ny søknad."))
            return redirect("pilots:my_applications")
    return render(
        request,
        "pilots/withdraw.html",
        application_context(application, error=error, can_withdraw=deadlines.can_withdraw(application)),
    )


@applicant_required
def reopen(request, round_pk, pk):
    """Confirm, then make (or find) the draft for correcting a submitted application."""
    application = access.get_application(request.user, pk, round_pk)
    existing = corrections.revision(application)
    if existing is not None:
        return redirect("pilots:task_list", round_pk=round_pk, pk=existing.pk)
    error = None
    if request.method == "POST":
        try:
            draft = revisions.reopen(application, request.user)
        except services.WorkflowError as failure:
            error = str(failure)
        else:
            messages.success(request, gettext("Du kan nå endre søknaden. Husk å sende inn endringene før fristen."))
            return redirect("pilots:task_list", round_pk=round_pk, pk=draft.pk)
    return render(
        request,
        "pilots/reopen.html",
        application_context(application, error=error, can_reopen=corrections.can_reopen(application)),
    )


@applicant_required
def delete_draft(request, round_pk, pk):
    """Confirm, then delete a draft (or discard a draft of corrections)."""
    application = access.get_application(request.user, pk, round_pk)
    if not corrections.can_delete(application, request.user):
        return render(request, "pilots/delete_draft.html", application_context(application, allowed=False), status=403)
    if request.method == "POST":
        original = application.revision_of
        corrections.delete_draft(application, request.user)
        if original is not None:
            messages.success(request, gettext("Endringene er forkastet. Søknaden du sendte inn, gjelder fortsatt."))
            return redirect("pilots:receipt", round_pk=round_pk, pk=original.pk)
        messages.success(request, gettext("Utkastet «%(name)s» er slettet.") % {"name": application.display_name()})
        return redirect("pilots:my_applications")
    return render(request, "pilots/delete_draft.html", application_context(application, allowed=True))
