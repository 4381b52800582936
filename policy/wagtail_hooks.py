"""The base app's admin hooks: the two-factor pages under /admin/tofaktor/, and
Wagtail's "private" pages and document collections meaning fully signed-in staff.

Applicants sign in too (with an e-mail link or ID-porten) and choose their own
address, so a page or collection restricted to "signed-in users" would otherwise be
open to anyone who can receive an e-mail. Such visitors are sent to the staff sign-in,
as visitors who are not signed in are. Staff who have given the password but not yet
the second factor they need are sent to give it, and meanwhile see documents as a
visitor does (so not the unreleased ones)."""

from django.contrib.auth.models import AnonymousUser
from django.urls import include, path, reverse
from django.utils.cache import add_never_cache_headers
from wagtail import hooks
from wagtail.models import BaseViewRestriction
from wagtail.wagtail_hooks import require_wagtail_login

from policy import language_report, outbox_admin, request_metrics, two_factor, two_factor_views

#: Set on a document request whose user was shown the file as a visitor (see above).
PENDING_ATTRIBUTE = "two_factor_pending"


@hooks.register("register_admin_urls")
def two_factor_urls():
    return [path("tofaktor/", include(two_factor_views.urlpatterns))]


@hooks.register("register_admin_urls")
def outbox_urls():
    return [path("utgaende-epost/", include((outbox_admin.urlpatterns, "wagtailadmin_outbox")))]


@hooks.register("register_admin_urls")
def language_report_urls():
    view = language_report.LanguageReportView.as_view()
    return [path("rapporter/sprakrapport/", view, name="language_report")]


@hooks.register("register_reports_menu_item")
def language_report_menu_item():
    return language_report.menu_item(reverse("language_report"))


@hooks.register("construct_homepage_panels")
def undelivered_mail_panel(request, panels):
    outbox_admin.homepage_panel(request, panels)


def is_staff_member(user):
    """Staff: people with a staff flag or access to the admin. Applicant accounts have
    neither (pilots.portal.auth makes them without)."""
    return user.is_active and (user.is_staff or user.has_perm("wagtailadmin.access_admin"))


def _half_signed_in(request):
    return two_factor.requires_two_factor(request.user) and not two_factor.is_verified(request)


def _staff_only(restrictions, request, *, pending):
    """The answer to a signed-in visitor when a "signed-in users" or group restriction
    applies: staff who still owe the second factor go to give it, others who are not
    staff go to the staff sign-in; None lets the request on (Wagtail's own check then
    handles visitors who are not signed in, passwords and groups)."""
    restricted = [r for r in restrictions if r.restriction_type != BaseViewRestriction.PASSWORD]
    if not restricted:
        return None
    if pending:
        response = two_factor.redirect_to_verify(request)
    elif is_staff_member(request.user) or not any(r.restriction_type == BaseViewRestriction.LOGIN for r in restricted):
        return None
    else:
        response = require_wagtail_login(next=request.get_full_path())
    add_never_cache_headers(response)
    return response


# First, so that a page answered by a later hook (a sign-in redirect) is still named by its type.
hooks.register("before_serve_page", request_metrics.label_page, order=-200)


@hooks.register("before_serve_page")
def private_pages_are_for_staff(page, request, serve_args, serve_kwargs):
    if not request.user.is_authenticated:  # Wagtail's check; no query for visitors
        return None
    restrictions = page.get_view_restrictions()
    if not restrictions:
        return None
    return _staff_only(restrictions, request, pending=_half_signed_in(request))


@hooks.register("before_serve_document", order=-150)
def unverified_staff_get_documents_as_visitors(document, request):
    """Runs before the embargo (documents/wagtail_hooks.py), which lets staff have
    unreleased files: a password alone must not be enough for that."""
    if request.user.is_authenticated and _half_signed_in(request):
        setattr(request, PENDING_ATTRIBUTE, True)
        request.user = AnonymousUser()
    return None


@hooks.register("before_serve_document", order=-50)
def private_documents_are_for_staff(document, request):
    pending = getattr(request, PENDING_ATTRIBUTE, False)
    if not (pending or request.user.is_authenticated):
        return None
    return _staff_only(document.collection.get_view_restrictions(), request, pending=pending)
