"""Newsletter throughput and its faults, through the newsletter app's real send service.

An SMTP sink (aiosmtpd on loopback) counts every accepted message per recipient.
Each run publishes a fresh issue, presses "send" (sending.start_sending) and lets
two `db_worker --queue-name bulk` processes deliver it:

1. throughput: one issue to every generated subscriber; mails/s;
2. SIGKILL: the same, but one worker is killed with SIGKILL mid-send and a new one
   started; when the rest is sent the sweeper runs; at the sink nobody may have the
   issue twice, and every address without it must be "unknown" in the database;
3. SMTP down: the sink is stopped for a few seconds during a send to a smaller list;
   the failed deliveries wait for their retry time (60 s) and are sent by the drain
   the sweeper enqueues; none lost, none doubled.

`python -m tests.perf.mail COMMAND ...` runs the Django side (see `django_side`).
"""

import json
import os
import signal
import subprocess
import sys
import threading
import time
from collections import Counter

from tests.perf.server import PY, ROOT, run_module

SMTP_PORT = 2626
FAULT_LIST_SIZE = 2000
# The SIGKILL run sends to this many subscribers (0: all of them, as the throughput run).
# 10,000 keeps `make bench` within its 20 minutes on a 2-core machine.
KILL_LIST_SIZE = int(os.environ.get("BENCH_KILL_SUBSCRIBERS", "10000"))


class Sink:
    """aiosmtpd on 127.0.0.1, counting accepted messages per recipient."""

    def __init__(self, port=SMTP_PORT):
        self.port = port
        self.counts = Counter()
        self.messages = 0
        self.first_at = None
        self.last_at = None
        self.lock = threading.Lock()
        self.controller = None

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 - aiosmtpd's hook name
        with self.lock:
            now = time.time()
            self.first_at = self.first_at or now
            self.last_at = now
            self.messages += 1
            for rcpt in envelope.rcpt_tos:
                self.counts[rcpt.lower()] += 1
        return "250 Message accepted"

    def start(self):
        from aiosmtpd.controller import Controller

        self.controller = Controller(self, hostname="127.0.0.1", port=self.port)
        self.controller.start()

    def stop(self):
        if self.controller:
            self.controller.stop()
            self.controller = None

    def reset(self):
        with self.lock:
            self.counts.clear()
            self.messages, self.first_at, self.last_at = 0, None, None


# --- inside Django --------------------------------------------------------------------


def django_side(command, *args):
    import datetime

    import django

    django.setup()
    from django.utils import timezone

    from demo.site import upsert_page
    from newsletter import sending
    from newsletter.models import Delivery, NewsletterIndexPage, NewsletterIssuePage, NewsletterList, Subscription
    from policy.models import HomePage
    from tests.factories.newsletter import NewsletterIndexPageFactory, NewsletterIssuePageFactory
    from tests.perf.data.common import BENCH_DOMAIN, BENCH_PREFIX

    if command == "small-list":
        # A list of its own (with its own archive page) for a fault run: `args` = name, size.
        name, size = args[0], int(args[1])
        newsletter_list, _ = NewsletterList.objects.get_or_create(
            slug=f"{BENCH_PREFIX}{name}", defaults={"name": f"Bench: {name}"}
        )
        upsert_page(
            HomePage.objects.first(),
            NewsletterIndexPageFactory,
            f"{BENCH_PREFIX}nyhetsbrev-{name}",
            title=f"{name} (benchmark)",
            newsletter_list=newsletter_list,
        )
        Subscription.objects.filter(newsletter_list=newsletter_list).delete()
        source = Subscription.objects.filter(
            subscriber__email__endswith="@" + BENCH_DOMAIN,
            status=Subscription.CONFIRMED,
            newsletter_list__slug="regionalnytt",
        )[:size]
        Subscription.objects.bulk_create(
            Subscription(
                subscriber_id=s.subscriber_id,
                newsletter_list=newsletter_list,
                status=Subscription.CONFIRMED,
                consent_version=s.consent_version,
                confirmed_at=timezone.now(),
            )
            for s in source
        )
        return {"list": newsletter_list.slug}
    if command == "issue":
        index = NewsletterIndexPage.objects.filter(newsletter_list__slug=args[0]).first()
        tag = f"{int(time.time() * 1000)}"
        issue = upsert_page(
            index,
            NewsletterIssuePageFactory,
            f"{BENCH_PREFIX}utgave-{tag}",
            title=f"Regionalnytt (benchmark {tag})",
            ingress="En utgave laget av make bench.",
            body=[
                ("paragraph", "<p>Nytt om regional- og distriktspolitikk: bygdevekstavtaler og distriktsindeksen.</p>")
            ],
        )
        return {"issue": issue.pk}
    if command == "send":
        pressed = time.time()
        created = sending.start_sending(NewsletterIssuePage.objects.get(pk=int(args[0])))
        return {"created": created, "pressed_at": pressed, "returned_at": time.time()}
    if command == "status":
        return sending.delivery_counts(NewsletterIssuePage.objects.get(pk=int(args[0])))
    if command == "sweep":
        # The periodic sweeper, with its waits shortened: the run has already waited
        # until nothing else moves, so every row still "sending" belongs to the dead worker.
        stuck, enqueued = sending.sweep(stuck_after=datetime.timedelta(0), idle_after=datetime.timedelta(0))
        return {"unknown": stuck, "drains": enqueued}
    if command == "deliveries":
        rows = Delivery.objects.filter(issue_id=int(args[0])).values_list("subscriber__email", "status")
        return [[email.lower(), status] for email, status in rows]
    if command == "pending-retry":
        due = Delivery.objects.filter(issue_id=int(args[0]), status=Delivery.RETRY).order_by("-next_attempt_at")
        last = due.values_list("next_attempt_at", flat=True).first()
        return {"last_due_in_s": (last - timezone.now()).total_seconds() if last else None}
    raise SystemExit(f"unknown command {command}")


def call(env, *args):
    return run_module("tests.perf.mail", *args, env=env, name=f"mail {args[0]}")


# --- workers and runs ---------------------------------------------------------------------


def start_worker(env, name):
    return subprocess.Popen(
        [PY, "manage.py", "db_worker", "--queue-name", "bulk", "--no-startup-delay", "--interval", "0.5"]
        + ["--worker-id", name],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )


def stop_workers(workers):
    for worker in workers:
        if worker.poll() is None:
            os.killpg(worker.pid, signal.SIGTERM)
    for worker in workers:
        try:
            worker.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(worker.pid, signal.SIGKILL)


def wait_quiet(sink, env, issue, quiet=4.0, timeout=900):
    """Until no delivery is queued and the sink has been idle for `quiet` seconds."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        time.sleep(1)
        idle = time.time() - (sink.last_at or 0)
        if idle < quiet:
            continue
        counts = call(env, "status", issue)
        if counts["queued"] == 0 and (counts["sending"] == 0 or idle > 3 * quiet):
            return counts
    return call(env, "status", issue)


def check(sink, env, issue):
    """Compare the sink's counts with the deliveries: twice, missing, unexpected."""
    rows = call(env, "deliveries", issue)
    statuses = dict(rows)
    doubled = sum(1 for n in sink.counts.values() if n > 1)
    unexpected = sum(1 for address in sink.counts if address not in statuses)
    missing = [a for a, status in statuses.items() if sink.counts.get(a, 0) == 0 and status != "unknown"]
    return {
        "recipients": len(rows),
        "received_addresses": len(sink.counts),
        "messages": sink.messages,
        "doubled": doubled,
        "unexpected": unexpected,
        "missing_not_unknown": len(missing),
        "missing_statuses": dict(Counter(statuses[a] for a in missing)),
        "unknown": sum(1 for s in statuses.values() if s == "unknown"),
        "unknown_but_delivered": sum(1 for a, s in statuses.items() if s == "unknown" and sink.counts.get(a)),
    }


def delivered_exactly_once(result):
    """The verdict on a run from `check`: nobody got the issue twice, nobody in the list
    went without it unless their delivery is "unknown", and nobody else got it."""
    return not result["doubled"] and not result["missing_not_unknown"] and not result["unexpected"]


def send_run(sink, env, list_slug="regionalnytt", kill_at=None, smtp_down_at=None, smtp_down_for=5):
    """One send through two workers. `kill_at`: fraction sent when worker 1 gets SIGKILL.
    `smtp_down_at`: fraction sent when the sink stops for `smtp_down_for` seconds."""
    sink.reset()
    issue = call(env, "issue", list_slug)["issue"]
    workers = [start_worker(env, f"bench-{issue}-1"), start_worker(env, f"bench-{issue}-2")]
    events = {}
    try:
        time.sleep(2)  # let the workers start polling
        sent = call(env, "send", issue)
        created = sent["created"]
        if kill_at is not None or smtp_down_at is not None:
            fraction = kill_at if kill_at is not None else smtp_down_at
            while sink.messages < created * fraction:
                time.sleep(0.05)
            if kill_at is not None:
                os.kill(workers[0].pid, signal.SIGKILL)
                events["killed_after_messages"] = sink.messages
                workers.append(start_worker(env, f"bench-{issue}-3"))
            else:
                sink.stop()
                events["smtp_stopped_after_messages"] = sink.messages
                time.sleep(smtp_down_for)
                sink.start()
        counts = wait_quiet(sink, env, issue)
        events["status_before_sweep"] = counts
        throughput_end = sink.last_at
        if smtp_down_at is not None:
            due = call(env, "pending-retry", issue)["last_due_in_s"]
            if due is not None:
                events["waited_for_retry_s"] = max(0.0, due) + 1
                time.sleep(max(0.0, due) + 1)
        if kill_at is not None or smtp_down_at is not None:
            events["sweep"] = call(env, "sweep")
            counts = wait_quiet(sink, env, issue)
        events["status_final"] = counts
    finally:
        stop_workers(workers)
    result = check(sink, env, issue)
    result.update(events)
    result["created"] = created
    seconds = (throughput_end or time.time()) - sent["pressed_at"]
    result["seconds"] = seconds
    result["mails_per_s"] = (sink.messages / seconds) if seconds > 0 else 0.0
    return result


def run(report, env, subscribers):
    """The newsletter sections of RESULTS.md."""
    if not subscribers:
        report.targets.append("- Newsletter: not measured (no subscriber generator in this checkout)")
        return
    env = {**env, "BULK_MAILER_URL": f"smtp://127.0.0.1:{SMTP_PORT}?timeout=5", "LOG_LEVEL": "CRITICAL"}
    sink = Sink()
    sink.start()
    try:
        plain = report.step("newsletter throughput", lambda: send_run(sink, env))

        def worker_killed():
            if 0 < KILL_LIST_SIZE < subscribers:
                return send_run(
                    sink, env, list_slug=call(env, "small-list", "sigkill", KILL_LIST_SIZE)["list"], kill_at=0.3
                )
            return send_run(sink, env, kill_at=0.3)

        killed = report.step("newsletter with a worker killed", worker_killed)

        def smtp_down():
            return send_run(
                sink, env, list_slug=call(env, "small-list", "feiltest", FAULT_LIST_SIZE)["list"], smtp_down_at=0.3
            )

        down = report.step("newsletter with the SMTP server down", smtp_down)
    finally:
        sink.stop()
    if plain:
        report.targets.append(
            f"- Newsletter ≥ 250 mails/s: {'met' if plain['mails_per_s'] >= 250 else 'MISSED'} "
            f"({plain['mails_per_s']:.0f} mails/s, {plain['messages']:,} mails in {plain['seconds']:.0f} s)"
        )
    if killed:
        report.targets.append(
            f"- Newsletter exactly once through SIGKILL: {'met' if delivered_exactly_once(killed) else 'MISSED'} "
            f"({killed['doubled']} twice, {killed['missing_not_unknown']} missing without being unknown, "
            f"{killed['unknown']} unknown)"
        )
    if down:
        report.targets.append(
            f"- SMTP server stopped during a send: {'met' if delivered_exactly_once(down) else 'MISSED'} "
            f"({down['doubled']} twice, {down['missing_not_unknown']} lost, retried after "
            f"{down.get('waited_for_retry_s', 0):.0f} s)"
        )
    rows = ["| run | recipients | mails at the sink | mails/s | twice | missing (not unknown) | unknown |"]
    rows.append("|---|---:|---:|---:|---:|---:|---:|")
    for name, r in (("two workers", plain), ("worker SIGKILLed at 30 %", killed), ("SMTP down 5 s at 30 %", down)):
        if r:
            rate = f"{r['mails_per_s']:.0f}" if r is not down else "–"
            rows.append(
                f"| {name} | {r['recipients']:,} | {r['messages']:,} | {rate} | {r['doubled']} | "
                f"{r['missing_not_unknown']} | {r['unknown']} |"
            )
    notes = []
    if killed:
        notes.append(
            f"- SIGKILL after {killed.get('killed_after_messages', '?')} mails; a new worker was started at once. "
            f"Before the sweeper: {killed.get('status_before_sweep')}; sweeper: {killed.get('sweep')}; "
            f"unknown rows whose mail did arrive: {killed['unknown_but_delivered']}."
        )
    if down:
        notes.append(
            f"- SMTP sink stopped after {down.get('smtp_stopped_after_messages', '?')} mails for 5 s; status then "
            f"{down.get('status_before_sweep')}; after waiting {down.get('waited_for_retry_s', 0):.0f} s for the "
            f"retry time and one sweep: {down.get('status_final')}."
        )
    report.section(
        "Newsletter",
        "One issue per run through `newsletter.sending.start_sending`, two `db_worker --queue-name bulk` "
        "processes, an aiosmtpd sink on loopback counting messages per recipient. mails/s = mails at the sink "
        "divided by the time from pressing send to the last mail (includes creating the delivery rows).",
        "",
        "\n".join(rows),
        "",
        *notes,
    )


if __name__ == "__main__":
    print(json.dumps(django_side(*sys.argv[1:]), default=str))
