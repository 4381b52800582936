from django.conf import settings
from django.utils.csp import CSP

ADMIN_PATHS = ("/admin/", "/django-admin/")


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
        if request.path.startswith(ADMIN_PATHS):
            response._csp_config = settings.ADMIN_CSP
        elif getattr(request, "is_preview", False):
            response._csp_config = {**settings.SECURE_CSP, "frame-ancestors": [CSP.SELF]}
            response["X-Frame-Options"] = "SAMEORIGIN"
        return response
