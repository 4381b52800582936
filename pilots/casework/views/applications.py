"""Seeing applications: the listing, the inspect page with everything about one
application and the forms to act on it, its history, and its attachments."""

from django.db.models import Exists, OuterRef
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.views import View
from wagtail.admin.views import generic
from wagtail.admin.views.generic import history
from wagtail.admin.views.generic.permissions import PermissionCheckedMixin
from wagtail.admin.widgets.button import HeaderButton
from wagtail.log_actions import registry as log_registry

from pilots.applications import supplements
from pilots.applications.answers import summary_rows, version_history
from pilots.applications.models import Application, Attachment
from pilots.applications.status import ACTIVE, CASES, Decision
from pilots.applications.views import private_download
from pilots.casework import assignment, authority, permissions, reminders
from pilots.casework.assessment import scored_cases, with_scores
from pilots.casework.export import ApplicationExportMixin
from pilots.casework.models import Disqualification
from pilots.casework.services import allowed_transitions
from pilots.casework.views.letters import letter_panel

#: History entries that tell scores and notes, hidden from a disqualified person.
INTERNAL_LOG_ACTIONS = ("pilots.reviewed", "pilots.note_added")


class ApplicationIndexView(ApplicationExportMixin, generic.IndexView):
    reminders_url_name = None

    def get_base_queryset(self):
        # Whether the person is disqualified in each case, so its scores are hidden from them.
        stood_aside = Disqualification.objects.filter(application=OuterRef("pk"), person=self.request.user)
        return (
            scored_cases()
            .select_related("assignment__handler", "contact", "created_by", "submitted_by")
            .annotate(viewer_disqualified=Exists(stood_aside))
        )

    @cached_property
    def header_buttons(self):
        """«Påminnelse om kommunestyrevedtak» opens a page listing whom the listing's
        filters (with «Vedtak planlagt, ikke mottatt») would remind, before anything is sent."""
        buttons = super().header_buttons
        user = self.request.user
        if self.reminders_url_name and permissions.application_policy.user_has_permission(
            user, permissions.CHANGE_STATUS
        ):
            query = self.request.GET.urlencode()
            url = reverse(self.reminders_url_name) + (f"?{query}" if query else "")
            buttons.append(HeaderButton(_("Påminnelse om kommunestyrevedtak"), url=url, icon_name="mail"))
        return buttons


class ApplicationHistoryView(history.HistoryView):
    """The audit log of an application; Wagtail's default asks for edit rights,
    which nobody has here, so seeing the application is enough."""

    any_permission_required = [permissions.VIEW]

    def get_base_queryset(self):
        queryset = super().get_base_queryset()
        policy = permissions.application_policy
        if not policy.user_has_permission_for_instance(self.request.user, permissions.READ_INTERNAL, self.object):
            queryset = queryset.exclude(action__in=INTERNAL_LOG_ACTIONS)
        return queryset


class ApplicationInspectView(generic.InspectView):
    template_name = "pilots/admin/application_inspect.html"
    portfolio_url_name = None

    def get_object(self, queryset=None):
        return get_object_or_404(
            with_scores(Application.objects.cases())
            .select_related("round", "contact", "created_by", "assignment__handler")
            .prefetch_related(
                "municipality_links__municipality__county",
                "municipality_links__municipality__centralities",
                "budget_lines",
                "attachments",
            ),
            pk=self.pk,
        )

    def get_page_subtitle(self):
        return f"{self.object.reference} – {self.object.display_name()}"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        application, user = self.object, self.request.user
        active = application.status in ACTIVE
        # A disqualified person sees what the applicant sent, never the case's scores and notes.
        can_read_internal = self.user_has_permission_for(permissions.READ_INTERNAL)
        reviews = list(application.reviews.select_related("reviewer", "criterion")) if can_read_internal else []
        mine = {r.criterion_id: r for r in reviews if r.reviewer_id == user.pk}
        authority_rows = authority.panel(application)
        context.update(
            {
                "summary": summary_rows(application),
                "versions": version_history(application),
                "municipalities": self._municipalities(application),
                "authority_rows": authority_rows,
                "unconfirmed_municipalities": [r["municipality"] for r in authority_rows if not r["authority"]],
                "can_confirm_authority": active and self.user_has_permission_for(permissions.CHANGE_STATUS),
                "attachments": supplements.attachments_for_case_handlers(application),
                "can_remind": self.user_has_permission_for(permissions.CHANGE_STATUS)
                and reminders.can_remind(application),
                "reviews": reviews,
                "review_rows": [{"criterion": c, "mine": mine.get(c.pk)} for c in application.round.criteria.all()],
                "notes": application.internal_notes.select_related("author") if can_read_internal else [],
                "transitions": [(s.value, s.label) for s in allowed_transitions(application, user)],
                "can_assess": active and self.user_has_permission_for(permissions.ASSESS),
                "can_decide": active and self.user_has_permission_for(permissions.DECIDE),
                "decisions": Decision.choices,
                "portfolio_url": reverse(self.portfolio_url_name) + f"?round={application.round_id}",
                "history": self._history(application, can_read_internal),
                **self._handling(application, active, can_read_internal),
                **letter_panel(application, user),
            }
        )
        return context

    def user_has_permission_for(self, action):
        return permissions.application_policy.user_has_permission_for_instance(self.request.user, action, self.object)

    def _history(self, application, can_read_internal):
        entries = log_registry.get_logs_for_instance(application).select_related("user")
        if not can_read_internal:
            entries = entries.exclude(action__in=INTERNAL_LOG_ACTIONS)
        return entries[:15]

    def _handling(self, application, active, can_read_internal):
        """Who handles the case, who has stood aside, and what this person may do about it."""
        current = getattr(application, "assignment", None)
        disqualifications = list(application.disqualifications.select_related("person"))
        return {
            "can_read_internal": can_read_internal,
            "assigned": current,
            "can_assign": active and self.user_has_permission_for(permissions.ASSIGN),
            "handlers": assignment.assignable_handlers(application) if active else [],
            "disqualifications": disqualifications,
            "can_disqualify": not any(d.person_id == self.request.user.pk for d in disqualifications),
        }

    def _municipalities(self, application):
        """Each municipality with its class in the edition of the index the round uses."""
        edition = application.round.centrality_edition
        rows = []
        for link in application.municipality_links.all():
            classes = [c.centrality_class for c in link.municipality.centralities.all() if c.edition == edition]
            rows.append({"link": link, "centrality_class": classes[0] if classes else None})
        return rows


class AttachmentDownloadView(PermissionCheckedMixin, View):
    """Attachments are private files: only people who may see applications get them,
    and only from submitted applications."""

    model = Application
    permission_required = permissions.VIEW

    def get(self, request, pk, attachment_pk):
        # Also files the applicant deleted after sending them in (the case keeps them).
        attachment = Attachment.all_objects.filter(
            pk=attachment_pk, application_id=pk, application__status__in=CASES
        ).first()
        if attachment is None:
            raise Http404
        return private_download(attachment)
