"""Who may see an application: the person who created it and everyone invited to it.

Every view fetches applications through these functions, so someone else's
application, draft, attachment or receipt is simply not found (404, not 403:
a 403 would confirm that it exists)."""

from django.db.models import Q
from django.http import Http404

from pilots.applications.models import Application, Attachment


def accessible_applications(user):
    if not user.is_authenticated:
        return Application.objects.none()
    email = (user.email or user.username).lower()
    return Application.objects.filter(Q(created_by=user) | Q(invitations__email=email)).distinct()


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
