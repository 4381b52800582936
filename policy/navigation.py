"""The main menu and the footer links, as the editors set them in the site settings.

Every page renders them, so all their pages (menu, footer, privacy statement,
accessibility statement, sitemap) are read in one query, once per request, and not
at all when none is chosen. Links to pages that are not live are left out, so
unpublishing a page never leaves a dead link in the menu. The links are kept under the
purge generation (policy.fragments); which one is current is marked per request.
"""

from dataclasses import dataclass, field, replace

from wagtail.models import Page, Site

from . import fragments
from .models import SiteSettings


@dataclass(frozen=True)
class Link:
    title: str
    url: str
    lang: str = ""
    # aria-current: "page" on the page itself, "true" anywhere below it (its section).
    current: str = ""


@dataclass(frozen=True)
class Navigation:
    main_menu: list[Link] = field(default_factory=list)
    footer_links: list[Link] = field(default_factory=list)
    privacy: Link | None = None
    accessibility: Link | None = None
    sitemap: Link | None = None


EMPTY = Navigation()
CACHE_ATTRIBUTE = "_policy_navigation"


def for_request(request):
    """The navigation of the request's site, built once per request."""
    if request is None:
        return EMPTY
    navigation = getattr(request, CACHE_ATTRIBUTE, None)
    if navigation is None:
        navigation = _build(request)
        setattr(request, CACHE_ATTRIBUTE, navigation)
    return navigation


def current_state(url, path):
    """aria-current for a link to `url` seen from `path`."""
    if not url.startswith("/") or not path:
        return ""
    if path == url:
        return "page"
    if url != "/" and path.startswith(url.rstrip("/") + "/"):
        return "true"
    return ""


def _build(request):
    if Site.find_for_request(request) is None:
        return EMPTY
    return _mark_current(fragments.cached(request, "navigation", [], lambda: _links(request)), request.path)


def _mark_current(navigation, path):
    def mark(link):
        return link and replace(link, current=current_state(link.url, path))

    return Navigation(
        main_menu=[mark(link) for link in navigation.main_menu],
        footer_links=[mark(link) for link in navigation.footer_links],
        privacy=mark(navigation.privacy),
        accessibility=mark(navigation.accessibility),
        sitemap=mark(navigation.sitemap),
    )


def _links(request):
    """The links of every page of the site, with none marked current."""
    settings = SiteSettings.for_request(request)
    # The stored values (page ids), so that one query fetches the pages of every list.
    menu = [item["value"] for item in settings.main_menu.raw_data]
    footer = [item["value"] for item in settings.footer_links.raw_data]
    special = {
        "privacy": (settings.privacy_page_id, "Personvernerklæring"),
        "accessibility": (settings.accessibility_page_id, "Tilgjengelighetserklæring"),
        "sitemap": (settings.sitemap_page_id, "Nettstedskart"),
    }
    ids = {value.get("page") for value in menu + footer} | {page_id for page_id, _ in special.values()}
    ids.discard(None)
    pages = Page.objects.live().in_bulk(ids) if ids else {}

    def link(value):
        page = pages.get(value.get("page"))
        if page is not None:
            url, title = page.get_url(request), value.get("title") or page.title
        elif value.get("url") and not value.get("page"):
            url, title = value["url"], value.get("title") or value["url"]
        else:
            return None  # a page that is not (or no longer) live
        if not url:
            return None
        return Link(title=title, url=url, lang=value.get("lang") or "")

    def links(values):
        return [item for item in map(link, values) if item is not None]

    chosen = {name: link({"page": page_id, "title": title}) for name, (page_id, title) in special.items()}
    if chosen["accessibility"] is None and settings.accessibility_statement_url:
        chosen["accessibility"] = Link(title="Tilgjengelighetserklæring", url=settings.accessibility_statement_url)
    return Navigation(main_menu=links(menu), footer_links=links(footer), **chosen)
