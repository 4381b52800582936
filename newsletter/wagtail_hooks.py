"""Admin: issue buttons (send, status, test), the subscriber viewsets for the
"Nyhetsbrevansvarlig" group, and subscriber counts on the dashboard."""

import django_filters
from django.urls import include, path, reverse
from wagtail import hooks
from wagtail.admin.filters import DateRangePickerWidget, WagtailFilterSet
from wagtail.admin.ui.components import Component
from wagtail.admin.viewsets.model import ModelViewSet, ModelViewSetGroup
from wagtail.admin.widgets import Button
from wagtail.permissions import register_permission_policy

from policy.permissions import ReadOnlyPermissionPolicy

from . import admin_urls, services
from .models import (
    ConsentEvent,
    ConsentText,
    NewsletterIssuePage,
    NewsletterList,
    Subscriber,
    Subscription,
    Suppression,
)


@hooks.register("register_admin_urls")
def register_newsletter_admin_urls():
    return [path("nyhetsbrev/", include(admin_urls, namespace="newsletter_admin"))]


@hooks.register("register_page_header_buttons")
def issue_buttons(page, user, view_name, next_url=None):
    if page.specific_class is not NewsletterIssuePage:
        return
    if page.permissions_for_user(user).can_edit():
        yield Button(
            "Send test til meg", reverse("newsletter_admin:send_test", args=[page.pk]), icon_name="mail", priority=80
        )
    if user.has_perm("newsletter.send_issue"):
        yield Button("Send utgaven", reverse("newsletter_admin:send", args=[page.pk]), icon_name="mail", priority=81)
    yield Button(
        "Utsendingsstatus", reverse("newsletter_admin:status", args=[page.pk]), icon_name="list-ul", priority=82
    )


for read_only_model in (Subscriber, ConsentEvent, Suppression):
    register_permission_policy(read_only_model, ReadOnlyPermissionPolicy(read_only_model))


class SubscriberFilterSet(WagtailFilterSet):
    newsletter_list = django_filters.ModelChoiceFilter(
        field_name="subscriptions__newsletter_list",
        queryset=NewsletterList.objects.all(),
        label="Nyhetsbrev",
        distinct=True,
    )
    status = django_filters.ChoiceFilter(
        field_name="subscriptions__status", choices=Subscription.STATUS_CHOICES, label="Status", distinct=True
    )
    created_at = django_filters.DateFromToRangeFilter(label="Opprettet", widget=DateRangePickerWidget)

    class Meta:
        model = Subscriber
        fields = []


class SubscriberViewSet(ModelViewSet):
    model = Subscriber
    icon = "user"
    menu_label = "Abonnenter"
    url_prefix = "nyhetsbrev/abonnenter"
    inspect_view_enabled = True
    copy_view_enabled = False
    list_display = ["email", "subscription_summary", "created_at"]
    list_export = ["email", "subscription_summary", "created_at"]
    export_headings = {"email": "E-post", "subscription_summary": "Påmeldt", "created_at": "Opprettet"}
    export_filename = "abonnenter"
    filterset_class = SubscriberFilterSet
    search_fields = ["email"]
    form_fields = ["email"]


class ConsentEventViewSet(ModelViewSet):
    model = ConsentEvent
    icon = "history"
    menu_label = "Samtykkehendelser"
    url_prefix = "nyhetsbrev/samtykkehendelser"
    inspect_view_enabled = True
    copy_view_enabled = False
    list_display = ["kind", "newsletter_list", "occurred_at", "consent_version", "address_hash"]
    list_filter = ["kind", "newsletter_list", "occurred_at"]
    list_export = ["kind", "newsletter_list", "occurred_at", "consent_version", "address_hash", "recorded_at"]
    form_fields = ["kind"]


class SuppressionViewSet(ModelViewSet):
    model = Suppression
    icon = "cross"
    menu_label = "Sperringer"
    url_prefix = "nyhetsbrev/sperringer"
    inspect_view_enabled = True
    copy_view_enabled = False
    list_display = ["address_hash", "reason", "created_at"]
    list_filter = ["reason"]
    form_fields = ["reason"]


class NewsletterListViewSet(ModelViewSet):
    model = NewsletterList
    icon = "list-ul"
    menu_label = "Lister"
    url_prefix = "nyhetsbrev/lister"
    copy_view_enabled = False
    list_display = ["name", "slug"]
    form_fields = ["name", "slug", "description"]


class ConsentTextViewSet(ModelViewSet):
    model = ConsentText
    icon = "doc-full"
    menu_label = "Samtykketekster"
    url_prefix = "nyhetsbrev/samtykketekster"
    list_display = ["newsletter_list", "version", "created_at"]
    list_filter = ["newsletter_list"]
    form_fields = ["newsletter_list", "version", "text"]


class NewsletterViewSetGroup(ModelViewSetGroup):
    menu_label = "Nyhetsbrev"
    menu_icon = "mail"
    menu_order = 250
    items = (SubscriberViewSet, ConsentEventViewSet, SuppressionViewSet, NewsletterListViewSet, ConsentTextViewSet)


@hooks.register("register_admin_viewset")
def register_newsletter_viewsets():
    return NewsletterViewSetGroup()


class SubscriberCountPanel(Component):
    name = "newsletter_subscribers"
    order = 150
    template_name = "newsletter/admin/dashboard_panel.html"

    def get_context_data(self, parent_context):
        return {"counts": services.subscriber_counts()}


@hooks.register("construct_homepage_panels")
def add_subscriber_count_panel(request, panels):
    if request.user.has_perm("newsletter.view_subscriber"):
        panels.append(SubscriberCountPanel())
