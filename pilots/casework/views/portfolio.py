"""The portfolio page, where decision makers choose the pilots of a round and release
the decisions (the forms post to actions.py)."""

from django.urls import reverse
from django.views.generic import TemplateView
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.admin.views.generic.permissions import PermissionCheckedMixin

from pilots.applications.models import Application, Round
from pilots.applications.status import Decision
from pilots.casework import permissions
from pilots.casework.portfolio import current_round, portfolio


class PortfolioView(PermissionCheckedMixin, WagtailAdminTemplateMixin, TemplateView):
    model = Application
    permission_required = permissions.VIEW
    template_name = "pilots/admin/portfolio.html"
    page_title = "Portefølje: piloter"
    header_icon = "table"
    index_url_name = None

    def get(self, request, *args, **kwargs):
        self.round = current_round(request.GET.get("round"))
        return super().get(request, *args, **kwargs)

    def get_page_subtitle(self):
        return self.round.name if self.round else ""

    def get_breadcrumbs_items(self):
        return self.breadcrumbs_items + [
            {"url": reverse(self.index_url_name), "label": "Søknader (saksbehandling)"},
            {"url": "", "label": "Portefølje"},
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
        return context
