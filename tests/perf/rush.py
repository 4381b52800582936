"""Deadline rush: N municipal users each upload a 2 MB PDF and submit within a window.

The users and their complete drafts are made in the database beforehand (one
distinct municipality each, in an open round of their own), each with a session
made by Django's SessionStore, so the run measures only what happens in the last
minute: per user, GET the attachments page (CSRF token), POST the PDF, reload the
attachments page until the task worker has checked the file («Godkjent»; a person
reloads, the page's script polls), GET the declaration, POST it, and read the
reference number on the receipt. Submitting waits for the check by design (a file
nobody has read is not sent to the ministry), so the run has one `db_worker` on the
"uploads" queue beside the web server, restarted if it dies, as a process manager
would; each check costs about 50 ms of its CPU, so it keeps up with 5 uploads a
second and the submit POST itself never waits on a parser.

Each user comes from an address of its own (X-Forwarded-For, with the server trusting
one proxy as behind the load balancer), so the per-IP upload limit sees 300 applicants
and not one.

Users start evenly spread over the window (an open arrival model: a slow server
does not slow the arrivals down). A step that gets a 5xx or loses its connection
is repeated after half a second, as a person would press the button again; every
such answer is counted. Afterwards the database must hold every acknowledged
reference exactly once, and no submitted application in the round that nobody
was told about.

`python -m tests.perf.rush prepare N` and `... verify ROUND_PK` run inside Django.
"""

import http.client
import json
import re
import statistics
import subprocess
import sys
import threading
import time
import uuid
from urllib.parse import urlencode, urlsplit

from tests.factories.pdf import text_pdf
from tests.perf.server import PY, ROOT, run_module

RUSH_PREFIX = "Bench: rush "
PDF_BYTES = 2 * 1024 * 1024
CSRF_RE = re.compile(rb'name="csrfmiddlewaretoken" value="([^"]+)"')
REFERENCE_RE = re.compile(rb'class="pilots-reference">([^<]+)<')
CHECK_RE = re.compile(rb'data-check="(\w+)"')
CHECK_POLL_SECONDS = 2
CHECK_WAIT_SECONDS = 120
# What the app server needs for the rush: X-Forwarded-For from one proxy is trusted.
SERVER_ENV = {"TRUSTED_PROXY_COUNT": "1"}


def sample_pdf(size=PDF_BYTES):
    """A valid two-page PDF of `size` bytes, padded like a scanned council decision."""
    return text_pdf("Kommunestyrevedtak", [["Vedlegg til søknad"], ["Vedtak"]], size=size)


# --- inside Django ---------------------------------------------------------------------


def prepare(count):
    """Create the round, users, complete drafts and sessions; print them as JSON."""
    import datetime

    import django

    django.setup()
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore
    from django.db import transaction
    from django.utils import timezone

    from pilots.models import Application, Round
    from pilots.portal.models import ApplicantIdentity
    from tests.perf.data.applications import AMOUNTS, add_answers, bench_users

    now = timezone.now()
    tag = uuid.uuid4().hex[:8]
    with transaction.atomic():
        round = Round.objects.create(
            name=f"{RUSH_PREFIX}{tag}",
            opens_at=now - datetime.timedelta(hours=1),
            closes_at=now + datetime.timedelta(days=1),
            eligible_classes=[1, 2, 3, 4, 5, 6],
            conditional_classes=[],
            reference_prefix="RSH",
        )
        municipalities = list(round.municipalities().filter(centralities__edition=round.centrality_edition)[:count])
        if len(municipalities) < count:
            raise SystemExit(f"only {len(municipalities)} municipalities with centrality data; asked for {count}")
        users = bench_users(f"rush-{tag}", count)
        # The portal knows applicants only by how they signed in (here: an e-mail link).
        ApplicantIdentity.objects.bulk_create(
            ApplicantIdentity(user=u, method=ApplicantIdentity.Method.EMAIL_LINK, subject=u.email, email=u.email)
            for u in users
        )
        applications = Application.objects.bulk_create(
            Application(
                round=round,
                created_by=user,
                title=f"Bygdevekst i {m.name}",
                summary="Et pilotprosjekt for flere arbeidsplasser og bedre tjenester.",
                challenges="Befolkningsnedgang og ensidig næringsstruktur.",
                themes="Bolig, kompetanse og næringsutvikling.",
                measures="Boligprogram, kompetansesenter og næringshage.",
                transfer_value="Modellen kan brukes i andre små kommuner.",
                organisation="Prosjektgruppe med ordfører og rådmann; forankret i kommunestyret.",
                council_decision=Application.CouncilDecision.MADE,
                **AMOUNTS,
            )
            for user, m in zip(users, municipalities, strict=True)
        )
        add_answers(applications, [m.pk for m in municipalities])
    sessions = []
    for user, application in zip(users, applications, strict=True):
        store = SessionStore()
        store[SESSION_KEY] = str(user.pk)
        store[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
        store[HASH_SESSION_KEY] = user.get_session_auth_hash()
        store.create()
        sessions.append({"session": store.session_key, "round": round.pk, "application": application.pk})
    print(json.dumps({"round": round.pk, "users": sessions}))


def verify(round_pk):
    """What the database holds for the round: submitted references and attachments."""
    import django

    django.setup()
    from django.db.models import Count

    from pilots.models import Application

    rows = (
        Application.objects.filter(round_id=round_pk)
        .annotate(attachments_count=Count("attachments"))
        .values("pk", "status", "reference", "attachments_count")
    )
    print(json.dumps(list(rows)))


# --- the HTTP side -------------------------------------------------------------------------


class User:
    def __init__(self, base, session, round_pk, application_pk, pdf, address):
        parts = urlsplit(base)
        self.host, self.port = parts.hostname, parts.port
        self.address = address
        self.cookies = {"sessionid": session}
        self.prefix = f"/soknad/{round_pk}/{application_pk}/"
        self.pdf = pdf
        self.errors_5xx = 0
        self.connection_errors = 0
        self.times = {}
        self.reference = None
        self.failure = None
        self.last_answer = ""
        self.conn = None

    def _request(self, method, path, body=None, headers=None):
        headers = dict(headers or {})
        headers["X-Forwarded-For"] = self.address
        headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        for _attempt in range(40):
            try:
                if self.conn is None:
                    self.conn = http.client.HTTPConnection(self.host, self.port, timeout=60)
                self.conn.request(method, path, body=body, headers=headers)
                response = self.conn.getresponse()
                data = response.read()
            except (OSError, http.client.HTTPException):
                self.connection_errors += 1
                self.conn.close()
                self.conn = None
                time.sleep(0.5)
                continue
            for header in response.headers.get_all("Set-Cookie") or []:
                name, _, rest = header.partition("=")
                self.cookies[name.strip()] = rest.split(";", 1)[0]
            if response.will_close:
                self.conn.close()
                self.conn = None
            if response.status >= 500:
                self.errors_5xx += 1
                time.sleep(0.5)
                continue
            self.last_answer = f"{response.status} {method} {path}" + (
                f" → {response.headers['Location']}" if response.headers.get("Location") else ""
            )
            return response.status, response.headers, data
        raise RuntimeError(f"{method} {path}: no answer after 40 attempts")

    def _csrf(self, page):
        match = CSRF_RE.search(page)
        if not match:
            raise RuntimeError(f"no CSRF token on the page ({self.last_answer})")
        return match.group(1).decode()

    def _wait_for_check(self):
        """Reload the attachments page every two seconds (as the page's script does) until
        the file is approved."""
        t = time.monotonic()
        while time.monotonic() - t < CHECK_WAIT_SECONDS:
            _, _, page = self._request("GET", self.prefix + "vedlegg/")
            states = set(CHECK_RE.findall(page))
            if states == {b"approved"}:
                self.times["check"] = time.monotonic() - t
                return
            if b"rejected" in states:
                raise RuntimeError("the attachment was refused")
            time.sleep(CHECK_POLL_SECONDS)
        raise RuntimeError("the attachment was still being checked after two minutes")

    def run(self):
        started = time.monotonic()
        try:
            status, _, page = self._request("GET", self.prefix + "vedlegg/")
            token = self._csrf(page)
            boundary = uuid.uuid4().hex
            body = (
                (
                    f'--{boundary}\r\nContent-Disposition: form-data; name="csrfmiddlewaretoken"\r\n\r\n{token}\r\n'
                    f'--{boundary}\r\nContent-Disposition: form-data; name="action"\r\n\r\nupload\r\n'
                    f'--{boundary}\r\nContent-Disposition: form-data; name="kind"\r\n\r\ncouncil_decision\r\n'
                    f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="kommunestyrevedtak.pdf"'
                    "\r\nContent-Type: application/pdf\r\n\r\n"
                ).encode()
                + self.pdf
                + f"\r\n--{boundary}--\r\n".encode()
            )
            t = time.monotonic()
            status, _, _ = self._request(
                "POST", self.prefix + "vedlegg/", body, {"Content-Type": f"multipart/form-data; boundary={boundary}"}
            )
            self.times["upload"] = time.monotonic() - t
            if status != 302:
                raise RuntimeError(f"upload answered {status}")
            self._wait_for_check()
            status, _, page = self._request("GET", self.prefix + "send-inn/")
            token = self._csrf(page)
            t = time.monotonic()
            status, headers, _ = self._request(
                "POST",
                self.prefix + "send-inn/",
                urlencode({"csrfmiddlewaretoken": token, "confirm": "on"}),
                {"Content-Type": "application/x-www-form-urlencoded"},
            )
            self.times["submit"] = time.monotonic() - t
            if status != 302:
                raise RuntimeError(f"submit answered {status}")
            status, _, page = self._request("GET", urlsplit(headers["Location"]).path)
            match = REFERENCE_RE.search(page)
            if match:
                self.reference = match.group(1).decode().strip()
            else:
                raise RuntimeError("no reference on the receipt")
        except Exception as error:  # noqa: BLE001 - reported per user, the run goes on
            self.failure = str(error)
        self.times["total"] = time.monotonic() - started
        if self.conn:
            self.conn.close()


def percentile(values, p):
    if not values:
        return 0.0
    values = sorted(values)
    k = (len(values) - 1) * p / 100
    low = int(k)
    high = min(low + 1, len(values) - 1)
    return values[low] + (values[high] - values[low]) * (k - low)


def run_users(base, prepared, window, during=None):
    """Start each user at its slot in `window` seconds; `during(elapsed)` may run a fault."""
    pdf = sample_pdf()
    users = [
        User(base, u["session"], u["round"], u["application"], pdf, f"10.{n // 250}.{n % 250}.7")
        for n, u in enumerate(prepared["users"])
    ]
    threads = [threading.Thread(target=u.run, daemon=True) for u in users]
    started = time.monotonic()
    fault = threading.Thread(target=during, args=(started,), daemon=True) if during else None
    if fault:
        fault.start()
    for n, thread in enumerate(threads):
        delay = started + n * window / len(threads) - time.monotonic()
        if delay > 0:
            time.sleep(delay)
        thread.start()
    for thread in threads:
        thread.join(timeout=600)
    if fault:
        fault.join(timeout=120)
    return users, time.monotonic() - started


def summarise(users, elapsed, database_rows):
    acknowledged = [u.reference for u in users if u.reference]
    submitted = [r["reference"] for r in database_rows if r["status"] != "draft" and r["reference"]]
    in_db = {}
    for reference in [r["reference"] for r in database_rows if r["reference"]]:
        in_db[reference] = in_db.get(reference, 0) + 1
    submit_times = [u.times["submit"] for u in users if "submit" in u.times]
    upload_times = [u.times["upload"] for u in users if "upload" in u.times]
    check_times = [u.times["check"] for u in users if "check" in u.times]
    totals = [u.times["total"] for u in users if u.reference]
    return {
        "users": len(users),
        "elapsed_s": elapsed,
        "acknowledged": len(acknowledged),
        "failed_users": sum(1 for u in users if u.failure),
        "failures": sorted({u.failure for u in users if u.failure})[:5],
        "responses_5xx": sum(u.errors_5xx for u in users),
        "connection_errors": sum(u.connection_errors for u in users),
        "lost": sum(1 for r in acknowledged if in_db.get(r, 0) == 0),
        "duplicated": sum(1 for r in acknowledged if in_db.get(r, 0) > 1) + len(acknowledged) - len(set(acknowledged)),
        "unacknowledged_in_db": len(set(submitted) - set(acknowledged)),
        "attachments_not_one": sum(1 for r in database_rows if r["attachments_count"] != 1),
        "submit_p50_s": percentile(submit_times, 50),
        "submit_p95_s": percentile(submit_times, 95),
        "upload_p50_s": percentile(upload_times, 50),
        "upload_p95_s": percentile(upload_times, 95),
        "check_wait_p50_s": percentile(check_times, 50),
        "check_wait_p95_s": percentile(check_times, 95),
        "flow_p50_s": percentile(totals, 50),
        "flow_p95_s": percentile(totals, 95),
        "flow_mean_s": statistics.mean(totals) if totals else 0.0,
    }


def django_call(env, *args):
    return run_module("tests.perf.rush", *args, env=env, name=f"rush {args[0]}")


class CheckWorker:
    """`db_worker --queue-name uploads`, started again whenever it exits (a database
    restart ends it), until stopped."""

    def __init__(self, env):
        self.env = env
        self.stopping = threading.Event()
        self.process = None
        self.thread = threading.Thread(target=self._supervise, daemon=True)

    def _supervise(self):
        command = [PY, "manage.py", "db_worker", "--queue-name", "uploads", "--no-startup-delay", "--interval", "0.2"]
        while not self.stopping.is_set():
            self.process = subprocess.Popen(command, cwd=ROOT, env=self.env, stdout=subprocess.DEVNULL)  # noqa: S603
            while self.process.poll() is None and not self.stopping.wait(0.2):
                pass
            if self.process.poll() is None:
                self.process.terminate()
                self.process.wait(timeout=30)

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.stopping.set()
        self.thread.join(timeout=60)


def measure(base, env, users=300, window=60, during=None):
    with CheckWorker(env):  # started first, so it is up before the first upload
        prepared = django_call(env, "prepare", users)
        clients, elapsed = run_users(base, prepared, window, during)
    rows = django_call(env, "verify", prepared["round"])
    return summarise(clients, elapsed, rows)


if __name__ == "__main__":
    command, argument = sys.argv[1], int(sys.argv[2])
    {"prepare": prepare, "verify": verify}[command](argument)
