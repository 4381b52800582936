"""A worker killed mid-batch and restarted: no address receives the issue twice.

Real processes and a real SMTP server: `manage.py db_worker` runs as a subprocess
against this test database, sending through the "bulk" mailer to an aiosmtpd server
on loopback that counts what it receives. The worker is SIGKILLed in the middle of a
batch, the sweeper runs, a new worker finishes the job; then every address must have
been received at most once, and every row must be either sent or "unknown"."""

import asyncio
import os
import signal
import socket
import subprocess
import sys
import threading
import time
from collections import Counter
from datetime import timedelta
from pathlib import Path
from urllib.parse import quote

import pytest
from aiosmtpd.controller import Controller
from django.conf import settings as django_settings

from newsletter import sending
from newsletter.models import Delivery

ROOT = Path(__file__).resolve().parents[2]
SUBSCRIBERS = 30
BATCH_SIZE = 5
KILL_AFTER = 7  # messages seen at the SMTP server: in the middle of the second batch


class CountingHandler:
    """Counts each message per recipient as soon as its data has arrived, then takes a
    moment to answer, like a real server. A worker killed in that moment leaves a
    message that was received but never confirmed: the "unknown" case."""

    def __init__(self):
        self.received = Counter()
        self.lock = threading.Lock()

    async def handle_DATA(self, server, session, envelope):
        with self.lock:
            for recipient in envelope.rcpt_tos:
                self.received[recipient] += 1
        await asyncio.sleep(0.05)
        return "250 Message accepted"

    def total(self):
        with self.lock:
            return sum(self.received.values())


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def smtp_server():
    handler = CountingHandler()
    controller = Controller(handler, hostname="127.0.0.1", port=free_port())
    controller.start()
    yield handler, controller.port
    controller.stop()


@pytest.fixture
def database_tasks(settings):
    """Enqueue into the real django-tasks-db table, where db_worker finds them.

    Django and the django-tasks backport (which Wagtail uses) both drop the backends
    they built from TASKS when the setting changes, and again when `settings` restores it."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default", "mail", "bulk"]}}


def worker_env(smtp_port):
    db = django_settings.DATABASES["default"]
    url = f"postgres://{db['USER']}@{quote(db['HOST'], safe='')}/{db['NAME']}"
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "DATABASE_URL": url,
        "BULK_MAILER_URL": f"smtp://127.0.0.1:{smtp_port}",
        "NEWSLETTER_BATCH_SIZE": str(BATCH_SIZE),
        "TASKS_BACKEND": "django_tasks_db.DatabaseBackend",
    }


def start_worker(env):
    return subprocess.Popen(
        [
            sys.executable,
            "manage.py",
            "db_worker",
            "--queue-name",
            "bulk",
            "--batch",
            "--no-reload",
            "--no-startup-delay",
            "--interval",
            "0.1",
            "--verbosity",
            "0",
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )


@pytest.mark.django_db(transaction=True)
def test_killed_worker_never_causes_a_second_copy(issue, subscribe, smtp_server, database_tasks):
    handler, port = smtp_server
    addresses = [f"person{n:02d}@example.no" for n in range(SUBSCRIBERS)]
    for address in addresses:
        subscribe(address)
    assert sending.start_sending(issue) == SUBSCRIBERS
    env = worker_env(port)

    first = start_worker(env)
    deadline = time.monotonic() + 60
    while handler.total() < KILL_AFTER:
        assert first.poll() is None, first.stderr.read().decode()
        assert time.monotonic() < deadline, "the worker sent nothing"
        time.sleep(0.005)
    os.kill(first.pid, signal.SIGKILL)
    first.wait(timeout=10)
    seen_before_restart = handler.total()
    assert seen_before_restart < SUBSCRIBERS, "the worker must die in the middle of the send"
    assert Delivery.objects.filter(status="sending").exists(), "killed mid-batch: rows were left claimed"

    stuck, _ = sending.sweep(stuck_after=timedelta(0), idle_after=timedelta(0))
    assert stuck >= 1

    second = start_worker(env)
    _, errors = second.communicate(timeout=120)
    assert second.returncode == 0, errors.decode()

    statuses = dict(Delivery.objects.values_list("subscriber__email", "status"))
    assert max(handler.received.values()) == 1, f"someone got the issue twice: {handler.received.most_common(3)}"
    assert set(statuses.values()) <= {"sent", "unknown"}
    for address in addresses:
        if statuses[address] == "sent":
            assert handler.received[address] == 1, address
        else:
            assert statuses[address] == "unknown" and handler.received[address] <= 1, address
    # Everything that was not stuck in the killed batch was delivered by the new worker.
    unknown = [a for a in addresses if statuses[a] == "unknown"]
    assert 1 <= len(unknown) <= BATCH_SIZE
    assert handler.total() > seen_before_restart
    assert sum(handler.received.values()) + sum(1 for a in unknown if not handler.received[a]) == SUBSCRIBERS
