"""The base of the admin's form pages about one case (a decision letter, a question or
message to the applicant): the case as the object, its reference in the subtitle, and
breadcrumbs back to its inspect page."""

from django.urls import reverse
from django.views.generic import FormView
from wagtail.admin.views.generic.base import BaseObjectMixin, WagtailAdminTemplateMixin
from wagtail.admin.views.generic.permissions import PermissionCheckedMixin

from pilots.applications.models import Application


class CaseFormView(PermissionCheckedMixin, BaseObjectMixin, WagtailAdminTemplateMixin, FormView):
    inspect_url_name = None

    def get_base_object_queryset(self):
        return Application.objects.cases().select_related("round")

    def get_page_subtitle(self):
        return f"{self.object.reference} – {self.object.display_name()}"

    def inspect_url(self):
        return reverse(self.inspect_url_name, args=[self.object.pk])

    def get_breadcrumbs_items(self):
        return [
            *self.breadcrumbs_items,
            {"url": self.inspect_url(), "label": str(self.object)},
            {"url": "", "label": self.page_title},
        ]
