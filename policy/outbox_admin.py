"""Staff see mail that could not be sent on the admin home page, and can send it again."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from wagtail.admin.ui.components import Component

from . import outbox

PERMISSION = "policy.change_outgoingmail"
PANEL_LIMIT = 20


def may_handle(user):
    return user.is_active and user.has_perm(PERMISSION)


class UndeliveredMailPanel(Component):
    """Shown only when some mail failed for good or no worker is sending it."""

    name = "undelivered_mail"
    order = 50  # above the other panels: a person may be waiting for this mail
    template_name = "policy/admin/undelivered_mail_panel.html"

    def __init__(self, mails, total):
        self.mails = mails
        self.total = total

    def get_context_data(self, parent_context):
        return {"mails": self.mails, "total": self.total, "request": parent_context.get("request")}


def homepage_panel(request, panels):
    if not may_handle(request.user):
        return
    waiting = outbox.needs_attention()
    mails = list(waiting[:PANEL_LIMIT])
    if mails:
        panels.append(UndeliveredMailPanel(mails, waiting.count()))


@require_POST
def send_again(request, pk):
    if not may_handle(request.user):
        raise PermissionDenied
    if outbox.send_again(pk):
        messages.success(request, _("E-posten er lagt i kø for sending på nytt."))
    else:
        messages.info(request, _("E-posten er allerede sendt."))
    return redirect(reverse("wagtailadmin_home"))


urlpatterns = [path("<int:pk>/send-igjen/", send_again, name="outbox_send_again")]
