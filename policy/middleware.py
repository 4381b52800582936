from django.conf import settings


class AdminContentSecurityPolicyMiddleware:
    """Give the Wagtail admin its own, looser Content-Security-Policy.

    Placed after Django's CSP middleware, so it sees the response first and the
    policy it sets is the one Django writes into the header.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if request.path.startswith("/admin/") or request.path.startswith("/django-admin/"):
            response._csp_config = settings.ADMIN_CSP
        return response
