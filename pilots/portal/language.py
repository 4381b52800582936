"""The language of the application portal: bokmål, unless the applicant chose nynorsk
or English with the language choice at the top of every portal page.

The choice is posted to Django's `set_language` view, which keeps it in the language
cookie. Only the portal's own addresses follow that cookie: public pages speak their
own målform (templates/base.html) and English pages live under /en/
(policy.translations), whatever someone chose in the portal."""

from django.conf import settings
from django.urls import reverse
from django.utils import translation
from django.utils.cache import patch_vary_headers


def chosen_language(request):
    """The language in the cookie when the site offers it, else bokmål."""
    language = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
    offered = {code for code, _name in settings.LANGUAGES}
    return language if language in offered else settings.LANGUAGE_CODE


class PortalLanguageMiddleware:
    """Activates the chosen language for requests to the portal (/soknad/), so its
    pages, form messages and the mail queued while handling them speak it."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not request.path_info.startswith(reverse("pilots:my_applications")):
            return self.get_response(request)
        language = chosen_language(request)
        with translation.override(language):
            request.LANGUAGE_CODE = language
            response = self.get_response(request)
        response.headers.setdefault("Content-Language", language)
        # The same address answers in three languages, depending on the cookie.
        patch_vary_headers(response, ["Cookie"])
        return response
