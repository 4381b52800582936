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
    for name in worker bulk-worker scheduler web oidc-provider; do
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

# Without a real ID-porten (IDPORTEN_DISCOVERY_URL in the environment or .env), a local
# OpenID Provider stands in for ID-porten and Ansattporten, so the demo shows both
# "Logg inn med ID-porten" and the staff sign-in. Any login name signs in there.
OIDC_HELP="  Sign-in: ID-porten as IDPORTEN_DISCOVERY_URL says, beside the e-mail link"
if [ -z "${IDPORTEN_DISCOVERY_URL:-}" ] && ! grep -qs '^IDPORTEN_DISCOVERY_URL=.' .env; then
    CLIENTS="[{\"client_id\":\"idporten-lokal\",\"client_secret\":\"idporten-lokal-hemmelig\",
      \"redirect_uris\":[\"$URL/soknad/logg-inn/idporten/svar/\"],
      \"post_logout_redirect_uris\":[\"$URL/soknad/logget-ut/\"]},
     {\"client_id\":\"ansatt-lokal\",\"client_secret\":\"ansatt-lokal-hemmelig\",
      \"redirect_uris\":[\"$URL/admin/logg-inn/oidc/svar/\"]}]"
    node scripts/oidc-provider.mjs --port "${OIDC_PROVIDER_PORT:-0}" --clients "$CLIENTS" \
        >"$RUN/oidc-provider.log" 2>&1 &
    echo $! > "$RUN/oidc-provider.pid"
    ISSUER=""
    for _ in $(seq 50); do
        ISSUER="$(sed -n 's/^oidc-provider listening on //p' "$RUN/oidc-provider.log")"
        [ -n "$ISSUER" ] && break
        sleep 0.2
    done
    if [ -n "$ISSUER" ]; then
        export IDPORTEN_DISCOVERY_URL="$ISSUER/.well-known/openid-configuration"
        export IDPORTEN_CLIENT_ID=idporten-lokal IDPORTEN_CLIENT_SECRET=idporten-lokal-hemmelig
        export STAFF_OIDC_DISCOVERY_URL="$IDPORTEN_DISCOVERY_URL"
        export STAFF_OIDC_CLIENT_ID=ansatt-lokal STAFF_OIDC_CLIENT_SECRET=ansatt-lokal-hemmelig
        export STAFF_OIDC_NAME="${STAFF_OIDC_NAME:-Ansattporten (lokal test)}"
        export STAFF_OIDC_GROUP_MAP="${STAFF_OIDC_GROUP_MAP:-saksbehandlere=Saksbehandler,beslutter=Beslutter,redaktor=Editors}"
        OIDC_HELP="  Sign-in: local OpenID Provider at $ISSUER (any name signs in, no password):
            \"Logg inn med ID-porten\": 12345678901 (any 11 digits) is an applicant
            admin \"Logg inn med Ansattporten\": saksbehandler, beslutter or redaktor"
    else
        OIDC_HELP="  Sign-in: the local OpenID Provider did not start (see .local/run/oidc-provider.log)"
    fi
fi

# Every process below (web, workers, scheduler) writes its metrics to files here and
# /metrics adds them up (prometheus_client's multiprocess mode); old files are removed
# at each start, as the library requires.
export PROMETHEUS_MULTIPROC_DIR="${PROMETHEUS_MULTIPROC_DIR:-$RUN/metrics}"
mkdir -p "$PROMETHEUS_MULTIPROC_DIR"
rm -f "$PROMETHEUS_MULTIPROC_DIR"/*.db

# Task workers: one for everyday work (search indexing, sign-in and receipt mail,
# PDF facts, the content check of applicants' uploads) and one for bulk newsletter
# sending, so a big send never delays a sign-in link.
"$PY" manage.py db_worker --queue-name default,mail,uploads >"$RUN/worker.log" 2>&1 &
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
            All three must give a code after the password: scan the QR code with an authenticator
            app on the first sign-in, or print the code with '.venv/bin/python manage.py demo_otp_code admin'
  Apply:  $URL/kommuner-og-regioner/regional-og-distriktspolitikk/bygdevekstavtaler/demo-utlysing/
            "Start søknad", type any e-mail address, then open the sign-in link in the newest
            file in .local/mail/ (the worker sends it within a few seconds)
$OIDC_HELP
  Mail:   sent mail is written to .local/mail/ (one file per message)
  Logs:   .local/run/worker.log, .local/run/scheduler.log, .local/run/oidc-provider.log
  Stop:   Ctrl+C, or 'make stop' from another terminal (also stops PostgreSQL)

MSG
"$PY" manage.py runserver "$ADDRESS" &
echo $! > "$RUN/web.pid"
wait "$(cat "$RUN/web.pid")"
