"""Rate limits that hold across every app process: counted in PostgreSQL with one
atomic upsert per hit, so two processes can never both let the N+1th request in.

Usage in a view:

    if not ratelimit.hit("signin:ip", client_ip(request), limit=20, window=3600):
        ...show "Too many attempts" (status 429)...

Keys are hashed, so no e-mail address or IP is stored in clear.
"""

import hashlib
import hmac
import time

from django.conf import settings
from django.db import connection

from . import metrics

# Scopes are fixed strings in the code ("upload:user", "pilots-signin:ip"), so the label
# stays bounded; the counted value (address, user) is never a label.
REFUSALS = metrics.counter(
    "kr_rate_limit_refusals", "Attempts refused by a rate limit, by the limit's scope.", ["scope"]
)


def _digest(scope, value):
    key = settings.SECRET_KEY.encode()
    return hmac.new(key, f"{scope}:{value}".lower().encode(), hashlib.sha256).hexdigest()[:40]


def hit(scope, value, *, limit, window):
    """Count one attempt; return True while the count in this window is within `limit`."""
    window_start = int(time.time()) // window * window
    with connection.cursor() as cursor:
        cursor.execute(
            """
            INSERT INTO policy_ratelimitcounter (key, window_start, count)
            VALUES (%s, %s, 1)
            ON CONFLICT (key, window_start) DO UPDATE SET count = policy_ratelimitcounter.count + 1
            RETURNING count
            """,
            [_digest(scope, value), window_start],
        )
        (count,) = cursor.fetchone()
    if count > limit:
        REFUSALS.labels(scope).inc()
        return False
    return True


def client_ip(request):
    """The visitor's address. Behind a proxy, set TRUSTED_PROXY_COUNT to read X-Forwarded-For."""
    hops = getattr(settings, "TRUSTED_PROXY_COUNT", 0)
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    if hops and forwarded:
        parts = [p.strip() for p in forwarded.split(",")]
        if len(parts) >= hops:
            return parts[-hops]
    return request.META.get("REMOTE_ADDR", "")


def prune(older_than=2 * 86400):
    """Delete finished windows; run periodically."""
    from .models import RateLimitCounter

    RateLimitCounter.objects.filter(window_start__lt=int(time.time()) - older_than).delete()
