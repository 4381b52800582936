"""Requests/s and latency per page with wrk, cold (page cache off) and warm (on),
beside the ceiling: a static file and a plain 20 KB Django view in the same run.

The app's cache is a private redis-server for both (CACHE_URL, as in production), and
each page's queries and Python CPU ms come from the Server-Timing header the app adds
with SERVER_TIMING on (policy/servertiming.py)."""

import json
import subprocess
from pathlib import Path

from tests.perf import redisserver
from tests.perf.server import PY, ROOT, gunicorn, manage, production_env

LUA = Path(__file__).with_name("latency.lua")

# Resolved in a subprocess so the URLs of generated items are real ones.
RESOLVE_URLS = r"""
import json, django
django.setup()
from django.apps import apps
from wagtail.models import Page
urls = {"home": "/", "topic": "/kommuner-og-regioner/regional-og-distriktspolitikk/",
        "search": "/sok/?q=kommune"}
def first_url(app_label, model, order="-first_published_at"):
    try:
        Model = apps.get_model(app_label, model)
    except LookupError:
        return None
    page = Model.objects.live().order_by(order).first()
    return page.url if page else None
if (index := first_url("news", "NewsIndexPage")):
    urls["news_archive"] = index
    urls["news_archive_filtered"] = index + "?year=2022"
    urls["feed"] = index + "rss/"
if (item := first_url("news", "NewsPage")):
    urls["news_item"] = item
if (finder := first_url("documents", "DocumentIndexPage")):
    urls["document_finder"] = finder + "?type=rapport&sort=date"
if (doc := first_url("documents", "DocumentPage")):
    urls["document_page"] = doc
urls["sitemap"] = "/sitemap.xml"  # last: the slowest page
print(json.dumps(urls))
"""


def resolve_urls(env=None):
    result = subprocess.run(
        [PY, "-c", RESOLVE_URLS], cwd=ROOT, env=env or production_env(), check=True, capture_output=True, text=True
    )
    return json.loads(result.stdout.strip().splitlines()[-1])


def wait_until_idle(url):
    """wrk stops sending when its time is up, but requests it left in gunicorn's backlog
    still run; the next URL's figures would pay for them. /healthz is answered only
    when the backlog ahead of it is done."""
    import urllib.request

    base = url.split("/", 3)
    with urllib.request.urlopen("/".join(base[:3]) + "/healthz", timeout=300) as response:  # noqa: S310 (loopback)
        response.read()


# What browsers and crawlers send; only the sitemap answers compressed (its stored form).
ACCEPT_ENCODING = "Accept-Encoding: gzip, deflate, br"


def wrk(url, seconds, connections=8):
    result = subprocess.run(
        [
            "wrk",
            "-t1",
            f"-c{connections}",
            f"-d{seconds}s",
            "--timeout",
            "10s",
            "-H",
            ACCEPT_ENCODING,
            "-s",
            str(LUA),
            url,
        ],
        capture_output=True,
        text=True,
        check=True,
        timeout=seconds + 60,
    )
    wait_until_idle(url)
    return json.loads([line for line in result.stdout.splitlines() if line.startswith("{")][-1])


def warm_up(base, paths):
    import urllib.request

    for path in paths:
        for _ in range(3):
            with urllib.request.urlopen(base + path, timeout=30) as response:  # noqa: S310 (loopback)
                response.read()


PROBES = 7  # requests per page for the per-request figures


def parse_server_timing(header):
    """{"cpu_ms": .., "db_ms": .., "queries": ..} from policy.servertiming's header."""
    figures = {}
    for metric in header.split(","):
        name, *params = (part.strip() for part in metric.split(";"))
        values = dict(param.split("=", 1) for param in params)
        if name == "cpu":
            figures["cpu_ms"] = float(values["dur"])
        elif name == "db":
            figures["db_ms"] = float(values["dur"])
            figures["queries"] = int(values["desc"].strip('"').split()[0])
    return figures


def probe(base, path, times=PROBES):
    """One visitor, one request at a time: the median Python CPU ms and database ms the
    server reports for the page (Server-Timing), and its query count."""
    import statistics
    import urllib.request

    samples = []
    for _ in range(times):
        with urllib.request.urlopen(base + path, timeout=60) as response:  # noqa: S310 (loopback)
            response.read()
            samples.append(parse_server_timing(response.headers["Server-Timing"]))
    return {
        "cpu_ms": statistics.median(s["cpu_ms"] for s in samples),
        "db_ms": statistics.median(s["db_ms"] for s in samples),
        "queries": samples[-1]["queries"],
    }


# Commands the benchmark itself sends to Redis, not the pages.
OWN_COMMANDS = {"info", "config|resetstat", "ping"}


def redis_commands(redis):
    """Commands Redis served since the last reset, the benchmark's own left out."""
    return {name: n for name, n in redis.command_calls().items() if name not in OWN_COMMANDS}


def measure_cold(port, urls, ceiling_paths, seconds, redis, results):
    with gunicorn(port, PAGE_CACHE_ENABLED="false", CACHE_URL=redis.cache_url, SERVER_TIMING="true") as base:
        warm_up(base, list(ceiling_paths.values()) + list(urls.values()))
        for name, path in ceiling_paths.items():
            results["ceiling"][name] = wrk(base + path, seconds)
        for name, path in {"plain_view": ceiling_paths["plain_view"], **urls}.items():
            results["cost"][name] = probe(base, path)
        for name, path in urls.items():
            results["cold"][name] = wrk(base + path, seconds)
        if "search" in urls:
            # One visitor at a time: the search's own latency, without queueing behind 7 others.
            results["search_single"] = wrk(base + urls["search"], seconds, connections=1)
        if "sitemap" in urls:
            results["sitemap_single"] = wrk(base + urls["sitemap"], seconds, connections=1)


def measure_warm(port, urls, ceiling_paths, seconds, redis, results):
    with gunicorn(port, PAGE_CACHE_ENABLED="true", CACHE_URL=redis.cache_url, SERVER_TIMING="true") as base:
        warm_up(base, list(urls.values()))
        results["ceiling"]["plain_view_cached_run"] = wrk(base + ceiling_paths["plain_view"], seconds)
        for name, path in urls.items():
            # Counted on the probe's requests, one at a time, so none is still in flight.
            redis.reset_stats()
            results["warm_cost"][name] = probe(base, path)
            calls = redis_commands(redis)
            results["warm_cost"][name]["redis_commands"] = sum(calls.values()) / PROBES
            results["warm_cost"][name]["redis_command_names"] = sorted(calls)
            results["warm"][name] = wrk(base + path, seconds)


def measure_warm_database_cache(port, urls, seconds, results):
    """The home page warm on the database cache, the default without CACHE_URL: what Redis saves."""
    with gunicorn(port, PAGE_CACHE_ENABLED="true", CACHE_URL="dbcache://django_cache") as base:
        warm_up(base, [urls["home"]])
        results["warm_database_cache"] = {"home": wrk(base + urls["home"], seconds)}


def measure(seconds=8, port=8200, urls=None):
    manage("collectstatic", "--noinput", "-v", "0")
    urls = urls or resolve_urls()
    ceiling_paths = {"static_file": "/static/css/site.css", "plain_view": "/bench/plain/"}
    results = {"urls": urls, "ceiling": {}, "cold": {}, "warm": {}, "cost": {}, "warm_cost": {}}
    with redisserver.running() as redis:
        measure_cold(port, urls, ceiling_paths, seconds, redis, results)
        measure_warm(port, urls, ceiling_paths, seconds, redis, results)
    measure_warm_database_cache(port, urls, seconds, results)
    return results
