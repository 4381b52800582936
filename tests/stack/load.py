"""Load on the stack while a fault is injected: anonymous readers and applicants who
send in their application, each request timed, so a test can say which requests
failed and which were in flight at the moment of the fault."""

import threading
import time
import uuid
from dataclasses import dataclass, field
from urllib.parse import urlencode

from tests.stack.visits import CSRF_RE, fetch


@dataclass
class Request:
    path: str
    started: float
    ended: float
    status: int | None  # None: no answer at all (connection refused, reset, timeout)

    @property
    def failed(self):
        return self.status is None or self.status >= 500


@dataclass
class Readers:
    """`threads` anonymous visitors reading `paths` in turn for `seconds`; every fourth
    request asks for an address no cache has seen (a query string of its own), so the
    nodes keep working under the fault."""

    base: str
    paths: list
    threads: int = 4
    seconds: float = 5.0
    headers: dict = field(default_factory=dict)
    requests: list = field(default_factory=list)

    def _read(self, number):
        deadline = time.monotonic() + self.seconds
        n = 0
        while time.monotonic() < deadline:
            path = self.paths[(number + n) % len(self.paths)]
            if n % 4 == 0:
                path += f"?besok={uuid.uuid4().hex}"
            n += 1
            started = time.monotonic()
            try:
                status = fetch(self.base, path, headers=self.headers, timeout=30).status
            except OSError:
                status = None
            self.requests.append(Request(path, started, time.monotonic(), status))

    def start(self):
        self._threads = [threading.Thread(target=self._read, args=(n,), daemon=True) for n in range(self.threads)]
        for thread in self._threads:
            thread.start()
        return self

    def join(self):
        for thread in self._threads:
            thread.join(timeout=self.seconds + 60)
        return self

    def failures(self):
        return [r for r in self.requests if r.failed]

    def in_flight(self, since, until):
        """Requests that had started before `until` and had not ended by `since`."""
        return [r for r in self.requests if r.started < until and r.ended > since]


class Applicant:
    """A signed-in applicant who opens the declaration and sends the application in,
    pressing again (after 0.3 s) on an error or no answer, as a person would."""

    def __init__(self, base, cookie, round_pk, application_pk):
        self.base = base
        self.cookie = cookie
        self.path = f"/soknad/{round_pk}/{application_pk}/send-inn/"
        self.application_pk = application_pk
        self.acknowledged = False
        self.errors = 0
        self.error_pages = set()

    def _request(self, method, body=None):
        headers = {"Cookie": self.cookie}
        if body is not None:
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        for _ in range(60):
            try:
                answer = fetch(self.base, self.path, method=method, headers=headers, body=body)
            except OSError:
                answer = None
            if answer is not None and answer.status < 500:
                return answer
            if answer is not None:
                self.error_pages.add(answer.text)
            self.errors += 1
            time.sleep(0.3)
        raise AssertionError(f"{method} {self.path}: no answer after 60 tries")

    def send_in(self):
        page = self._request("GET")
        token = CSRF_RE.search(page.text).group(1)
        for cookie in page.cookies:
            if cookie.startswith("csrftoken="):
                self.cookie += "; " + cookie.split(";", 1)[0]
        answer = self._request("POST", urlencode({"csrfmiddlewaretoken": token, "confirm": "on"}))
        # Acknowledged: sent on to the receipt, as the browser would show it.
        self.acknowledged = answer.status == 302 and answer.headers["Location"].endswith("/kvittering/")
