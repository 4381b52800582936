#!/usr/bin/env bash
# The production-shaped stack on one machine (`make stack`, `make stop`): Varnish in front
# of two gunicorn app nodes (production settings, DEBUG off), Redis as the shared cache,
# the task workers and the scheduler, all on the project's PostgreSQL.
#
#   scripts/stack.sh start            start whatever is not running (idempotent)
#   scripts/stack.sh stop             stop everything
#   scripts/stack.sh status           what runs, and Varnish's view of the nodes
#   scripts/stack.sh restart NAME     stop and start one service (redis, app1, varnish, ...)
#
# Pid files and logs are in STACK_DIR (.local/stack). The tests and the benchmark start
# their own stack with STACK_DIR, STACK_HTTP_PORT and STACK_APP_PORTS, and DATABASE_URL.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
cd "$ROOT"
PY="$ROOT/.venv/bin/python"
DIR="${STACK_DIR:-$ROOT/.local/stack}"
HOST=127.0.0.1
HTTP_PORT="${STACK_HTTP_PORT:-8080}"
read -r -a APP_PORTS <<<"${STACK_APP_PORTS:-8081 8082}"
WEB_WORKERS="${STACK_WEB_WORKERS:-2}"
mkdir -p "$DIR"

# Production settings, but plain HTTP on loopback. Everything else (SECRET_KEY, MAILER_URL,
# DATABASE_URL) comes from the environment or .env as for any other process.
export DEBUG=false SECURE_SSL_REDIRECT=false
export SITE_URL="http://$HOST:$HTTP_PORT"
export ALLOWED_HOSTS="${ALLOWED_HOSTS:-127.0.0.1,localhost}"
export CACHE_URL="redis://$DIR/redis.sock"
export FRONTEND_CACHE_PURGE_URL="http://$HOST:$HTTP_PORT"
# Varnish adds the visitor's address to X-Forwarded-For (rate limits read it).
export TRUSTED_PROXY_COUNT=1
export STATIC_ROOT="${STATIC_ROOT:-$ROOT/.local/stack-static}"

SERVICES=(redis)
for n in "${!APP_PORTS[@]}"; do SERVICES+=("app$((n + 1))"); done
SERVICES+=(worker bulk-worker scheduler varnish)

varnish_bin() { command -v "$1" 2>/dev/null || echo "/usr/sbin/$1"; }

# A process that exited but is not yet reaped (a zombie) counts as gone.
alive() {
    local state
    state="$(sed -E 's/^.*\) (.).*$/\1/' "/proc/$1/stat" 2>/dev/null)" || return 1
    [ -n "$state" ] && [ "$state" != Z ]
}

running() {
    local pidfile="$DIR/$1.pid"
    [ -f "$pidfile" ] && alive "$(cat "$pidfile")"
}

# Each service runs in a process group of its own (setsid), so stopping it stops its
# children too (gunicorn's workers).
launch() {
    local name="$1"
    shift
    setsid "$@" >>"$DIR/$name.log" 2>&1 </dev/null &
    echo $! >"$DIR/$name.pid"
}

wait_for() {
    local what="$1" check="$2"
    for _ in $(seq 300); do
        if eval "$check" >/dev/null 2>&1; then return 0; fi
        sleep 0.2
    done
    echo "$what did not come up; see $DIR/*.log" >&2
    return 1
}

http_ok() {
    "$PY" -c 'import sys, urllib.request; urllib.request.urlopen(sys.argv[1], timeout=2)' "$1"
}

write_node_list() {
    # The app nodes behind Varnish, its director and who may purge (config/varnish/site.vcl).
    {
        echo "# Written by scripts/stack.sh; the nodes of this stack."
        for n in "${!APP_PORTS[@]}"; do
            echo "backend app$((n + 1)) { .host = \"$HOST\"; .port = \"${APP_PORTS[$n]}\"; .probe = healthz;"
            echo "    .connect_timeout = 1s; .first_byte_timeout = 30s; }"
        done
        echo "acl app_nodes { \"$HOST\"; }"
        # A retry goes to the node after the one that just failed.
        echo "sub next_node {"
        local count="${#APP_PORTS[@]}" n
        for ((n = 1; n <= count; n++)); do
            echo "    if (bereq.http.x-failed-node == \"app$n\") { set bereq.backend = app$((n % count + 1)); }"
        done
        echo "}"
        echo "sub vcl_init {"
        echo "    new nodes = directors.round_robin();"
        for n in "${!APP_PORTS[@]}"; do echo "    nodes.add_backend(app$((n + 1)));"; done
        echo "}"
    } >"$DIR/stack-nodes.vcl"
}

# Each app node adds up the metrics of its own processes (policy/metrics.py), as a node
# on a machine of its own would; the task workers and the scheduler count with node 1.
# A node's figures start again from zero when it starts, which Prometheus reads as a
# counter reset.
metrics_dir() {
    local dir="$DIR/metrics/$1"
    mkdir -p "$dir"
    echo "$dir"
}

start_service() {
    local name="$1"
    running "$name" && return 0
    case "$name" in
        redis)
            rm -f "$DIR/redis.sock"
            launch redis redis-server --port 0 --unixsocket "$DIR/redis.sock" --unixsocketperm 700 \
                --dir "$DIR" --save "" --appendonly no --maxmemory 256mb --maxmemory-policy allkeys-lru
            wait_for "Redis" "redis-cli -s '$DIR/redis.sock' ping | grep -q PONG"
            ;;
        app*)
            local port="${APP_PORTS[$((${name#app} - 1))]}"
            rm -f "$(metrics_dir "$name")"/*.db
            # --preload: Django is imported once per node, not once per worker.
            PROMETHEUS_MULTIPROC_DIR="$(metrics_dir "$name")" launch "$name" "$ROOT/.venv/bin/gunicorn" config.wsgi --preload --workers "$WEB_WORKERS" \
                --bind "$HOST:$port" --timeout 60 --graceful-timeout 10 --log-level warning
            ;;
        # Wagtail's purges are tasks on "default": polled five times a second, a
        # published page reaches Varnish within a second.
        worker) PROMETHEUS_MULTIPROC_DIR="$(metrics_dir app1)" launch worker "$PY" manage.py db_worker --queue-name default,mail,uploads --interval 0.2 ;;
        bulk-worker) PROMETHEUS_MULTIPROC_DIR="$(metrics_dir app1)" launch bulk-worker "$PY" manage.py db_worker --queue-name bulk ;;
        scheduler) PROMETHEUS_MULTIPROC_DIR="$(metrics_dir app1)" launch scheduler "$PY" manage.py run_scheduler ;;
        varnish)
            write_node_list
            # -j none: the local stack runs as whoever starts it, like its other processes.
            launch varnish "$(varnish_bin varnishd)" -F -j none -n "$DIR/varnish" -a "$HOST:$HTTP_PORT" \
                -T "$HOST:0" -p vcl_path="$DIR:$ROOT/config/varnish" -f "$ROOT/config/varnish/site.vcl" \
                -s malloc,256m
            wait_for "Varnish" "http_ok http://$HOST:$HTTP_PORT/healthz"
            ;;
    esac
}

wait_for_nodes() {
    for port in "${APP_PORTS[@]}"; do wait_for "The app node on port $port" "http_ok http://$HOST:$port/healthz"; done
}

# Stop services (all at once): SIGTERM to each process group, SIGKILL to what is left
# after ten seconds.
stop_services() {
    local name pids=()
    for name in "$@"; do
        [ -f "$DIR/$name.pid" ] || continue
        pids+=("$(cat "$DIR/$name.pid")")
        kill -TERM -- "-${pids[-1]}" 2>/dev/null || true
    done
    for pid in "${pids[@]}"; do
        for _ in $(seq 100); do
            alive "$pid" || break
            sleep 0.1
        done
        kill -KILL -- "-$pid" 2>/dev/null || true
    done
    for name in "$@"; do rm -f "$DIR/$name.pid"; done
}

start() {
    if [ "${STACK_PREPARE:-1}" = 1 ]; then
        # Hashed and compressed static files (production's storage), collected again only
        # when the packages or a static file changed: it takes most of a minute.
        local stamp
        stamp="$( (cat .venv/.req-stamp package-lock.json 2>/dev/null
            find static ./*/static ./*/*/static -type f -printf '%p %T@ %s\n' 2>/dev/null | sort || true
        ) | sha256sum | cut -c1-16)"
        if [ "$(cat "$STATIC_ROOT/.stack-stamp" 2>/dev/null)" != "$stamp" ]; then
            "$PY" manage.py collectstatic --noinput -v 0
            echo "$stamp" >"$STATIC_ROOT/.stack-stamp"
        fi
        # For `make stack`, the default Site on Varnish's address, so purges name the host
        # visitors use.
        if [ "${STACK_SET_SITE:-1}" = 1 ]; then "$PY" manage.py set_site -v 0; fi
    fi
    # Everything but Varnish starts at once (on a small machine Django's start-up is most
    # of the wait); Varnish starts once the nodes answer, so its probes find them healthy.
    for name in "${SERVICES[@]}"; do
        if [ "$name" = varnish ]; then wait_for_nodes; fi
        start_service "$name"
    done
    if [ -n "${STACK_QUIET:-}" ]; then return 0; fi
    cat <<MSG

  The stack (production settings, DEBUG off)
  Site:      $SITE_URL/   (Varnish; X-Varnish and Age show its hits)
  App nodes: $(for p in "${APP_PORTS[@]}"; do printf 'http://%s:%s/  ' "$HOST" "$p"; done)
  Cache:     Redis on $DIR/redis.sock
  Logs:      $DIR/*.log;  status: scripts/stack.sh status;  stop: make stop

MSG
}

status() {
    for name in "${SERVICES[@]}"; do
        if running "$name"; then echo "$name: running (pid $(cat "$DIR/$name.pid"))"; else echo "$name: stopped"; fi
    done
    if running varnish; then "$(varnish_bin varnishadm)" -n "$DIR/varnish" backend.list; fi
}

case "${1:-start}" in
    start) start ;;
    stop) stop_services "${SERVICES[@]}" ;;
    status) status ;;
    restart)
        [ -n "${2:-}" ] || { echo "usage: $0 restart SERVICE (${SERVICES[*]})" >&2; exit 2; }
        stop_services "$2"
        start_service "$2"
        case "$2" in app*) wait_for_nodes ;; esac
        ;;
    *) echo "usage: $0 start|stop|status|restart SERVICE" >&2; exit 2 ;;
esac
