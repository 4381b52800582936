"""The newsletter's admin screens as Wagtail viewsets: the subscriber records for
the "Nyhetsbrevansvarlig" group (most of them read-only, see wagtail_hooks.py) and
the sending screens of an issue. wagtail_hooks.py registers them."""

import django_filters
from django.urls import path
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from wagtail.admin.filters import DateRangePickerWidget, WagtailFilterSet
from wagtail.admin.ui.tables import Column
from wagtail.admin.viewsets.base import ViewSet
from wagtail.admin.viewsets.model import ModelViewSet, ModelViewSetGroup
from wagtail.permissions import policy_registry

from . import admin_views
from .audience import ConsentEvent, ConsentText, NewsletterList, Subscriber, Subscription, Suppression
from .deliveries import IssueDispatch
from .provider_events import ProviderEvent

# The column of the keyed hash of an e-mail address (the field's own name is English).
ADDRESS_HASH = _("Hashverdi for e-postadressen")


class SubscriberFilterSet(WagtailFilterSet):
    newsletter_list = django_filters.ModelChoiceFilter(
        field_name="subscriptions__newsletter_list",
        queryset=NewsletterList.objects.all(),
        label=_("Nyhetsbrev"),
        distinct=True,
    )
    status = django_filters.ChoiceFilter(
        field_name="subscriptions__status", choices=Subscription.STATUS_CHOICES, label=_("Status"), distinct=True
    )
    created_at = django_filters.DateFromToRangeFilter(label=_("Opprettet"), widget=DateRangePickerWidget)

    class Meta:
        model = Subscriber
        fields = []


class SubscriberViewSet(ModelViewSet):
    model = Subscriber
    icon = "user"
    menu_label = _("Abonnenter")
    url_prefix = "nyhetsbrev/abonnenter"
    inspect_view_enabled = True
    copy_view_enabled = False
    list_display = ["email", "subscription_summary", "created_at"]
    list_export = ["email", "subscription_summary", "created_at"]
    export_headings = {"email": _("E-post"), "subscription_summary": _("Påmeldt"), "created_at": _("Opprettet")}
    export_filename = "abonnenter"
    filterset_class = SubscriberFilterSet
    search_fields = ["email"]
    form_fields = ["email"]


class ConsentEventViewSet(ModelViewSet):
    model = ConsentEvent
    icon = "history"
    menu_label = _("Samtykkehendelser")
    url_prefix = "nyhetsbrev/samtykkehendelser"
    inspect_view_enabled = True
    copy_view_enabled = False
    list_display = [
        "kind",
        "newsletter_list",
        "occurred_at",
        "consent_version",
        Column("address_hash", label=ADDRESS_HASH, sort_key="address_hash"),
    ]
    list_filter = ["kind", "newsletter_list", "occurred_at"]
    list_export = ["kind", "newsletter_list", "occurred_at", "consent_version", "address_hash", "recorded_at"]
    export_headings = {"address_hash": ADDRESS_HASH}
    form_fields = ["kind"]


class SuppressionViewSet(ModelViewSet):
    model = Suppression
    icon = "cross"
    menu_label = _("Sperringer")
    url_prefix = "nyhetsbrev/sperringer"
    inspect_view_enabled = True
    copy_view_enabled = False
    list_display = [Column("address_hash", label=ADDRESS_HASH, sort_key="address_hash"), "reason", "created_at"]
    list_filter = ["reason"]
    form_fields = ["reason"]


class ProviderEventViewSet(ModelViewSet):
    """Hard bounces and complaints the mail provider reported, of the newsletter and of
    other mail from the site (read-only, see wagtail_hooks.py)."""

    model = ProviderEvent
    icon = "warning"
    menu_label = _("Avvisninger og klager")
    url_prefix = "nyhetsbrev/avvisninger"
    inspect_view_enabled = True
    copy_view_enabled = False
    list_display = [
        "kind",
        "source",
        "issue",
        "occurred_at",
        Column("address_hash", label=ADDRESS_HASH, sort_key="address_hash"),
    ]
    list_filter = ["kind", "source", "occurred_at"]
    ordering = ["-occurred_at"]
    form_fields = ["kind"]


class NewsletterListViewSet(ModelViewSet):
    model = NewsletterList
    icon = "list-ul"
    menu_label = _("Lister")
    url_prefix = "nyhetsbrev/lister"
    copy_view_enabled = False
    list_display = ["name", "slug"]
    form_fields = ["name", "slug", "description"]


class ConsentTextViewSet(ModelViewSet):
    model = ConsentText
    icon = "doc-full"
    menu_label = _("Samtykketekster")
    url_prefix = "nyhetsbrev/samtykketekster"
    list_display = ["newsletter_list", "version", "created_at"]
    list_filter = ["newsletter_list"]
    form_fields = ["newsletter_list", "version", "text"]


class NewsletterViewSetGroup(ModelViewSetGroup):
    menu_label = _("Nyhetsbrev")
    menu_icon = "mail"
    menu_order = 250
    items = (
        SubscriberViewSet,
        ConsentEventViewSet,
        SuppressionViewSet,
        ProviderEventViewSet,
        NewsletterListViewSet,
        ConsentTextViewSet,
    )


class IssueSendingViewSet(ViewSet):
    """Send an issue, follow its sending, send a test: reached from the buttons in the
    issue's page header, not from the menu. URLs: /admin/nyhetsbrev/<issue id>/…"""

    name = "newsletter_sending"
    url_prefix = "nyhetsbrev"
    icon = "mail"

    @cached_property
    def permission_policy(self):
        return policy_registry.get_by_type(IssueDispatch)

    def get_common_view_kwargs(self, **kwargs):
        return super().get_common_view_kwargs(
            permission_policy=self.permission_policy,
            header_icon=self.icon,
            send_url_name=self.get_url_name("send"),
            status_url_name=self.get_url_name("status"),
            **kwargs,
        )

    def get_urlpatterns(self):
        return [
            path("<int:pk>/send/", self.construct_view(admin_views.SendView), name="send"),
            path("<int:pk>/status/", self.construct_view(admin_views.StatusView), name="status"),
            path("<int:pk>/test/", self.construct_view(admin_views.SendTestView), name="send_test"),
        ]


issue_sending_viewset = IssueSendingViewSet()
