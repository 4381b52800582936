"""The local OpenID Provider (scripts/oidc-provider.mjs) as a real process for tests, and
a small driver that goes through its pages over real HTTP the way a browser would.

The fixtures that use it are in tests/conftest.py (`oidc_provider`, `oidc_settings`).
A missing `node` or `oidc-provider` package fails the test with what to install.
"""

import json
import re
import selectors
import shutil
import subprocess
import tempfile
import time
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urljoin

import pytest
import requests

ROOT = Path(__file__).resolve().parent.parent
SCRIPT = ROOT / "scripts" / "oidc-provider.mjs"
IDPORTEN_CLIENT = {"client_id": "idporten-test", "client_secret": "idporten-hemmelig"}
STAFF_CLIENT = {"client_id": "ansatt-test", "client_secret": "ansatt-hemmelig"}
IDPORTEN_CALLBACK = "/soknad/logg-inn/idporten/svar/"
STAFF_CALLBACK = "/admin/logg-inn/oidc/svar/"
SIGNED_OUT = "/soknad/logget-ut/"


def clients(*site_urls):
    """The two clients (applicants and staff), registered for each of the site addresses."""
    return [
        {
            **IDPORTEN_CLIENT,
            "redirect_uris": [url + IDPORTEN_CALLBACK for url in site_urls],
            "post_logout_redirect_uris": [url + SIGNED_OUT for url in site_urls],
        },
        {**STAFF_CLIENT, "redirect_uris": [url + STAFF_CALLBACK for url in site_urls]},
    ]


@contextmanager
def running_provider(client_list, id_token_ttl=120):
    """Start `node scripts/oidc-provider.mjs` on a free port; yields its issuer URL."""
    node = shutil.which("node")
    if node is None:
        pytest.fail("node not found: install Node.js 20 or newer (`make setup` says how).")
    if not (ROOT / "node_modules" / "oidc-provider").is_dir():
        pytest.fail("The npm package oidc-provider is missing: run `npm ci` (part of `make setup`).")
    args = [node, str(SCRIPT), "--port", "0", "--id-token-ttl", str(id_token_ttl)]
    args += ["--clients", json.dumps(client_list)]
    with tempfile.TemporaryFile() as stderr:
        process = subprocess.Popen(args, cwd=ROOT, stdout=subprocess.PIPE, stderr=stderr)
        try:
            yield _wait_for_issuer(process, stderr)
        finally:
            process.terminate()
            process.wait(timeout=10)


def _wait_for_issuer(process, stderr, timeout=20):
    selector = selectors.DefaultSelector()
    selector.register(process.stdout, selectors.EVENT_READ)
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if selector.select(timeout=0.2):
            line = process.stdout.readline().decode()
            if match := re.search(r"listening on (\S+)", line):
                return match.group(1)
        if process.poll() is not None:
            break
    stderr.seek(0)
    pytest.fail(f"scripts/oidc-provider.mjs did not start:\n{stderr.read().decode()}")


def sign_in_at_provider(authorize_url, login, session=None):
    """Go from the authorization request through the provider's login page (and its
    consent, given at once) and return the address it sends the browser back to."""
    session = session or requests.Session()
    response = session.get(authorize_url, allow_redirects=False, timeout=10)
    issuer = authorize_url.split("/auth", 1)[0]
    for _ in range(10):
        if response.is_redirect:
            location = urljoin(response.url, response.headers["Location"])
            if not location.startswith(issuer):
                return location
            response = session.get(location, allow_redirects=False, timeout=10)
        elif response.status_code == 200 and 'name="login"' in response.text:
            action = re.search(r'<form method="post" action="([^"]+)"', response.text).group(1)
            response = session.post(urljoin(response.url, action), data={"login": login}, allow_redirects=False)
        else:
            raise AssertionError(f"unexpected answer from the provider: {response.status_code} {response.text[:500]}")
    raise AssertionError("the provider never sent the browser back")


def configure(settings, issuer, clock_skew=30):
    """Point ID-porten and the staff provider at a running local provider."""
    discovery = issuer + "/.well-known/openid-configuration"
    settings.IDPORTEN_DISCOVERY_URL = discovery
    settings.IDPORTEN_CLIENT_ID = IDPORTEN_CLIENT["client_id"]
    settings.IDPORTEN_CLIENT_SECRET = IDPORTEN_CLIENT["client_secret"]
    settings.IDPORTEN_ACR_VALUES = "idporten-loa-substantial"
    settings.STAFF_OIDC_DISCOVERY_URL = discovery
    settings.STAFF_OIDC_CLIENT_ID = STAFF_CLIENT["client_id"]
    settings.STAFF_OIDC_CLIENT_SECRET = STAFF_CLIENT["client_secret"]
    settings.STAFF_OIDC_GROUPS_CLAIM = "groups"
    settings.STAFF_OIDC_GROUP_MAP = {"saksbehandlere": "Saksbehandler", "beslutter": "Beslutter", "redaktor": "Editors"}
    settings.OIDC_CLOCK_SKEW_SECONDS = clock_skew
