"""The proof of work on the sign-up form, against sign-up spam without third-party
tracking: ALTCHA's protocol (v1), created and verified by the `altcha` package.

The server signs a challenge, sha256(salt + secret number), with an expiry inside
the salt; the browser (static/newsletter/pow-worker.js) tries numbers until the hash
matches and sends back the solution as base64 JSON (algorithm, challenge, number,
salt, signature). Verifying costs the server one hash and one HMAC; solving costs
the browser on average MAX_NUMBER/2 hashes.

What the package does not do, this module does: each solution is accepted once
(remembered in the shared cache until its challenge has expired), and whatever a
bot posts in the field is "no solution" rather than an error.

Without JavaScript there is no solution; the sign-up then applies a stricter rate
limit instead of refusing (see signup.py).
"""

from datetime import UTC, datetime, timedelta

import altcha
from django.core.cache import cache
from django.utils.crypto import salted_hmac

MAX_NUMBER = 50_000
LIFETIME = timedelta(minutes=20)
REPLAY_CACHE_PREFIX = "newsletter:pow:"


def hmac_key():
    """The key that signs challenges, derived from SECRET_KEY for this purpose only."""
    return salted_hmac("newsletter.proof", "altcha-hmac-key", algorithm="sha256").hexdigest()


def create_challenge():
    """A signed challenge for the form, as the JSON-ready dict signup.js reads."""
    challenge = altcha.create_challenge_v1(
        algorithm="SHA-256",
        max_number=MAX_NUMBER,
        hmac_key=hmac_key(),
        expires=datetime.now(UTC) + LIFETIME,
    )
    return challenge.to_dict()


def verify(payload):
    """True when `payload` is a correct, unexpired, signed, first-time solution."""
    try:
        valid, _ = altcha.verify_solution_v1(payload, hmac_key(), check_expires=True)
        challenge = valid and altcha.PayloadV1.from_base64(payload).challenge
    except (ValueError, TypeError, AttributeError, KeyError):
        # The package expects a JSON object with string fields; anything else is no solution.
        return False
    if not valid:
        return False
    # The challenge hash commits to salt and number, so however the payload is spelled
    # one challenge is one key: a replay is refused.
    return cache.add(REPLAY_CACHE_PREFIX + challenge, 1, timeout=int(LIFETIME.total_seconds()) + 60)
