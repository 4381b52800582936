"""A proof-of-work challenge against sign-up spam, without third-party tracking.

The format is ALTCHA's (https://altcha.org, v1): the server picks a random salt and
a secret number, sends sha256(salt + number) and an HMAC signature of it; the
browser (static/newsletter/pow-worker.js) tries numbers until the hash matches and
sends the solution back as base64 JSON. Verifying costs the server one hash and one
HMAC; solving costs the browser on average maxnumber/2 hashes. A solution is
accepted once (remembered in the shared cache until the challenge expires).

Without JavaScript there is no solution; the view then applies stricter rate
limits instead of refusing (see views.py).
"""

import base64
import hashlib
import hmac
import json
import secrets
import time

from django.core.cache import cache
from django.utils.crypto import salted_hmac

ALGORITHM = "SHA-256"
MAX_NUMBER = 50_000
LIFETIME = 20 * 60


def _sign(challenge):
    return salted_hmac("newsletter-pow", challenge, algorithm="sha256").hexdigest()


def create_challenge(now=None):
    expires = int((now or time.time()) + LIFETIME)
    salt = f"{secrets.token_hex(12)}?expires={expires}"
    number = secrets.randbelow(MAX_NUMBER)
    challenge = hashlib.sha256(f"{salt}{number}".encode()).hexdigest()
    return {
        "algorithm": ALGORITHM,
        "challenge": challenge,
        "maxnumber": MAX_NUMBER,
        "salt": salt,
        "signature": _sign(challenge),
    }


def solve(challenge):
    """What the browser's worker does; used by tests and by nothing else."""
    for number in range(challenge["maxnumber"] + 1):
        if hashlib.sha256(f"{challenge['salt']}{number}".encode()).hexdigest() == challenge["challenge"]:
            payload = {k: challenge[k] for k in ("algorithm", "challenge", "salt", "signature")}
            return base64.b64encode(json.dumps({**payload, "number": number}).encode()).decode()
    raise ValueError("No solution")


def verify(payload, now=None):
    """True when `payload` is a correct, unexpired, signed, first-time solution."""
    try:
        data = json.loads(base64.b64decode(payload, validate=True))
        salt, challenge, signature = str(data["salt"]), str(data["challenge"]), str(data["signature"])
        number = int(data["number"])
        expires = int(salt.split("expires=", 1)[1].split("&", 1)[0])
    except (ValueError, KeyError, TypeError, IndexError):
        return False
    if data.get("algorithm") != ALGORITHM or expires < (now or time.time()):
        return False
    if not hmac.compare_digest(_sign(challenge), signature):
        return False
    if hashlib.sha256(f"{salt}{number}".encode()).hexdigest() != challenge:
        return False
    # Accept each solved challenge once.
    return cache.add(f"newsletter:pow:{challenge}", 1, timeout=LIFETIME + 60)
