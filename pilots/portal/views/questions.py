"""One page per answer section ("Kan kommunene søke?", contact, project, budget):
how each loads its answers into a form and saves them, with autosave and a version
check so two people editing at once never silently overwrite each other."""

from django.contrib import messages
from django.http import Http404, JsonResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext

from pilots.applications import answers, deadlines, services
from pilots.formatting import oslo_time
from pilots.portal import access, conflicts
from pilots.portal.answer_forms import MAX_PARTNERS, BudgetForm, ContactForm, MunicipalitiesForm, ProjectForm
from pilots.portal.task_list import next_url, section_url
from pilots.register import eligibility

from .base import applicant_required, application_context


class QuestionPage:
    """How one question page loads and saves its answers."""

    section = None
    form_class = None
    template = "pilots/section_form.html"

    def form_kwargs(self, request, application):
        return {}

    def initial(self, application):
        return {}

    def apply(self, cleaned):
        """A function that writes the cleaned answers to the locked application (see services.save_answers)."""
        raise NotImplementedError

    def extra_context(self, application, form):
        return {}

    def partial(self, form, stored):
        """The answers to save when some are malformed: the valid ones as typed, the
        saved value for the others."""
        return {**stored, **{name: value for name, value in form.cleaned_data.items() if name not in form.errors}}


class MunicipalitiesPage(QuestionPage):
    section = answers.MUNICIPALITIES
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


class ContactPage(QuestionPage):
    section = answers.CONTACT
    form_class = ContactForm

    def initial(self, application):
        return ContactForm.initial_from(getattr(application, "contact", None))

    def apply(self, cleaned):
        fields = {name: cleaned.get(name) or "" for name in ("name", "role", "email", "phone")}
        return lambda locked: services.set_contact(locked, **fields)


class ProjectPage(QuestionPage):
    section = answers.PROJECT
    form_class = ProjectForm

    def initial(self, application):
        names = answers.PROJECT_FIELDS + ["council_decision", "council_decision_date"]
        return {name: getattr(application, name) for name in names}

    def apply(self, cleaned):
        def apply(locked):
            for name in answers.PROJECT_FIELDS + ["council_decision"]:
                setattr(locked, name, cleaned.get(name) or "")
            locked.council_decision_date = cleaned.get("council_decision_date")

        return apply


class BudgetPage(QuestionPage):
    section = answers.BUDGET
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
        return {"budget_total": answers.budget_total(application)}

    def partial(self, form, stored):
        cleaned = super().partial(form, stored)
        if any(name.startswith("line_") for name in form.errors) or "lines" not in form.cleaned_data:
            # One malformed line keeps every saved line: lines are replaced as a whole.
            cleaned["lines"] = [
                (stored[f"line_{n}_description"], stored[f"line_{n}_amount"])
                for n in range(1, form.line_count + 1)
                if stored.get(f"line_{n}_description")
            ]
        return cleaned


PAGES = {page.section.slug: page for page in (MunicipalitiesPage(), ContactPage(), ProjectPage(), BudgetPage())}


@applicant_required
def question_page(request, round_pk, pk, slug):
    application = access.get_application(request.user, pk, round_pk)
    page = PAGES.get(slug)
    if page is None:
        raise Http404("Fant ikke siden.")
    autosave = request.headers.get("X-Autosave") == "1"
    if not deadlines.is_open_for_answers(application):
        if autosave:
            return JsonResponse({"saved": False, "message": gettext("Søknaden kan ikke endres lenger.")}, status=409)
        messages.info(request, gettext("Søknaden kan ikke endres lenger. Her er svarene slik de er lagret."))
        return redirect("pilots:check_answers", round_pk=round_pk, pk=pk)
    if page.section is not answers.MUNICIPALITIES and not answers.MUNICIPALITIES.is_complete(application):
        messages.info(request, gettext("Velg kommuner som kan søke før du fyller ut resten av søknaden."))
        return redirect(section_url(application, answers.MUNICIPALITIES))

    kwargs = page.form_kwargs(request, application)
    if request.method != "POST":
        form = page.form_class(initial={"version": application.version, **page.initial(application)}, **kwargs)
        return _render(request, application, page, form)

    action = request.POST.get("action", "continue")
    complete = action == "continue" and not autosave
    stored = page.initial(application)
    data = request.POST.copy()
    if data.get("version") != str(application.version):
        # Someone else saved since this form was loaded; checked before validation so
        # the applicant hears about the conflict first.
        data["version"] = str(application.version)
        data.pop(conflicts.FIELDS, None)
        found, theirs = conflicts.find(page.form_class(data, complete=False, **kwargs), stored, data)
        if found or (theirs and autosave):
            # Autosave cannot show the other person's values in the form, so it stops.
            return _conflict(request, application, page, kwargs, data, found, autosave, theirs, complete)
    unresolved = conflicts.resolve(data, page.form_class(data, complete=False, **kwargs), stored)
    form = page.form_class(data, complete=complete, **kwargs)
    if unresolved:
        form.is_valid()
        form.add_error(None, gettext("Velg for hvert felt som er endret av noen andre, hvilken verdi du vil beholde."))
        return _render(request, application, page, form, conflicts=unresolved)
    if not form.is_valid():
        if autosave:
            return _autosave_valid_fields(application, page, form, stored)
        return _render(request, application, page, form)
    try:
        version = services.save_answers(application, form.cleaned_data["version"], page.apply(form.cleaned_data))
    except services.StaleVersion:
        application.refresh_from_db()
        data["version"] = str(application.version)
        data.pop(conflicts.FIELDS, None)
        found, theirs = conflicts.find(page.form_class(data, complete=False, **kwargs), page.initial(application), data)
        return _conflict(request, application, page, kwargs, data, found, autosave, theirs, complete)
    except services.WorkflowError as error:
        if autosave:
            return JsonResponse({"saved": False, "message": str(error)}, status=409)
        form.add_error(None, str(error))
        return _render(request, application, page, form)

    if autosave:
        return _autosaved(application, page, form, version, [])
    application.refresh_from_db()
    here = section_url(application, page.section)
    if action == "add_partner":
        slot = kwargs["partner_slots"] + 1
        return redirect(f"{here}?plasser={slot}#id_partner_{slot}")
    if action == "add_line":
        line = kwargs["line_count"] + 1
        return redirect(f"{here}?poster={line}#id_line_{line}_description")
    if action == "return":
        messages.success(request, gettext("Utkastet er lagret kl. %(time)s.") % {"time": oslo_time(timezone.now())})
        return redirect("pilots:task_list", round_pk=round_pk, pk=pk)
    if page.section is answers.MUNICIPALITIES and not page.section.is_complete(application):
        # Saved, but the rule is not met: show each municipality's reason on the same page.
        form = page.form_class(initial={"version": application.version, **page.initial(application)}, **kwargs)
        return _render(request, application, page, form, not_eligible=True)
    return redirect(next_url(application, page.section))


def _autosave_valid_fields(application, page, form, stored):
    """Autosave with some malformed answers: save every valid one, keep the saved
    value of each malformed one (never empty it), and name the malformed ones."""
    invalid = [
        {"id": form[name].auto_id, "label": str(form.fields[name].label), "message": " ".join(errors)}
        for name, errors in form.errors.items()
        if name in form.fields and name != "version"
    ]
    if "version" in form.errors:
        return JsonResponse({"saved": False, "message": gettext("Ikke lagret. Last inn siden på nytt.")}, status=400)
    try:
        version = services.save_answers(
            application, form.cleaned_data["version"], page.apply(page.partial(form, stored))
        )
    except services.StaleVersion:
        return JsonResponse({"saved": False, "conflict": True, "message": str(services.StaleVersion(0))}, status=409)
    except services.WorkflowError as error:
        return JsonResponse({"saved": False, "message": str(error)}, status=409)
    return _autosaved(application, page, form, version, invalid)


def _autosaved(application, page, form, version, invalid):
    """The autosave answer: the new version and baseline for the form, and the
    malformed fields that kept their saved value."""
    application.refresh_from_db()
    return JsonResponse(
        {
            "saved": True,
            "version": version,
            "baseline": conflicts.baseline(form, page.initial(application)),
            "saved_at": oslo_time(timezone.now()),
            "invalid": invalid,
        }
    )


def _conflict(request, application, page, form_kwargs, data, found, autosave, theirs, complete):
    """Show both values of each conflicting field (`found`) and let the person choose;
    what they typed stays in the form (with the other person's values in the fields
    only they changed), with the current version."""
    if autosave:
        labels = [str(page.form_class(data, complete=False, **form_kwargs).fields[name].label) for name in theirs]
        return JsonResponse(
            {
                "saved": False,
                "conflict": True,
                "message": str(services.StaleVersion(application.version)),
                "fields": [{"label": c.label, "theirs": c.theirs, "mine": c.mine} for c in found]
                + [{"label": label, "theirs": "", "mine": ""} for label in labels],
            },
            status=409,
        )
    form = page.form_class(data, complete=complete, **form_kwargs)
    form.is_valid()
    form.add_error(
        None,
        gettext(
            "Noen andre har endret søknaden etter at du åpnet denne siden. Det du skrev, er ikke lagret ennå. "
            "Velg for hvert felt som er endret, hvilken verdi du vil beholde, og lagre på nytt."
        ),
    )
    return _render(request, application, page, form, conflicts=found)


def _render(request, application, page, form, **extra):
    context = application_context(
        application,
        form=form,
        section=page.section,
        baseline=conflicts.baseline(form, page.initial(application)),
        **page.extra_context(application, form),
        **extra,
    )
    return render(request, page.template, context)
