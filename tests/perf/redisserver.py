"""A private redis-server for the benchmark and the tests.

It listens on a Unix socket in a fresh temporary directory (no TCP port at all, the
socket readable by this user only), keeps nothing on disk and goes away with its
directory. Talked to with a few lines of RESP over the socket, so the benchmark's
own process needs no Redis client.
"""

import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from contextlib import contextmanager
from dataclasses import dataclass

INSTALL = "sudo apt-get install -y redis-server"


def executable():
    """redis-server's path, or a failure that says how to install it."""
    path = shutil.which("redis-server")
    if not path:
        raise RuntimeError(f"redis-server is needed (the page cache runs on Redis): {INSTALL}")
    return path


def _encode(args):
    parts = [f"*{len(args)}\r\n".encode()]
    for arg in args:
        data = str(arg).encode()
        parts.append(b"$%d\r\n%s\r\n" % (len(data), data))
    return b"".join(parts)


def _read_reply(stream):
    line = stream.readline().rstrip(b"\r\n")
    kind, rest = line[:1], line[1:].decode()
    if kind == b"+":
        return rest
    if kind == b"-":
        raise RuntimeError(f"redis: {rest}")
    if kind == b":":
        return int(rest)
    if kind == b"$":
        size = int(rest)
        return None if size < 0 else stream.read(size + 2)[:-2].decode()
    if kind == b"*":
        return [_read_reply(stream) for _ in range(int(rest))]
    raise RuntimeError(f"redis: unexpected reply {line!r}")


@dataclass
class RedisServer:
    socket_path: str

    @property
    def cache_url(self):
        """CACHE_URL for config/settings.py: Django's Redis backend on the socket."""
        return f"redis://{self.socket_path}"

    @property
    def location(self):
        """LOCATION for a CACHES entry (override_settings in tests)."""
        return f"unix://{self.socket_path}"

    def command(self, *args):
        with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as conn:
            conn.settimeout(10)
            conn.connect(self.socket_path)
            conn.sendall(_encode(args))
            with conn.makefile("rb") as stream:
                return _read_reply(stream)

    def command_calls(self):
        """Commands served since the last reset: {command: calls}, from INFO commandstats."""
        calls = {}
        for line in self.command("INFO", "commandstats").splitlines():
            if line.startswith("cmdstat_"):
                name, stats = line[len("cmdstat_") :].split(":", 1)
                fields = dict(field.split("=", 1) for field in stats.split(","))
                calls[name] = int(fields["calls"])
        return calls

    def reset_stats(self):
        self.command("CONFIG", "RESETSTAT")


def _wait_until_ready(server, process, timeout=10):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"redis-server exited at start with code {process.returncode}")
        try:
            if server.command("PING") == "PONG":
                return
        except OSError:
            time.sleep(0.05)
    raise RuntimeError("redis-server did not answer on its socket")


@contextmanager
def running(max_memory="256mb"):
    """Start a private redis-server; yields a RedisServer, stops it and removes its files."""
    directory = tempfile.mkdtemp(prefix="kr-redis-")
    server = RedisServer(os.path.join(directory, "redis.sock"))
    process = subprocess.Popen(
        [
            executable(),
            "--port",
            "0",
            "--unixsocket",
            server.socket_path,
            "--unixsocketperm",
            "700",
            "--dir",
            directory,
            "--save",
            "",
            "--appendonly",
            "no",
            "--maxmemory",
            max_memory,
            "--maxmemory-policy",
            "allkeys-lru",
            "--loglevel",
            "warning",
        ],
        stdout=subprocess.DEVNULL,
        stderr=sys.stderr,
        start_new_session=True,
    )
    try:
        _wait_until_ready(server, process)
        yield server
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        shutil.rmtree(directory, ignore_errors=True)
