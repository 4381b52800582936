"""The XML sitemap for search engines, fast at tens of thousands of pages.

Wagtail's own sitemap loads every page as its specific model and renders each URL
through a template: seconds at 20,000 pages, with a query per page type. This one
gives the same URLs (the live, public pages of the request's site, at the address
Wagtail's `Page.get_sitemap_urls` gives them, with `last_published_at` as lastmod)
from one query of two columns over the page table, whatever the page types, and
plain string building; one aggregate gives Last-Modified. Unlike Wagtail's, it lists
every language tree of the site: the Norwegian pages and the English ones under /en/.

The result is kept in the shared cache under a generation that publishing,
unpublishing (deleting a live page unpublishes it first), moving, a view restriction
or a site change bumps after commit; the same change purges /sitemap.xml and its
sections from the page cache and any CDN. Past SITEMAP_MAX_URLS URLs (the protocol's
limit is 50,000), /sitemap.xml becomes a sitemap index of /sitemap-1.xml, /sitemap-2.xml….
"""

import gzip
import re
from dataclasses import dataclass
from urllib.parse import quote
from uuid import uuid4
from xml.sax.saxutils import escape

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.db.models import CharField, Count, F, Func, Max, Q, Value
from django.db.models.functions import Coalesce, TruncDate
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from django.http import Http404, HttpResponse
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.cache import patch_cache_control, patch_vary_headers
from django.utils.http import RFC3986_SUBDELIMS, http_date
from django.views.decorators.http import require_safe
from wagtail.contrib.frontend_cache.utils import purge_urls_from_cache
from wagtail.models import Page, PageViewRestriction, Site
from wagtail.signals import page_published, page_unpublished, post_page_move

GENERATION_KEY = "sitemap:gen"
FORMAT = 4  # of the cached Sitemap
CACHE_SECONDS = 3600  # a safety net only: every change that shows bumps the generation
XML_HEAD = '<?xml version="1.0" encoding="UTF-8"?>\n'
NAMESPACE = "http://www.sitemaps.org/schemas/sitemap/0.9"
PATH_SAFE = RFC3986_SUBDELIMS + "/~:@"  # what Django's reverse() leaves unquoted
# Slugs as Wagtail makes them in ASCII: nothing to quote or escape (the common case, fast).
PLAIN_PATH = re.compile(r"[\w\-/]*", re.ASCII).fullmatch


@dataclass(frozen=True)
class Sitemap:
    """A site's whole sitemap, stored as one cache entry (one write however many
    sections). Each part is gzip-compressed XML, a tenth of the size, sent as it is
    to clients that accept gzip: part 0 is the urlset, or the index when there are
    sections 1, 2, …"""

    generation: str
    parts: tuple
    last_modified: object  # the newest publication, or None when a page has none

    @property
    def sections(self):
        return len(self.parts) - 1

    def compressed(self, number):
        """The gzip-compressed XML of part `number`, or None when there is no such part."""
        if number >= len(self.parts):
            return None
        return self.parts[number]

    def content(self, number):
        """The XML of part `number`, or None when there is no such part."""
        part = self.compressed(number)
        return None if part is None else gzip.decompress(part)


# --- Building ------------------------------------------------------------------------


def _site_roots(site):
    """The site's home pages as Wagtail's URL building uses them, one per content
    language (the Norwegian tree and the English one under /en/): (root url_path,
    public address, language), cached by Wagtail, so no query."""
    roots = [
        (root.root_path, root.root_url, root.language_code)
        for root in Site.get_site_root_paths()
        if root.site_id == site.pk
    ]
    if not roots:
        raise Http404("The site has no root page.")
    return roots


def _site_root(site):
    """The site's public address."""
    return _site_roots(site)[0][:2]


def _listed_pages(roots):
    """The pages Wagtail's sitemap lists, in every language tree of the site: live,
    public, in tree order."""
    lastmod = Coalesce(F("last_published_at"), F("latest_revision_created_at"))
    in_site = Q()
    for root_path, _, _ in roots:
        in_site |= Q(url_path__startswith=root_path)
    return Page.objects.live().public().filter(in_site).annotate(lastmod=lastmod)


def entries(site):
    """(location, lastmod day) for every URL, in tree order. Every page type keeps
    Wagtail's default `get_sitemap_urls` (tests hold that), so the page table alone
    suffices; the day comes from the database in the site's time zone, as Wagtail's
    template shows it, which spares converting 20,000 datetimes in Python."""
    roots = _site_roots(site)
    bases = {}
    for root_path, root_url, language in roots:
        # The English tree's addresses start with /en/ (policy.translations).
        with translation.override(language):
            bases[root_path] = escape(root_url + reverse("wagtail_serve", args=("",)))
    local_day = TruncDate("lastmod", tzinfo=timezone.get_current_timezone())
    day = Func(local_day, Value("YYYY-MM-DD"), function="to_char", output_field=CharField())
    rows = _listed_pages(roots).annotate(day=day).order_by("path").values_list("url_path", "day")
    keep_slash = getattr(settings, "WAGTAIL_APPEND_SLASH", True)
    # Longest first: a page belongs to the deepest home page above it.
    prefixes = sorted(bases, key=len, reverse=True)
    result = []
    for url_path, lastmod_day in rows:
        root_path = next(prefix for prefix in prefixes if url_path.startswith(prefix))
        relative = url_path[len(root_path) :]
        if not PLAIN_PATH(relative):
            relative = escape(quote(relative, safe=PATH_SAFE))
        if not keep_slash and relative:
            relative = relative.rstrip("/")
        result.append((bases[root_path] + relative, lastmod_day))
    return result


def last_modified(site):
    """The newest publication in the site, for Last-Modified; None, as in Wagtail's
    sitemap, when a listed page has no date at all."""
    found = _listed_pages(_site_roots(site)).aggregate(
        newest=Max("lastmod"), undated=Count("pk", filter=Q(lastmod__isnull=True))
    )
    return None if found["undated"] else found["newest"]


def _compressed(lines):
    # mtime=0: the same pages give the same bytes.
    return gzip.compress("".join(lines).encode(), compresslevel=1, mtime=0)


def _urlset(chunk):
    lines = [XML_HEAD, f'<urlset xmlns="{NAMESPACE}">\n']
    for location, day in chunk:
        lastmod = "" if day is None else f"<lastmod>{day}</lastmod>"
        lines.append(f"<url><loc>{location}</loc>{lastmod}</url>\n")
    lines.append("</urlset>\n")
    return _compressed(lines)


def _index(site, newest_days):
    _, root_url = _site_root(site)
    lines = [XML_HEAD, f'<sitemapindex xmlns="{NAMESPACE}">\n']
    for number, day in enumerate(newest_days, start=1):
        location = escape(root_url + reverse("sitemap_section", args=(number,)))
        lastmod = "" if day is None else f"<lastmod>{day}</lastmod>"
        lines.append(f"<sitemap><loc>{location}</loc>{lastmod}</sitemap>\n")
    lines.append("</sitemapindex>\n")
    return _compressed(lines)


def _newest_day(chunk):
    days = [day for _, day in chunk]
    return None if None in days else max(days)  # ISO dates sort as text


def build(site, generation=""):
    """The site's sitemap: one urlset, or an index and its sections."""
    urls, limit = entries(site), settings.SITEMAP_MAX_URLS
    if len(urls) <= limit:
        parts = (_urlset(urls),)
    else:
        chunks = [urls[start : start + limit] for start in range(0, len(urls), limit)]
        parts = (_index(site, [_newest_day(chunk) for chunk in chunks]), *map(_urlset, chunks))
    return Sitemap(generation, parts, last_modified(site))


# --- Cache ---------------------------------------------------------------------------


def _key(site_id):
    # The limit is in the key (a changed limit changes every part), and the format
    # version: a deploy that changes Sitemap must not read the old ones.
    return f"sitemap:{FORMAT}:{site_id}:{settings.SITEMAP_MAX_URLS}"


def _current_generation(found):
    """The generation token, a random one rather than a counter: a lost key (cache
    restart, eviction) then can never bring an old generation back."""
    generation = found.get(GENERATION_KEY)
    if generation is None:
        cache.add(GENERATION_KEY, uuid4().hex, timeout=None)
        generation = cache.get(GENERATION_KEY)
    return generation


def cached_sitemap(site):
    """The site's sitemap from the cache (one round trip), or built afresh and stored."""
    found = cache.get_many([GENERATION_KEY, _key(site.pk)])
    generation = _current_generation(found)
    stored = found.get(_key(site.pk))
    if stored is not None and stored.generation == generation:
        return stored
    built = build(site, generation)
    cache.set(_key(site.pk), built, CACHE_SECONDS)
    return built


def invalidate():
    """Drop every cached sitemap and purge the sitemap's addresses from the page cache
    and CDN. Sections that the last build had are purged too (a shrinking sitemap
    leaves none behind)."""
    cache.set(GENERATION_KEY, uuid4().hex, timeout=None)
    roots = [(root.site_id, root.root_url) for root in Site.get_site_root_paths()]
    stored = cache.get_many([_key(site_id) for site_id, _ in roots])
    sections = max((built.sections for built in stored.values()), default=0)
    paths = [reverse("sitemap")] + [reverse("sitemap_section", args=(n,)) for n in range(1, sections + 1)]
    purge_urls_from_cache([root_url + path for _, root_url in roots for path in paths])


def _invalidate_after_commit():
    # After commit: a build that starts earlier must not store the old pages under
    # the new generation.
    transaction.on_commit(invalidate)


@receiver(page_published)
@receiver(page_unpublished)
@receiver(post_page_move)
def page_changed(sender, **kwargs):
    _invalidate_after_commit()


@receiver(post_save, sender=PageViewRestriction)
@receiver(post_delete, sender=PageViewRestriction)
@receiver(post_save, sender=Site)
@receiver(post_delete, sender=Site)
def restriction_or_site_changed(sender, **kwargs):
    _invalidate_after_commit()


# --- Views ---------------------------------------------------------------------------


# (host, port) → (sitemap generation, site id), per process: a hit then needs no site
# lookup, only the one round trip that reads the generation and the sitemap. A site
# change starts a new sitemap generation, which retires the entries.
_site_ids = {}
MAX_HOSTS = 64  # host headers are chosen by the client: keep the map bounded


def _site_sitemap(request):
    host = (request._get_raw_host(), request.get_port())
    known = _site_ids.get(host)
    if known is not None:
        found = cache.get_many([GENERATION_KEY, _key(known[1])])
        stored = found.get(_key(known[1]))
        if known[0] == found.get(GENERATION_KEY) and stored is not None and stored.generation == known[0]:
            return stored
    site = Site.find_for_request(request) or Site.objects.get(is_default_site=True)
    built = cached_sitemap(site)
    if len(_site_ids) >= MAX_HOSTS:
        _site_ids.clear()
    _site_ids[host] = (built.generation, site.pk)
    return built


def _response(request, number):
    built = _site_sitemap(request)
    compressed = built.compressed(number)
    if compressed is None:
        raise Http404("No such sitemap section.")
    if _accepts_gzip(request):
        # Stored compressed, sent as stored: no decompressing and compressing again.
        response = HttpResponse(compressed, content_type="application/xml")
        response["Content-Encoding"] = "gzip"
    else:
        response = HttpResponse(gzip.decompress(compressed), content_type="application/xml")
    patch_vary_headers(response, ["Accept-Encoding"])
    if built.last_modified is not None:
        response["Last-Modified"] = http_date(built.last_modified.timestamp())
    response["X-Robots-Tag"] = "noindex, noodp, noarchive"
    patch_cache_control(response, public=True, max_age=CACHE_SECONDS)
    return response


def _accepts_gzip(request):
    """Whether the client takes gzip (`gzip;q=0` refuses it), as Django's GZipMiddleware reads it."""
    for coding in request.META.get("HTTP_ACCEPT_ENCODING", "").split(","):
        name, _, params = coding.strip().partition(";")
        if name.strip().lower() in ("gzip", "x-gzip"):
            return params.replace(" ", "").lower() not in ("q=0", "q=0.0", "q=0.00", "q=0.000")
    return False


@require_safe
def sitemap(request):
    """/sitemap.xml: every URL, or the index of the sections past SITEMAP_MAX_URLS."""
    return _response(request, 0)


@require_safe
def sitemap_section(request, number):
    """/sitemap-<n>.xml: the n-th SITEMAP_MAX_URLS URLs, when there is an index."""
    if number < 1:
        raise Http404("No such sitemap section.")
    return _response(request, number)
