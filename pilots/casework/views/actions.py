"""The forms of case handling, each a small view served by the applications viewset:
fetch the application (or round), check the permission, call one service, say how
it went, and go back to where the form was.

Services refuse what the rules forbid (WorkflowError) and check the permission
again (PermissionDenied), so a view cannot let through what a service would not."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from wagtail.admin.views.generic.base import BaseOperationView
from wagtail.admin.views.generic.permissions import PermissionCheckedMixin

from pilots.applications.models import Application, Round
from pilots.applications.services import WorkflowError
from pilots.applications.status import Decision, Status
from pilots.casework import permissions, services
from pilots.casework.models import Criterion


class Refused(Exception):
    """The request cannot be carried out; each argument is a message for the person."""


class ActionView(PermissionCheckedMixin, BaseOperationView):
    """The skeleton every action shares. A subclass sets `permission_required` (an
    action of the application permission policy) and implements `perform_operation`,
    which calls a service and returns the success message, or raises Refused or
    WorkflowError, whose message is shown instead. Either way the person goes back
    to the form (`next`, else the success URL with `anchor`)."""

    model = Application
    anchor = ""

    def get_base_object_queryset(self):
        return Application.objects.cases().select_related("round")

    def get_success_url(self):
        return self.next_url or reverse(self.success_url_name, args=[self.object.pk]) + self.anchor

    def post(self, request, *args, **kwargs):
        try:
            message = self.perform_operation()
        except (Refused, WorkflowError) as refusal:
            for text in refusal.args:
                messages.error(request, text)
        else:
            messages.success(request, message)
        return redirect(self.get_success_url())

    def posted_choice(self, name, choices, refusal):
        """The value posted as `name` if it is one of `choices` (an enum of choices);
        anything else is refused with the message `refusal`."""
        value = self.request.POST.get(name, "")
        if value not in choices.values:
            raise Refused(refusal)
        return value


class ChangeStatusView(ActionView):
    permission_required = permissions.CHANGE_STATUS

    def post(self, request, *args, **kwargs):
        if request.POST.get("status") == Status.MORE_INFORMATION:
            # The question and its reply deadline are written on a page of their own (views/messages.py).
            return redirect(reverse("pilot_applications:ask_question", args=[self.object.pk]))
        return super().post(request, *args, **kwargs)

    def perform_operation(self):
        new_status = self.posted_choice("status", Status, _("Velg en ny status."))
        note = self.request.POST.get("note", "").strip()
        services.change_status(self.object, new_status, self.request.user, note=note)
        return _("Status er endret til «%(status)s».") % {"status": self.object.get_status_display()}


class SaveReviewsView(ActionView):
    """Scores (1–5) and comments for every criterion of the round; a blank score is
    left out, anything else than 1–5 is refused with a message and nothing saved."""

    permission_required = permissions.ASSESS
    anchor = "#vurdering"

    def perform_operation(self):
        wanted, problems = [], []
        for criterion in Criterion.objects.filter(round=self.object.round_id):
            raw = self.request.POST.get(f"score_{criterion.pk}", "").strip()
            comment = self.request.POST.get(f"comment_{criterion.pk}", "").strip()
            if not raw:
                continue
            if raw not in {"1", "2", "3", "4", "5"}:
                problems.append(
                    _("%(criterion)s: poeng må være et helt tall fra 1 til 5.") % {"criterion": criterion.name}
                )
                continue
            wanted.append((criterion, int(raw), comment))
        if problems:
            raise Refused(*problems)
        for criterion, score, comment in wanted:
            services.save_review(self.object, self.request.user, criterion, score, comment)
        return ngettext(
            "Vurderingen er lagret (%(count)d kriterium).", "Vurderingen er lagret (%(count)d kriterier).", len(wanted)
        ) % {"count": len(wanted)}


class AddNoteView(ActionView):
    permission_required = permissions.ASSESS
    anchor = "#notater"

    def perform_operation(self):
        text = self.request.POST.get("text", "").strip()
        if not text:
            raise Refused(_("Skriv et notat før du lagrer."))
        services.add_note(self.object, self.request.user, text)
        return _("Notatet er lagret.")


class ConfirmAuthorityView(ActionView):
    """A case handler confirms, after contacting the municipality, that the applicant
    may act for it; the note says who confirmed what."""

    permission_required = permissions.CHANGE_STATUS
    anchor = "#fullmakt"

    def perform_operation(self):
        raw = self.request.POST.get("municipality", "")
        links = self.object.municipality_links.select_related("municipality")
        link = links.filter(municipality_id=raw).first() if raw.isdigit() else None
        if link is None:
            raise Refused(_("Velg kommunen du vil bekrefte fullmakten for."))
        services.confirm_authority(self.object, link.municipality, self.request.user, self.request.POST.get("note", ""))
        return _("Det er bekreftet at søkeren kan søke på vegne av %(municipality)s kommune.") % {
            "municipality": link.municipality.display_name
        }


class SetDecisionView(ActionView):
    """Posted from the inspect page and from the portfolio (which sends `next`)."""

    permission_required = permissions.DECIDE

    def perform_operation(self):
        decision = self.posted_choice("decision", Decision, _("Velg et vedtak."))
        services.set_decision(self.object, decision, self.request.user)
        return f"{self.object.reference}: {self.object.get_decision_display().lower()}."

    def post(self, request, *args, **kwargs):
        """A refusal from the portfolio is also shown in the row of the application
        (see PortfolioView.row_errors), and the page returns to it, not to the top."""
        if not self.next_url:
            return super().post(request, *args, **kwargs)
        try:
            message = self.perform_operation()
        except (Refused, WorkflowError) as refusal:
            for text in refusal.args:
                messages.error(request, text, extra_tags=decision_refusal_tag(self.object.pk))
            return redirect(self.next_url.split("#")[0] + f"#vedtak-feil-{self.object.pk}")
        messages.success(request, message)
        return redirect(self.get_success_url())


def decision_refusal_tag(pk):
    return f"pilots-decision-{pk}"


class RoundActionView(ActionView):
    """An action on a whole round, posted from the portfolio with the round's id; the
    permission is still the applications' (deciding is about applications)."""

    permission_required = permissions.DECIDE

    def get_pk(self):
        round_id = self.request.POST.get("round", "")
        if not round_id.isdigit():
            raise Http404
        return round_id

    def get_object(self):
        return get_object_or_404(Round, pk=self.pk)

    def get_success_url(self):
        return reverse(self.success_url_name) + f"?round={self.object.pk}" + self.anchor


class ReleaseView(RoundActionView):
    def perform_operation(self):
        if self.request.POST.get("confirm") != "yes":
            self.anchor = "#frigi"
            raise Refused(_("Kryss av for at du vil frigi vedtakene."))
        count = services.release_decisions(self.object, self.request.user)
        if not count:
            return _("Det var ingen nye vedtak å frigi.")
        return ngettext(
            "%(count)d vedtak er frigitt. Søkerne får e-post, og statusen deres er oppdatert under «Mine søknader».",
            "%(count)d vedtak er frigitt. Søkerne får e-post, og statusen deres er oppdatert under «Mine søknader».",
            count,
        ) % {"count": count}
