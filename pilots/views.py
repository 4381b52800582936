"""The application flow: "Mine søknader", the task list, one page per question group,
"Se over svarene", the declaration, the receipt, withdrawing and attachments.

Every view that touches an application fetches it through `access.get_application`
(404 for anyone without access); every change goes through `services`."""

import functools

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.db import transaction
from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.csrf import csrf_exempt, csrf_protect

from . import access, eligibility, sections, services
from .forms import (
    MAX_PARTNERS,
    AttachmentForm,
    BudgetForm,
    ContactForm,
    DeclarationForm,
    InviteForm,
    MunicipalitiesForm,
    ProjectForm,
    SizeLimitUploadHandler,
)
from .models import Application, Round
from .sections import PROJECT_FIELDS
from .tasks import send_invitation
from .templatetags.pilots_tags import oslo_time

#: Statuses in which the applicant works on the answers (a draft, or after the
#: ministry asked for more information).
EDITABLE = (Application.Status.DRAFT, Application.Status.MORE_INFORMATION)


def applicant_required(view):
    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path(), reverse("pilots:sign_in"), "neste")
        response = view(request, *args, **kwargs)
        response["Cache-Control"] = "private, no-store"
        return response

    return wrapper


def _context(application, **extra):
    return {"application": application, "round": application.round, "noindex": True, **extra}


@applicant_required
def my_applications(request):
    applications = (
        access.accessible_applications(request.user)
        .select_related("round")
        .prefetch_related("municipality_links__municipality")
        .order_by("-created_at")
    )
    now = timezone.now()
    open_rounds = [r for r in Round.objects.filter(opens_at__lte=now) if r.state(now) == Round.State.OPEN]
    rows = [{"application": a, "status": status_for_applicant(a, now)} for a in applications]
    return render(request, "pilots/my_applications.html", {"rows": rows, "open_rounds": open_rounds, "noindex": True})


def status_for_applicant(application, now):
    """A status sentence the applicant understands (the public name, never the
    internal one: a shortlisted application is still "Under behandling")."""
    if application.status == Application.Status.SUBMITTED:
        return "Sendt inn"
    if application.status != Application.Status.DRAFT:
        return application.public_status
    if services.is_open_for_answers(application, now) or services.can_submit_now(application, now):
        return "Ikke sendt inn – du kan fortsette å skrive"
    return "Ikke sendt inn – fristen er ute"


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
        {"round": round, "state": round.state(), "call_page": round.call_page(), "noindex": True},
    )


@applicant_required
def task_list(request, round_pk, pk):
    application = access.get_application(request.user, pk, round_pk)
    if application.status not in EDITABLE:
        return redirect("pilots:receipt", round_pk=round_pk, pk=pk)
    rows, all_done = sections.task_list(application)
    return render(
        request,
        "pilots/task_list.html",
        _context(
            application,
            rows=rows,
            all_done=all_done,
            editable=services.is_open_for_answers(application),
            can_submit=services.can_submit_now(application),
            done_count=sum(1 for r in rows if r["status"] == sections.Status.DONE),
        ),
    )


# --- Answer sections ------------------------------------------------------------------


class SectionPage:
    """How one question page loads and saves its answers."""

    section = None
    form_class = None
    template = "pilots/section_form.html"

    def form_kwargs(self, request, application):
        return {}

    def initial(self, application):
        return {}

    def apply(self, cleaned):
        raise NotImplementedError

    def next_url(self, application):
        index = sections.SECTIONS.index(self.section)
        if index + 1 < len(sections.SECTIONS):
            return sections.SECTIONS[index + 1].url(application)
        return reverse("pilots:check_answers", args=[application.round_id, application.pk])

    def extra_context(self, application, form):
        return {}


class MunicipalitiesPage(SectionPage):
    section = sections.MUNICIPALITIES
    form_class = MunicipalitiesForm
    template = "pilots/section_municipalities.html"

    def partner_slots(self, request, application):
        partners = application.partners
        wanted = request.POST.get("partner_slots") or request.GET.get("plasser")
        try:
            wanted = int(wanted)
        except (TypeError, ValueError):
            wanted = 0
        return max(2, len(partners) + 1, min(wanted, MAX_PARTNERS))

    def form_kwargs(self, request, application):
        return {
            "round": application.round,
            "partner_slots": min(self.partner_slots(request, application), MAX_PARTNERS),
        }

    def initial(self, application):
        initial = {"lead": application.lead}
        for number, municipality in enumerate(application.partners, start=1):
            initial[f"partner_{number}"] = municipality
        return initial

    def apply(self, cleaned):
        return lambda locked: services.set_municipalities(locked, cleaned.get("lead"), cleaned.get("partners", []))

    def extra_context(self, application, form):
        municipalities = [link.municipality for link in application.municipality_links.select_related("municipality")]
        result = (
            eligibility.check(application.round, municipalities, exclude_application=application)
            if municipalities
            else None
        )
        return {"eligibility": result, "max_partners": MAX_PARTNERS}


class ContactPage(SectionPage):
    section = sections.CONTACT
    form_class = ContactForm

    def initial(self, application):
        return ContactForm.initial_from(getattr(application, "contact", None))

    def apply(self, cleaned):
        fields = {name: cleaned.get(name) or "" for name in ("name", "role", "email", "phone")}
        return lambda locked: services.set_contact(locked, **fields)


class ProjectPage(SectionPage):
    section = sections.PROJECT
    form_class = ProjectForm

    def initial(self, application):
        names = PROJECT_FIELDS + ["council_decision", "council_decision_date"]
        return {name: getattr(application, name) for name in names}

    def apply(self, cleaned):
        def apply(locked):
            for name in PROJECT_FIELDS + ["council_decision"]:
                setattr(locked, name, cleaned.get(name) or "")
            locked.council_decision_date = cleaned.get("council_decision_date")

        return apply


class BudgetPage(SectionPage):
    section = sections.BUDGET
    form_class = BudgetForm
    template = "pilots/section_budget.html"

    def form_kwargs(self, request, application):
        existing = application.budget_lines.count()
        try:
            posted = int(request.POST.get("line_count", 0))
        except ValueError:
            posted = 0
        wanted = request.GET.get("poster", "")
        count = max(3, existing + 1, min(posted, 30), min(int(wanted) if wanted.isdigit() else 0, 30))
        return {"max_amount": application.round.max_amount, "line_count": count}

    def initial(self, application):
        initial = {"amount_applied": application.amount_applied, "own_contribution": application.own_contribution}
        for number, line in enumerate(application.budget_lines.all(), start=1):
            initial[f"line_{number}_description"] = line.description
            initial[f"line_{number}_amount"] = line.amount
        return initial

    def apply(self, cleaned):
        def apply(locked):
            locked.amount_applied = cleaned.get("amount_applied")
            locked.own_contribution = cleaned.get("own_contribution")
            services.set_budget_lines(locked, cleaned.get("lines", []))

        return apply

    def extra_context(self, application, form):
        return {"budget_total": sections.budget_total(application)}


SECTION_PAGES = {page.section.slug: page for page in (MunicipalitiesPage(), ContactPage(), ProjectPage(), BudgetPage())}


@applicant_required
def section(request, round_pk, pk, slug):
    application = access.get_application(request.user, pk, round_pk)
    page = SECTION_PAGES.get(slug)
    if page is None:
        raise Http404("Fant ikke siden.")
    autosave = request.headers.get("X-Autosave") == "1"
    if not services.is_open_for_answers(application):
        if autosave:
            return JsonResponse({"saved": False, "message": "Søknaden kan ikke endres lenger."}, status=409)
        messages.info(request, "Søknaden kan ikke endres lenger. Her er svarene slik de er lagret.")
        return redirect("pilots:check_answers", round_pk=round_pk, pk=pk)
    if page.section is not sections.MUNICIPALITIES and not sections.MUNICIPALITIES.is_complete(application):
        messages.info(request, "Velg kommuner som kan søke før du fyller ut resten av søknaden.")
        return redirect(sections.MUNICIPALITIES.url(application))

    kwargs = page.form_kwargs(request, application)
    if request.method != "POST":
        form = page.form_class(initial={"version": application.version, **page.initial(application)}, **kwargs)
        return _render_section(request, application, page, form)

    action = request.POST.get("action", "continue")
    complete = action == "continue" and not autosave
    if request.POST.get("version") != str(application.version):
        # Checked before validation so the applicant hears about the conflict first.
        return _conflict(request, application, page, kwargs, services.StaleVersion(application.version), autosave)
    form = page.form_class(request.POST, complete=complete, **kwargs)
    if not form.is_valid():
        if autosave:
            return JsonResponse({"saved": False, "message": "Ikke lagret: noen svar har feil."}, status=400)
        return _render_section(request, application, page, form)
    try:
        version = services.save_answers(application, form.cleaned_data["version"], page.apply(form.cleaned_data))
    except services.StaleVersion as conflict:
        return _conflict(request, application, page, kwargs, conflict, autosave)
    except services.WorkflowError as error:
        if autosave:
            return JsonResponse({"saved": False, "message": str(error)}, status=409)
        form.add_error(None, str(error))
        return _render_section(request, application, page, form)

    if autosave:
        return JsonResponse({"saved": True, "version": version, "saved_at": oslo_time(timezone.now())})
    application.refresh_from_db()
    if action == "add_partner":
        return redirect(
            page.section.url(application)
            + f"?plasser={kwargs['partner_slots'] + 1}#id_partner_{kwargs['partner_slots'] + 1}"
        )
    if action == "add_line":
        return redirect(
            page.section.url(application)
            + f"?poster={kwargs['line_count'] + 1}#id_line_{kwargs['line_count'] + 1}_description"
        )
    if action == "return":
        messages.success(request, f"Utkastet er lagret kl. {oslo_time(timezone.now())}.")
        return redirect("pilots:task_list", round_pk=round_pk, pk=pk)
    if page.section is sections.MUNICIPALITIES and not page.section.is_complete(application):
        # Saved, but the rule is not met: show each municipality's reason on the same page.
        form = page.form_class(initial={"version": application.version, **page.initial(application)}, **kwargs)
        return _render_section(request, application, page, form, not_eligible=True)
    return redirect(page.next_url(application))


def _conflict(request, application, page, form_kwargs, conflict, autosave):
    """Someone else saved since this form was loaded: keep what this person typed,
    say so, and let a second save (now with the current version) go through."""
    if autosave:
        return JsonResponse({"saved": False, "conflict": True, "message": str(conflict)}, status=409)
    data = request.POST.copy()
    data["version"] = str(conflict.current_version)
    form = page.form_class(data, complete=False, **form_kwargs)
    form.is_valid()
    form.add_error(None, str(conflict))
    return _render_section(request, application, page, form, conflict=True)


def _render_section(request, application, page, form, **extra):
    context = _context(application, form=form, section=page.section, **page.extra_context(application, form), **extra)
    return render(request, page.template, context)


# --- Attachments ----------------------------------------------------------------------


@csrf_exempt
def attachments(request, round_pk, pk):
    """The upload handler must be in place before anything reads request.POST, which
    the CSRF check does; so CSRF is checked in the inner view instead."""
    request.upload_handlers.insert(0, SizeLimitUploadHandler(request))
    return _attachments(request, round_pk, pk)


@csrf_protect
@applicant_required
def _attachments(request, round_pk, pk):
    application = access.get_application(request.user, pk, round_pk)
    now = timezone.now()
    can_upload = services.is_open_for_answers(application, now) or services.can_add_supplement(application, now)
    form = AttachmentForm()
    if request.method == "POST" and request.POST.get("action") == "delete":
        attachment = access.get_attachment(request.user, pk, request.POST.get("attachment"))
        try:
            services.delete_attachment(attachment)
            messages.success(request, f"{attachment.original_name} er slettet.")
        except services.WorkflowError as error:
            messages.error(request, str(error))
        return redirect("pilots:attachments", round_pk=round_pk, pk=pk)
    if request.method == "POST":
        oversized = any(getattr(h, "oversized", False) for h in request.upload_handlers)
        form = AttachmentForm(request.POST, request.FILES, oversized=oversized)
        if form.is_valid():
            try:
                attachment = services.add_attachment(application, form.cleaned_data["file"], request.user, now)
            except services.WorkflowError as error:
                form.add_error("file", str(error))
            else:
                messages.success(request, f"{attachment.original_name} er lastet opp.")
                return redirect("pilots:attachments", round_pk=round_pk, pk=pk)
    return render(
        request,
        "pilots/attachments.html",
        _context(
            application,
            form=form,
            can_upload=can_upload,
            supplementary=application.status == Application.Status.SUBMITTED,
            attachment_list=application.attachments.all(),
            section=sections.ATTACHMENTS,
            max_attachments=services.MAX_ATTACHMENTS,
        ),
    )


@applicant_required
def download_attachment(request, round_pk, pk, attachment_pk):
    access.get_application(request.user, pk, round_pk)
    attachment = access.get_attachment(request.user, pk, attachment_pk)
    return attachment.download_response()


# --- Checking, submitting, receipt ------------------------------------------------------


def _with_answers(queryset_application):
    return (
        Application.objects.select_related("round", "contact")
        .prefetch_related("municipality_links__municipality", "budget_lines", "attachments")
        .get(pk=queryset_application.pk)
    )


@applicant_required
def check_answers(request, round_pk, pk):
    application = _with_answers(access.get_application(request.user, pk, round_pk))
    _rows, all_done = sections.task_list(application)
    return render(
        request,
        "pilots/check_answers.html",
        _context(
            application,
            summary=sections.summary_rows(application),
            editable=services.is_open_for_answers(application),
            all_done=all_done,
            can_submit=services.can_submit_now(application),
            changes=services.answer_changes(application)
            if application.status == Application.Status.MORE_INFORMATION
            else [],
        ),
    )


@applicant_required
def declaration(request, round_pk, pk):
    application = access.get_application(request.user, pk, round_pk)
    if application.status not in EDITABLE:
        return redirect("pilots:receipt", round_pk=round_pk, pk=pk)
    _rows, all_done = sections.task_list(application)
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
        _context(
            application,
            form=form,
            can_submit=services.can_submit_now(application),
            deadline=services.submission_deadline(application),
        ),
    )


@applicant_required
def receipt(request, round_pk, pk):
    application = access.get_application(request.user, pk, round_pk)
    if application.status == Application.Status.DRAFT:
        return redirect("pilots:task_list", round_pk=round_pk, pk=pk)
    application = _with_answers(application)
    now = timezone.now()
    return render(
        request,
        "pilots/receipt.html",
        _context(
            application,
            summary=sections.summary_rows(application),
            can_withdraw=services.can_withdraw(application, now),
            can_add_supplement=services.can_add_supplement(application, now),
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
        _context(application, error=error, can_withdraw=services.can_withdraw(application)),
    )


@applicant_required
def invite(request, round_pk, pk):
    application = access.get_application(request.user, pk, round_pk)
    form = InviteForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            invitation, created = services.invite(application, form.cleaned_data["email"], request.user)
        except services.WorkflowError as error:
            form.add_error("email", str(error))
        else:
            if created:
                url = request.build_absolute_uri(reverse("pilots:task_list", args=[round_pk, pk]))
                transaction.on_commit(lambda: send_invitation.enqueue(invitation.email, application.pk, url))
            messages.success(request, f"{invitation.email} har nå tilgang til søknaden og har fått en e-post.")
            return redirect("pilots:invite", round_pk=round_pk, pk=pk)
    return render(
        request,
        "pilots/invite.html",
        _context(application, form=form, invitations=application.invitations.all()),
    )
