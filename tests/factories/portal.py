"""Applicants as the portal knows them: a user with an `ApplicantIdentity`, as the
e-mail link (or ID-porten) sign-in creates them. A plain `UserFactory` user has no
applicant access at all, just like a staff account."""

import datetime
import hashlib

import factory
from django.utils import timezone

from pilots.models import ApplicantIdentity, ApplicationMember, Invitation
from pilots.portal.models import MemberRole

from .policy import UserFactory


class ApplicantFactory(UserFactory):
    """An applicant who signed in with an e-mail link to `email`. The same address gives
    the same user (sign-in finds people by their identity, so does the factory)."""

    username = factory.LazyAttribute(lambda user: "applicant-" + hashlib.sha256(user.email.encode()).hexdigest()[:16])

    @factory.post_generation
    def identity(user, create, extracted, method=ApplicantIdentity.Method.EMAIL_LINK, subject=None, **kwargs):
        if create:
            ApplicantIdentity.objects.get_or_create(
                user=user, defaults={"method": method, "subject": subject or user.email.lower(), "email": user.email}
            )


class MemberFactory(factory.django.DjangoModelFactory):
    """Someone who accepted an invitation to `application` (pass it): a writer unless
    `role=MemberRole.LEAD`."""

    user = factory.SubFactory(ApplicantFactory, email=factory.Sequence(lambda n: f"medskriver{n}@kommune.example"))
    role = MemberRole.WRITER
    invited_email = factory.LazyAttribute(lambda member: member.user.email)
    invited_by = factory.LazyAttribute(lambda member: member.application.created_by)
    accepted_at = factory.LazyFunction(timezone.now)

    class Meta:
        model = ApplicationMember


class InvitationFactory(factory.django.DjangoModelFactory):
    """A pending invitation to `application` (pass it) whose link was never minted, as
    invitations sent before links existed are after the migration."""

    email = factory.Sequence(lambda n: f"invitert{n}@kommune.example")
    invited_by = factory.LazyAttribute(lambda invitation: invitation.application.created_by)
    expires_at = factory.LazyFunction(lambda: timezone.now() + datetime.timedelta(days=7))

    class Meta:
        model = Invitation
