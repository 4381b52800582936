"""Database queries per page, counted in-process with Django's test client.

Run as `python -m tests.perf.querycounts URLS_JSON` inside the benchmark's
environment (page cache off): prints {name: queries} as one JSON line. Each URL
is requested twice and the second request counted, so one-off lookups that any
running server has already cached (the site root, content types) do not count.
"""

import json
import sys


def count_queries(urls):
    import django

    django.setup()
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client(HTTP_HOST="127.0.0.1")
    counts = {}
    for name, url in urls.items():
        client.get(url)
        with CaptureQueriesContext(connection) as captured:
            response = client.get(url)
        counts[name] = {"queries": len(captured.captured_queries), "status": response.status_code}
    return counts


def measure(urls, env):
    import subprocess

    from tests.perf.server import PY, ROOT

    result = subprocess.run(
        [PY, "-m", "tests.perf.querycounts", json.dumps(urls)],
        cwd=ROOT,
        env={**env, "PAGE_CACHE_ENABLED": "false"},
        capture_output=True,
        text=True,
    )
    if result.returncode:
        raise RuntimeError(f"query count run failed:\n{result.stderr[-3000:]}")
    return json.loads(result.stdout.strip().splitlines()[-1])


if __name__ == "__main__":
    print(json.dumps(count_queries(json.loads(sys.argv[1]))))
