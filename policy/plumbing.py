"""What Wagtail asks the database on every page request and what almost never changes,
kept per process for one purge generation (policy.pagecache.site_generation): the
request's site and its home page, the site settings, and whether any page has a view
restriction at all. Routing finds a nested page in two queries instead of two per level.

Everything here is thrown away when the generation changes. Publishing, unpublishing,
moving or deleting a page and saving the site settings start a new one (policy.fragments);
this module adds sites and view restrictions, so a page an editor makes private is
private on the next request in every process. The cached objects are never handed out
themselves: each request gets its own copy, so nothing one request sets on a page or
on the settings leaks into the next. They are kept pickled: unpickling makes that
copy several times faster than `copy.deepcopy`.

The caches are used only inside a request that `PlumbingMiddleware` has tied to a
generation; the admin, tasks and management commands keep Wagtail's own queries.
"""

import pickle
import threading
from contextvars import ContextVar

from django.db import DatabaseError
from django.db.models import Q
from django.db.models.signals import post_delete, post_save
from django.http import Http404
from wagtail.contrib.routable_page.models import RoutablePageMixin
from wagtail.models import Page, PageViewRestriction, Site
from wagtail.query import PageQuerySet

from .fragments import start_new_generation
from .middleware import ADMIN_PATHS
from .pagecache import NOT_PAGES, OWN_CACHE_PATH, site_generation

MAX_HOSTS = 64  # host headers are chosen by the client: keep the site lookup bounded
TREE_STEP = 4  # treebeard's path step length in Wagtail's page tree
MAX_SPECIFIC_PAGES = 256  # parents kept as their specific type: the few index pages


class _Snapshot:
    """The cached answers for one purge generation."""

    def __init__(self, generation):
        self.generation = generation
        self.lock = threading.Lock()
        self.sites = {}
        self.settings = {}
        self.restrictions = None
        self.root_paths = None
        self.derived = {}
        self.specific_pages = {}

    def any_view_restrictions(self):
        if self.restrictions is None:
            self.restrictions = PageViewRestriction.objects.exists()
        return self.restrictions

    def site_root_paths(self):
        if self.root_paths is None:
            self.root_paths = _wagtail_site_root_paths()
        return self.root_paths

    def site_for(self, request):
        """A copy of the request's site with its home page (specific) already loaded."""
        key = (request._get_raw_host(), request.get_port())
        if key not in self.sites:
            site = Site._find_for_request(request)
            if site is not None:
                site.root_page = site.root_page.specific
                site.root_page.route_ancestors = list(site.root_page.get_ancestors())
            with self.lock:
                if len(self.sites) >= MAX_HOSTS:
                    self.sites.clear()
                self.sites[key] = _frozen(site)
        return _thawed(self.sites[key])

    def remember(self, name, load):
        if name not in self.derived:
            self.derived[name] = load()
        return self.derived[name]

    def specific_page(self, page):
        """A copy of `page` as its specific type (loaded once per generation)."""
        if page.pk not in self.specific_pages:
            specific = page.specific
            with self.lock:
                if len(self.specific_pages) >= MAX_SPECIFIC_PAGES:
                    self.specific_pages.clear()
                self.specific_pages[page.pk] = _frozen(specific)
        return _thawed(self.specific_pages[page.pk])

    def setting_for(self, model, site, load):
        key = (model._meta.label, site.pk)
        if key not in self.settings:
            self.settings[key] = _frozen(load(site))
        return _thawed(self.settings[key])


def _frozen(obj):
    return pickle.dumps(obj, pickle.HIGHEST_PROTOCOL)


def _thawed(frozen):
    return pickle.loads(frozen)  # noqa: S301 - bytes this process pickled itself


_snapshot = _Snapshot(None)
_current = ContextVar("plumbing_snapshot", default=None)


def _snapshot_for(generation):
    global _snapshot
    snapshot = _snapshot
    if snapshot.generation != generation:
        snapshot = _snapshot = _Snapshot(generation)
    return snapshot


class PlumbingMiddleware:
    """Ties the request to the current purge generation's snapshot and hands Wagtail
    the site, so that neither the site nor its home page is looked up again. After
    the page cache, which has already read the generation (no extra round trip)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path.startswith(ADMIN_PATHS) or OWN_CACHE_PATH(request.path) or request.path in NOT_PAGES:
            return self.get_response(request)
        try:
            generation = site_generation(request)
        except DatabaseError:
            # Without the cache the request goes Wagtail's own way (and /healthz says 503).
            return self.get_response(request)
        snapshot = _snapshot_for(generation)
        request._wagtail_site = snapshot.site_for(request)
        token = _current.set(snapshot)
        try:
            return self.get_response(request)
        finally:
            _current.reset(token)


def no_view_restrictions():
    """True when this request is tied to a snapshot and no page has a view
    restriction: then there is nothing for Wagtail's privacy checks to find."""
    snapshot = _current.get()
    return snapshot is not None and not snapshot.any_view_restrictions()


def in_snapshot():
    """True inside a public request tied to a purge generation's snapshot."""
    return _current.get() is not None


def per_generation(name, load):
    """`load()`, kept for this purge generation under `name`; only inside a snapshot
    (see in_snapshot). The value is shared by every request: it must not change."""
    return _current.get().remember(name, load)


def specific_parent(page):
    """The parent routing found for `page`, as its specific type: asked once per process
    and generation (an archive is the parent of thousands of items), else read."""
    parent = page.get_parent()
    snapshot = _current.get()
    if parent is None or snapshot is None:
        return parent.specific if parent is not None else None
    return snapshot.specific_page(parent)


def site_setting(model, site, load):
    """The site's settings of `model` (`load(site)` reads them), one query per generation."""
    snapshot = _current.get()
    if snapshot is None or site is None:
        return load(site)
    return snapshot.setting_for(model, site, load)


_wagtail_private_q = PageQuerySet.private_q


def _private_q(self):
    """`.public()` reads every view restriction to build its filter; with none on the
    site, the filter it builds matches nothing, so it is built without the query."""
    if no_view_restrictions():
        return Q(pk__in=[])
    return _wagtail_private_q(self)


_wagtail_site_root_paths = Site.get_site_root_paths


def _site_root_paths():
    """Wagtail keeps these in the shared cache, a round trip each time a request (or a
    URL built without one) asks; a snapshot keeps them in the process."""
    snapshot = _current.get()
    if snapshot is None:
        return _wagtail_site_root_paths()
    return snapshot.site_root_paths()


def install():
    """Called once from PolicyConfig.ready: every `.public()` in the project and in
    Wagtail goes through PageQuerySet.private_q, every page URL through
    Site.get_site_root_paths."""
    PageQuerySet.private_q = _private_q
    Site.get_site_root_paths = staticmethod(_site_root_paths)


def route(root, request, path_components):
    """Wagtail's routing from the site's home page, in two queries for any depth: one
    reads every candidate page on the path (and the home page's ancestors, for the
    breadcrumbs), one the specific page found. A page type with routes of its own
    (RoutablePageMixin) on the way takes over there, as in Wagtail."""
    depth = root.depth
    candidates = Page.objects.filter(
        Q(
            path__startswith=root.path,
            depth__gt=depth,
            depth__lte=depth + len(path_components),
            slug__in=path_components,
        )
        | Q(path__in=[root.path[:end] for end in range(TREE_STEP, len(root.path), TREE_STEP)])
    ).order_by("path")
    by_path = {page.path: page for page in candidates}
    ancestors = [by_path[root.path[:end]] for end in range(TREE_STEP, len(root.path), TREE_STEP)] + [root]
    parent = root
    for level, slug in enumerate(path_components):
        page = next(
            (
                p
                for path, p in by_path.items()
                if p.depth == parent.depth + 1 and path.startswith(parent.path) and p.slug == slug
            ),
            None,
        )
        if page is None:
            raise Http404
        remaining = path_components[level + 1 :]
        if not remaining or _routes_itself(page, remaining):
            return _route_on(page, parent, ancestors, request, remaining)
        ancestors.append(page)
        parent = page
    raise Http404  # not reached: an empty path is the home page's own


def _routes_itself(page, remaining):
    """Whether `page` answers the rest of the path itself instead of handing it to a
    child: a routable page does when one of its routes matches (else Wagtail goes on
    to its children, as here); any other page type with its own `route` always does."""
    model = page.specific_class
    if model is None or model.route is Page.route:
        return False
    if not issubclass(model, RoutablePageMixin):
        return True
    try:
        model.get_resolver().resolve("/" + "/".join(remaining) + "/")
    except Http404:
        return False
    return page.live


def _route_on(page, parent, ancestors, request, remaining):
    specific = page.specific
    specific._cached_parent_obj = parent
    specific.route_ancestors = ancestors
    return specific.route(request, remaining)


def _restrictions_changed(sender, **kwargs):
    start_new_generation()


post_save.connect(_restrictions_changed, sender=PageViewRestriction, dispatch_uid="plumbing_restriction_saved")
post_delete.connect(_restrictions_changed, sender=PageViewRestriction, dispatch_uid="plumbing_restriction_deleted")
post_save.connect(_restrictions_changed, sender=Site, dispatch_uid="plumbing_site_saved")
post_delete.connect(_restrictions_changed, sender=Site, dispatch_uid="plumbing_site_deleted")
