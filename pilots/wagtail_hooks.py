"""What the app adds to the Wagtail admin: the applications viewset (with the
portfolio and the case-handling actions), the snippets staff edit, the permission
policy for applications, the portfolio menu item, audit log actions that read as
words, and the statistics panel on the dashboard. The parts live in casework/."""

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, gettext_noop
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.log_actions import LogFormatter
from wagtail.permissions import register_permission_policy
from wagtail.snippets.models import register_snippet

from .applications.models import Application
from .applications.status import Decision, Status
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
    return PortfolioMenuItem(gettext_lazy("Portefølje (piloter)"), url, icon_name="table", order=311)


# The messages are made when the history is shown, in the reader's admin language.
def _label(choices, data, key):
    """The label of the value stored under `key`, in the reader's language; else the
    label stored with it (in the language of whoever caused the entry)."""
    try:
        return choices(data[key]).label
    except (KeyError, ValueError):
        return data.get(f"{key}_label", "")


def _status_changed(data):
    message = _("Status endret fra «%(from)s» til «%(to)s»") % {
        "from": _label(Status, data, "from"),
        "to": _label(Status, data, "to"),
    }
    return message + (f": {data['note']}" if data.get("note") else "")


def _retention(data):
    return _("Søknader eldre enn %(years)s år: %(applications)s anonymisert, %(attachments)s vedlegg slettet") % {
        "years": data.get("years", "?"),
        "applications": data.get("applications", 0),
        "attachments": data.get("attachments", 0),
    }


def _assigned(data):
    if data.get("previous"):
        return _("Saken er tildelt %(handler)s (før: %(previous)s)") % {
            "handler": data.get("handler", ""),
            "previous": data["previous"],
        }
    return _("Saken er tildelt %(handler)s") % {"handler": data.get("handler", "")}


def _unassigned(data):
    if data.get("reason") == "inhabil":
        return _("Saken er ikke lenger tildelt %(handler)s (inhabil)") % {"handler": data.get("handler", "")}
    return _("Saken er ikke lenger tildelt %(handler)s") % {"handler": data.get("handler", "")}


def _disqualified(data):
    message = _("%(person)s erklærte seg inhabil") % {"person": data.get("person", "")}
    return message + (f": {data['reason']}" if data.get("reason") else "")


def _council_decision_reminder(data):
    return _("Påminnelse om kommunestyrevedtaket sendt til %(recipients)s mottakere (frist %(deadline)s)") % {
        "recipients": data.get("recipients", 0),
        "deadline": data.get("supplement_deadline", ""),
    }


def _described(text, **fields):
    """A describe function: `text` filled with the entry's data under `fields` (name → data key)."""

    def describe(data):
        return _(text) % {name: data.get(key, "") for name, key in fields.items()}

    return describe


# Action, label, and the message made from the entry's data (an empty dict when it has none).
# The texts passed to _described are marked with gettext_noop so makemessages finds them.
LOG_ACTIONS = [
    ("pilots.status_changed", gettext_lazy("Status endret"), _status_changed),
    (
        "pilots.reopened",
        gettext_lazy("Åpnet for endring"),
        _described(gettext_noop("Søkeren åpnet søknaden for å endre den før fristen")),
    ),
    (
        "pilots.resubmitted",
        gettext_lazy("Sendt inn på nytt"),
        _described(gettext_noop("Søkeren sendte inn en endret søknad (versjon %(version)s)"), version="version"),
    ),
    (
        "pilots.revision_discarded",
        gettext_lazy("Endringer forkastet"),
        _described(gettext_noop("Søkeren forkastet endringene som ikke var sendt inn")),
    ),
    (
        "pilots.decision_prepared",
        gettext_lazy("Vedtak forberedt"),
        lambda data: _("Vedtak forberedt: %(decision)s") % {"decision": _label(Decision, data, "to")},
    ),
    (
        "pilots.reviewed",
        gettext_lazy("Vurdert"),
        _described(gettext_noop("Vurdert «%(criterion)s»: %(score)s poeng"), criterion="criterion", score="score"),
    ),
    (
        "pilots.decisions_released",
        gettext_lazy("Vedtak frigitt"),
        lambda data: (
            _("%(released)s vedtak frigitt, %(selected)s valgt")
            % {"released": data.get("released", 0), "selected": data.get("selected", 0)}
        ),
    ),
    ("pilots.retention", gettext_lazy("Sletting etter oppbevaringstid"), _retention),
    (
        "pilots.supplement_received",
        gettext_lazy("Vedlegg ettersendt"),
        _described(gettext_noop("Vedlegg ettersendt: «%(name)s» (%(kind)s)"), name="name", kind="kind"),
    ),
    (
        "pilots.attachment_deleted",
        gettext_lazy("Vedlegg slettet av søker"),
        _described(gettext_noop("Søkeren slettet vedlegget «%(name)s»"), name="name"),
    ),
    (
        "pilots.attachment_purged",
        gettext_lazy("Slettet vedlegg fjernet"),
        _described(gettext_noop("Vedlegget «%(name)s», som søkeren hadde slettet, er fjernet for godt"), name="name"),
    ),
    (
        "pilots.council_decision_reminder",
        gettext_lazy("Påminnelse om kommunestyrevedtak"),
        _council_decision_reminder,
    ),
    (
        "pilots.authority_confirmed",
        gettext_lazy("Fullmakt bekreftet"),
        _described(
            gettext_noop("Bekreftet at søkeren kan søke for %(municipality)s kommune: %(note)s"),
            municipality="municipality",
            note="note",
        ),
    ),
    ("pilots.assigned", gettext_lazy("Tildelt"), _assigned),
    ("pilots.unassigned", gettext_lazy("Tildeling fjernet"), _unassigned),
    ("pilots.disqualified", gettext_lazy("Inhabil"), _disqualified),
    (
        "pilots.invitation_sent",
        gettext_lazy("Invitasjon sendt"),
        _described(gettext_noop("Invitasjon sendt til %(email)s"), email="email"),
    ),
    (
        "pilots.invitation_withdrawn",
        gettext_lazy("Invitasjon trukket tilbake"),
        _described(gettext_noop("Invitasjonen til %(email)s er trukket tilbake"), email="email"),
    ),
    (
        "pilots.member_added",
        gettext_lazy("Medskriver lagt til"),
        _described(gettext_noop("%(email)s godtok invitasjonen"), email="email"),
    ),
    (
        "pilots.member_removed",
        gettext_lazy("Medskriver fjernet"),
        _described(gettext_noop("%(email)s har ikke lenger tilgang"), email="email"),
    ),
    (
        "pilots.member_role_changed",
        gettext_lazy("Rolle endret"),
        _described(gettext_noop("%(email)s har nå rollen «%(role)s»"), email="email", role="role"),
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
    actions.register_action("pilots.note_added", gettext_lazy("Internt notat"), gettext_lazy("Internt notat lagt til"))


@hooks.register("construct_homepage_panels")
def add_statistics_panel(request, panels):
    if application_policy.user_has_permission(request.user, VIEW):
        panels.append(StatisticsPanel())
