#!/usr/bin/env bash
# One idempotent set-up for `make run` and `make test` on a fresh Debian/Ubuntu machine:
# Python venv, pinned packages, npm packages, system packages, a project-local
# PostgreSQL cluster (when DATABASE_URL is unset), migrations and reference data.
# Each step is skipped when its inputs have not changed, so re-running is quick.
set -euo pipefail

ROOT="$(cd "$(dirname "$0")/.." && pwd)"
cd "$ROOT"
LOCAL="$ROOT/.local"
mkdir -p "$LOCAL"

say() { printf '\033[1m==> %s\033[0m\n' "$*"; }

# --- Python >= 3.12 -------------------------------------------------------
find_python() {
    local candidates=()
    local pyenv_root="${PYENV_ROOT:-$HOME/.pyenv}"
    for v in 3.14 3.13 3.12; do
        command -v "python$v" >/dev/null 2>&1 && candidates+=("$(command -v "python$v")")
        for p in "$pyenv_root"/versions/"$v"*/bin/"python$v"; do
            [ -x "$p" ] && candidates+=("$p")
        done
        [ -x "/usr/bin/python$v" ] && candidates+=("/usr/bin/python$v")
    done
    command -v python3 >/dev/null 2>&1 && candidates+=("$(command -v python3)")
    for c in "${candidates[@]}"; do
        # pyenv shims exist for versions that are not active; running them proves they work.
        if "$c" -c 'import sys, venv; sys.exit(sys.version_info < (3, 12))' >/dev/null 2>&1; then
            echo "$c"
            return 0
        fi
    done
    return 1
}

if [ ! -x .venv/bin/python ] || ! .venv/bin/python -c 'import sys; sys.exit(sys.version_info < (3, 12))'; then
    PY="$(find_python)" || {
        echo "Python 3.12 or newer is needed (Django 6.1 refuses older ones) and none was found." >&2
        echo "Install it, for example: apt-get install python3.12 python3.12-venv, or pyenv install 3.13" >&2
        exit 1
    }
    say "Creating .venv with $PY"
    rm -rf .venv
    "$PY" -m venv .venv
fi

req_stamp="$(cat requirements.txt requirements-dev.txt | sha256sum | cut -c1-16)"
if [ "$(cat .venv/.req-stamp 2>/dev/null)" != "$req_stamp" ]; then
    say "Installing Python packages"
    .venv/bin/python -m pip install --quiet --upgrade pip
    .venv/bin/python -m pip install --quiet -r requirements.txt -r requirements-dev.txt
    echo "$req_stamp" > .venv/.req-stamp
fi

# --- System packages -----------------------------------------------------
pg_bin() { ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1; }
missing=()
if [ -z "${DATABASE_URL:-}" ] && [ -z "$(pg_bin)" ]; then missing+=(postgresql postgresql-contrib); fi
if ! command -v chromium >/dev/null 2>&1; then missing+=(chromium); fi
if ! command -v npm >/dev/null 2>&1; then missing+=(nodejs npm); fi
# The page cache on Redis: its tests and `make bench` start a private redis-server.
if ! command -v redis-server >/dev/null 2>&1; then missing+=(redis-server); fi
# Varnish: `make stack` puts it in front of the app nodes; tests/stack/ starts one.
if ! command -v varnishd >/dev/null 2>&1 && [ ! -x /usr/sbin/varnishd ]; then missing+=(varnish); fi
# gettext: makemessages/compilemessages for the message catalogues in locale/ (the
# compiled .mo files are committed; tests/test_translations.py checks them with msgfmt).
if ! command -v msgfmt >/dev/null 2>&1 || ! command -v xgettext >/dev/null 2>&1; then missing+=(gettext); fi
# Java runs the Nu HTML Checker (npm's vnu-jar) in tests/test_html_validity.py; with it
# installed first, vnu-jar's own install step finds it and downloads no Java of its own.
if ! command -v java >/dev/null 2>&1; then missing+=(default-jre-headless); fi
# WeasyPrint (decision letters and applications as PDF) needs Pango, HarfBuzz and a font.
if command -v dpkg >/dev/null 2>&1; then
    for pkg in libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-dejavu-core; do
        dpkg -s "$pkg" >/dev/null 2>&1 || missing+=("$pkg")
    done
fi
if [ ${#missing[@]} -gt 0 ]; then
    if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
        say "Installing system packages: ${missing[*]}"
        apt-get update -qq
        DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
    else
        echo "Missing system packages: ${missing[*]}" >&2
        echo "Install them with: sudo apt-get update && sudo apt-get install -y ${missing[*]}" >&2
        exit 1
    fi
fi

# The local OpenID Provider (oidc-provider 8) needs Node 18 or newer.
node_major="$(node -p 'process.versions.node.split(".")[0]')"
if [ "$node_major" -lt 18 ]; then
    echo "Node $node_major is too old: the local OpenID Provider needs Node 18 or newer." >&2
    exit 1
fi

# --- npm packages (Designsystemet, axe-core, oidc-provider, vnu-jar) ---------------------
npm_stamp="$(sha256sum package-lock.json | cut -c1-16)"
if [ "$(cat node_modules/.lock-stamp 2>/dev/null)" != "$npm_stamp" ]; then
    say "Installing npm packages"
    npm ci --silent --no-audit --no-fund
    echo "$npm_stamp" > node_modules/.lock-stamp
fi

# --- .env with local development defaults --------------------------------
if [ ! -f .env ]; then
    say "Writing .env with local development defaults (see .env.example)"
    secret="$(.venv/bin/python -c 'import secrets; print(secrets.token_urlsafe(50))')"
    cat > .env <<EOF
DEBUG=true
SECRET_KEY=$secret
ALLOWED_HOSTS=127.0.0.1,localhost
SITE_URL=http://127.0.0.1:8000
MAILER_URL=filebased://$LOCAL/mail
EOF
fi

# --- Local PostgreSQL cluster --------------------------------------------
if [ -z "${DATABASE_URL:-}" ]; then
    "$ROOT/scripts/pg.sh" start
fi

say "Migrating the database"
.venv/bin/python manage.py migrate --noinput -v 0
.venv/bin/python manage.py load_reference_data
.venv/bin/python manage.py createcachetable
# The default Site's host and port from SITE_URL (absolute links in pages, sitemap, feeds).
.venv/bin/python manage.py set_site -v 0
.venv/bin/python manage.py collectstatic --noinput -v 0
