"""Per-request cost figures for the benchmark: database queries and Python CPU time.

With SERVER_TIMING on, every response carries
`Server-Timing: cpu;dur=<ms>, db;dur=<ms>;desc="<n> queries"`, measured around the
whole middleware stack, so `make bench` can say where a page's time goes (queries or
Python) on the real server instead of guessing from wall-clock time under load. Off
everywhere else: the header would tell the public how long the database takes.
"""

import time

from django.conf import settings
from django.core.exceptions import MiddlewareNotUsed
from django.db import connections


class _QueryCounter:
    """A database execute wrapper: counts queries and the wall time spent in them."""

    def __init__(self):
        self.count = 0
        self.seconds = 0.0

    def __call__(self, execute, sql, params, many, context):
        started = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            self.count += 1
            self.seconds += time.perf_counter() - started


def format_header(cpu_ms, db_ms, queries):
    return f'cpu;dur={cpu_ms:.2f}, db;dur={db_ms:.2f};desc="{queries} queries"'


class ServerTimingMiddleware:
    def __init__(self, get_response):
        if not settings.SERVER_TIMING:
            raise MiddlewareNotUsed
        self.get_response = get_response

    def __call__(self, request):
        counter = _QueryCounter()
        started = time.process_time()
        with connections["default"].execute_wrapper(counter):
            response = self.get_response(request)
        cpu_ms = (time.process_time() - started) * 1000
        response["Server-Timing"] = format_header(cpu_ms, counter.seconds * 1000, counter.count)
        return response
