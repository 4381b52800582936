"""Visitors of the stack: plain HTTP requests, each on a fresh connection, and what
Varnish says about the answer."""

import http.client
import re
from urllib.parse import urlsplit


class Answer:
    def __init__(self, response, body):
        self.status = response.status
        self.headers = response.headers
        self.body = body
        self.text = body.decode("utf-8", "replace")

    @property
    def from_cache(self):
        """Varnish served a stored copy: X-Varnish names this request and the one that
        stored it."""
        return len(self.headers.get("X-Varnish", "").split()) == 2

    @property
    def cookies(self):
        return self.headers.get_all("Set-Cookie") or []


CSRF_RE = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


def fetch(base, path, method="GET", headers=None, body=None, source=None, timeout=30):
    """One request to `base` (Varnish or a node) over a fresh connection; `source`
    binds the client side to another loopback address (127.0.0.2 is not an app node)."""
    parts = urlsplit(base)
    conn = http.client.HTTPConnection(
        parts.hostname, parts.port, timeout=timeout, source_address=(source, 0) if source else None
    )
    try:
        conn.request(method, path, body=body, headers=headers or {})
        response = conn.getresponse()
        return Answer(response, response.read())
    finally:
        conn.close()


def cached_through(stack, path, attempts=5):
    """GET `path` until Varnish answers it from its cache; that answer."""
    for _ in range(attempts):
        answer = fetch(stack.url, path)
        assert answer.status == 200, f"{path}: {answer.status}"
        if answer.from_cache:
            return answer
    raise AssertionError(f"{path} was never served from Varnish's cache")
