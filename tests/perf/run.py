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

from tests.perf import pages  # noqa: E402

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
    if "search" in results["cold"]:
        p95 = results["cold"]["search"]["p95_ms"]
        lines.append(
            f"- Search p95 ≤ 100 ms: {'met' if p95 <= 100 else 'MISSED'} ({p95:.1f} ms, under load of 8 connections)"
        )
    errors = sum(r["errors"] for part in ("cold", "warm") for r in results[part].values())
    lines.append(f"- Errors or non-2xx answers during page runs: {errors}")
    return "\n".join(lines)


def main():
    ensure_tools()
    started = time.monotonic()
    facts = machine_facts()
    seconds = int(os.environ.get("BENCH_SECONDS", "8"))
    print(f"Measuring pages ({seconds} s each, cold and warm)…", flush=True)
    page_results = pages.measure(seconds=seconds)
    sections = [
        "# Benchmark results",
        "",
        "Written by `make bench`; rerun it to refresh. Figures come from one run on the machine below; "
        "compare ratios, not absolute numbers, between machines.",
        "",
        *(f"- **{k}:** {v}" for k, v in facts.items()),
        f"- **load:** wrk, 1 thread, 8 connections, {seconds} s per URL, loopback; gunicorn 2 workers, "
        "production settings (DEBUG off, persistent connections, WhiteNoise)",
        "",
        "## Targets",
        "",
        verdicts(page_results),
        "",
        "## Ceiling (same run)",
        "",
        ceiling_table(page_results),
        "",
        "## Pages: cold (page cache off) and warm (page cache on)",
        "",
        "Ratio = the page's requests/s divided by the plain 20 KB view's requests/s in this run.",
        "",
        page_table(page_results),
        "",
    ]
    sections.append(f"_Total benchmark time: {time.monotonic() - started:.0f} s._\n")
    RESULTS.write_text("\n".join(sections))
    print(RESULTS.read_text())


if __name__ == "__main__":
    main()
