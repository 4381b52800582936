"""Who may write in an application, and every change to that: inviting, accepting an
invitation, appointing, removing and withdrawing.

- The creator is the lead. The lead may appoint members who may also invite and
  remove writers («kan invitere»); only the creator appoints or removes those.
- An invitation is a single-use link, valid for `PILOTS_INVITATION_DAYS`; the token is
  minted by the mail worker (`Invitation.issue`), so only its hash is ever stored.
- Accepting binds the invitation to the signed-in applicant (any sign-in method): the
  `ApplicationMember` row is what gives access (access.py), never an e-mail address.
- Removing sets `removed_at`; access.py ignores such rows, so it takes effect at once.
Every change is written to the application's audit log."""

import datetime

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext
from wagtail.log_actions import log

from pilots.applications.services import WorkflowError
from policy import ratelimit

from .auth import applicant_identity
from .models import ApplicationMember, Invitation, MemberRole
from .tasks import queue_invitation

INVITATIONS_PER_HOUR = 20


class InvitationUnusable(WorkflowError):
    """The link cannot be accepted; `reason` is "unknown", "used", "withdrawn" or "expired"."""

    def __init__(self, reason):
        super().__init__(reason)
        self.reason = reason


def active_members(application):
    return ApplicationMember.objects.filter(application=application, removed_at__isnull=True).select_related(
        "user__applicant_identity"
    )


def pending_invitations(application):
    """Invitations not yet accepted or withdrawn, expired ones included (the lead can send them again)."""
    return Invitation.objects.filter(application=application, accepted_at__isnull=True, withdrawn_at__isnull=True)


def is_creator(user, application):
    return application.created_by_id == user.pk and applicant_identity(user) is not None


def can_manage(user, application):
    """The creator, and members the creator appointed, may invite and remove writers."""
    if is_creator(user, application):
        return True
    return active_members(application).filter(user=user, role=MemberRole.LEAD).exists()


def _require_manager(user, application):
    if not can_manage(user, application):
        raise PermissionDenied("Bare den som leder søknaden, kan endre hvem som har tilgang.")


def _identity_email(user):
    identity = applicant_identity(user)
    return identity.email.lower() if identity and identity.email else ""


def invite(application, email, invited_by, role=MemberRole.WRITER, now=None):
    """Invite `email` and mail them a link. Inviting an address with a pending invitation
    sends a new link with a new expiry instead (the old link stops working)."""
    _require_manager(invited_by, application)
    if role == MemberRole.LEAD and not is_creator(invited_by, application):
        raise PermissionDenied("Bare den som opprettet søknaden, kan gi andre rett til å invitere.")
    now = now or timezone.now()
    email = email.strip().lower()
    has_access = {_identity_email(application.created_by)} | {
        _identity_email(m.user) for m in active_members(application)
    }
    if email in has_access:
        raise WorkflowError(gettext("Denne personen har allerede tilgang til søknaden."))
    if not ratelimit.hit("pilots-invite", application.pk, limit=INVITATIONS_PER_HOUR, window=3600):
        raise WorkflowError(gettext("Det er sendt mange invitasjoner den siste timen. Vent litt, og prøv igjen."))
    expires_at = now + datetime.timedelta(days=settings.PILOTS_INVITATION_DAYS)
    with transaction.atomic():
        invitation = pending_invitations(application).select_for_update().filter(email=email).first()
        if invitation is None:
            invitation = Invitation(application=application, email=email)
        invitation.role, invitation.invited_by, invitation.expires_at = role, invited_by, expires_at
        invitation.token_hash = ""  # the old link, if any, stops working now
        try:
            with transaction.atomic():
                invitation.save()
        except IntegrityError as error:  # the same address invited at the same moment
            raise WorkflowError(gettext("Denne adressen er nettopp invitert. Se listen over invitasjoner.")) from error
        log(instance=application, action="pilots.invitation_sent", user=invited_by, data={"email": email})
        queue_invitation(invitation)
    return invitation


def find_invitation(token_hash):
    """The invitation a link points to (by the hash of its token), whatever its state, or None.
    Views keep only the hash in the session, so the raw token is stored nowhere."""
    if not token_hash:
        return None
    return (
        Invitation.objects.select_related("application__round", "invited_by__applicant_identity")
        .filter(token_hash=token_hash)
        .first()
    )


def check_usable(invitation, now=None):
    """Raise InvitationUnusable unless the invitation can be accepted now."""
    if invitation is None:
        raise InvitationUnusable("unknown")
    if invitation.accepted_at is not None:
        raise InvitationUnusable("used")
    if invitation.withdrawn_at is not None:
        raise InvitationUnusable("withdrawn")
    if invitation.is_expired(now):
        raise InvitationUnusable("expired")


def accept(token_hash, user, now=None):
    """Make the signed-in applicant a member through the link whose token hashes to
    `token_hash`; returns the application. The invitation is spent in the same transaction, so a link works
    for one person only, however many times it is forwarded or clicked."""
    now = now or timezone.now()
    if applicant_identity(user) is None:
        raise PermissionDenied("Bare søkere kan godta en invitasjon.")
    with transaction.atomic():
        pending = Invitation.objects.select_for_update().filter(token_hash=token_hash)
        invitation = pending.first() if token_hash else None
        check_usable(invitation, now)
        application = invitation.application
        already = is_creator(user, application) or active_members(application).filter(user=user).exists()
        if not already:
            ApplicationMember.objects.create(
                application=application,
                user=user,
                role=invitation.role,
                invited_email=invitation.email,
                invited_by=invitation.invited_by,
                accepted_at=now,
            )
            log(instance=application, action="pilots.member_added", user=user, data={"email": invitation.email})
        # The hash stays, so a second person with the same link learns it was used.
        invitation.accepted_at, invitation.accepted_by = now, user
        invitation.save(update_fields=["accepted_at", "accepted_by"])
    return application


def remove_member(member, removed_by, now=None):
    """End a member's access at once. Only the creator removes members who may invite."""
    application = member.application
    _require_manager(removed_by, application)
    if member.role == MemberRole.LEAD and not is_creator(removed_by, application):
        raise PermissionDenied("Bare den som opprettet søknaden, kan fjerne noen som kan invitere.")
    updated = ApplicationMember.objects.filter(pk=member.pk, removed_at__isnull=True).update(
        removed_at=now or timezone.now(), removed_by=removed_by
    )
    if updated:
        log(
            instance=application,
            action="pilots.member_removed",
            user=removed_by,
            data={"email": member.display_name},
        )


def set_role(member, role, changed_by):
    """Appoint a member to invite and remove writers, or take that back (the creator only)."""
    if not is_creator(changed_by, member.application):
        raise PermissionDenied("Bare den som opprettet søknaden, kan gi andre rett til å invitere.")
    ApplicationMember.objects.filter(pk=member.pk, removed_at__isnull=True).update(role=role)
    log(
        instance=member.application,
        action="pilots.member_role_changed",
        user=changed_by,
        data={"email": member.display_name, "role": MemberRole(role).label},
    )


def withdraw_invitation(invitation, withdrawn_by, now=None):
    """Cancel a pending invitation; its link stops working at once."""
    _require_manager(withdrawn_by, invitation.application)
    updated = Invitation.objects.filter(pk=invitation.pk, accepted_at__isnull=True, withdrawn_at__isnull=True).update(
        withdrawn_at=now or timezone.now(), withdrawn_by=withdrawn_by
    )
    if updated:
        log(
            instance=invitation.application,
            action="pilots.invitation_withdrawn",
            user=withdrawn_by,
            data={"email": invitation.email},
        )


def member_of(application, pk):
    return active_members(application).filter(pk=pk).first()


def pending_invitation_of(application, pk):
    return pending_invitations(application).filter(pk=pk).first()
