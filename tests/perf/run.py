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

from tests.perf import database, faults, pagereport, pages, querycounts, rush, varnish  # noqa: E402
from tests.perf.server import generate_data, manage, production_env  # noqa: E402

RESULTS = Path(__file__).with_name("RESULTS.md")

# Debian packages the benchmark runs: the load generator and the page cache's Redis.
TOOLS = {"wrk": "wrk", "redis-server": "redis-server"}


def ensure_tools():
    missing = [package for command, package in TOOLS.items() if not shutil.which(command)]
    if not missing:
        return
    if os.geteuid() == 0 and shutil.which("apt-get"):
        env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
        subprocess.run(["apt-get", "update", "-qq"], check=True, env=env)
        subprocess.run(["apt-get", "install", "-y", "-qq", "--no-install-recommends", *missing], check=True, env=env)
    else:
        sys.exit(f"{', '.join(missing)} needed: sudo apt-get update && sudo apt-get install -y {' '.join(missing)}")


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
            f"| users (each: GET form, POST 2 MB PDF, reload until checked, GET declaration, POST submit, GET receipt) | {r['users']} |",
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
            f"| upload to «Godkjent» (worker check) p50 / p95 (s) | {r['check_wait_p50_s']:.2f} / {r['check_wait_p95_s']:.2f} |",
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

    def index():
        # Search is counted and measured with everything generated put in the index.
        manage("db_worker", "--batch", "--queue-name", "default", "--no-startup-delay", env=env)

    def count_queries():
        generate(env, {name: SMALL for name in sizes})
        index()
        counts["urls"] = pages.resolve_urls(env)
        counts["small"] = querycounts.measure(counts["urls"], env)
        counts["generation_s"] = generate(env, sizes)
        index()
        counts["large"] = querycounts.measure(counts["urls"], env)

    report.step("generate data and count queries", count_queries)
    if "large" in counts:
        unequal = [n for n in counts["small"] if counts["small"][n]["queries"] != counts["large"][n]["queries"]]
        report.targets.append(
            f"- Constant queries at {SMALL} and at the full set: {'met' if not unequal else 'MISSED'}"
            + (
                " (differs: "
                + ", ".join(f"{n} {counts['small'][n]['queries']} → {counts['large'][n]['queries']}" for n in unequal)
                + ")"
                if unequal
                else " (every page)"
            )
        )
        report.section(
            "Data and queries per page",
            f"Generated in {counts['generation_s']:.0f} s with `tests/perf/generate.py` (bulk inserts): "
            + ", ".join(f"{count:,} {name}" for name, count in sizes.items())
            + ". Queries per request counted in-process with Django's test client (page cache off), "
            "after two warm-up rounds over every URL, with everything generated in the search index.",
            "",
            query_count_table(counts["small"], counts["large"]),
        )

    page_results = report.step("pages", lambda: pages.measure(seconds=seconds, urls=counts.get("urls")))
    if page_results:
        report.targets.insert(0, pagereport.verdicts(page_results, counts))
        report.section(
            "Ceiling (same run)",
            f"wrk, 1 thread, 8 connections, {seconds} s per URL, loopback; gunicorn 2 workers, production settings "
            "(DEBUG off, persistent connections, WhiteNoise), the cache on a private redis-server (Unix socket).",
            "",
            pagereport.ceiling_table(page_results),
        )
        report.section(
            "Pages: cold (page cache off) and warm (page cache on Redis)",
            "Ratio = the page's requests/s divided by the plain 20 KB view's requests/s in this run. Redis "
            "commands per hit: counted by the private redis-server over 7 warm requests made one at a time.",
            "",
            pagereport.page_table(page_results),
        )
        report.section(
            "Where the time goes, per request",
            "From the `Server-Timing` header the app adds with SERVER_TIMING on (policy/servertiming.py): "
            "queries and ms spent in them, and Python CPU ms (`time.process_time` around the whole middleware "
            "stack), median of 7 requests one at a time on the cold server. Server ms per request = 2 workers × "
            "1000 / cold req/s: how long each request held a worker under load; what CPU and SQL do not "
            "explain is PostgreSQL's own CPU and waiting for the 2 shared cores.",
            "",
            pagereport.cost_table(page_results),
        )

    def through_varnish():
        return varnish.measure(seconds=seconds, urls=counts.get("urls") or (page_results or {}).get("urls"))

    varnish_results = report.step("pages through Varnish", through_varnish)
    if varnish_results:
        # Judged against the plain view of the pages above when they ran: the same run.
        plain = (page_results or {}).get("ceiling", {}).get("plain_view") or varnish_results["plain_view"]
        report.targets.insert(1, varnish.verdict_line(varnish_results, plain["rps"]))
        report.section(
            "Pages warm through Varnish",
            varnish.DESCRIPTION,
            "",
            varnish.table(varnish_results, plain["rps"]),
        )

    rush_users, rush_window = env_int("BENCH_RUSH_USERS", 300), env_int("BENCH_RUSH_WINDOW", 60)

    def deadline_rush():
        from tests.perf.server import gunicorn

        with gunicorn(8250, **rush.SERVER_ENV) as base:
            return rush.measure(base, env, users=rush_users, window=rush_window)

    result = report.step("deadline rush", deadline_rush)
    if result:
        # Every user must get a receipt: a rush where nobody gets through loses nothing,
        # but proves nothing either.
        everyone = result["acknowledged"] == result["users"]
        ok = everyone and not (
            result["lost"] or result["duplicated"] or result["unacknowledged_in_db"] or result["responses_5xx"]
        )
        report.targets.append(
            f"- Deadline rush 0 lost / 0 duplicated / 0 5xx: {'met' if ok else 'MISSED'} "
            f"({result['lost']} lost, {result['duplicated']} duplicated, {result['responses_5xx']} 5xx, "
            f"{result['acknowledged']}/{result['users']} acknowledged)"
        )
        for step in ("submit", "upload"):
            p95 = result[f"{step}_p95_s"]
            report.targets.append(
                f"- Deadline rush {step} POST p95 < 1 s: {'met' if p95 < 1 and everyone else 'MISSED'} "
                f"({p95:.2f} s; p50 {result[f'{step}_p50_s']:.2f} s)"
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
                + ". A request that was on a connection when the server went away is answered again on a new "
                "one (policy/reconnect.py), or 503 when it had written, and the user presses again; a content "
                "check that lost its connection queues itself again.",
                "",
                rush_table(result),
            )

    header = [
        "# Benchmark results",
        "",
        "Written by `make bench`; rerun it to refresh. Figures come from one run on the machine below; "
        "compare ratios between machines; the absolute figures (requests/s, ms, queries, Python CPU ms) judge a run on its own. Targets are reported, never asserted.",
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
