"""Who may write in a draft of corrections: the same people as in the submitted
application it corrects (its creator and its active members), so reopening does
not lock colleagues out."""

from django.utils import timezone

from pilots.applications import corrections

from .models import ApplicationMember, MemberRole


def reopen(application, user):
    """Reopen `application` for corrections (see corrections.reopen) and share the draft."""
    draft = corrections.reopen(application, user)
    writers = {application.created_by_id: None}
    for member in application.members.filter(removed_at__isnull=True):
        writers[member.user_id] = member
    have = set(draft.members.filter(removed_at__isnull=True).values_list("user_id", flat=True))
    now = timezone.now()
    ApplicationMember.objects.bulk_create(
        ApplicationMember(
            application=draft,
            user_id=user_id,
            role=member.role if member else MemberRole.LEAD,
            invited_email=member.invited_email if member else "",
            invited_by=user,
            accepted_at=now,
        )
        for user_id, member in writers.items()
        if user_id != draft.created_by_id and user_id not in have
    )
    return draft
