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

The request failed when its answer is an error: a 500, or the 400 Django's session
middleware gives when it could not save the session ("session interrupted").

Before the new try it waits, briefly, until the database takes connections again.
A request that cannot be answered again (it wrote), or whose new try lost its
connection too, gets 503 with `Retry-After` and a page saying to try again in a
moment, never a 500: the visitor's next press is likely to succeed.
"""

import logging
import sys
import time

from django.core.signals import got_request_exception
from django.db import OperationalError, connections
from django.http import HttpResponse
from django.template import loader

logger = logging.getLogger(__name__)

SAFE_METHODS = ("GET", "HEAD", "OPTIONS")
# Statements that write nothing: a request that ran only these can be run again.
READ_ONLY = ("SELECT", "SAVEPOINT", "RELEASE", "ROLLBACK", "SET", "SHOW")
WAIT_SECONDS = 3.0  # how long the retry waits for the database (a restart takes about 1 s)
POLL_SECONDS = 0.1
RETRY_AFTER_SECONDS = 5  # a restart or fail-over is over within seconds
FAILED = 400  # answers from this status up, after a lost connection, are tried again
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


def lost_connection(error):
    """Whether `error` (Django's OperationalError) means the connection itself was lost:
    the server shut down, crashed or could not be reached (SQLSTATE classes 08 and 57P,
    or none at all), not a statement that failed on a working connection."""
    state = getattr(error.__cause__, "sqlstate", None)
    return state is None or state.startswith(("08", "57P"))


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
        if not watch.lost or response.status_code < FAILED:
            return response
        if request.method not in SAFE_METHODS and watch.wrote:
            logger.warning("database connection lost during %s %s after it wrote", request.method, request.path)
            return unavailable(maybe_saved=True)
        logger.warning("database connection lost during %s %s; answering it again", request.method, request.path)
        wait_for_database()
        for upload in request.FILES.values() if request.method not in SAFE_METHODS else ():
            upload.seek(0)
        response, watch = self._attempt(request)
        if watch.lost and response.status_code >= FAILED:
            logger.warning("database still unavailable for %s %s", request.method, request.path)
            return unavailable(maybe_saved=request.method not in SAFE_METHODS and watch.wrote)
        return response

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


def unavailable(maybe_saved):
    """503 with the time to wait: rendered without the database or context processors,
    and never stored by a cache."""
    _close_broken()
    page = loader.get_template("503.html").render({"maybe_saved": maybe_saved, "seconds": RETRY_AFTER_SECONDS})
    return HttpResponse(
        page, status=503, headers={"Retry-After": str(RETRY_AFTER_SECONDS), "Cache-Control": "no-store"}
    )


def _close_broken():
    """So that the process's next request opens a new connection."""
    for connection in connections.all(initialized_only=True):
        if connection.connection is not None and _broken(connection):
            connection.close()


def wait_for_database():
    """Drop the broken connections and wait (at most WAIT_SECONDS) until the database
    answers on a new one. Also for background work that lost its connection."""
    deadline = time.monotonic() + WAIT_SECONDS
    _close_broken()
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
