"""Reminders about planned council decisions: one application from its inspect page,
or all that the listing's filters show, after a page that lists them (reminders.py
has the rules)."""

from django.contrib import messages
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.generic import TemplateView
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.admin.views.generic.permissions import PermissionCheckedMixin

from pilots.applications.models import Application
from pilots.casework import permissions, reminders
from pilots.casework.filters import COUNCIL_DECISION_MISSING, ApplicationFilterSet

from .actions import ActionView, Refused


class SendReminderView(ActionView):
    permission_required = permissions.CHANGE_STATUS
    anchor = "#vedlegg"

    def perform_operation(self):
        try:
            sent = reminders.send_reminder(self.object, self.request.user)
        except ValueError as refusal:
            raise Refused(str(refusal)) from refusal
        if not sent:
            return _("%(reference)s: påminnelsen er allerede sendt i dag.") % {"reference": self.object.reference}
        return _("%(reference)s: påminnelse om kommunestyrevedtaket er sendt.") % {"reference": self.object.reference}


class RemindersView(PermissionCheckedMixin, WagtailAdminTemplateMixin, TemplateView):
    """GET lists the applications the listing's filters show (with «Vedtak planlagt,
    ikke mottatt» always applied), split into those a reminder goes to and those whose
    supplement deadline has passed; POST reminds the ones listed and still waiting."""

    model = Application
    permission_required = permissions.CHANGE_STATUS
    template_name = "pilots/admin/reminders_confirm.html"
    page_title = gettext_lazy("Påminnelse om kommunestyrevedtak")
    header_icon = "mail"
    index_url_name = None

    def get_breadcrumbs_items(self):
        return self.breadcrumbs_items + [
            {"url": self.listing_url(), "label": _("Søknader (saksbehandling)")},
            {"url": "", "label": _("Påminnelse om kommunestyrevedtak")},
        ]

    def listing_url(self):
        query = self.request.GET.copy()
        query["council_decision"] = COUNCIL_DECISION_MISSING
        return reverse(self.index_url_name) + "?" + query.urlencode()

    def filtered(self):
        data = self.request.GET.copy()
        data["council_decision"] = COUNCIL_DECISION_MISSING
        base = Application.objects.cases().select_related("round").order_by("reference")
        return ApplicationFilterSet(data, queryset=base).qs

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        now = timezone.now()
        applications = list(self.filtered())
        context.update(
            to_remind=[a for a in applications if reminders.can_remind(a, now)],
            too_late=[a for a in applications if not reminders.can_remind(a, now)],
            listing_url=self.listing_url(),
            query=self.request.GET.urlencode(),
        )
        return context

    def post(self, request, *args, **kwargs):
        wanted = {int(pk) for pk in request.POST.getlist("application") if pk.isdigit()}
        chosen = [a for a in self.filtered() if a.pk in wanted]
        if not chosen:
            messages.error(request, _("Ingen søknader var valgt. Ingen påminnelser er sendt."))
        else:
            sent, skipped = reminders.send_reminders(chosen, request.user)
            text = ngettext(
                "Påminnelse om kommunestyrevedtak er sendt for %(count)d søknad.",
                "Påminnelse om kommunestyrevedtak er sendt for %(count)d søknader.",
                len(sent),
            ) % {"count": len(sent)}
            if skipped:
                text += " " + _("%(count)d fikk ikke påminnelse nå (sendt i dag allerede, mottatt eller for sent).") % {
                    "count": len(skipped)
                }
            messages.success(request, text)
        return redirect(self.listing_url())
