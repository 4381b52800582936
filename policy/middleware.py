import functools

from django.conf import settings
from django.utils.csp import CSP

ADMIN_PATHS = ("/admin/", "/django-admin/")
#: Set on a response by an admin view whose page has no inline script or style.
STRICT_CSP_ATTRIBUTE = "strict_csp"


def strict_csp(view):
    """Keep the public site's strict policy on this admin view's responses."""

    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        response = view(request, *args, **kwargs)
        setattr(response, STRICT_CSP_ATTRIBUTE, True)
        return response

    return wrapper


class AdminContentSecurityPolicyMiddleware:
    """Give the Wagtail admin its own, looser Content-Security-Policy, and let the
    admin frame its previews.

    Placed after Django's CSP middleware, so it sees the response first and the
    policy it sets is the one Django writes into the header.

    A preview is a page rendered through the whole middleware chain for its public
    address (Wagtail's make_preview_request), so without this it would carry the
    public `frame-ancestors 'none'` and the admin's preview panel would stay empty.
    Previews keep the public policy, except that the admin (same origin) may frame them.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if getattr(response, STRICT_CSP_ATTRIBUTE, False):
            pass  # an admin page built without inline script or style keeps the strict policy
        elif request.path.startswith(ADMIN_PATHS):
            response._csp_config = settings.ADMIN_CSP
        elif getattr(request, "is_preview", False):
            response._csp_config = {**settings.SECURE_CSP, "frame-ancestors": [CSP.SELF]}
            response["X-Frame-Options"] = "SAMEORIGIN"
        return response
