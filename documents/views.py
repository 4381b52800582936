"""Serving the files of documents: only while a live, public page holds them, or to
staff who may see them in the admin (previews and drafts); 404 otherwise."""

from django.conf import settings
from django.http import Http404
from django.utils.cache import add_never_cache_headers, patch_cache_control
from django.views.decorators.http import require_safe
from wagtail.documents import get_document_model
from wagtail.documents.views.serve import serve as wagtail_serve

from policy.views import page_not_found


@require_safe
def serve_document(request, key, filename):
    """Find the file by its key, then let Wagtail's serve view send it: its
    `before_serve_document` hooks (the embargo in wagtail_hooks.py, and Wagtail's own
    collection privacy, where "signed-in users" means staff who have given their second
    factor: policy/wagtail_hooks.py) decide who may have it, and it streams the file with
    conditional GET, a restrictive CSP and `nosniff`."""
    document = get_document_model().objects.filter(key=key).only("pk").first()
    if document is None:
        return not_found(request)
    try:
        response = wagtail_serve(request, document.pk, filename)
    except Http404:
        return not_found(request)
    if response.status_code in (200, 304):
        if request.user.is_authenticated:
            # Staff may be shown a file before it is released: never store that copy.
            add_never_cache_headers(response)
            patch_cache_control(response, private=True, no_store=True)
        else:
            # The same lifetime as pages; unpublishing purges the frontend cache (signals.py).
            patch_cache_control(response, public=True, max_age=settings.PAGE_CACHE_SECONDS)
    return response


def not_found(request):
    """The site's 404 page, never cached: a file that is not out yet may be soon, and
    a CDN must not keep answering 404 once it is."""
    response = page_not_found(request)
    add_never_cache_headers(response)
    return response
