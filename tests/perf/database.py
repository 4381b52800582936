"""The benchmark's own database, so generated data never reaches the demo database.

Without DATABASE_URL, `kr_bench` is created on the project's local cluster
(scripts/pg.sh); with DATABASE_URL, that database is used as it is. Either way it
is migrated and gets the reference data and the demo content before measuring.
"""

import os
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

from tests.perf.server import ROOT, manage, production_env

LOCAL_CLUSTER = ROOT / ".local" / "pg"
BENCH_DB = "kr_bench"


@dataclass(frozen=True)
class Cluster:
    """A PostgreSQL cluster reached through a Unix socket, owned by `postgres` when run as root."""

    data: Path
    socket: Path

    @property
    def bin(self):
        versions = sorted(Path("/usr/lib/postgresql").glob("*/bin"), key=lambda p: int(p.parent.name))
        return versions[-1]

    def run(self, *args, check=True):
        cmd = [str(self.bin / args[0]), *args[1:]]
        if os.geteuid() == 0:
            cmd = ["runuser", "-u", "postgres", "--", *cmd]
        return subprocess.run(cmd, check=check, capture_output=True, text=True)

    def url(self, database=BENCH_DB):
        return f"postgres://postgres@{quote(str(self.socket), safe='')}/{database}"

    def has_database(self, name):
        result = self.run(
            "psql",
            "-h",
            str(self.socket),
            "-U",
            "postgres",
            "-Atc",
            f"select 1 from pg_database where datname='{name}'",  # noqa: S608 - our own constant
            "postgres",
        )
        return result.stdout.strip() == "1"

    def create_database(self, name=BENCH_DB):
        if not self.has_database(name):
            self.run("createdb", "-h", str(self.socket), "-U", "postgres", name)

    def restart(self):
        """`pg_ctl restart -m fast`, as scripts/pg.sh does for the project's cluster."""
        self.run(
            "pg_ctl", "-D", str(self.data), "-m", "fast", "-w", "restart", "-l", str(self.data.parent / "server.log")
        )


LOCAL = Cluster(LOCAL_CLUSTER / "data", LOCAL_CLUSTER / "run")


def throwaway_cluster(path):
    """A second, private cluster (no TCP port) for the PostgreSQL-restart fault, so the
    one other people use is never restarted. Created on first use."""
    path = Path(path)
    cluster = Cluster(path / "data", path / "run")
    if not (cluster.data / "PG_VERSION").exists():
        cluster.socket.mkdir(parents=True, exist_ok=True)
        if os.geteuid() == 0:
            shutil.chown(path, "postgres", "postgres")
            shutil.chown(cluster.socket, "postgres", "postgres")
        cluster.run(
            "initdb", "-D", str(cluster.data), "-U", "postgres", "--auth=trust", "-E", "UTF8", "--locale=C.UTF-8"
        )
        with (cluster.data / "postgresql.conf").open("a") as conf:
            conf.write(
                f"\nlisten_addresses = ''\nunix_socket_directories = '{cluster.socket}'\nmax_connections = 200\n"
            )
    if cluster.run("pg_ctl", "-D", str(cluster.data), "status", check=False).returncode != 0:
        cluster.run("pg_ctl", "-D", str(cluster.data), "-w", "-l", str(path / "server.log"), "start")
    return cluster


def bench_database_url():
    """DATABASE_URL when given; otherwise kr_bench on the local cluster, created if needed."""
    if os.environ.get("DATABASE_URL"):
        return os.environ["DATABASE_URL"]
    LOCAL.create_database()
    return LOCAL.url()


def prepare(database_url, log=print):
    """Migrate, load reference data and demo content, and index it (idempotent)."""
    # The demo app is installed only where asked for; the servers measured run without it.
    env = production_env(DATABASE_URL=database_url, DEMO_ENABLED="true")
    for args in (
        ("migrate", "--noinput", "-v", "0"),
        ("createcachetable",),
        ("load_reference_data",),
        ("load_demo", "--no-admin"),
        ("collectstatic", "--noinput", "-v", "0"),
        # Search indexing and reference updates of the demo pages are queued tasks.
        ("db_worker", "--batch", "--queue-name", "default", "--no-startup-delay"),
    ):
        log(f"  manage.py {' '.join(args)}")
        manage(*args, env=env)
