"""The site's own views: search, robots.txt, the health check, the benchmark ceiling and error pages."""

from django.db import DatabaseError, connection
from django.http import HttpResponse, JsonResponse
from django.shortcuts import render
from django.template import loader
from django.utils import translation
from django.utils.formats import number_format
from django.views.decorators.cache import cache_control, never_cache
from django.views.decorators.http import require_GET
from wagtail.models import Page, Site

from . import fragments
from .filters import SiteSearchFilterSet, describe
from .links import absolute_url
from .models import apply_public_cache_headers
from .pagination import paginate
from .search import Ranked, capped_count, count_cap, snippet, suggest

SEARCH_RESULTS_PER_PAGE = 10


@require_GET
def search(request):
    """The site search: the site's live public pages, most relevant first, each with a
    snippet, its type and its date; filters by type and year; «Mente du …» when
    nothing is found."""
    pages = Page.objects.live().public()
    site = Site.find_for_request(request)
    if site is not None:
        pages = pages.in_site(site)
    # Results are read as Page, whatever their types: one query finds the shown page
    # of them and one describes them (`describe`), however many page types are among them.
    filters = SiteSearchFilterSet(request.GET, pages)
    criteria = filters.chosen()
    query = criteria["q"]
    context = {"query": query, "criteria": criteria, "errors": filters.messages_by_group(), "noindex": True}
    if query:
        # The count and the facets read every match: they are the same for every
        # visitor until something is published, so they are cached until then.
        key = fragments.query_key(request)
        count = fragments.cached(request, "search-count", key, lambda: capped_count(filters.qs))
        # The facets hold their labels as text, in the language they were built in.
        facets_key = [key, translation.get_language()]
        cap = count_cap()
        page_obj, notice = paginate(request, Ranked(filters.qs, query), SEARCH_RESULTS_PER_PAGE, count=min(count, cap))
        page_obj.object_list = describe(page_obj.object_list, snippet=snippet(query))
        facets = fragments.cached(request, "search-facets", facets_key, filters.facets)
        context.update(
            page_obj=page_obj,
            notice=notice,
            facets=facets,
            over_cap=count > cap,
            cap=number_format(cap, force_grouping=True),
        )
        if not page_obj.paginator.count:
            context["suggestion"] = suggestion = suggest(filters.facet_queryset("q"), query)
            if suggestion:
                params = request.GET.copy()
                params["q"] = suggestion
                params.pop("page", None)
                context["suggestion_url"] = "?" + params.urlencode()
    response = render(request, "policy/search.html", context)
    return apply_public_cache_headers(request, response)


@cache_control(public=True, max_age=3600)
@require_GET
def robots_txt(request):
    lines = [
        "User-agent: *",
        "Disallow: /admin/",
        "Disallow: /sok/",
        f"Sitemap: {absolute_url('/sitemap.xml')}",
    ]
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain; charset=utf-8")


@never_cache
@require_GET
def healthz(request):
    """For load balancers: 200 when the database answers, 503 when it does not."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError:
        return JsonResponse({"status": "error", "database": "unavailable"}, status=503)
    return JsonResponse({"status": "ok", "database": "ok"})


PLAIN_BODY = ("<!doctype html><title>plain</title><p>" + "x" * 20_000 + "</p>").encode()


@require_GET
def benchmark_plain(request):
    """The ceiling for `make bench`: a plain Django view returning 20 KB, no database.
    Routed only when BENCHMARK_VIEWS is on."""
    return HttpResponse(PLAIN_BODY)


def page_not_found(request, exception=None):
    return render(request, "404.html", status=404)


def server_error(request):
    # No context processors or database access: the error may be the database itself.
    return HttpResponse(loader.get_template("500.html").render(), status=500)
