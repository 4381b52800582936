"""Admin: the newsletter viewsets and their permission policies, the issue's header
buttons (send, status, test) and subscriber counts on the dashboard."""

from django.urls import reverse
from django.utils.translation import gettext as _
from wagtail import hooks
from wagtail.admin.ui.components import Component
from wagtail.admin.widgets import Button
from wagtail.permissions import register_permission_policy

from policy.permissions import ReadOnlyPermissionPolicy

from . import subscriptions
from .audience import ConsentEvent, Subscriber, Suppression
from .deliveries import IssueDispatch
from .pages import NewsletterIssuePage
from .permissions import IssueSendingPermissionPolicy
from .provider_events import ProviderEvent
from .viewsets import NewsletterViewSetGroup, issue_sending_viewset

# Before any viewset asks the registry, which would otherwise fix the default policy.
for read_only_model in (Subscriber, ConsentEvent, Suppression, ProviderEvent):
    register_permission_policy(read_only_model, ReadOnlyPermissionPolicy(read_only_model))
register_permission_policy(IssueDispatch, IssueSendingPermissionPolicy())


@hooks.register("register_admin_viewset")
def register_newsletter_viewsets():
    return [NewsletterViewSetGroup(), issue_sending_viewset]


@hooks.register("register_page_header_buttons")
def issue_buttons(page, user, view_name, next_url=None):
    if page.specific_class is not NewsletterIssuePage:
        return
    policy = issue_sending_viewset.permission_policy

    def url(view_name):
        return reverse(issue_sending_viewset.get_url_name(view_name), args=[page.pk])

    if policy.user_has_permission_for_instance(user, "send_test", page):
        yield Button(_("Send test til meg"), url("send_test"), icon_name="mail", priority=80)
    if policy.user_has_permission_for_instance(user, "send", page):
        yield Button(_("Send utgaven"), url("send"), icon_name="mail", priority=81)
    yield Button(_("Utsendingsstatus"), url("status"), icon_name="list-ul", priority=82)


class SubscriberCountPanel(Component):
    name = "newsletter_subscribers"
    order = 150
    template_name = "newsletter/admin/dashboard_panel.html"

    def get_context_data(self, parent_context):
        return {"counts": subscriptions.subscriber_counts()}


@hooks.register("construct_homepage_panels")
def add_subscriber_count_panel(request, panels):
    if request.user.has_perm("newsletter.view_subscriber"):
        panels.append(SubscriberCountPanel())
