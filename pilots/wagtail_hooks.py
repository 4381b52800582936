"""Admin for rounds (part 1) and case handling (part 2): the applications viewset,
the portfolio, criteria and decision e-mail snippets, custom audit log actions and
the statistics panel on the dashboard."""

from django.urls import include, path, reverse
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.log_actions import LogFormatter
from wagtail.permissions import register_permission_policy
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from . import admin_urls, permissions
from .models import Application, Criterion, DecisionEmailTemplate, Round
from .statistics import StatisticsPanel
from .viewsets import application_viewset


class RoundViewSet(SnippetViewSet):
    """Rounds ("utlysinger") with their deadlines and eligibility rule, edited by staff."""

    model = Round
    icon = "date"
    menu_label = "Utlysinger"
    menu_order = 300
    add_to_admin_menu = True
    list_display = ["name", "opens_at", "closes_at", "max_pilots", "max_amount"]
    list_export = ["name", "opens_at", "closes_at", "supplement_deadline", "max_pilots", "max_amount", "budget_total"]
    list_filter = ["closes_at"]
    search_fields = ["name"]
    ordering = ["-closes_at"]


class CriterionViewSet(SnippetViewSet):
    """The published assessment criteria of each round."""

    model = Criterion
    icon = "tasks"
    menu_label = "Vurderingskriterier"
    list_display = ["name", "round", "sort_order"]
    list_filter = ["round"]
    ordering = ["round", "sort_order"]


class DecisionEmailTemplateViewSet(SnippetViewSet):
    model = DecisionEmailTemplate
    icon = "mail"
    menu_label = "E-postmaler for vedtak"
    list_display = ["outcome", "subject"]


register_snippet(RoundViewSet)
register_snippet(CriterionViewSet)
register_snippet(DecisionEmailTemplateViewSet)
register_permission_policy(Application, permissions.ApplicationPermissionPolicy(Application))


@hooks.register("register_admin_viewset")
def register_application_viewset():
    return application_viewset


@hooks.register("register_admin_urls")
def register_case_handling_urls():
    return [path("soknader/", include(admin_urls, namespace="pilots_admin"))]


class PortfolioMenuItem(MenuItem):
    def is_shown(self, request):
        return request.user.has_perm(permissions.VIEW)


@hooks.register("register_admin_menu_item")
def register_portfolio_menu_item():
    return PortfolioMenuItem("Portefølje (piloter)", reverse("pilots_admin:portfolio"), icon_name="table", order=311)


@hooks.register("register_log_actions")
def register_case_handling_log_actions(actions):
    """Custom audit log actions, so the admin history says what happened in words."""

    @actions.register_action("pilots.status_changed")
    class StatusChanged(LogFormatter):
        label = "Status endret"

        def format_message(self, log_entry):
            data = log_entry.data or {}
            message = f"Status endret fra «{data.get('from_label', '')}» til «{data.get('to_label', '')}»"
            return message + (f": {data['note']}" if data.get("note") else "")

    @actions.register_action("pilots.decision_prepared")
    class DecisionPrepared(LogFormatter):
        label = "Vedtak forberedt"

        def format_message(self, log_entry):
            return f"Vedtak forberedt: {(log_entry.data or {}).get('to_label', '')}"

    @actions.register_action("pilots.reviewed")
    class Reviewed(LogFormatter):
        label = "Vurdert"

        def format_message(self, log_entry):
            data = log_entry.data or {}
            return f"Vurdert «{data.get('criterion', '')}»: {data.get('score', '')} poeng"

    @actions.register_action("pilots.decisions_released")
    class DecisionsReleased(LogFormatter):
        label = "Vedtak frigitt"

        def format_message(self, log_entry):
            data = log_entry.data or {}
            return f"{data.get('released', 0)} vedtak frigitt, {data.get('selected', 0)} valgt"

    @actions.register_action("pilots.retention")
    class Retention(LogFormatter):
        label = "Sletting etter oppbevaringstid"

        def format_message(self, log_entry):
            data = log_entry.data or {}
            return (
                f"Søknader eldre enn {data.get('years', '?')} år: {data.get('applications', 0)} anonymisert, "
                f"{data.get('attachments', 0)} vedlegg slettet"
            )

    actions.register_action("pilots.note_added", "Internt notat", "Internt notat lagt til")


@hooks.register("construct_homepage_panels")
def add_statistics_panel(request, panels):
    if request.user.has_perm(permissions.VIEW):
        panels.append(StatisticsPanel())
