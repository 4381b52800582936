"""The page part of RESULTS.md: tables and the verdict on each page target.

Ratios compare a page with the plain 20 KB view in the same run (machine-independent);
absolute figures (requests/s, ms, queries, Python CPU ms) stand beside them so a run
can be judged without any other project to compare with.
"""

WARM_TARGET = 0.75
# Cold ratio targets per page; pages without one are reported, not judged.
COLD_TARGETS = {
    "topic": 0.06,
    "news_archive": 0.06,
    "document_finder": 0.06,
    "home": 0.10,
    "news_item": 0.10,
    "document_page": 0.10,
}
SEARCH_P95_MS = 100
SITEMAP_MS = 200


def ratio(value, ceiling):
    return value / ceiling if ceiling else 0.0


def verdict(ok):
    return "met" if ok else "MISSED"


def _ms(r):
    return f"{r['p50_ms']:.1f} / {r['p95_ms']:.1f} / {r['p99_ms']:.1f}"


def page_table(results):
    plain = results["ceiling"]["plain_view"]["rps"]
    rows = [
        "| page | URL | cold req/s | cold p50/p95/p99 ms | cold ratio | cold target | warm req/s "
        "| warm p50/p95/p99 ms | warm ratio | Redis commands per hit |",
        "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for name, url in results["urls"].items():
        cold, warm = results["cold"][name], results["warm"][name]
        target = f"≥ {COLD_TARGETS[name]:.2f}" if name in COLD_TARGETS else "–"
        rows.append(
            f"| {name} | `{url}` | {cold['rps']:.0f} | {_ms(cold)} | {ratio(cold['rps'], plain):.3f} | {target}"
            f" | {warm['rps']:.0f} | {_ms(warm)} | {ratio(warm['rps'], plain):.3f}"
            f" | {results['warm_cost'][name]['redis_commands']:.2f} |"
        )
    return "\n".join(rows)


def ceiling_table(results):
    rows = ["| ceiling | req/s | p50/p95/p99 ms | errors |", "|---|---:|---:|---:|"]
    for name, r in results["ceiling"].items():
        rows.append(f"| {name} | {r['rps']:.0f} | {_ms(r)} | {r['errors']} |")
    for name, r in results.get("warm_database_cache", {}).items():
        rows.append(
            f"| {name}, warm on the database cache (no CACHE_URL) | {r['rps']:.0f} | {_ms(r)} | {r['errors']} |"
        )
    return "\n".join(rows)


def cost_table(results):
    """Where a request's time goes: per page, one visitor at a time, figures from the server."""
    rows = [
        "| page | queries | Python CPU ms | ms in SQL | cold server ms per request | warm hit: queries / CPU ms |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    for name, cost in results["cost"].items():
        cold = results["ceiling"]["plain_view"] if name == "plain_view" else results["cold"][name]
        # Two workers share the load, so each request held a worker this long on average.
        service_ms = 2000 / cold["rps"] if cold["rps"] else float("inf")
        hit = results["warm_cost"].get(name)
        hit_text = f"{hit['queries']} / {hit['cpu_ms']:.2f}" if hit else "–"
        rows.append(
            f"| {name} | {cost['queries']} | {cost['cpu_ms']:.1f} | {cost['db_ms']:.1f} | {service_ms:.1f} | {hit_text} |"
        )
    return "\n".join(rows)


def _cold_lines(results, plain):
    lines = []
    for name, target in COLD_TARGETS.items():
        if name not in results["cold"]:
            lines.append(f"- Cold {name}: not measured (page type not present)")
            continue
        cold = results["cold"][name]
        r = ratio(cold["rps"], plain)
        cost = results["cost"].get(name, {})
        lines.append(
            f"- Cold {name} ≥ {target} of the plain view: {verdict(r >= target)} ({r:.3f}; {cold['rps']:.0f} req/s, "
            f"{cost.get('cpu_ms', 0):.1f} ms Python CPU and {cost.get('queries', '?')} queries per request)"
        )
    others = [n for n in results["cold"] if n not in COLD_TARGETS]
    if others:
        figures = ", ".join(f"{n} {ratio(results['cold'][n]['rps'], plain):.3f}" for n in others)
        lines.append(f"- Cold ratio of the pages without a target: {figures}")
    return lines


def _search_line(results):
    p95 = results["search_single"]["p95_ms"]
    loaded = results["cold"]["search"]["p95_ms"]
    return (
        f"- Search p95 ≤ {SEARCH_P95_MS} ms: {verdict(p95 <= SEARCH_P95_MS)} ({p95:.1f} ms one visitor at a time; "
        f"{loaded:.1f} ms with 8 concurrent connections on 2 workers, which includes queueing)"
    )


def _sitemap_line(results, counts):
    single = results["sitemap_single"]
    small, large = (counts or {}).get("small", {}), (counts or {}).get("large", {})
    queries_small = small.get("sitemap", {}).get("queries")
    queries_large = large.get("sitemap", {}).get("queries")
    constant = queries_small is not None and queries_small == queries_large
    return (
        f"- Sitemap ≤ {SITEMAP_MS} ms with constant queries: "
        f"{verdict(single['p50_ms'] <= SITEMAP_MS and constant)} ({single['p50_ms']:.1f} ms p50, "
        f"{single['p95_ms']:.1f} ms p95 one visitor at a time; {queries_small} queries with the small set, "
        f"{queries_large} with the full set; a sitemap index past 50,000 URLs is not exercised at this size)"
    )


def verdicts(results, counts=None):
    """One line per page target of the issue, each met or MISSED with its figure."""
    plain = results["ceiling"]["plain_view"]["rps"]
    warm_ratios = {n: ratio(r["rps"], plain) for n, r in results["warm"].items()}
    worst = min(warm_ratios.items(), key=lambda kv: kv[1])
    commands = max(r["redis_commands"] for r in results["warm_cost"].values())
    names = sorted({n for r in results["warm_cost"].values() for n in r["redis_command_names"]})
    lines = [
        f"- Warm pages (page cache on Redis) ≥ {WARM_TARGET} of the plain view: {verdict(worst[1] >= WARM_TARGET)} "
        f"(lowest: {worst[0]} {worst[1]:.3f}, {results['warm'][worst[0]]['rps']:.0f} req/s; "
        f"at most {commands:.2f} Redis commands per hit: {', '.join(names) or 'none'})",
        *_cold_lines(results, plain),
    ]
    if "search_single" in results:
        lines.append(_search_line(results))
    if "sitemap_single" in results:
        lines.append(_sitemap_line(results, counts))
    errors = sum(r["errors"] for part in ("cold", "warm") for r in results[part].values())
    lines.append(f"- Errors or non-2xx answers during page runs: {errors}")
    return "\n".join(lines)
