"""Warm pages through Varnish: the stack of `make stack` (tests/perf/stack.py) with wrk
against Varnish, beside the plain 20 KB Django view on one of its app nodes.

`make bench` runs it after the pages on Django's page cache and judges it against the
same run's plain view; on its own (`.venv/bin/python -m tests.perf.varnish`) it
prepares the benchmark database, measures and prints the table, and writes nothing.
"""

import os
import sys
from pathlib import Path

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from tests.perf import pages, stack  # noqa: E402
from tests.perf.pagereport import ratio, verdict  # noqa: E402

TARGET = 1.0


def _served_from_cache(base, path):
    import urllib.request

    with urllib.request.urlopen(base + path, timeout=30) as response:  # noqa: S310 (loopback)
        response.read()
        return len(response.headers.get("X-Varnish", "").split()) == 2


def measure(seconds=6, urls=None):
    """{"plain_view": wrk figures on a node, "warm": {page: wrk figures through Varnish},
    "hits": {page: whether Varnish answered it from its cache after warming}}."""
    urls = urls or pages.resolve_urls()
    results = {"urls": urls, "warm": {}, "hits": {}}
    with stack.running() as running:
        pages.warm_up(running.url, list(urls.values()))
        results["plain_view"] = pages.wrk(running.node_url(1) + "/bench/plain/", seconds)
        for name, path in urls.items():
            results["hits"][name] = _served_from_cache(running.url, path)
            results["warm"][name] = pages.wrk(running.url + path, seconds)
    return results


def verdict_line(results, plain_rps):
    ratios = {name: ratio(r["rps"], plain_rps) for name, r in results["warm"].items()}
    worst = min(ratios.items(), key=lambda kv: kv[1])
    misses = [name for name, hit in results["hits"].items() if not hit]
    return (
        f"- Warm pages through Varnish ≥ {TARGET} of the plain view: {verdict(worst[1] >= TARGET and not misses)} "
        f"(lowest: {worst[0]} {worst[1]:.2f}, {results['warm'][worst[0]]['rps']:.0f} req/s"
        + (f"; not served from Varnish's cache: {', '.join(misses)}" if misses else "")
        + ")"
    )


def table(results, plain_rps):
    rows = [
        "| page | req/s through Varnish | p50/p95/p99 ms | ratio to the plain view | from Varnish's cache | errors |",
        "|---|---:|---:|---:|---|---:|",
    ]
    for name, r in results["warm"].items():
        rows.append(
            f"| {name} | {r['rps']:.0f} | {r['p50_ms']:.1f} / {r['p95_ms']:.1f} / {r['p99_ms']:.1f} "
            f"| {ratio(r['rps'], plain_rps):.2f} | {'yes' if results['hits'][name] else '**no**'} | {r['errors']} |"
        )
    plain = results["plain_view"]
    rows.append(
        f"| plain view on an app node (same stack) | {plain['rps']:.0f} | {plain['p50_ms']:.1f} / "
        f"{plain['p95_ms']:.1f} / {plain['p99_ms']:.1f} | {ratio(plain['rps'], plain_rps):.2f} | – | {plain['errors']} |"
    )
    return "\n".join(rows)


DESCRIPTION = (
    "`make stack`'s processes (scripts/stack.sh) on free ports: Varnish (config/varnish/site.vcl) in front of "
    "two gunicorn app nodes (2 workers each, production settings), Redis as their cache. wrk as for the pages "
    "(1 thread, 8 connections, `Accept-Encoding: gzip`), each page warmed first; ratio to the plain 20 KB view "
    "measured directly on gunicorn in the same run."
)


def main():
    from tests.perf import database

    seconds = int(os.environ.get("BENCH_SECONDS", 6))
    os.environ["DATABASE_URL"] = database.bench_database_url()
    database.prepare(os.environ["DATABASE_URL"])
    results = measure(seconds=seconds)
    plain = results["plain_view"]["rps"]
    print(verdict_line(results, plain))
    print()
    print(table(results, plain))


if __name__ == "__main__":
    main()
