"""Who may see an application: the person who created it and everyone who accepted an
invitation to it and has not been removed.

Every view fetches applications through these functions, so someone else's
application, draft, attachment or receipt is simply not found (404, not 403:
a 403 would confirm that it exists)."""

from django.db.models import Exists, OuterRef, Q
from django.http import Http404

from pilots.applications.models import Application, Attachment

from .auth import applicant_identity
from .models import ApplicationMember


def accessible_applications(user):
    """The applications `user` created or is an active member of (removing a member
    takes effect on their next request). Only applicants have access: staff, whose
    e-mail is editable in the admin, and users without an applicant identity see
    nothing; an e-mail address never gives access."""
    if applicant_identity(user) is None:
        return Application.objects.none()
    member = ApplicationMember.objects.filter(application=OuterRef("pk"), user=user, removed_at__isnull=True)
    return Application.objects.filter(Q(created_by=user) | Exists(member))


def get_application(user, pk, round_pk=None):
    queryset = accessible_applications(user).select_related("round", "created_by")
    if round_pk is not None:
        queryset = queryset.filter(round_id=round_pk)
    application = queryset.filter(pk=pk).first()
    if application is None:
        raise Http404("Fant ikke søknaden.")
    return application


def get_attachment(user, application_pk, attachment_pk):
    application = get_application(user, application_pk)
    attachment = Attachment.objects.filter(application=application, pk=attachment_pk).first()
    if attachment is None:
        raise Http404("Fant ikke vedlegget.")
    return attachment
