#!/usr/bin/env bash
# Serve the site on SITE_URL (http://127.0.0.1:8000 unless .env says otherwise) with the
# task worker and the scheduler beside it. `scripts/serve.sh stop` stops them. Used by
# `make run` / `make stop`.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
cd "$ROOT"
RUN="$ROOT/.local/run"
mkdir -p "$RUN"
PY="$ROOT/.venv/bin/python"

stop_all() {
    for name in worker bulk-worker scheduler web; do
        if [ -f "$RUN/$name.pid" ]; then
            kill "$(cat "$RUN/$name.pid")" 2>/dev/null || true
            rm -f "$RUN/$name.pid"
        fi
    done
}

if [ "${1:-}" = "stop" ]; then
    stop_all
    exit 0
fi

stop_all
# The default Site gets SITE_URL's host and port (the demo content may have reset it), so
# canonical links, the sitemap and the feeds point here; the server listens on the same.
ADDRESS="$("$PY" manage.py set_site --print-address)"
URL="http://$ADDRESS"
trap 'stop_all' EXIT INT TERM

# Task workers: one for everyday work (search indexing, sign-in and receipt mail,
# PDF facts) and one for bulk newsletter sending, so a big send never delays a sign-in link.
"$PY" manage.py db_worker --queue-name default,mail >"$RUN/worker.log" 2>&1 &
echo $! > "$RUN/worker.pid"
"$PY" manage.py db_worker --queue-name bulk >"$RUN/bulk-worker.log" 2>&1 &
echo $! > "$RUN/bulk-worker.pid"
# The scheduler: Wagtail's scheduled publishing and other periodic jobs, every minute.
"$PY" manage.py run_scheduler >"$RUN/scheduler.log" 2>&1 &
echo $! > "$RUN/scheduler.pid"

cat <<MSG

  Kommuner og regioner — Regional- og distriktspolitikk
  Site:   $URL/
  Admin:  $URL/admin/   (local demo accounts only)
            admin / demo-admin-lokal                 editor with all rights
            saksbehandler / demo-saksbehandler       case handler: assess, change status
            beslutter / demo-beslutter               decision maker: portfolio, select pilots, release
  Apply:  $URL/kommuner-og-regioner/regional-og-distriktspolitikk/bygdevekstavtaler/demo-utlysing/
            "Start søknad", type any e-mail address, then open the sign-in link in the newest
            file in .local/mail/ (the worker sends it within a few seconds)
  Mail:   sent mail is written to .local/mail/ (one file per message)
  Logs:   .local/run/worker.log, .local/run/scheduler.log
  Stop:   Ctrl+C, or 'make stop' from another terminal (also stops PostgreSQL)

MSG
"$PY" manage.py runserver "$ADDRESS" &
echo $! > "$RUN/web.pid"
wait "$(cat "$RUN/web.pid")"
