"""The forms on the inspect page about who handles the case: assigning it to a case
handler (or to nobody), and declaring oneself disqualified (inhabil)."""

from django.utils.translation import gettext as _

from pilots.casework import assignment, permissions

from .actions import ActionView, Refused


class AssignView(ActionView):
    """An empty choice removes the assignment."""

    permission_required = permissions.ASSIGN
    anchor = "#saksbehandler"

    def perform_operation(self):
        raw = self.request.POST.get("handler", "")
        if not raw:
            assignment.unassign(self.object, self.request.user)
            return _("Saken er ikke lenger tildelt noen.")
        handler = assignment.case_handlers().filter(pk=raw).first() if raw.isdigit() else None
        if handler is None:
            raise Refused(_("Velg en saksbehandler."))
        assignment.assign(self.object, handler, self.request.user)
        return _("Saken er tildelt %(handler)s.") % {"handler": assignment.person_name(handler)}


class DisqualifyView(ActionView):
    permission_required = permissions.VIEW
    anchor = "#inhabilitet"

    def perform_operation(self):
        if self.request.POST.get("confirm") != "yes":
            raise Refused(_("Kryss av for at du er inhabil i saken."))
        assignment.declare_disqualified(self.object, self.request.user, self.request.POST.get("reason", ""))
        return _("Du er registrert som inhabil i saken. Du kan ikke lenger behandle den.")
