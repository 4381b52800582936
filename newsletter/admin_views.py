"""Admin views for an issue: send (with a confirmation step), progress, test to self."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse

from . import services
from .models import IssueDispatch, NewsletterIssuePage

SEND_PERMISSION = "newsletter.send_issue"


def _issue(page_id):
    return get_object_or_404(NewsletterIssuePage, pk=page_id)


def _can_edit(issue, user):
    return issue.permissions_for_user(user).can_edit()


def send(request, page_id):
    issue = _issue(page_id)
    if not request.user.has_perm(SEND_PERMISSION):
        raise PermissionDenied
    dispatch = IssueDispatch.objects.filter(issue=issue).first()
    if request.method == "POST":
        try:
            created = services.start_sending(issue, request.user)
        except services.SendingRefused as error:
            messages.error(request, str(error))
        else:
            messages.success(request, f"Utsendingen har startet: {created} mottakere.")
        return redirect("newsletter_admin:status", page_id=issue.pk)
    return TemplateResponse(
        request,
        "newsletter/admin/send.html",
        {
            "issue": issue,
            "dispatch": dispatch,
            "recipients": services.eligible_recipients(issue.newsletter_list).count(),
            "newsletter_list": issue.newsletter_list,
        },
    )


def status(request, page_id):
    issue = _issue(page_id)
    if not (request.user.has_perm(SEND_PERMISSION) or _can_edit(issue, request.user)):
        raise PermissionDenied
    dispatch = IssueDispatch.objects.filter(issue=issue).first()
    counts = services.delivery_counts(issue)
    labels = dict(services.Delivery.STATUS_CHOICES)
    return TemplateResponse(
        request,
        "newsletter/admin/status.html",
        {
            "issue": issue,
            "dispatch": dispatch,
            "rows": [(labels[key], key, value) for key, value in counts.items()],
            "total": sum(counts.values()),
            "refresh": dispatch is not None and dispatch.status == IssueDispatch.SENDING,
            "can_send": request.user.has_perm(SEND_PERMISSION),
        },
    )


def send_test(request, page_id):
    issue = _issue(page_id)
    if not _can_edit(issue, request.user):
        raise PermissionDenied
    if request.method == "POST":
        try:
            services.send_test(issue.get_latest_revision_as_object(), request.user)
        except services.SendingRefused as error:
            messages.error(request, str(error))
        else:
            messages.success(request, f"Testen er sendt til {request.user.email}.")
        return redirect(reverse("wagtailadmin_pages:edit", args=[issue.pk]))
    return TemplateResponse(request, "newsletter/admin/send_test.html", {"issue": issue})
