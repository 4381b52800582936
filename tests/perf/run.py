"""`make bench`: run every benchmark and write tests/perf/RESULTS.md.

Figures on a small, shared machine are noisy, so every page figure is printed beside
a ceiling measured in the same run (a static file and a plain 20 KB Django view) and
as a ratio to it. Targets are reported, never asserted.
"""

import datetime
import os
import platform
import shutil
import subprocess
import sys
import time
from pathlib import Path

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from tests.perf import database, faults, pages, querycounts, rush  # noqa: E402
from tests.perf.server import generate_data, manage, production_env  # noqa: E402

RESULTS = Path(__file__).with_name("RESULTS.md")

TARGET_WARM = 0.75
TARGET_COLD = 0.06
COLD_TARGET_PAGES = ("topic", "news_archive", "document_finder")


def ensure_tools():
    if shutil.which("wrk"):
        return
    if os.geteuid() == 0 and shutil.which("apt-get"):
        subprocess.run(
            ["apt-get", "install", "-y", "-qq", "wrk"],
            check=True,
            env={**os.environ, "DEBIAN_FRONTEND": "noninteractive"},
        )
    else:
        sys.exit("wrk is needed: sudo apt-get install -y wrk")


def machine_facts():
    cpu = "unknown"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    memory = "unknown"
    try:
        kb = int(Path("/proc/meminfo").read_text().split()[1])
        memory = f"{kb / 1024 / 1024:.1f} GiB"
    except (OSError, ValueError):
        pass
    pg = subprocess.run(["bash", "-c", "ls /usr/lib/postgresql | sort -V | tail -1"], capture_output=True, text=True)
    return {
        "date": datetime.datetime.now().astimezone().strftime("%Y-%m-%d %H:%M %Z"),
        "cpu": f"{os.cpu_count()} × {cpu}",
        "memory": memory,
        "python": platform.python_version(),
        "postgresql": pg.stdout.strip() or "?",
        "kernel": platform.release(),
    }


def ratio(value, ceiling):
    return value / ceiling if ceiling else 0.0


def page_table(results):
    plain = results["ceiling"]["plain_view"]["rps"]
    rows = [
        "| page | URL | cold req/s | cold p50/p95/p99 ms | cold ratio | warm req/s | warm p50/p95/p99 ms | warm ratio |",
        "|---|---|---:|---:|---:|---:|---:|---:|",
    ]
    for name, url in results["urls"].items():
        cold, warm = results["cold"][name], results["warm"][name]
        rows.append(
            f"| {name} | `{url}` | {cold['rps']:.0f} | {cold['p50_ms']:.1f} / {cold['p95_ms']:.1f} / {cold['p99_ms']:.1f}"
            f" | {ratio(cold['rps'], plain):.3f} | {warm['rps']:.0f} | {warm['p50_ms']:.1f} / {warm['p95_ms']:.1f} /"
            f" {warm['p99_ms']:.1f} | {ratio(warm['rps'], plain):.3f} |"
        )
    return "\n".join(rows)


def ceiling_table(results):
    rows = ["| ceiling | req/s | p50/p95/p99 ms | errors |", "|---|---:|---:|---:|"]
    for name, r in results["ceiling"].items():
        rows.append(
            f"| {name} | {r['rps']:.0f} | {r['p50_ms']:.1f} / {r['p95_ms']:.1f} / {r['p99_ms']:.1f} | {r['errors']} |"
        )
    return "\n".join(rows)


def verdicts(results):
    plain = results["ceiling"]["plain_view"]["rps"]
    lines = []
    warm_ratios = {n: ratio(r["rps"], plain) for n, r in results["warm"].items()}
    worst = min(warm_ratios.items(), key=lambda kv: kv[1])
    lines.append(
        f"- Warm pages ≥ {TARGET_WARM} of the plain view: "
        f"{'met' if worst[1] >= TARGET_WARM else 'MISSED'} (lowest: {worst[0]} {worst[1]:.3f})"
    )
    for name in COLD_TARGET_PAGES:
        if name in results["cold"]:
            r = ratio(results["cold"][name]["rps"], plain)
            lines.append(
                f"- Cold {name} ≥ {TARGET_COLD} of the plain view: {'met' if r >= TARGET_COLD else 'MISSED'} ({r:.3f})"
            )
        else:
            lines.append(f"- Cold {name}: not measured (page type not present)")
    if "search_single" in results:
        p95 = results["search_single"]["p95_ms"]
        loaded = results["cold"]["search"]["p95_ms"]
        lines.append(
            f"- Search p95 ≤ 100 ms: {'met' if p95 <= 100 else 'MISSED'} ({p95:.1f} ms one visitor at a time; "
            f"{loaded:.1f} ms with 8 concurrent connections on 2 workers, which includes queueing)"
        )
    errors = sum(r["errors"] for part in ("cold", "warm") for r in results[part].values())
    lines.append(f"- Errors or non-2xx answers during page runs: {errors}")
    return "\n".join(lines)


def env_int(name, default):
    return int(os.environ.get(name, default))


SIZES = {
    "news": env_int("BENCH_NEWS", 10000),
    "documents": env_int("BENCH_DOCUMENTS", 10000),
    "applications": env_int("BENCH_APPLICATIONS", 2000),
    "subscribers": env_int("BENCH_SUBSCRIBERS", 50000),
}
SMALL = 10


def generate(env, sizes):
    """Replace the generated data with `sizes`; returns seconds taken by the generation."""
    generate_data("--remove", env=env)
    args = []
    for name, count in sizes.items():
        args += [f"--{name}", str(count)]
    started = time.monotonic()
    result = generate_data(*args, env=env, check=False)
    if result.returncode:
        raise RuntimeError(f"tests/perf/generate.py failed:\n{result.stderr[-3000:]}")
    return time.monotonic() - started


def query_count_table(small, large):
    rows = [f"| page | queries, {SMALL} generated items | queries, full set | equal |", "|---|---:|---:|---|"]
    for name in small:
        a, b = small[name]["queries"], large.get(name, {}).get("queries")
        rows.append(f"| {name} | {a} | {b} | {'yes' if a == b else '**NO**'} |")
    return "\n".join(rows)


def rush_table(r):
    return "\n".join(
        [
            "| measure | value |",
            "|---|---:|",
            f"| users (each: GET form, POST 2 MB PDF, GET declaration, POST submit, GET receipt) | {r['users']} |",
            f"| whole run (s) | {r['elapsed_s']:.1f} |",
            f"| acknowledged (reference shown on the receipt) | {r['acknowledged']} |",
            f"| users who gave up | {r['failed_users']} |",
            f"| 5xx answers (each step retried like a person pressing again) | {r['responses_5xx']} |",
            f"| connection errors | {r['connection_errors']} |",
            f"| acknowledged but missing in the database | {r['lost']} |",
            f"| acknowledged twice / stored twice | {r['duplicated']} |",
            f"| submitted in the database but never acknowledged | {r['unacknowledged_in_db']} |",
            f"| applications without exactly one attachment | {r['attachments_not_one']} |",
            f"| submit POST p50 / p95 (s) | {r['submit_p50_s']:.2f} / {r['submit_p95_s']:.2f} |",
            f"| upload POST p50 / p95 (s) | {r['upload_p50_s']:.2f} / {r['upload_p95_s']:.2f} |",
            f"| whole flow per user p50 / p95 (s) | {r['flow_p50_s']:.2f} / {r['flow_p95_s']:.2f} |",
        ]
        + (
            [
                f"| pg_ctl restart -m fast took (s) | {r['restart_command_s']:.2f} |",
                f"| /healthz failing for (s) | {r['unhealthy_s']:.2f} |",
                f"| healthy again after the restart began (s) | {r['recovered_after_restart_began_s']:.2f} |",
            ]
            if "restart_command_s" in r
            else []
        )
        + ([f"| failures (first five kinds) | {'; '.join(r['failures'])} |"] if r["failures"] else [])
    )


def restart_cluster():
    """The cluster the PostgreSQL-restart fault restarts, and the database URL to rush on it.

    BENCH_FAULT_PG_DIR names a throwaway cluster (created on first use) so a shared
    machine's cluster is never restarted; otherwise the project's own cluster, but only
    when the benchmark database lives on it (DATABASE_URL unset)."""
    if os.environ.get("BENCH_FAULT_PG_DIR"):
        cluster = database.throwaway_cluster(os.environ["BENCH_FAULT_PG_DIR"])
        cluster.create_database()
        return cluster, cluster.url(), True
    if not os.environ.get("BENCH_DATABASE_URL_GIVEN"):
        return database.LOCAL, database.LOCAL.url(), False
    return None, None, False


class Report:
    def __init__(self):
        self.parts, self.targets, self.timings = [], [], {}

    def section(self, title, *lines):
        self.parts += [f"## {title}", "", *lines, ""]

    def step(self, name, func):
        """Run one part of the benchmark; a failure is written down, and the rest still runs."""
        print(f"==> {name}", flush=True)
        started = time.monotonic()
        try:
            return func()
        except Exception as error:  # noqa: BLE001 - reported in RESULTS.md
            import traceback

            traceback.print_exc()
            self.section(f"{name}: FAILED", "```", str(error)[-2000:], "```")
            self.targets.append(f"- {name}: not measured (the step failed, see below)")
            return None
        finally:
            self.timings[name] = time.monotonic() - started


def main():
    ensure_tools()
    started = time.monotonic()
    facts = machine_facts()
    seconds = env_int("BENCH_SECONDS", 6)
    report = Report()

    if os.environ.get("DATABASE_URL"):
        os.environ["BENCH_DATABASE_URL_GIVEN"] = "1"
    os.environ["DATABASE_URL"] = database.bench_database_url()
    env = production_env()
    report.step("prepare database", lambda: database.prepare(os.environ["DATABASE_URL"]))
    sizes = SIZES

    counts = {}

    def count_queries():
        generate(env, {name: SMALL for name in sizes})
        counts["urls"] = pages.resolve_urls(env)
        counts["small"] = querycounts.measure(counts["urls"], env)
        counts["generation_s"] = generate(env, sizes)
        counts["large"] = querycounts.measure(counts["urls"], env)
        # Searching is measured with everything generated put in the index.
        manage("db_worker", "--batch", "--queue-name", "default", "--no-startup-delay", env=env)

    report.step("generate data and count queries", count_queries)
    if "large" in counts:
        unequal = [n for n in counts["small"] if counts["small"][n]["queries"] != counts["large"][n]["queries"]]
        report.targets.append(
            f"- Constant queries at {SMALL} and at the full set: {'met' if not unequal else 'MISSED'}"
            + (f" (grows: {', '.join(unequal)})" if unequal else " (every page)")
        )
        report.section(
            "Data and queries per page",
            f"Generated in {counts['generation_s']:.0f} s with `tests/perf/generate.py` (bulk inserts): "
            + ", ".join(f"{count:,} {name}" for name, count in sizes.items())
            + ". Queries per request counted in-process with Django's test client (page cache off), "
            "second request of two.",
            "",
            query_count_table(counts["small"], counts["large"]),
        )

    page_results = report.step("pages", lambda: pages.measure(seconds=seconds, urls=counts.get("urls")))
    if page_results:
        report.targets.insert(0, verdicts(page_results))
        report.section(
            "Ceiling (same run)",
            f"wrk, 1 thread, 8 connections, {seconds} s per URL, loopback; gunicorn 2 workers, production settings "
            "(DEBUG off, persistent connections, WhiteNoise).",
            "",
            ceiling_table(page_results),
        )
        report.section(
            "Pages: cold (page cache off) and warm (page cache on)",
            "Ratio = the page's requests/s divided by the plain 20 KB view's requests/s in this run.",
            "",
            page_table(page_results),
        )

    rush_users, rush_window = env_int("BENCH_RUSH_USERS", 300), env_int("BENCH_RUSH_WINDOW", 60)

    def deadline_rush():
        from tests.perf.server import gunicorn

        with gunicorn(8250) as base:
            return rush.measure(base, env, users=rush_users, window=rush_window)

    result = report.step("deadline rush", deadline_rush)
    if result:
        ok = not (result["lost"] or result["duplicated"] or result["unacknowledged_in_db"] or result["responses_5xx"])
        report.targets.append(
            f"- Deadline rush 0 lost / 0 duplicated / 0 5xx: {'met' if ok else 'MISSED'} "
            f"({result['lost']} lost, {result['duplicated']} duplicated, {result['responses_5xx']} 5xx, "
            f"{result['acknowledged']}/{result['users']} acknowledged)"
        )
        report.targets.append(
            f"- Deadline rush p95 submit < 1 s: {'met' if result['submit_p95_s'] < 1 else 'MISSED'} "
            f"({result['submit_p95_s']:.2f} s; p50 {result['submit_p50_s']:.2f} s; upload p95 "
            f"{result['upload_p95_s']:.2f} s)"
        )
        report.section(
            f"Deadline rush: {rush_users} users within {rush_window} s",
            "Each user has a complete draft for a distinct municipality in an open round and a session made "
            "beforehand; users arrive evenly spread over the window.",
            "",
            rush_table(result),
        )

    try:
        from tests.perf import mail
    except ImportError:
        mail = None
    if mail is not None:
        mail.run(report, env, sizes.get("subscribers", 0))

    result = report.step("two app processes behind one cache", faults.two_instances)
    if result:
        c, r = result["cache"], result["ratelimit"]
        cache_ok = c["first_on_a"] == "MISS" and c["then_on_b"] == "HIT"
        limit_ok = r["accepted"] == r["limit"] and r["first_refused_attempt"] == r["limit"] + 1
        report.targets.append(
            f"- Two app processes, one cache: page cache {'met' if cache_ok else 'MISSED'}, "
            f"rate limit {'met' if limit_ok else 'MISSED'}"
        )
        report.section(
            "Two app processes behind one cache",
            "Two gunicorn instances (2 workers each) on two ports, one database and one cache.",
            "",
            f"- Page cache: first request on A → `X-Cache: {c['first_on_a']}`, the same URL on B → "
            f"`X-Cache: {c['then_on_b']}`, on A again → `{c['again_on_a']}`.",
            f"- Rate limit (sign-in, {r['limit']} per IP an hour), {r['attempts']} attempts alternating A/B: "
            f"{r['accepted']} accepted, {r['refused_429']} refused with 429, first refusal at attempt "
            f"{r['first_refused_attempt']}" + (f", other answers {r['other']}" if r["other"] else "") + ".",
        )

    cluster, fault_url, throwaway = restart_cluster()
    if cluster is None:
        report.targets.append("- PostgreSQL restart during the rush: skipped (DATABASE_URL is not the local cluster)")
        report.section(
            "PostgreSQL restart during the rush",
            "Skipped: the database under test is not the project's local cluster. Set BENCH_FAULT_PG_DIR to "
            "let the benchmark make a throwaway cluster for this fault.",
        )
    else:
        fault_users = env_int("BENCH_FAULT_USERS", 100)

        def restart_run():
            fault_env = production_env(DATABASE_URL=fault_url, LOG_LEVEL="CRITICAL")
            if throwaway:
                database.prepare(fault_url)
            return faults.pg_restart_during_rush(cluster, fault_env, users=fault_users, window=20, restart_at=8)

        result = report.step("PostgreSQL restart during the rush", restart_run)
        if result:
            ok = not (result["lost"] or result["duplicated"] or result["unacknowledged_in_db"])
            report.targets.append(
                f"- PostgreSQL restart during the rush: {'met' if ok and not result['failed_users'] else 'MISSED'} "
                f"(healthy again {result['recovered_after_restart_began_s']:.1f} s after the restart began; "
                f"{result['lost']} lost, {result['duplicated']} duplicated, {result['responses_5xx']} 5xx answers "
                "retried)"
            )
            report.section(
                "PostgreSQL restart during the rush",
                f"{fault_users} users within 20 s; `pg_ctl restart -m fast` 8 s in, on "
                + ("a throwaway cluster made for this run" if throwaway else "the project's local cluster")
                + ". Django reconnects by itself (CONN_HEALTH_CHECKS); a request that was on a connection "
                "when the server went away answers 500, and the user presses again.",
                "",
                rush_table(result),
            )

    header = [
        "# Benchmark results",
        "",
        "Written by `make bench`; rerun it to refresh. Figures come from one run on the machine below; "
        "compare ratios, not absolute numbers, between machines. Targets are reported, never asserted.",
        "",
        *(f"- **{k}:** {v}" for k, v in facts.items()),
        "",
        "## Targets",
        "",
        *report.targets,
        "",
    ]
    timings = ", ".join(f"{name} {s:.0f} s" for name, s in report.timings.items())
    footer = [f"_Total benchmark time: {time.monotonic() - started:.0f} s ({timings})._", ""]
    RESULTS.write_text("\n".join(header + report.parts + footer))
    print(RESULTS.read_text())


if __name__ == "__main__":
    main()
