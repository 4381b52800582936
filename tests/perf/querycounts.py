"""Database queries per page, counted in-process with Django's test client.

Run as `python -m tests.perf.querycounts URLS_JSON` inside the benchmark's
environment (page cache off): prints {name: queries} as one JSON line. Every URL is
requested WARM_UP times first and then counted, so one-off lookups that any running
server has already cached (the site root, content types) and the fragments it has
already stored do not count: the small and the full set are compared warm, like with like.
"""

import json
import sys

from tests.perf.server import run_module

WARM_UP = 2


def count_queries(urls):
    import django

    django.setup()
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client(HTTP_HOST="127.0.0.1")
    counts = {}
    for _ in range(WARM_UP):
        for url in urls.values():
            client.get(url)
    for name, url in urls.items():
        with CaptureQueriesContext(connection) as captured:
            response = client.get(url)
        counts[name] = {"queries": len(captured.captured_queries), "status": response.status_code}
    return counts


def measure(urls, env):
    return run_module(
        "tests.perf.querycounts", json.dumps(urls), env={**env, "PAGE_CACHE_ENABLED": "false"}, name="query count run"
    )


if __name__ == "__main__":
    print(json.dumps(count_queries(json.loads(sys.argv[1]))))
