"""/metrics under gunicorn with several workers, as production serves it: every worker
writes its figures to PROMETHEUS_MULTIPROC_DIR and a scrape, whichever worker answers
it, adds them all up, also those of workers that have since been replaced (so a
counter never goes back when gunicorn recycles its workers).

A real gunicorn (production settings, two workers) on a free loopback port, on the
test database; its requests are made over HTTP."""

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from urllib.parse import quote

import pytest
from django.db import connection

from tests.metrics import TOKEN, parse
from tests.perf.server import ROOT, production_env, wait_until_up

HOST = "127.0.0.1"


def free_port():
    with socket.socket() as probe:
        probe.bind((HOST, 0))
        return probe.getsockname()[1]


def url_of_the_test_database():
    db = connection.settings_dict
    host = db["HOST"]
    where = quote(host, safe="") if host.startswith("/") else f"{host}:{db['PORT'] or 5432}"
    password = f":{quote(db['PASSWORD'], safe='')}" if db.get("PASSWORD") else ""
    return f"postgres://{quote(db['USER'], safe='')}{password}@{where}/{db['NAME']}"


def worker_pids(master):
    """The master's live workers: one that has exited but is not yet reaped is gone."""
    children = Path(f"/proc/{master}/task/{master}/children").read_text().split()
    return {int(pid) for pid in children if alive(int(pid))}


def alive(pid):
    try:
        return "zombie" not in Path(f"/proc/{pid}/status").read_text()
    except OSError:  # gone, perhaps between two looks
        return False


def get(url, token=None):
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    request = urllib.request.Request(url, headers=headers)  # noqa: S310 - our own loopback server
    with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310
        return response.status, response.read().decode()


@pytest.fixture
def gunicorn(django_db_setup, tmp_path):
    port = free_port()
    metrics_dir = tmp_path / "metrics"
    metrics_dir.mkdir()
    env = production_env(
        DATABASE_URL=url_of_the_test_database(),
        METRICS_TOKEN=TOKEN,
        PROMETHEUS_MULTIPROC_DIR=metrics_dir,
        STATIC_ROOT=tmp_path / "static",
        LOG_LEVEL="WARNING",
    )
    command = [str(ROOT / ".venv" / "bin" / "gunicorn"), "config.wsgi", "--workers", "2", "--bind", f"{HOST}:{port}"]
    process = subprocess.Popen(
        command, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=sys.stderr, start_new_session=True
    )
    try:
        wait_until_up(f"http://{HOST}:{port}/robots.txt", timeout=60)  # not /healthz, which the test counts
        yield process, f"http://{HOST}:{port}", metrics_dir
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=30)


def test_a_scrape_adds_up_every_worker_also_the_replaced_ones(gunicorn):
    process, base, metrics_dir = gunicorn
    first_workers = worker_pids(process.pid)
    assert len(first_workers) == 2
    for _ in range(12):
        assert get(f"{base}/healthz")[0] == 200

    # gunicorn replaces its workers (as on a reload, or max_requests), then serves more.
    os.kill(process.pid, signal.SIGHUP)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and (
        any(alive(pid) for pid in first_workers) or len(worker_pids(process.pid)) < 2
    ):
        time.sleep(0.2)
    second_workers = worker_pids(process.pid)
    assert len(second_workers) == 2 and not second_workers & first_workers
    for _ in range(8):
        assert get(f"{base}/healthz")[0] == 200

    status, text = get(f"{base}/metrics", token=TOKEN)
    assert status == 200
    figures = parse(text)
    assert figures("kr_http_request_duration_seconds_count", view="healthz", status="2xx") == 20
    assert figures("kr_tasks_ready", queue="mail") == 0
    writers = {int(path.stem.rsplit("_", 1)[1]) for path in metrics_dir.glob("histogram_*.db")}
    assert writers & first_workers and writers & second_workers
