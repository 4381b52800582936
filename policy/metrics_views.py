"""`/metrics` for Prometheus: readable with `Authorization: Bearer <METRICS_TOKEN>` or
from an address in METRICS_ALLOWED_IPS (the client address as policy.ratelimit.client_ip
reads it, so TRUSTED_PROXY_COUNT applies). Anyone else gets the site's ordinary 404
page, so the endpoint does not show that it exists. Never stored by a cache."""

import functools
import hmac
import ipaddress

from django.conf import settings
from django.http import Http404, HttpResponse
from django.urls import get_resolver

from . import metrics
from .ratelimit import client_ip


@functools.cache
def _networks(entries):
    return tuple(ipaddress.ip_network(entry, strict=False) for entry in entries)


def has_token(request):
    token = settings.METRICS_TOKEN
    if not token:
        return False
    scheme, _, given = request.headers.get("Authorization", "").partition(" ")
    return scheme.lower() == "bearer" and hmac.compare_digest(given.strip().encode(), token.encode())


def from_allowed_address(request):
    networks = _networks(tuple(settings.METRICS_ALLOWED_IPS))
    if not networks:
        return False
    try:
        address = ipaddress.ip_address(client_ip(request))
    except ValueError:
        return False
    # A dual-stack listener reports IPv4 clients as ::ffff:a.b.c.d.
    address = getattr(address, "ipv4_mapped", None) or address
    return any(address in network for network in networks)


def _no_store(response):
    response["Cache-Control"] = "no-store"
    return response


def metrics_view(request):
    if not (has_token(request) or from_allowed_address(request)):
        not_found = get_resolver().resolve_error_handler(404)
        return _no_store(not_found(request, Http404()))
    if request.method not in ("GET", "HEAD"):
        return _no_store(HttpResponse(status=405, headers={"Allow": "GET, HEAD"}))
    return _no_store(HttpResponse(metrics.scrape(), content_type=metrics.CONTENT_TYPE))
