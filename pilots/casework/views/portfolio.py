"""The portfolio page, where decision makers choose the pilots of a round and release
the decisions (the forms post to actions.py)."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _
from django.views.generic import TemplateView
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.admin.views.generic.permissions import PermissionCheckedMixin

from pilots.applications.models import Application, Round
from pilots.applications.services import WorkflowError
from pilots.applications.status import Decision
from pilots.casework import permissions, services
from pilots.casework.models import Disqualification
from pilots.casework.portfolio import current_round, portfolio

from .actions import decision_refusal_tag


class PortfolioView(PermissionCheckedMixin, WagtailAdminTemplateMixin, TemplateView):
    model = Application
    permission_required = permissions.VIEW
    template_name = "pilots/admin/portfolio.html"
    page_title = _("Portefølje: piloter")
    header_icon = "table"
    index_url_name = None

    def get(self, request, *args, **kwargs):
        self.round = current_round(request.GET.get("round"))
        return super().get(request, *args, **kwargs)

    def get_page_subtitle(self):
        return self.round.name if self.round else ""

    def get_breadcrumbs_items(self):
        return self.breadcrumbs_items + [
            {"url": reverse(self.index_url_name), "label": gettext("Søknader (saksbehandling)")},
            {"url": "", "label": gettext("Portefølje")},
        ]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            round=self.round,
            rounds=Round.objects.order_by("-closes_at"),
            can_decide=self.user_has_permission(permissions.DECIDE),
            Decision=Decision,
        )
        if self.round is not None:
            context.update(portfolio(self.round))
            self._mark_rows(context["rows"])
        return context

    def _mark_rows(self, rows):
        """Each row gets the refusals of a decision posted for it from this page (the
        messages stay in the summary at the top too), and whether the person is
        disqualified in it (then no scores and no decision buttons)."""
        stood_aside = set(
            Disqualification.objects.filter(person=self.request.user).values_list("application_id", flat=True)
        )
        by_tag = {}
        for row in rows:
            row["errors"] = []
            row["disqualified"] = row["application"].pk in stood_aside
            by_tag[decision_refusal_tag(row["application"].pk)] = row
        for message in messages.get_messages(self.request):
            for tag in message.extra_tags.split():
                if tag in by_tag:
                    by_tag[tag]["errors"].append(str(message))


class NotSelectedForRestView(PermissionCheckedMixin, WagtailAdminTemplateMixin, TemplateView):
    """«Ikke valgt» for the rest of a round, in two steps: the page lists exactly the
    applications it will mark and, separately, the ones it leaves alone; the person
    confirms, and only the listed ones are marked."""

    model = Application
    permission_required = permissions.DECIDE
    template_name = "pilots/admin/not_selected_confirm.html"
    page_title = _("Sett «ikke valgt» på resten")
    header_icon = "table"
    index_url_name = None
    portfolio_url_name = None

    def dispatch(self, request, *args, **kwargs):
        round_id = request.POST.get("round") if request.method == "POST" else request.GET.get("round")
        if not str(round_id or "").isdigit():
            raise Http404
        self.round = get_object_or_404(Round, pk=round_id)
        return super().dispatch(request, *args, **kwargs)

    def portfolio_url(self, anchor=""):
        return reverse(self.portfolio_url_name) + f"?round={self.round.pk}" + anchor

    def get_page_subtitle(self):
        return self.round.name

    def get_breadcrumbs_items(self):
        return self.breadcrumbs_items + [
            {"url": reverse(self.index_url_name), "label": gettext("Søknader (saksbehandling)")},
            {"url": self.portfolio_url(), "label": gettext("Portefølje")},
            {"url": "", "label": gettext("Ikke valgt for resten")},
        ]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            round=self.round,
            portfolio_url=self.portfolio_url("#frigi"),
            **services.rest_for_not_selected(self.round, self.request.user),
        )
        return context

    def post(self, request, *args, **kwargs):
        confirmed = [int(pk) for pk in request.POST.getlist("application") if pk.isdigit()]
        try:
            count = services.prepare_not_selected_for_rest(self.round, request.user, confirmed=confirmed)
        except WorkflowError as refusal:
            messages.error(request, str(refusal))
        else:
            messages.success(
                request,
                ngettext(
                    "%(count)d søknad er forberedt som «ikke valgt».",
                    "%(count)d søknader er forberedt som «ikke valgt».",
                    count,
                )
                % {"count": count},
            )
        return redirect(self.portfolio_url("#frigi"))
