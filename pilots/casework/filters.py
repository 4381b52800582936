"""The filters of the applications listing: round, status, county, centrality class,
theme, authority (unconfirmed municipalities, or several applications naming one), and
council decisions planned but not received (reminders go to exactly those: reminders.py)."""

import django_filters
from django.db.models import F
from django.utils.translation import gettext_lazy as _
from wagtail.admin.filters import WagtailFilterSet

from pilots.applications.models import Application, Round
from pilots.applications.status import CASES, Status
from pilots.messages.models import Message
from pilots.register.models import CENTRALITY_CLASSES, County

from . import authority
from .assignment import case_handlers, person_name
from .reminders import awaiting_council_decision

#: The value of the council decision filter, also used by the reminder views' links.
COUNCIL_DECISION_MISSING = "missing"
COUNCIL_DECISION_CHOICES = [(COUNCIL_DECISION_MISSING, _("Vedtak planlagt, ikke mottatt"))]

MINE, UNASSIGNED = "mine", "none"


def case_handler_choices():
    """«Mine saker», «Ikke tildelt», then each case handler by name."""
    return [(MINE, _("Mine saker")), (UNASSIGNED, _("Ikke tildelt"))] + [
        (str(user.pk), person_name(user)) for user in case_handlers()
    ]


#: What is waiting in the thread with the applicant (pilots.messages).
THREAD_CHOICES = [("new_answer", _("Nytt svar fra søkeren")), ("open_question", _("Venter på svar fra søkeren"))]

AUTHORITY_CHOICES = [
    ("unconfirmed", _("Fullmakt ikke bekreftet for minst én kommune")),
    ("conflict", _("Flere søknader for samme kommune")),
]


class ApplicationFilterSet(WagtailFilterSet):
    round = django_filters.ModelChoiceFilter(label=_("Utlysing"), queryset=Round.objects.all())
    status = django_filters.ChoiceFilter(label=_("Status"), choices=[(s.value, s.label) for s in CASES])
    county = django_filters.ModelChoiceFilter(
        label=_("Fylke"), queryset=County.objects.all(), method="filter_county", distinct=True
    )
    centrality_class = django_filters.ChoiceFilter(
        label=_("Sentralitetsklasse"), choices=CENTRALITY_CLASSES, method="filter_centrality_class"
    )
    theme = django_filters.CharFilter(label=_("Tema inneholder"), field_name="themes", lookup_expr="icontains")
    authority = django_filters.ChoiceFilter(label=_("Fullmakt"), choices=AUTHORITY_CHOICES, method="filter_authority")
    case_handler = django_filters.ChoiceFilter(
        label=_("Saksbehandler"), choices=case_handler_choices, method="filter_case_handler"
    )
    council_decision = django_filters.ChoiceFilter(
        label=_("Kommunestyrevedtak"), choices=COUNCIL_DECISION_CHOICES, method="filter_council_decision"
    )

    thread = django_filters.ChoiceFilter(label=_("Meldinger"), choices=THREAD_CHOICES, method="filter_thread")

    class Meta:
        model = Application
        fields = ["round", "status"]

    def filter_county(self, queryset, name, value):
        """Any of the application's municipalities lies in the county."""
        ids = Application.objects.filter(municipality_links__municipality__county=value).values("pk")
        return queryset.filter(pk__in=ids)

    def filter_centrality_class(self, queryset, name, value):
        """Any municipality has this class in the edition of the index the round uses."""
        ids = Application.objects.filter(
            municipality_links__municipality__centralities__centrality_class=value,
            municipality_links__municipality__centralities__edition=F("round__centrality_edition"),
        ).values("pk")
        return queryset.filter(pk__in=ids)

    def filter_case_handler(self, queryset, name, value):
        if value == MINE:
            return queryset.filter(assignment__handler=self.request.user)
        if value == UNASSIGNED:
            return queryset.filter(assignment__isnull=True)
        return queryset.filter(assignment__handler_id=value)

    def filter_thread(self, queryset, name, value):
        if value == "new_answer":
            return queryset.filter(pk__in=Message.objects.unread_answers().values("application_id"))
        waiting = Message.objects.open_questions().values("application_id")
        return queryset.filter(pk__in=waiting, status=Status.MORE_INFORMATION)

    def filter_authority(self, queryset, name, value):
        return authority.unconfirmed(queryset) if value == "unconfirmed" else authority.conflicting(queryset)

    def filter_council_decision(self, queryset, name, value):
        return awaiting_council_decision(queryset)
