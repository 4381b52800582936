"""The thread with the applicant on the admin's inspect page (pilots/messages_admin_thread.html)."""

from django import template

from pilots.applications.status import Status
from pilots.casework import permissions
from pilots.casework.services import allowed_transitions
from pilots.messages import services

register = template.Library()


@register.simple_tag(takes_context=True)
def case_thread(context, application):
    """The thread, what is waiting in it, and what the signed-in case handler may do."""
    user = context["request"].user
    question = services.open_question(application)
    return {
        "thread": services.thread(application),
        "unread": services.has_unread_answers(application),
        "open_question": question,
        "deadline_passed": question is not None and services.reply_deadline_passed(question),
        "can_ask": Status.MORE_INFORMATION in allowed_transitions(application, user),
        "can_write": permissions.application_policy.user_has_permission_for_instance(
            user, permissions.CHANGE_STATUS, application
        ),
    }
