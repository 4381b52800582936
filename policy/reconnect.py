"""One more try for a request whose database connection was lost (PostgreSQL restarted
or failed over), so the visitor gets the page instead of a 500 and a button to press again.

Django reconnects by itself on the next request (CONN_HEALTH_CHECKS), but the request
that was on the connection when the server went away fails. `ReconnectMiddleware`
answers that request again, once, on a fresh connection, when doing so cannot do
anything twice:

- GET and HEAD always (they change nothing a visitor could see twice);
- any other method only when no statement but reads had succeeded before the loss: then
  nothing of the request was written, let alone committed (an INSERT that succeeded
  may have been committed even if the COMMIT's answer was lost, so it is never retried).

Before the new try it waits, briefly, until the database takes connections again.
"""

import logging
import sys
import time

from django.core.signals import got_request_exception
from django.db import OperationalError, connections

logger = logging.getLogger(__name__)

SAFE_METHODS = ("GET", "HEAD")
# Statements that write nothing: a request that ran only these can be run again.
READ_ONLY = ("SELECT", "SAVEPOINT", "RELEASE", "ROLLBACK", "SET", "SHOW")
WAIT_SECONDS = 3.0  # how long the retry waits for the database (a restart takes about 1 s)
POLL_SECONDS = 0.1
ATTRIBUTE = "_database_connection"


class _Watch:
    """What a request did on the database: whether it wrote and whether it lost a connection."""

    def __init__(self):
        self.wrote = False
        self.lost = False

    def __call__(self, execute, sql, params, many, context):
        try:
            result = execute(sql, params, many, context)
        except OperationalError:
            if _broken(context["connection"]):
                self.lost = True
            raise
        if not self.wrote and not sql.lstrip().upper().startswith(READ_ONLY):
            self.wrote = True
        return result


def _broken(connection):
    raw = connection.connection
    return raw is None or raw.closed or getattr(raw, "broken", False)


def _connection_failed(sender, request=None, **kwargs):
    """A connection that could not even be opened (the server was restarting): nothing ran."""
    watch = getattr(request, ATTRIBUTE, None)
    if watch is None:
        return
    error = sys.exc_info()[1]
    if isinstance(error, OperationalError) and any(_broken(c) for c in connections.all(initialized_only=True)):
        watch.lost = True


got_request_exception.connect(_connection_failed, dispatch_uid="policy_reconnect")


class ReconnectMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response, watch = self._attempt(request)
        if not watch.lost or response.status_code < 500:
            return response
        if request.method not in SAFE_METHODS and watch.wrote:
            return response
        logger.warning("database connection lost during %s %s; answering it again", request.method, request.path)
        _fresh_connections()
        for upload in request.FILES.values() if request.method not in SAFE_METHODS else ():
            upload.seek(0)
        return self._attempt(request)[0]

    def _attempt(self, request):
        watch = _Watch()
        setattr(request, ATTRIBUTE, watch)
        wrappers = [connection.execute_wrapper(watch) for connection in connections.all()]
        for wrapper in wrappers:
            wrapper.__enter__()
        try:
            response = self.get_response(request)
        finally:
            for wrapper in reversed(wrappers):
                wrapper.__exit__(None, None, None)
        return response, watch


def _fresh_connections():
    """Drop the broken connections and wait (at most WAIT_SECONDS) until the database
    answers on a new one."""
    deadline = time.monotonic() + WAIT_SECONDS
    for connection in connections.all(initialized_only=True):
        if connection.connection is not None and _broken(connection):
            connection.close()
    for connection in connections.all():
        while True:
            try:
                connection.ensure_connection()
                break
            except OperationalError:
                connection.close()
                if time.monotonic() >= deadline:
                    return
                time.sleep(POLL_SECONDS)
