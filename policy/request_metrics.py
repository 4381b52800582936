"""Request latency by view and status class, for `/metrics`.

Labelled by the resolved view's name, never by the path, so the number of series is
bounded by the code, not by what visitors type: a Wagtail page by its page type
("page:news.newspage"), a routed view by its URL name ("pilots:attachments"), a copy
served by the page cache as "pagecache", static files as "static", and anything
answered before URL resolution (redirects to a trailing slash, HTTPS) as "other".
The time is from the request entering the middleware stack until the response leaves
it (a streamed file's body is not included).
"""

import time

from django.conf import settings

from . import metrics

REQUEST_SECONDS = metrics.histogram(
    "kr_http_request_duration_seconds",
    "Time to answer a request, by view (URL name or page type) and status class (2xx, 3xx, 4xx, 5xx).",
    ["view", "status"],
    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0),
)
# Where the Wagtail hook leaves the page type of the page being served.
VIEW_ATTRIBUTE = "metrics_view"


def label_page(page, request, serve_args, serve_kwargs):
    """Wagtail's before_serve_page hook: name the view after the page type."""
    model = page.specific_class or type(page)
    setattr(request, VIEW_ATTRIBUTE, f"page:{model._meta.label_lower}")


def view_label(request, response):
    label = getattr(request, VIEW_ATTRIBUTE, None)
    if label:
        return label
    match = getattr(request, "resolver_match", None)
    if match is not None:
        return match.view_name
    if response.get("X-Cache") == "HIT":
        return "pagecache"
    if request.path.startswith(settings.STATIC_URL):
        return "static"
    return "other"


class RequestMetricsMiddleware:
    """Outermost, so the time covers every other middleware (the page cache included)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        started = time.perf_counter()
        response = self.get_response(request)
        status = f"{response.status_code // 100}xx"
        REQUEST_SECONDS.labels(view_label(request, response), status).observe(time.perf_counter() - started)
        return response
