"""Fault runs: two app processes behind one cache, and PostgreSQL restarted during a rush.

The SMTP-server fault belongs to the newsletter run (tests/perf/mail.py).
"""

import http.client
import random
import re
import threading
import time
import urllib.request
import uuid
from urllib.parse import urlencode, urlsplit

from tests.perf import rush
from tests.perf.server import gunicorn

CSRF_RE = re.compile(rb'name="csrfmiddlewaretoken" value="([^"]+)"')


def _get(url, headers=None):
    request = urllib.request.Request(url, headers=headers or {})  # noqa: S310 - loopback http only
    with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310
        return response.status, response.headers, response.read()


def _post(base, path, fields, cookies, headers):
    parts = urlsplit(base)
    conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=30)
    conn.request(
        "POST",
        path,
        urlencode(fields),
        {
            "Content-Type": "application/x-www-form-urlencoded",
            "Cookie": "; ".join(f"{k}={v}" for k, v in cookies.items()),
            **headers,
        },
    )
    response = conn.getresponse()
    response.read()
    conn.close()
    return response.status


def two_instances(port_a=8231, port_b=8232, attempts=25, limit=20):
    """Page cache: a miss on one instance is a hit on the other. Rate limit: the
    sign-in form's per-IP limit (20 an hour) refuses the 21st attempt whichever
    instance gets it. Both instances see the client's address through
    X-Forwarded-For, as behind a load balancer (TRUSTED_PROXY_COUNT=1); a fresh
    random address per run keeps earlier runs' counts out of the way."""
    result = {}
    with (
        gunicorn(port_a, PAGE_CACHE_ENABLED="true", TRUSTED_PROXY_COUNT="1") as a,
        gunicorn(port_b, PAGE_CACHE_ENABLED="true", TRUSTED_PROXY_COUNT="1") as b,
    ):
        path = f"/?bench={uuid.uuid4().hex}"
        first = _get(a + path)[1].get("X-Cache")
        second = _get(b + path)[1].get("X-Cache")
        third = _get(a + path)[1].get("X-Cache")
        result["cache"] = {"first_on_a": first, "then_on_b": second, "again_on_a": third}

        ip = f"10.{random.randrange(256)}.{random.randrange(256)}.{random.randrange(1, 255)}"
        status, headers, page = _get(a + "/soknad/logg-inn/", {"X-Forwarded-For": ip})
        cookies = {}
        for header in headers.get_all("Set-Cookie") or []:
            name, _, rest = header.partition("=")
            cookies[name.strip()] = rest.split(";", 1)[0]
        token = CSRF_RE.search(page).group(1).decode()
        answers = []
        for n in range(attempts):
            base = a if n % 2 == 0 else b
            answers.append(
                _post(
                    base,
                    "/soknad/logg-inn/",
                    {"csrfmiddlewaretoken": token, "email": f"ratelimit-{n}@bench.invalid", "neste": ""},
                    cookies,
                    {"X-Forwarded-For": ip},
                )
            )
        result["ratelimit"] = {
            "attempts": attempts,
            "limit": limit,
            "accepted": sum(1 for s in answers if s == 302),
            "refused_429": sum(1 for s in answers if s == 429),
            "first_refused_attempt": next((n + 1 for n, s in enumerate(answers) if s == 429), None),
            "other": sorted({s for s in answers if s not in (302, 429)}),
        }
    return result


def pg_restart_during_rush(cluster, env, port=8241, users=100, window=20, restart_at=8):
    """Restart `cluster` (pg_ctl restart -m fast) `restart_at` seconds into a rush of
    `users`; measure how long /healthz keeps failing, and check the rush's books."""
    timeline = {}

    def fault(started):
        time.sleep(max(0, started + restart_at - time.monotonic()))
        timeline["restart_started"] = time.monotonic()
        restarter = threading.Thread(target=cluster.restart)
        restarter.start()
        # Poll health until it has failed and come back (or 60 s pass).
        saw_failure = False
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                status = _get(base + "/healthz")[0]
            except OSError:
                status = 503
            if status != 200:
                saw_failure = True
                timeline.setdefault("first_failure", time.monotonic())
            elif saw_failure or not restarter.is_alive():
                timeline["healthy_again"] = time.monotonic()
                break
            time.sleep(0.05)
        restarter.join()
        timeline["restart_returned"] = time.monotonic()

    with gunicorn(
        port, DATABASE_URL=env["DATABASE_URL"], LOG_LEVEL=env.get("LOG_LEVEL", "WARNING"), **rush.SERVER_ENV
    ) as base:
        summary = rush.measure(base, env, users=users, window=window, during=fault)
    t0 = timeline.get("restart_started", 0)
    summary["restart_command_s"] = timeline.get("restart_returned", t0) - t0
    summary["unhealthy_s"] = timeline.get("healthy_again", t0) - timeline.get("first_failure", t0)
    summary["recovered_after_restart_began_s"] = timeline.get("healthy_again", t0) - t0
    return summary
