"""Retention of personal data in applications: rounds that closed more than N years
ago keep only what the ministry needs for statistics and the record of decisions
(reference, municipalities, status, amounts, project texts about the municipalities).

Drafts are deleted. Submitted applications are anonymised: contact person,
invitations and memberships, attachments (files too), internal notes, messages, earlier
versions, review comments and the notes on confirmed authority go; the applicant's
account is replaced by a placeholder account. Every
affected round gets an audit log entry with the counts.

Attachments an applicant deleted keep their file until this job: one the ministry had
received goes with its round as above; one it never received (a draft's file, or one
replaced before resubmitting) goes DELETED_KEPT_FOR after the deletion, time enough to
settle a mistaken deletion without keeping unsent personal data for years."""

import datetime
import logging
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone
from wagtail.log_actions import log

from pilots.applications import supplements
from pilots.applications.authority import MunicipalityAuthority
from pilots.applications.models import Application, ApplicationSnapshot, Attachment, Contact, Round
from pilots.applications.status import Status
from pilots.messages.models import Message
from pilots.portal.models import ApplicationMember, Invitation

from .models import DecisionNotice, InternalNote, Review

logger = logging.getLogger(__name__)
PLACEHOLDER_USERNAME = "anonymisert-soker"
DELETED_KEPT_FOR = datetime.timedelta(days=30)


@dataclass
class RetentionResult:
    rounds: list = field(default_factory=list)
    drafts_deleted: int = 0
    applications: int = 0
    attachments: int = 0
    contacts: int = 0
    deleted_attachments: int = 0


def cutoff(years, now=None):
    now = now or timezone.now()
    try:
        return now.replace(year=now.year - years)
    except ValueError:  # 29 February
        return now.replace(year=now.year - years, day=28)


def _placeholder_user():
    user, created = get_user_model().objects.get_or_create(
        username=PLACEHOLDER_USERNAME, defaults={"email": "", "is_active": False}
    )
    if created:
        user.set_unusable_password()
        user.save()
    return user


def apply_retention(years, dry_run=False, now=None):
    """Anonymise what is older than `years`; with dry_run, only count."""
    rounds = list(Round.objects.filter(closes_at__lt=cutoff(years, now)))
    result = RetentionResult(rounds=rounds)
    for round in rounds:
        applications = Application.objects.filter(round=round)
        drafts = applications.filter(status=Status.DRAFT)
        kept = applications.cases()
        attachments = Attachment.all_objects.filter(application__round=round)
        counts = {
            "drafts_deleted": drafts.count(),
            "applications": kept.exclude(created_by__username=PLACEHOLDER_USERNAME).count(),
            "attachments": attachments.count(),
            "contacts": Contact.objects.filter(application__round=round).count(),
        }
        for name, value in counts.items():
            setattr(result, name, getattr(result, name) + value)
        if dry_run or not any(counts.values()):
            continue
        with transaction.atomic():
            files = [a.file for a in attachments]
            attachments.delete()
            drafts.delete()
            Contact.objects.filter(application__round=round).delete()
            Invitation.objects.filter(application__round=round).delete()
            ApplicationMember.objects.filter(application__round=round).delete()
            InternalNote.objects.filter(application__round=round).delete()
            # The dialogue holds personal text; the decision letters keep the record.
            Message.objects.filter(application__round=round).delete()
            ApplicationSnapshot.objects.filter(application__round=round).delete()
            Review.objects.filter(application__round=round).update(comment="")
            # Who confirmed authority, and with whom they spoke, is personal; the source stays.
            MunicipalityAuthority.objects.filter(application__round=round).update(person=None, note="")
            DecisionNotice.objects.filter(application__round=round).update(recipients="")
            kept.update(created_by=_placeholder_user(), submitted_by=None)
            log(instance=round, action="pilots.retention", data={"years": years, **counts})
            # Files go only once the rows are gone for good.
            transaction.on_commit(lambda files=files: [f.delete(save=False) for f in files])
        logger.info("pilots_retention: %s: %s", round, counts)
    result.deleted_attachments = purge_deleted_attachments(dry_run=dry_run, now=now)
    return result


def purge_deleted_attachments(dry_run=False, now=None):
    """Remove, with their files, attachments deleted by the applicant more than
    DELETED_KEPT_FOR ago that the ministry never received. Returns how many."""
    deleted_before = (now or timezone.now()) - DELETED_KEPT_FOR
    candidates = Attachment.all_objects.filter(deleted_at__lt=deleted_before).select_related("application")
    unsent = [a for a in candidates if not supplements.is_delivered(a)]
    if dry_run or not unsent:
        return len(unsent)
    with transaction.atomic():
        Attachment.all_objects.filter(pk__in=[a.pk for a in unsent]).delete()
        for attachment in unsent:
            log(
                instance=attachment.application,
                action="pilots.attachment_purged",
                data={"name": attachment.original_name, "deleted_at": attachment.deleted_at.isoformat()},
            )
        files = [a.file for a in unsent]
        transaction.on_commit(lambda: [f.delete(save=False) for f in files])
    logger.info("pilots_retention: %s deleted attachments removed", len(unsent))
    return len(unsent)
