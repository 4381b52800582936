#!/usr/bin/env bash
# A project-local PostgreSQL cluster: data and socket under .local/pg, no TCP port.
# PostgreSQL refuses to run as root, so as root the cluster belongs to the `postgres` user.
# Usage: scripts/pg.sh start|stop|restart|status
set -euo pipefail

ROOT="$(cd "$(dirname "$0")/.." && pwd)"
PGDIR="$ROOT/.local/pg"
DATA="$PGDIR/data"
SOCK="$PGDIR/run"
BIN="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)"
[ -n "$BIN" ] || { echo "PostgreSQL server binaries not found (apt-get install postgresql)" >&2; exit 1; }

as_owner() {
    if [ "$(id -u)" = 0 ]; then
        runuser -u postgres -- "$@"
    else
        "$@"
    fi
}

ensure_access() {
    # The postgres user must be able to reach the project folder, which may sit in a
    # private temporary directory (mktemp -d is mode 700): open the path for traversal only.
    [ "$(id -u)" = 0 ] || return 0
    local d="$ROOT"
    while [ "$d" != "/" ]; do
        if ! runuser -u postgres -- test -x "$d" 2>/dev/null; then
            chmod o+x "$d"
        fi
        d="$(dirname "$d")"
    done
}

init() {
    mkdir -p "$PGDIR"
    ensure_access
    if [ ! -f "$DATA/PG_VERSION" ]; then
        echo "==> Creating local PostgreSQL cluster in $DATA"
        mkdir -p "$DATA" "$SOCK"
        [ "$(id -u)" = 0 ] && chown -R postgres:postgres "$PGDIR"
        as_owner "$BIN/initdb" -D "$DATA" -U postgres --auth=trust -E UTF8 --locale=C.UTF-8 >/dev/null
        cat >> "$DATA/postgresql.conf" <<EOF
listen_addresses = ''
unix_socket_directories = '$SOCK'
max_connections = 200
fsync = on
EOF
    fi
    [ "$(id -u)" = 0 ] && chown postgres:postgres "$PGDIR" "$SOCK" 2>/dev/null || true
}

running() { as_owner "$BIN/pg_ctl" -D "$DATA" status >/dev/null 2>&1; }

start() {
    init
    if ! running; then
        as_owner "$BIN/pg_ctl" -D "$DATA" -l "$PGDIR/server.log" -w -t 60 start >/dev/null
    fi
    # Create the application database once.
    if ! as_owner "$BIN/psql" -h "$SOCK" -U postgres -Atc "select 1 from pg_database where datname='kr'" postgres | grep -q 1; then
        as_owner "$BIN/createdb" -h "$SOCK" -U postgres kr
    fi
}

case "${1:-start}" in
    start) start ;;
    stop) if [ -f "$DATA/PG_VERSION" ] && running; then as_owner "$BIN/pg_ctl" -D "$DATA" -m fast -w stop >/dev/null; fi ;;
    restart) as_owner "$BIN/pg_ctl" -D "$DATA" -m fast -w restart -l "$PGDIR/server.log" >/dev/null ;;
    status) running && echo running || echo stopped ;;
    *) echo "usage: $0 start|stop|restart|status" >&2; exit 2 ;;
esac
