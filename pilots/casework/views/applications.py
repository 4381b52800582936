"""Seeing applications: the listing, the inspect page with everything about one
application and the forms to act on it, its history, and its attachments."""

from django.http import Http404
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.views import View
from wagtail.admin.views import generic
from wagtail.admin.views.generic import history
from wagtail.admin.views.generic.permissions import PermissionCheckedMixin
from wagtail.log_actions import registry as log_registry

from pilots.applications.answers import answer_changes, summary_rows
from pilots.applications.models import Application, Attachment
from pilots.applications.status import ACTIVE, CASES, Decision
from pilots.applications.views import private_download
from pilots.casework import authority, permissions
from pilots.casework.assessment import scored_cases, with_scores
from pilots.casework.services import allowed_transitions


class ApplicationIndexView(generic.IndexView):
    def get_base_queryset(self):
        return scored_cases()


class ApplicationHistoryView(history.HistoryView):
    """The audit log of an application; Wagtail's default asks for edit rights,
    which nobody has here, so seeing the application is enough."""

    any_permission_required = [permissions.VIEW]


class ApplicationInspectView(generic.InspectView):
    template_name = "pilots/admin/application_inspect.html"
    portfolio_url_name = None

    def get_object(self, queryset=None):
        return get_object_or_404(
            with_scores(Application.objects.cases())
            .select_related("round", "contact", "created_by")
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
        reviews = list(application.reviews.select_related("reviewer", "criterion"))
        mine = {r.criterion_id: r for r in reviews if r.reviewer_id == user.pk}
        authority_rows = authority.panel(application)
        context.update(
            {
                "summary": summary_rows(application),
                "changes": answer_changes(application),
                "municipalities": self._municipalities(application),
                "authority_rows": authority_rows,
                "unconfirmed_municipalities": [r["municipality"] for r in authority_rows if not r["authority"]],
                "can_confirm_authority": active and self.user_has_permission(permissions.CHANGE_STATUS),
                "attachments": application.attachments.all(),
                "reviews": reviews,
                "review_rows": [{"criterion": c, "mine": mine.get(c.pk)} for c in application.round.criteria.all()],
                "notes": application.internal_notes.select_related("author"),
                "transitions": [(s.value, s.label) for s in allowed_transitions(application, user)],
                "can_assess": active and self.user_has_permission(permissions.ASSESS),
                "can_decide": active and self.user_has_permission(permissions.DECIDE),
                "decisions": Decision.choices,
                "portfolio_url": reverse(self.portfolio_url_name) + f"?round={application.round_id}",
                "history": log_registry.get_logs_for_instance(application).select_related("user")[:15],
            }
        )
        return context

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
        attachment = Attachment.objects.filter(
            pk=attachment_pk, application_id=pk, application__status__in=CASES
        ).first()
        if attachment is None:
            raise Http404
        return private_download(attachment)
