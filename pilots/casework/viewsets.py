"""The admin of case handling: applications for case handlers and decision makers,
and the snippets staff edit (rounds, criteria, decision e-mail templates).

Applications are a read-only ModelViewSet (see permissions.ApplicationPermissionPolicy):
listing with filters, search, sorting and spreadsheet export, an inspect view with
everything about one application, and, through `get_urlpatterns`, the portfolio and
the actions posted from the inspect page and the portfolio (views/actions.py)."""

from django.urls import path
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail.admin.ui.tables import Column
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.snippets.views.snippets import SnippetViewSet

from pilots.applications.models import Application, Round
from pilots.formatting import kroner
from pilots.register.models import Municipality

from . import rounds
from .assessment import mean_score_text, review_count_text
from .assignment import person_name
from .filters import ApplicationFilterSet
from .models import Criterion, DecisionEmailTemplate
from .views import actions, assignment, letters, messages, reminders
from .views.applications import (
    ApplicationHistoryView,
    ApplicationIndexView,
    ApplicationInspectView,
    AttachmentDownloadView,
)
from .views.portfolio import NotSelectedForRestView, PortfolioView


def case_handler_name(application):
    current = getattr(application, "assignment", None)
    return person_name(current.handler) if current else _("Ikke tildelt")


class ApplicationViewSet(ModelViewSet):
    model = Application
    icon = "form"
    menu_label = gettext_lazy("Søknader (saksbehandling)")
    menu_order = 310
    add_to_admin_menu = True
    copy_view_enabled = False
    # The add/edit/delete views exist in every ModelViewSet but the permission policy
    # refuses them to everyone; this only satisfies the viewset's form configuration.
    form_fields = ["title"]
    inspect_view_enabled = True
    index_view_class = ApplicationIndexView
    inspect_view_class = ApplicationInspectView
    history_view_class = ApplicationHistoryView
    filterset_class = ApplicationFilterSet
    search_fields = ["reference", "title", "summary", "themes"]
    search_backend_name = None  # plain database lookups: applications are not in the site search index
    ordering = ["-submitted_at"]
    list_per_page = 50
    list_display = [
        "reference",  # the title column: links to the inspect view
        Column("title", label=gettext_lazy("Prosjekt"), sort_key="title"),
        Column("lead_county", label=gettext_lazy("Fylke"), accessor="lead_county"),
        Column("municipality_count", label=gettext_lazy("Kommuner"), accessor="municipality_count"),
        Column("status", label=gettext_lazy("Status"), accessor="get_status_display", sort_key="status"),
        Column(
            "decision",
            label=gettext_lazy("Forberedt vedtak"),
            accessor=lambda a: a.get_decision_display() if a.decision else "",
            sort_key="decision",
        ),
        Column("mean_score", label=gettext_lazy("Snittpoeng"), accessor=mean_score_text, sort_key="mean_score_sort"),
        Column("review_count", label=gettext_lazy("Vurderinger"), accessor=review_count_text, sort_key="review_count"),
        Column(
            "case_handler",
            label=gettext_lazy("Saksbehandler"),
            accessor=case_handler_name,
            sort_key="assignment__handler__first_name",
        ),
        Column(
            "amount_applied",
            label=gettext_lazy("Søkt beløp"),
            accessor=lambda a: kroner(a.amount_applied),
            sort_key="amount_applied",
        ),
        Column("submitted_at", label=gettext_lazy("Sendt inn"), sort_key="submitted_at"),
    ]
    list_export = [
        "reference",
        "title",
        "round",
        "get_status_display",
        "get_decision_display",
        "lead_county",
        "municipality_names",
        "municipality_count",
        "themes",
        "amount_applied",
        "own_contribution",
        "mean_score",
        "review_count",
        "case_handler",
        "submitted_at",
        "submitter",
        "contact_name",
        "contact_email",
        "contact_phone",
    ]
    export_headings = {
        "reference": gettext_lazy("Referanse"),
        "title": gettext_lazy("Prosjekt"),
        "round": gettext_lazy("Utlysing"),
        "get_status_display": gettext_lazy("Status"),
        "get_decision_display": gettext_lazy("Forberedt vedtak"),
        "lead_county": gettext_lazy("Fylke (søkerkommune)"),
        "municipality_names": gettext_lazy("Kommuner"),
        "municipality_count": gettext_lazy("Antall kommuner"),
        "themes": gettext_lazy("Tema"),
        "amount_applied": gettext_lazy("Søkt beløp (kr)"),
        "own_contribution": gettext_lazy("Egeninnsats (kr)"),
        "mean_score": gettext_lazy("Snittpoeng"),
        "review_count": gettext_lazy("Antall vurderinger"),
        "case_handler": gettext_lazy("Saksbehandler"),
        "submitted_at": gettext_lazy("Sendt inn (norsk tid)"),
        "submitter": gettext_lazy("Sendt inn av"),
        "contact_name": gettext_lazy("Kontaktperson"),
        "contact_email": gettext_lazy("Kontaktpersonens e-post"),
        "contact_phone": gettext_lazy("Kontaktpersonens telefon"),
    }
    export_filename = "soknader"

    def get_common_view_kwargs(self, **kwargs):
        return super().get_common_view_kwargs(
            portfolio_url_name=self.get_url_name("portfolio"),
            reminders_url_name=self.get_url_name("reminders"),
            **kwargs,
        )

    def action(self, view_class, back_to):
        """An action view that goes back to the view named `back_to` when done."""
        return self.construct_view(view_class, success_url_name=self.get_url_name(back_to))

    def thread_form(self, view_class):
        """A form page about the thread with the applicant (views/messages.py)."""
        return self.construct_view(view_class, inspect_url_name=self.get_url_name("inspect"))

    def get_urlpatterns(self):
        return super().get_urlpatterns() + [
            path("portefolje/", self.construct_view(PortfolioView, header_icon="table"), name="portfolio"),
            path("portefolje/ikke-valgt/", self.construct_view(NotSelectedForRestView), name="prepare_rest"),
            path("portefolje/frigi/", self.action(actions.ReleaseView, "portfolio"), name="release"),
            path("status/<int:pk>/", self.action(actions.ChangeStatusView, "inspect"), name="change_status"),
            path("vurdering/<int:pk>/", self.action(actions.SaveReviewsView, "inspect"), name="save_reviews"),
            path("notat/<int:pk>/", self.action(actions.AddNoteView, "inspect"), name="add_note"),
            path("sporsmal/<int:pk>/", self.thread_form(messages.AskQuestionView), name="ask_question"),
            path("melding/<int:pk>/", self.thread_form(messages.SendMessageView), name="send_message"),
            path("melding/<int:pk>/lest/", self.action(messages.MarkAnswersReadView, "inspect"), name="answers_read"),
            path("fullmakt/<int:pk>/", self.action(actions.ConfirmAuthorityView, "inspect"), name="confirm_authority"),
            path("vedtak/<int:pk>/", self.action(actions.SetDecisionView, "inspect"), name="set_decision"),
            path("vedtaksbrev/<int:pk>/", self.thread_form(letters.DecisionLetterView), name="decision_letter"),
            path("vedtaksbrev/<int:pk>/pdf/", self.construct_view(letters.DecisionLetterPdfView), name="letter_pdf"),
            path("soknad-pdf/<int:pk>/", self.construct_view(letters.ApplicationPdfView), name="application_pdf"),
            path("paminnelse/<int:pk>/", self.action(reminders.SendReminderView, "inspect"), name="remind"),
            path("paminnelser/", self.construct_view(reminders.RemindersView), name="reminders"),
            path("tildeling/<int:pk>/", self.action(assignment.AssignView, "inspect"), name="assign"),
            path("inhabil/<int:pk>/", self.action(assignment.DisqualifyView, "inspect"), name="disqualify"),
            path(
                "vedlegg/<int:pk>/<int:attachment_pk>/",
                self.construct_view(AttachmentDownloadView),
                name="download_attachment",
            ),
        ]


class RoundViewSet(SnippetViewSet):
    """Rounds ("utlysinger") with their deadlines and eligibility rule, edited by staff."""

    model = Round
    edit_handler = rounds.edit_handler
    index_view_class = rounds.RoundIndexView
    icon = "date"
    menu_label = gettext_lazy("Utlysinger")
    menu_order = 300
    add_to_admin_menu = True
    list_display = ["name", "opens_at", "closes_at", "max_pilots", "max_amount"]
    list_export = ["name", "opens_at", "closes_at", "supplement_deadline", "max_pilots", "max_amount", "budget_total"]
    list_filter = ["closes_at"]
    search_fields = ["name"]
    ordering = ["-closes_at"]


class MunicipalityViewSet(SnippetViewSet):
    """The register's municipalities, where staff keep each one's organisation number
    (for Altinn) and e-mail domains (who may apply for it; see applications.authority)."""

    model = Municipality
    icon = "site"
    menu_label = gettext_lazy("Kommuner (fullmakt)")
    list_display = ["number", "name", "county", "organisation_number", "email_domains", "valid_from"]
    list_filter = ["valid_from"]
    search_fields = ["name", "number"]
    search_backend_name = None  # plain database lookups: the register is not in the site search index
    ordering = ["number", "-valid_from"]
    list_per_page = 100


class CriterionViewSet(SnippetViewSet):
    """The published assessment criteria of each round."""

    model = Criterion
    icon = "tasks"
    menu_label = gettext_lazy("Vurderingskriterier")
    list_display = ["name", "round", "sort_order"]
    list_filter = ["round"]
    ordering = ["round", "sort_order"]


class DecisionEmailTemplateViewSet(SnippetViewSet):
    model = DecisionEmailTemplate
    icon = "mail"
    menu_label = gettext_lazy("E-postmaler for vedtak")
    list_display = ["outcome", "subject"]


# Norwegian admin paths like the rest of the site: /admin/soknader/…
application_viewset = ApplicationViewSet("pilot_applications", url_prefix="soknader")
