"""The admin side of documents: who may have a document's file before it is released."""

from django.http import Http404
from wagtail import hooks
from wagtail.permissions import policy_registry


def may_see_unreleased(user, document):
    """Staff who may choose or change the document in the admin may open its file
    before a page is published with it: in a preview, or from the document's own page
    in the admin."""
    if not (user.is_authenticated and user.has_perm("wagtailadmin.access_admin")):
        return False
    permissions = policy_registry.get_by_type(type(document))
    return permissions.user_has_any_permission_for_instance(user, ["choose", "change"], document)


@hooks.register("before_serve_document", order=-100)
def embargo(document, request):
    """A document's file is public only while a live, public page holds it. Runs
    before Wagtail's collection privacy check, so an unreleased file is a plain 404
    rather than a password form that would tell it exists."""
    if document.is_released() or may_see_unreleased(request.user, document):
        return None
    raise Http404("Document not released")
