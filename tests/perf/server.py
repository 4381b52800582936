"""Start and stop the app under gunicorn with production settings, on loopback only,
and run manage.py, the data generator and a benchmark's Django side in their own processes."""

import json
import os
import signal
import subprocess
import sys
import time
import urllib.request
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PY = str(ROOT / ".venv" / "bin" / "python")
HOST = "127.0.0.1"


def production_env(**overrides):
    """Production settings (DEBUG off, manifest static files, persistent connections)
    but plain HTTP on loopback."""
    env = {k: v for k, v in os.environ.items() if k not in ("DEBUG",)}
    env.update(
        {
            "DJANGO_SETTINGS_MODULE": "config.settings",
            "DEBUG": "false",
            "SECRET_KEY": "benchmark-only-secret-key-0123456789-abcdefghijklmnopqrstuvwxyz",
            "ALLOWED_HOSTS": "127.0.0.1,localhost",
            "SITE_URL": env.get("BENCH_SITE_URL", "http://127.0.0.1:8000"),
            "SECURE_SSL_REDIRECT": "false",
            "MAILER_URL": env.get("BENCH_MAILER_URL", "smtp://127.0.0.1:2525"),
            "STATIC_ROOT": str(ROOT / ".local" / "bench-static"),
            "CONN_MAX_AGE": "600",
            "BENCHMARK_VIEWS": "true",
            "LOG_LEVEL": "WARNING",
        }
    )
    env.update({k: str(v) for k, v in overrides.items()})
    return env


def manage(*args, env=None, check=True):
    return subprocess.run(
        [PY, "manage.py", *args], cwd=ROOT, env=env or production_env(), check=check, capture_output=True, text=True
    )


def run_module(module, *args, env, name):
    """Run `python -m module ARGS` and return the JSON it prints last: how a benchmark
    asks the Django side for data without loading Django itself. `name` says which
    call failed."""
    result = subprocess.run([PY, "-m", module, *map(str, args)], cwd=ROOT, env=env, capture_output=True, text=True)
    if result.returncode:
        raise RuntimeError(f"{name} failed:\n{result.stderr[-3000:]}")
    return json.loads(result.stdout.strip().splitlines()[-1])


def generate_data(*args, env=None, check=True):
    """Run the benchmark data generator (tests/perf/generate.py) in its own process."""
    return subprocess.run(
        [PY, str(ROOT / "tests" / "perf" / "generate.py"), *args],
        cwd=ROOT,
        env=env or production_env(),
        check=check,
        capture_output=True,
        text=True,
    )


def wait_until_up(url, timeout=30):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=2) as response:  # noqa: S310 (loopback only)
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError(f"server did not answer at {url}")


@contextmanager
def gunicorn(port, workers=2, **env_overrides):
    env = production_env(**env_overrides)
    process = subprocess.Popen(
        [
            str(ROOT / ".venv" / "bin" / "gunicorn"),
            "config.wsgi",
            "--workers",
            str(workers),
            "--bind",
            f"{HOST}:{port}",
            "--access-logfile",
            "-" if env.get("BENCH_ACCESS_LOG") else "/dev/null",
            "--log-level",
            "warning",
            "--timeout",
            "60",
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=sys.stderr,
        start_new_session=True,
    )
    try:
        wait_until_up(f"http://{HOST}:{port}/healthz")
        yield f"http://{HOST}:{port}"
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=30)
