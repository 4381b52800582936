"""«Hvem har tilgang»: the people who may write in an application, inviting more,
removing them and withdrawing invitations; and accepting an invitation from its link.
The rules are in pilots.portal.services."""

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext
from django.views.decorators.http import require_POST

from pilots.applications.services import WorkflowError
from pilots.portal import access
from pilots.portal import services as members
from pilots.portal.auth import applicant_identity
from pilots.portal.forms import InviteForm
from pilots.portal.models import Invitation, MemberRole

from .base import applicant_required, application_context

SESSION_KEY = "pilots_invitation"


def _managed_application(request, round_pk, pk):
    """The application, for someone who may change who has access; 404 for everyone
    else, as for an application they cannot see."""
    application = access.get_application(request.user, pk, round_pk)
    if not members.can_manage(request.user, application):
        raise Http404("Bare den som leder søknaden, kan endre hvem som har tilgang.")
    return application


def _members_url(application):
    return reverse("pilots:members", args=[application.round_id, application.pk])


@applicant_required
def members_page(request, round_pk, pk):
    application = access.get_application(request.user, pk, round_pk)
    creator_identity = applicant_identity(application.created_by)
    return render(
        request,
        "pilots/members.html",
        application_context(
            application,
            creator_name=(creator_identity.email if creator_identity else "") or gettext("Den som opprettet søknaden"),
            members=members.active_members(application),
            invitations=members.pending_invitations(application),
            can_manage=members.can_manage(request.user, application),
            is_creator=members.is_creator(request.user, application),
            Role=MemberRole,
        ),
    )


@applicant_required
def invite(request, round_pk, pk):
    application = _managed_application(request, round_pk, pk)
    may_appoint = members.is_creator(request.user, application)
    days = settings.PILOTS_INVITATION_DAYS
    form = InviteForm(request.POST if request.method == "POST" else None, days=days, may_appoint=may_appoint)
    if request.method == "POST" and form.is_valid():
        role = MemberRole.LEAD if form.cleaned_data.get("can_invite") else MemberRole.WRITER
        try:
            invitation = members.invite(application, form.cleaned_data["email"], request.user, role)
        except WorkflowError as error:
            form.add_error("email", str(error))
        else:
            messages.success(request, gettext("Invitasjonen er sendt til %(email)s.") % {"email": invitation.email})
            return redirect(_members_url(application))
    return render(request, "pilots/invite.html", application_context(application, form=form))


@applicant_required
def remove_member(request, round_pk, pk, member_pk):
    application = _managed_application(request, round_pk, pk)
    member = members.member_of(application, member_pk)
    if member is None:
        raise Http404("Fant ikke personen.")
    if request.method == "POST":
        try:
            members.remove_member(member, request.user)
        except PermissionDenied as error:
            raise Http404(str(error)) from error
        messages.success(
            request, gettext("%(name)s har ikke lenger tilgang til søknaden.") % {"name": member.display_name}
        )
        if member.user_id == request.user.pk:
            return redirect("pilots:my_applications")
        return redirect(_members_url(application))
    return render(
        request,
        "pilots/members_confirm.html",
        application_context(
            application,
            heading=gettext("Fjerne %(name)s?") % {"name": member.display_name},
            text=gettext(
                "Personen mister tilgangen til søknaden og vedleggene med en gang. Det de har skrevet, blir stående."
            ),
            button=gettext("Fjern tilgangen"),
        ),
    )


@applicant_required
def withdraw_invitation(request, round_pk, pk, invitation_pk):
    application = _managed_application(request, round_pk, pk)
    invitation = members.pending_invitation_of(application, invitation_pk)
    if invitation is None:
        raise Http404("Fant ikke invitasjonen.")
    if request.method == "POST":
        members.withdraw_invitation(invitation, request.user)
        messages.success(
            request, gettext("Invitasjonen til %(email)s er trukket tilbake.") % {"email": invitation.email}
        )
        return redirect(_members_url(application))
    return render(
        request,
        "pilots/members_confirm.html",
        application_context(
            application,
            heading=gettext("Trekke tilbake invitasjonen til %(email)s?") % {"email": invitation.email},
            text=gettext("Lenken i e-posten slutter å virke med en gang. Du kan invitere adressen på nytt senere."),
            button=gettext("Trekk tilbake invitasjonen"),
        ),
    )


@require_POST
@applicant_required
def resend_invitation(request, round_pk, pk, invitation_pk):
    application = _managed_application(request, round_pk, pk)
    invitation = members.pending_invitation_of(application, invitation_pk)
    if invitation is None:
        raise Http404("Fant ikke invitasjonen.")
    try:
        members.invite(application, invitation.email, request.user, invitation.role)
    except (WorkflowError, PermissionDenied) as error:
        messages.error(request, str(error))
    else:
        messages.success(
            request,
            gettext("En ny lenke er sendt til %(email)s. Den forrige virker ikke lenger.")
            % {"email": invitation.email},
        )
    return redirect(_members_url(application))


@require_POST
@applicant_required
def set_role(request, round_pk, pk, member_pk):
    application = access.get_application(request.user, pk, round_pk)
    member = members.member_of(application, member_pk)
    role = request.POST.get("role")
    if member is None or role not in MemberRole.values:
        raise Http404("Fant ikke personen.")
    try:
        members.set_role(member, role, request.user)
    except PermissionDenied as error:
        raise Http404(str(error)) from error
    if role == MemberRole.LEAD:
        messages.success(request, gettext("%(name)s kan nå invitere og fjerne andre.") % {"name": member.display_name})
    else:
        messages.success(
            request, gettext("%(name)s kan ikke lenger invitere eller fjerne andre.") % {"name": member.display_name}
        )
    return redirect(_members_url(application))


def invitation_link(request, token):
    """The link in the mail. Only the token's hash goes into the session, and the answer
    is always a redirect to a page without the token, so the token is in no later URL,
    Referer header, error log or stored session."""
    request.session[SESSION_KEY] = Invitation.hash(token)
    response = redirect("pilots:invitation")
    response["Referrer-Policy"] = "same-origin"
    response["Cache-Control"] = "private, no-store"
    return response


def invitation(request):
    """Accept the invitation whose link this browser opened: explain it, send the
    visitor to sign in, and accept it (POST) once they are signed in as an applicant."""
    token_hash = request.session.get(SESSION_KEY)
    found = members.find_invitation(token_hash)
    reason = None
    try:
        members.check_usable(found)
    except members.InvitationUnusable as error:
        reason = error.reason
    identity = applicant_identity(request.user)
    if request.method == "POST" and reason is None and identity is not None:
        try:
            application = members.accept(token_hash, request.user)
        except members.InvitationUnusable as error:
            reason = error.reason
        else:
            request.session.pop(SESSION_KEY, None)
            messages.success(request, gettext("Du har godtatt invitasjonen og kan nå skrive i søknaden."))
            return redirect("pilots:task_list", round_pk=application.round_id, pk=application.pk)
    context = {
        "invitation": found,
        "reason": reason,
        "signed_in": request.user.is_authenticated,
        "is_applicant": identity is not None,
        "sign_in_url": reverse("pilots:sign_in") + "?neste=" + reverse("pilots:invitation"),
        "noindex": True,
    }
    response = render(request, "pilots/invitation.html", context, status=200 if reason is None else 410)
    response["Cache-Control"] = "private, no-store"
    return response
