"""The production-shaped stack (scripts/stack.sh) started on free ports for the fault
tests (tests/stack/) and the benchmark: Varnish in front of two gunicorn app nodes,
Redis, the task workers and the scheduler, on the database DATABASE_URL names.

The processes are the ones `make stack` starts; this module only chooses the ports and
the folder, and injects the faults (killing a node, restarting Redis, freezing nodes).
"""

import os
import re
import shutil
import signal
import socket
import subprocess
import tempfile
import time
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from tests.perf.redisserver import RedisServer
from tests.perf.server import HOST, ROOT, production_env

STACK_SH = str(ROOT / "scripts" / "stack.sh")
INSTALL = "sudo apt-get install -y varnish"


def free_ports(count):
    """Ports nobody listens on now (the OS's choice, so parallel runs do not collide)."""
    sockets = []
    try:
        for _ in range(count):
            s = socket.socket()
            s.bind((HOST, 0))
            sockets.append(s)
        return [s.getsockname()[1] for s in sockets]
    finally:
        for s in sockets:
            s.close()


def varnish_executable(name="varnishd"):
    """varnishd (or varnishadm): on PATH, or where Debian puts it for root."""
    path = shutil.which(name) or (f"/usr/sbin/{name}" if os.access(f"/usr/sbin/{name}", os.X_OK) else None)
    if not path:
        raise RuntimeError(f"{name} is needed (Varnish in front of the app nodes): {INSTALL}")
    return path


@dataclass
class Stack:
    directory: Path
    http_port: int
    app_ports: list
    env: dict

    @property
    def url(self):
        """Varnish: where visitors go."""
        return f"http://{HOST}:{self.http_port}"

    def node_url(self, number):
        return f"http://{HOST}:{self.app_ports[number - 1]}"

    @property
    def redis(self):
        return RedisServer(str(self.directory / "redis.sock"))

    def script(self, *args, timeout=180, **env):
        result = subprocess.run(
            [STACK_SH, *args], cwd=ROOT, env={**self.env, **env}, capture_output=True, text=True, timeout=timeout
        )
        if result.returncode:
            logs = "\n".join(f"--- {p.name}\n{p.read_text()[-1500:]}" for p in sorted(self.directory.glob("*.log")))
            raise RuntimeError(f"stack.sh {' '.join(args)} failed:\n{result.stderr[-2000:]}\n{logs}")
        return result.stdout

    def pid(self, service):
        return int((self.directory / f"{service}.pid").read_text())

    def running(self, service):
        """Whether the service's process is alive (an exited, unreaped one is not)."""
        try:
            stat = Path(f"/proc/{self.pid(service)}/stat").read_text()
        except (OSError, ValueError):
            return False
        return stat.rsplit(")", 1)[1].split()[0] != "Z"

    def signal(self, service, sig):
        """Send `sig` to the service's whole process group (gunicorn's master and workers)."""
        os.killpg(self.pid(service), sig)

    def kill_node(self, number):
        """SIGKILL: the node vanishes mid-request, as on a crashed machine."""
        self.signal(f"app{number}", signal.SIGKILL)

    def start_missing(self):
        """Start whatever is not running (a killed node), as a process manager would."""
        self.script("start", STACK_PREPARE="0")

    def restart(self, service):
        self.script("restart", service)

    def varnishadm(self, *args):
        result = subprocess.run(
            [varnish_executable("varnishadm"), "-n", str(self.directory / "varnish"), *args],
            capture_output=True,
            text=True,
            timeout=30,
        )
        if result.returncode:
            raise RuntimeError(f"varnishadm {' '.join(args)}: {result.stdout}{result.stderr}")
        return result.stdout

    def node_health(self):
        """{"app1": "healthy" | "sick", ...} as Varnish's probes see the nodes now."""
        health = {}
        for line in self.varnishadm("backend.list").splitlines():
            match = re.match(r"\S*\.(app\d+)\s+\S+\s+\S+\s+(healthy|sick)", line)
            if match:
                health[match.group(1)] = match.group(2)
        return health

    def wait_for_health(self, wanted, timeout=30):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.node_health() == wanted:
                return
            time.sleep(0.2)
        raise AssertionError(f"Varnish saw {self.node_health()}, expected {wanted}")

    def forget_everything(self):
        """Empty Varnish and Redis, so each test starts from cold caches."""
        self.varnishadm("ban", "req.url", "~", ".")
        self.redis.command("FLUSHALL")


@contextmanager
def running(workers=2, **env_overrides):
    """Start the stack on free ports with production settings plus `env_overrides`
    (DATABASE_URL above all); stop it and remove its folder afterwards."""
    varnish_executable()
    directory = Path(tempfile.mkdtemp(prefix="kr-stack-"))
    http_port, *app_ports = free_ports(3)
    env = production_env(
        STACK_DIR=directory,
        STACK_HTTP_PORT=http_port,
        STACK_APP_PORTS=" ".join(map(str, app_ports)),
        STACK_WEB_WORKERS=workers,
        STACK_SET_SITE="0",
        STACK_QUIET="1",
        **env_overrides,
    )
    stack = Stack(directory, http_port, app_ports, env)
    try:
        stack.script("start")
        yield stack
    finally:
        try:
            stack.script("stop", timeout=60)
        finally:
            shutil.rmtree(directory, ignore_errors=True)
