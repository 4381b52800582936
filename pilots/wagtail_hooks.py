"""What the app adds to the Wagtail admin: the applications viewset (with the
portfolio and the case-handling actions), the snippets staff edit, the permission
policy for applications, the portfolio menu item, audit log actions that read as
words, and the statistics panel on the dashboard. The parts live in casework/."""

from django.urls import reverse
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.log_actions import LogFormatter
from wagtail.permissions import register_permission_policy
from wagtail.snippets.models import register_snippet

from .applications.models import Application
from .casework.permissions import VIEW, application_policy, municipality_policy
from .casework.statistics import StatisticsPanel
from .casework.viewsets import (
    CriterionViewSet,
    DecisionEmailTemplateViewSet,
    MunicipalityViewSet,
    RoundViewSet,
    application_viewset,
)
from .messages.history import LOG_ACTIONS as message_log_actions
from .register.models import Municipality

register_snippet(RoundViewSet)
register_snippet(CriterionViewSet)
register_snippet(DecisionEmailTemplateViewSet)
register_permission_policy(Application, application_policy)
register_permission_policy(Municipality, municipality_policy)
register_snippet(MunicipalityViewSet)


@hooks.register("register_admin_viewset")
def register_application_viewset():
    return application_viewset


class PortfolioMenuItem(MenuItem):
    def is_shown(self, request):
        return application_policy.user_has_permission(request.user, VIEW)


@hooks.register("register_admin_menu_item")
def register_portfolio_menu_item():
    url = reverse(application_viewset.get_url_name("portfolio"))
    return PortfolioMenuItem("Portefølje (piloter)", url, icon_name="table", order=311)


def _status_changed(data):
    message = f"Status endret fra «{data.get('from_label', '')}» til «{data.get('to_label', '')}»"
    return message + (f": {data['note']}" if data.get("note") else "")


def _retention(data):
    return (
        f"Søknader eldre enn {data.get('years', '?')} år: {data.get('applications', 0)} anonymisert, "
        f"{data.get('attachments', 0)} vedlegg slettet"
    )


def _assigned(data):
    if data.get("previous"):
        return f"Saken er tildelt {data.get('handler', '')} (før: {data['previous']})"
    return f"Saken er tildelt {data.get('handler', '')}"


# Action, label, and the message made from the entry's data (an empty dict when it has none).
LOG_ACTIONS = [
    ("pilots.status_changed", "Status endret", _status_changed),
    ("pilots.reopened", "Åpnet for endring", lambda data: "Søkeren åpnet søknaden for å endre den før fristen"),
    (
        "pilots.resubmitted",
        "Sendt inn på nytt",
        lambda data: f"Søkeren sendte inn en endret søknad (versjon {data.get('version', '')})",
    ),
    (
        "pilots.revision_discarded",
        "Endringer forkastet",
        lambda data: "Søkeren forkastet endringene som ikke var sendt inn",
    ),
    ("pilots.decision_prepared", "Vedtak forberedt", lambda data: f"Vedtak forberedt: {data.get('to_label', '')}"),
    (
        "pilots.reviewed",
        "Vurdert",
        lambda data: f"Vurdert «{data.get('criterion', '')}»: {data.get('score', '')} poeng",
    ),
    (
        "pilots.decisions_released",
        "Vedtak frigitt",
        lambda data: f"{data.get('released', 0)} vedtak frigitt, {data.get('selected', 0)} valgt",
    ),
    ("pilots.retention", "Sletting etter oppbevaringstid", _retention),
    (
        "pilots.supplement_received",
        "Vedlegg ettersendt",
        lambda data: f"Vedlegg ettersendt: «{data.get('name', '')}» ({data.get('kind', '')})",
    ),
    (
        "pilots.attachment_deleted",
        "Vedlegg slettet av søker",
        lambda data: f"Søkeren slettet vedlegget «{data.get('name', '')}»",
    ),
    (
        "pilots.attachment_purged",
        "Slettet vedlegg fjernet",
        lambda data: f"Vedlegget «{data.get('name', '')}», som søkeren hadde slettet, er fjernet for godt",
    ),
    (
        "pilots.council_decision_reminder",
        "Påminnelse om kommunestyrevedtak",
        lambda data: (
            f"Påminnelse om kommunestyrevedtaket sendt til {data.get('recipients', 0)} mottakere "
            f"(frist {data.get('supplement_deadline', '')})"
        ),
    ),
    (
        "pilots.authority_confirmed",
        "Fullmakt bekreftet",
        lambda data: (
            f"Bekreftet at søkeren kan søke for {data.get('municipality', '')} kommune: {data.get('note', '')}"
        ),
    ),
    ("pilots.assigned", "Tildelt", _assigned),
    (
        "pilots.unassigned",
        "Tildeling fjernet",
        lambda data: (
            f"Saken er ikke lenger tildelt {data.get('handler', '')}"
            + (" (inhabil)" if data.get("reason") == "inhabil" else "")
        ),
    ),
    (
        "pilots.disqualified",
        "Inhabil",
        lambda data: (
            f"{data.get('person', '')} erklærte seg inhabil" + (f": {data['reason']}" if data.get("reason") else "")
        ),
    ),
    ("pilots.invitation_sent", "Invitasjon sendt", lambda data: f"Invitasjon sendt til {data.get('email', '')}"),
    (
        "pilots.invitation_withdrawn",
        "Invitasjon trukket tilbake",
        lambda data: f"Invitasjonen til {data.get('email', '')} er trukket tilbake",
    ),
    ("pilots.member_added", "Medskriver lagt til", lambda data: f"{data.get('email', '')} godtok invitasjonen"),
    ("pilots.member_removed", "Medskriver fjernet", lambda data: f"{data.get('email', '')} har ikke lenger tilgang"),
    (
        "pilots.member_role_changed",
        "Rolle endret",
        lambda data: f"{data.get('email', '')} har nå rollen «{data.get('role', '')}»",
    ),
]


LOG_ACTIONS += message_log_actions


def _formatter(label, describe):
    """A LogFormatter class (Wagtail's registry makes its instance) whose message is
    `describe` applied to the entry's data."""

    class DataFormatter(LogFormatter):
        def format_message(self, log_entry):
            return describe(log_entry.data or {})

    DataFormatter.label = label
    return DataFormatter


@hooks.register("register_log_actions")
def register_case_handling_log_actions(actions):
    """Custom audit log actions, so the admin history says what happened in words."""
    for action, label, describe in LOG_ACTIONS:
        actions.register_action(action)(_formatter(label, describe))
    actions.register_action("pilots.note_added", "Internt notat", "Internt notat lagt til")


@hooks.register("construct_homepage_panels")
def add_statistics_panel(request, panels):
    if application_policy.user_has_permission(request.user, VIEW):
        panels.append(StatisticsPanel())
