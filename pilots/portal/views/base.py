"""What every view about an application shares."""

import functools

from django.contrib.auth.views import redirect_to_login
from django.urls import reverse

from pilots.applications.status import Status
from pilots.portal.task_list import TaskStatus


def applicant_required(view):
    """Signed in, or off to the sign-in page and back; and never cached, since every
    page shows someone's own application."""

    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path(), reverse("pilots:sign_in"), "neste")
        response = view(request, *args, **kwargs)
        response["Cache-Control"] = "private, no-store"
        return response

    return wrapper


def application_context(application, **extra):
    """The template context of a page about one application; `Status` and
    `TaskStatus` let templates compare without spelling out values."""
    return {
        "application": application,
        "round": application.round,
        "noindex": True,
        "Status": Status,
        "TaskStatus": TaskStatus,
        **extra,
    }
