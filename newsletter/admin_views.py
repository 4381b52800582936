"""Admin views for an issue: send (with a confirmation step), follow the sending,
send a test to oneself. Served by IssueSendingViewSet (viewsets.py), which gives
them the permission policy and the names of each other's URLs."""

from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import TemplateView
from wagtail.admin import messages
from wagtail.admin.views.generic.base import BaseObjectMixin, WagtailAdminTemplateMixin
from wagtail.admin.views.generic.permissions import PermissionCheckedMixin

from . import bounces, sending
from .deliveries import Delivery, IssueDispatch
from .pages import NewsletterIssuePage
from .provider_events import ProviderEvent


class IssueSendingView(PermissionCheckedMixin, BaseObjectMixin, WagtailAdminTemplateMixin, TemplateView):
    """The issue named in the URL, with `permission_required` checked for that issue
    (PermissionCheckedMixin checks it for issues in general first)."""

    model = NewsletterIssuePage
    header_icon = "mail"
    send_url_name = None
    status_url_name = None

    def dispatch(self, request, *args, **kwargs):
        if not self.user_has_permission_for_instance(self.permission_required, self.object):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_page_subtitle(self):
        return self.object.title

    def get_breadcrumbs_items(self):
        return self.breadcrumbs_items + [
            {"url": self.edit_url, "label": self.object.get_admin_display_title()},
            {"url": "", "label": self.get_page_title()},
        ]

    @property
    def edit_url(self):
        return reverse("wagtailadmin_pages:edit", args=[self.object.pk])

    @property
    def status_url(self):
        return reverse(self.status_url_name, args=[self.object.pk])

    def get_context_data(self, **kwargs):
        dispatch = IssueDispatch.objects.filter(issue=self.object).first()
        return super().get_context_data(
            issue=self.object, dispatch=dispatch, edit_url=self.edit_url, status_url=self.status_url, **kwargs
        )


class SendView(IssueSendingView):
    """GET asks ("send to N subscribers?"), POST sends. A second press is refused by
    sending.start_sending, not by this view, so it holds across tabs and users."""

    permission_required = "send"
    page_title = gettext_lazy("Send utgaven")
    template_name = "newsletter/admin/send.html"

    def get_context_data(self, **kwargs):
        newsletter_list = self.object.newsletter_list
        return super().get_context_data(
            newsletter_list=newsletter_list,
            recipients=sending.eligible_recipients(newsletter_list).count(),
            **kwargs,
        )

    def post(self, request, *args, **kwargs):
        try:
            created = sending.start_sending(self.object, request.user)
        except sending.SendingRefused as error:
            messages.error(request, str(error))
        else:
            messages.success(request, _("Utsendingen har startet: %(count)s mottakere.") % {"count": created})
        return redirect(self.status_url)


class StatusView(IssueSendingView):
    """Deliveries per status, and the hard bounces and complaints the mail provider
    reported for the issue; the page refreshes itself while the issue is being sent."""

    permission_required = "view"
    page_title = gettext_lazy("Utsendingsstatus")
    template_name = "newsletter/admin/status.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        dispatch = context["dispatch"]
        counts = sending.delivery_counts(self.object)
        labels = dict(Delivery.STATUS_CHOICES)
        report_labels = dict(ProviderEvent.KIND_CHOICES)
        context.update(
            rows=[(labels[key], key, value) for key, value in counts.items()],
            provider_rows=[
                (report_labels[key], key, value) for key, value in bounces.issue_counts(self.object).items()
            ],
            total=sum(counts.values()),
            refresh=dispatch is not None and dispatch.status == IssueDispatch.SENDING,
            can_send=self.user_has_permission("send"),
            send_url=reverse(self.send_url_name, args=[self.object.pk]),
        )
        return context


class SendTestView(IssueSendingView):
    """Mails the latest revision (a draft too) to the editor; never makes a Delivery."""

    permission_required = "send_test"
    page_title = gettext_lazy("Send test til meg")
    template_name = "newsletter/admin/send_test.html"

    def post(self, request, *args, **kwargs):
        try:
            sending.send_test(self.object.get_latest_revision_as_object(), request.user)
        except sending.SendingRefused as error:
            messages.error(request, str(error))
        else:
            messages.success(request, _("Testen er sendt til %(email)s.") % {"email": request.user.email})
        return redirect(self.edit_url)
