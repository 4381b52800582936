"""A page cache for anonymous visitors in the shared cache (CACHE_URL: Redis in
production, the database otherwise).

Only responses the views themselves marked `Cache-Control: public` are stored, which
`policy.models.apply_public_cache_headers` never does for previews, signed-in users,
POSTs or pages that carry a CSRF token. Requests with a session cookie bypass the
cache entirely, so nobody signed in ever sees a shared copy.

Invalidation rides on Wagtail's frontend cache: `PageCacheBackend` is configured in
WAGTAILFRONTENDCACHE, so every purge that Wagtail or a feature app sends to a CDN
also purges this cache. A purge bumps the path's generation number, which drops the
path together with all its query-string variants (archive filters, pages): a stored
copy remembers the generation it was made under, and both are read in one round trip.

Every purge also starts a new site-wide purge generation, a random token rather than
a counter, so that a lost key (a cache restart or eviction) can never bring an old
generation back. policy.fragments keys its fragments on it; the middleware reads it
in the same round trip as the page and leaves it on the request.
"""

import re
from urllib.parse import urlsplit
from uuid import uuid4

from django.conf import settings
from django.core.cache import cache
from django.http import HttpResponse
from wagtail.contrib.frontend_cache.backends.base import BaseBackend

STORED_HEADERS = (
    "Content-Type",
    "Content-Language",
    "Cache-Control",
    "Vary",
    "Link",
    "Last-Modified",
    "X-Frame-Options",
    "X-Robots-Tag",
)
KEY_PREFIX = "pagecache"
# Views that keep their own answer in the cache, stored compressed (the sitemap): the
# page cache and the plumbing leave them alone, so a hit is that view's one round trip.
OWN_CACHE_PATH = re.compile(r"/sitemap(-\d+)?\.xml").fullmatch
# Answers that are no page and must not wait on the cache: /metrics (config/urls.py)
# answers operators while the cache is down. The page cache and the plumbing leave them alone.
NOT_PAGES = frozenset({"/metrics"})
SITE_GENERATION_KEY = f"{KEY_PREFIX}:site-generation"
# Where the middleware leaves the site generation it read for policy.fragments.
REQUEST_ATTRIBUTE = "purge_generation"


def _generation_key(path):
    return f"{KEY_PREFIX}:gen:{path}"


def _response_key(path, query):
    return f"{KEY_PREFIX}:page:{path}?{query}"


def purge_path(path):
    """Drop the cached copies of `path` and every query-string variant of it."""
    key = _generation_key(path)
    try:
        cache.incr(key)
    except ValueError:
        cache.set(key, 1, timeout=None)


def new_site_generation():
    """Start a new site-wide purge generation: whatever was cached under the old one
    (policy.fragments) is ignored from now on."""
    token = uuid4().hex
    cache.set(SITE_GENERATION_KEY, token, timeout=None)
    return token


def site_generation(request=None):
    """The current site-wide purge generation, read at most once per request."""
    token = getattr(request, REQUEST_ATTRIBUTE, None)
    if token is None:
        token = cache.get_or_set(SITE_GENERATION_KEY, lambda: uuid4().hex, timeout=None)
        if request is not None:
            setattr(request, REQUEST_ATTRIBUTE, token)
    return token


def _is_public(response):
    directives = {d.strip().lower().split("=")[0] for d in response.get("Cache-Control", "").split(",")}
    return "public" in directives and "private" not in directives and "no-cache" not in directives


class PageCacheMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response
        self.enabled = settings.PAGE_CACHE_ENABLED
        self.timeout = settings.PAGE_CACHE_SECONDS

    def _cacheable_request(self, request):
        return (
            self.enabled
            and request.method in ("GET", "HEAD")
            and not OWN_CACHE_PATH(request.path)
            and request.path not in NOT_PAGES
            and settings.SESSION_COOKIE_NAME not in request.COOKIES
            and "HTTP_AUTHORIZATION" not in request.META
        )

    def __call__(self, request):
        if not self._cacheable_request(request):
            return self.get_response(request)
        path, query = request.path, request.META.get("QUERY_STRING", "")
        generation_key, key = _generation_key(path), _response_key(path, query)
        found = cache.get_many([SITE_GENERATION_KEY, generation_key, key])
        if SITE_GENERATION_KEY in found:
            setattr(request, REQUEST_ATTRIBUTE, found[SITE_GENERATION_KEY])
        generation = found.get(generation_key, 0)
        stored = found.get(key)
        if stored is not None and stored[0] == generation:
            _, status, headers, content = stored
            response = HttpResponse(content, status=status)
            for name, value in headers:
                response[name] = value
            response["X-Cache"] = "HIT"
            return response

        response = self.get_response(request)
        if response.status_code == 200 and not response.streaming and not response.cookies and _is_public(response):
            headers = [(name, response[name]) for name in STORED_HEADERS if name in response]
            cache.set(key, (generation, response.status_code, headers, response.content), self.timeout)
            response["X-Cache"] = "MISS"
        return response


class PageCacheBackend(BaseBackend):
    """A Wagtail frontend-cache backend that purges the page cache."""

    def purge(self, url):
        purge_path(urlsplit(url).path or "/")
        new_site_generation()

    def purge_batch(self, urls):
        for url in urls:
            purge_path(urlsplit(url).path or "/")
        new_site_generation()
