"""Fragments of pages that are the same for every visitor (topic-page sections, the
archive's year list and counts, the finder's facet counts, the menus), cached under
the site-wide purge generation of policy.pagecache.

Every purge starts a new generation, so anything published, unpublished, moved or
deleted shows on the next request: the old fragments are simply never asked for again
and expire. Publishing and unpublishing also start one at once (and again on commit),
so the change shows without waiting for the purge task in the worker.

Fragments live in the default cache (shared by all processes) and, since a key never
changes its value within a generation, in a small in-process layer in front of it, so
a warm fragment costs no round trip at all. They hold only what every visitor sees:
never a CSRF token, a user or the current path (callers add those per request).
"""

import math
import threading
import time
from collections import OrderedDict
from hashlib import blake2b

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.utils import timezone
from wagtail.models import Page
from wagtail.signals import page_published, page_unpublished, post_page_move

from .pagecache import new_site_generation, site_generation

LOCAL_SIZE = 512
_local = OrderedDict()
_local_lock = threading.Lock()
_MISSING = object()


def enabled(request):
    """Previews show the editor's unsaved version, so they never read or fill the cache."""
    return settings.FRAGMENT_CACHE_ENABLED and request is not None and not getattr(request, "is_preview", False)


def query_key(request, ignore=("page",)):
    """The request's query string as a key part, without the parameters in `ignore`
    (a page number does not change a count)."""
    return sorted((name, request.GET.getlist(name)) for name in request.GET if name not in ignore)


def cache_key(request, name, parts):
    """The key under the current generation. The host is part of it, since page links
    are relative to the request's site."""
    digest = blake2b(repr((request.get_host(), list(parts))).encode(), digest_size=16).hexdigest()
    return f"fragment:{site_generation(request)}:{name}:{digest}"


def cached(request, name, parts, build, timeout=None):
    """`build()` under `name` and `parts` (what else the fragment depends on: a page id,
    the filters), cached for this generation. The value is shared between requests:
    callers must not change it."""
    if not enabled(request):
        return build()
    key = cache_key(request, name, parts)
    value = _local_get(key)
    if value is _MISSING:
        value = cache.get(key, _MISSING)
        if value is _MISSING:
            value = build()
            cache.set(key, value, timeout or settings.FRAGMENT_CACHE_SECONDS)
        _local_set(key, value, timeout or settings.FRAGMENT_CACHE_SECONDS)
    return value


def cached_until(request, name, parts, build):
    """Like `cached`, for a fragment that also changes with the clock (a round opening
    or closing): `build()` returns `(value, until)`, the aware datetime at which the
    value stops being true (None: not before the next purge). From `until` on, the
    stored value is not believed, in any process, and is built again."""
    if not enabled(request):
        return build()[0]
    now = timezone.now()
    key = cache_key(request, name, parts)
    entry = _local_get(key)
    if entry is _MISSING or _expired(entry, now):
        entry = cache.get(key, _MISSING)
        if entry is _MISSING or _expired(entry, now):
            entry = build()
            cache.set(key, entry, _seconds_left(entry, now))
        _local_set(key, entry, _seconds_left(entry, now))
    return entry[0]


def _expired(entry, now):
    return entry[1] is not None and now >= entry[1]


def _seconds_left(entry, now):
    """The usual lifetime, cut short at `until` (a second at least: the stored value
    carries `until` itself, so it is never believed past it)."""
    seconds = settings.FRAGMENT_CACHE_SECONDS
    if entry[1] is not None:
        seconds = min(seconds, max(1, math.ceil((entry[1] - now).total_seconds())))
    return seconds


def _local_get(key):
    with _local_lock:
        entry = _local.get(key)
        if entry is None:
            return _MISSING
        expires, value = entry
        if expires < time.monotonic():
            del _local[key]
            return _MISSING
        _local.move_to_end(key)
        return value


def _local_set(key, value, timeout):
    with _local_lock:
        _local[key] = (time.monotonic() + timeout, value)
        while len(_local) > LOCAL_SIZE:
            _local.popitem(last=False)


def start_new_generation(**kwargs):
    """Now, so the change shows within the publishing transaction too, and again on
    commit, so a request that read the new generation before the commit and cached
    the old content under it is not believed."""
    new_site_generation()
    transaction.on_commit(new_site_generation)


def _page_deleted(sender, instance, **kwargs):
    if isinstance(instance, Page):
        start_new_generation()


page_published.connect(start_new_generation, dispatch_uid="fragments_page_published")
page_unpublished.connect(start_new_generation, dispatch_uid="fragments_page_unpublished")
post_page_move.connect(start_new_generation, dispatch_uid="fragments_page_moved")
post_delete.connect(_page_deleted, dispatch_uid="fragments_page_deleted")
# A restriction hides a page from lists without a publish.
post_save.connect(start_new_generation, sender="wagtailcore.PageViewRestriction", dispatch_uid="fragments_restricted")
post_delete.connect(
    start_new_generation, sender="wagtailcore.PageViewRestriction", dispatch_uid="fragments_unrestricted"
)
# The menus and footer links are chosen in the site settings.
post_save.connect(start_new_generation, sender="policy.SiteSettings", dispatch_uid="fragments_site_settings")
