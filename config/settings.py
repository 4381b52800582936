"""Settings for the whole site, read from the environment (and `.env` when present).

Every setting a deployment may change is listed in `.env.example` and the README.
With DEBUG off the app refuses to start without SECRET_KEY, ALLOWED_HOSTS and SITE_URL.
"""

from datetime import timedelta
from ipaddress import ip_network
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlsplit

import environ
from django.core.exceptions import ImproperlyConfigured
from django.http.request import validate_host
from django.utils.csp import CSP

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()
if (BASE_DIR / ".env").is_file():
    env.read_env(BASE_DIR / ".env", overwrite=False)

DEBUG = env.bool("DEBUG", default=False)


def check_site_url(url, allowed_hosts):
    """Refuse a SITE_URL that the default Wagtail Site cannot hold or that Django would
    not answer. Wagtail's Site writes https for port 443 and http for every other port."""
    parts = urlsplit(url)
    try:
        port = parts.port
    except ValueError:  # not a number, or out of range
        port = -1
    problem = None
    if parts.scheme not in ("http", "https") or not parts.hostname or port == -1:
        problem = "write it as http:// or https://, a host name and, if needed, a port"
    elif not url.isascii():
        problem = "write an international domain name in its ASCII (xn--) form"
    elif parts.username or parts.password or parts.path or parts.query or parts.fragment:
        problem = "give only the scheme, host name and port, without a path"
    elif (parts.scheme == "https" and port not in (None, 443)) or (parts.scheme == "http" and port == 443):
        problem = "https must use port 443, and http any port but 443"
    elif not validate_host(parts.hostname, allowed_hosts):
        problem = "its host name must be in ALLOWED_HOSTS"
    if problem:
        raise ImproperlyConfigured(f"SITE_URL {url!r} is not usable: {problem}.")


SECRET_KEY = env.str("SECRET_KEY", default="")
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=[])
# The public address of the site (https://www.example.no). The default Wagtail Site gets
# its host and port from it (`manage.py set_site`, run by `make run` and on deploy), so
# canonical links, og:url, the sitemap and the feeds point here; links in admin and
# newsletter mail default to it; `make run` serves on it.
SITE_URL = env.str("SITE_URL", default="http://127.0.0.1:8000" if DEBUG else "").rstrip("/")
if not DEBUG:
    if not SECRET_KEY:
        raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off.")
    if not ALLOWED_HOSTS:
        raise ImproperlyConfigured("ALLOWED_HOSTS must be set when DEBUG is off.")
    if not SITE_URL:
        raise ImproperlyConfigured("SITE_URL must be set when DEBUG is off (the public address, https://…).")
elif not SECRET_KEY:
    SECRET_KEY = "insecure-local-development-key-only-used-with-debug-on"  # noqa: S105
if DEBUG and not ALLOWED_HOSTS:
    ALLOWED_HOSTS = list(dict.fromkeys(["127.0.0.1", "localhost", urlsplit(SITE_URL).hostname or "localhost"]))
check_site_url(SITE_URL, ALLOWED_HOSTS)
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "policy",
    "news",
    "documents",
    "pilots",
    "newsletter",
    "wagtail.contrib.forms",
    "wagtail.contrib.redirects",
    "wagtail.contrib.settings",
    "wagtail.contrib.sitemaps",
    "wagtail.contrib.frontend_cache",
    # English pages are copies of Norwegian ones that an editor translates by hand
    # ("Translate" in the page menu).
    "wagtail.contrib.simple_translation",
    "wagtail.embeds",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    "django_tasks",
    "django_tasks_db",
    # Mail providers' HTTP APIs and tracking webhooks (MAILER_URL=mailgun://…).
    "anymail",
    # Password throttling and staff two-factor authentication (see the Auth section).
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
    "django.contrib.postgres",
    "django.contrib.humanize",
]
# The demo content (`manage.py load_demo`) is a development tool: production never loads it.
DEMO_ENABLED = env.bool("DEMO_ENABLED", default=DEBUG)
if DEMO_ENABLED:
    INSTALLED_APPS.append("demo")

MIDDLEWARE = [
    # Request latency by view for /metrics (policy/request_metrics.py), around everything.
    "policy.request_metrics.RequestMetricsMiddleware",
    # Outermost, so its figures cover every other middleware; only with SERVER_TIMING on.
    "policy.servertiming.ServerTimingMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "policy.middleware.AdminContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Outside everything that queries: a request whose connection was lost is answered again.
    "policy.reconnect.ReconnectMiddleware",
    "policy.pagecache.PageCacheMiddleware",
    # After the page cache: a cached page needs no site, settings or routing.
    "policy.plumbing.PlumbingMiddleware",
    # Before URL resolution: addresses under /en/ are routed in the English page tree.
    "policy.translations.ContentLanguageMiddleware",
    # The application portal speaks the language its language choice keeps in a cookie.
    "pilots.portal.language.PortalLanguageMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # After authentication: which OTP device verified this session, and whether staff
    # who need a second factor have given it before any admin page.
    "django_otp.middleware.OTPMiddleware",
    "policy.two_factor.TwoFactorMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
    # Last, as axes requires: turns a locked-out sign-in into its 429 answer.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.csp",
                "wagtail.contrib.settings.context_processors.settings",
            ],
        },
    },
]

# --- Database ---------------------------------------------------------------
# Without DATABASE_URL the project uses its own local cluster (scripts/pg.sh),
# reached through a Unix socket under .local/pg/run.
LOCAL_PG_SOCKET = BASE_DIR / ".local" / "pg" / "run"
if env.str("DATABASE_URL", default=""):
    DATABASES = {"default": env.db("DATABASE_URL")}
    # libpq-style socket URLs (postgres://user@%2Fpath%2Fto%2Fsocket/db) carry the host encoded.
    DATABASES["default"]["HOST"] = unquote(DATABASES["default"]["HOST"])
else:
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.postgresql",
            "NAME": "kr",
            "USER": "postgres",
            "HOST": str(LOCAL_PG_SOCKET),
        }
    }
DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
DATABASES["default"].setdefault("TEST", {})["NAME"] = env.str("TEST_DATABASE_NAME", default="test_kr")
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Cache ------------------------------------------------------------------
# A shared cache (Redis or the database) so that rate limits hold across processes.
# redis://host:port/db or redis:///path/to/socket selects Django's own Redis backend,
# even if django-redis happens to be installed (django-environ would prefer it).
CACHE_URL = env.str("CACHE_URL", default="") or "dbcache://django_cache"
CACHES = {
    "default": environ.Env.cache_url_config(
        CACHE_URL,
        backend="django.core.cache.backends.redis.RedisCache" if CACHE_URL.startswith("redis") else None,
    )
}
if CACHE_URL.startswith("redis"):
    from redis.backoff import ExponentialBackoff
    from redis.retry import Retry

    # A restarting Redis (a second or so) makes a cache call wait and try again rather
    # than answer the visitor with a 500: six more tries (on connection errors and
    # timeouts) within about two seconds.
    CACHES["default"].setdefault("OPTIONS", {}).update(
        {"retry": Retry(ExponentialBackoff(cap=0.5, base=0.05), 6), "socket_connect_timeout": 1, "socket_timeout": 2}
    )

# --- Background tasks -------------------------------------------------------
# Django's tasks framework with the database backend; run `manage.py db_worker`.
# Wagtail's own search indexing and reference index updates go through this queue too.
TASKS = {
    "default": {
        "BACKEND": env.str("TASKS_BACKEND", default="django_tasks_db.DatabaseBackend"),
        "QUEUES": ["default", "mail", "bulk", "uploads"],
    }
}

# --- Mail -------------------------------------------------------------------


MAILGUN_API_URLS = {"us": "https://api.mailgun.net/v3", "eu": "https://api.eu.mailgun.net/v3"}


def mailer_from_url(url):
    """Turn a MAILER_URL such as smtp://user:pass@host:587?tls=1 into a MAILERS entry.

    mailgun://api:API_KEY@mg.example.no?region=eu sends through Mailgun's HTTP API
    (django-anymail): the key as the password (Mailgun's own API user is "api"), the
    sending domain as the host, the region us (default) or eu, or an explicit api_url."""
    parts = urlsplit(url)
    query = {k: v[0] for k, v in parse_qs(parts.query).items()}
    backends = {
        "smtp": "django.core.mail.backends.smtp.EmailBackend",
        "console": "django.core.mail.backends.console.EmailBackend",
        "filebased": "django.core.mail.backends.filebased.EmailBackend",
        "locmem": "django.core.mail.backends.locmem.EmailBackend",
        "dummy": "django.core.mail.backends.dummy.EmailBackend",
        "mailgun": "anymail.backends.mailgun.EmailBackend",
    }
    if parts.scheme not in backends:
        raise ImproperlyConfigured(f"Unknown MAILER_URL scheme {parts.scheme!r}")
    options = {}
    if parts.scheme == "smtp":
        options = {
            "host": parts.hostname or "localhost",
            "port": parts.port or 25,
            "username": unquote(parts.username or ""),
            "password": unquote(parts.password or ""),
            "use_tls": query.get("tls") == "1",
            "use_ssl": query.get("ssl") == "1",
            "timeout": int(query.get("timeout", 10)),
        }
    elif parts.scheme == "filebased":
        options = {"file_path": parts.path}
    elif parts.scheme == "mailgun":
        options = mailgun_options(parts, query)
    return {"BACKEND": backends[parts.scheme], "OPTIONS": options}


def mailgun_options(parts, query):
    api_key = unquote(parts.password or "")
    if not api_key or not parts.hostname:
        raise ImproperlyConfigured(
            "A mailgun:// MAILER_URL needs the API key and the sending domain: mailgun://api:KEY@mg.example.no"
        )
    api_url = query.get("api_url") or MAILGUN_API_URLS.get(query.get("region", "us"))
    if not api_url or urlsplit(api_url).scheme not in ("http", "https"):
        raise ImproperlyConfigured("A mailgun:// MAILER_URL takes region=us or region=eu, or an http(s) api_url.")
    return {
        "api_key": api_key,
        "sender_domain": parts.hostname,
        "api_url": api_url,
        "requests_timeout": float(query.get("timeout", 10)),
    }


MAILER_URL = env.str("MAILER_URL", default="console://")
MAILERS = {
    # Transactional mail (sign-in links, confirmations, receipts).
    "default": mailer_from_url(MAILER_URL),
    # Bulk mail (newsletter issues), so a large send never delays a sign-in link.
    "bulk": mailer_from_url(env.str("BULK_MAILER_URL", default=MAILER_URL)),
}
DEFAULT_FROM_EMAIL = env.str(
    "DEFAULT_FROM_EMAIL", default="Kommunal- og distriktsdepartementet <postmottak@kdd.dep.no>"
)
SERVER_EMAIL = env.str("SERVER_EMAIL", default=DEFAULT_FROM_EMAIL)
# The mail provider's tracking webhook (/anymail/mailgun/tracking/, newsletter/webhooks.py):
# Mailgun signs each call with this key (HMAC-SHA256 of its timestamp and token); while
# it is empty the address answers 404. ANYMAIL_WEBHOOK_SECRET ("user:password") adds
# HTTP basic auth in front, for the URL given to Mailgun as https://user:password@host/….
ANYMAIL = {"MAILGUN_WEBHOOK_SIGNING_KEY": env.str("MAILGUN_WEBHOOK_SIGNING_KEY", default="")}
if env.str("ANYMAIL_WEBHOOK_SECRET", default=""):
    ANYMAIL["WEBHOOK_SECRET"] = env.str("ANYMAIL_WEBHOOK_SECRET")

# --- Auth -------------------------------------------------------------------
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "wagtailadmin_login"
# Axes first: it refuses every password attempt during a lock-out before the model
# backend checks the password. (It has no get_user, so sessions name the model backend.)
AUTHENTICATION_BACKENDS = [
    "policy.login_throttle.StaffLoginBackend",
    "django.contrib.auth.backends.ModelBackend",
]

# Password throttling (policy/login_throttle.py): wrong passwords per username and per
# IP address within the cool-off lock that username or address out for the cool-off.
AXES_HANDLER = "policy.login_throttle.StaffLoginHandler"
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_FAILURE_LIMIT = env.int("LOGIN_FAILURE_LIMIT", default=30)
STAFF_LOGIN_IP_FAILURE_LIMIT = env.int("LOGIN_IP_FAILURE_LIMIT", default=100)
AXES_COOLOFF_TIME = timedelta(minutes=env.int("LOGIN_COOLOFF_MINUTES", default=20))
# Attempts during a lock-out are refused but do not extend it, so the wait the form
# names is the real one.
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
AXES_LOCKOUT_CALLABLE = "policy.login_throttle.lockout_response"
AXES_CLIENT_IP_CALLABLE = "policy.ratelimit.client_ip"
# Failures and lock-outs are logged with the username and address either way; this
# only adds a start-up line to every manage.py command.
AXES_VERBOSE = False

# Two-factor authentication (policy/two_factor.py): required before any admin page
# for superusers and these groups (pilots/casework/permissions.py names them; the
# base app may not import a feature app), and for anyone who has set up a device.
STAFF_TWO_FACTOR_GROUPS = ["Saksbehandler", "Beslutter"]
OTP_TOTP_ISSUER = "KDD Regional- og distriktspolitikk"
# Seconds before the next code may be tried: 1, 2, 4, 8 ... after each wrong one.
OTP_TOTP_THROTTLE_FACTOR = 1
OTP_STATIC_THROTTLE_FACTOR = 1

# Sessions: a staff session ends after a working day without activity; every request
# saves the session, so the age counts from the last request, not from sign-in.
# Applicants get APPLICANT_SESSION_SECONDS through set_expiry at their sign-in.
SESSION_COOKIE_AGE = env.int("STAFF_SESSION_SECONDS", default=10 * 3600)
SESSION_SAVE_EVERY_REQUEST = True

# --- Language and time ------------------------------------------------------
LANGUAGE_CODE = "nb"
LANGUAGES = [("nb", "Norsk bokmål"), ("nn", "Norsk nynorsk"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Europe/Oslo"
USE_I18N = True
USE_TZ = True

# --- Static and media -------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = env.path("STATIC_ROOT", default=BASE_DIR / ".local" / "static")
STATICFILES_DIRS = [
    BASE_DIR / "static",
    # Designsystemet is installed by npm (package-lock.json), not copied into git.
    ("designsystemet/css", BASE_DIR / "node_modules" / "@digdir" / "designsystemet-css" / "dist" / "src"),
    ("designsystemet/theme", BASE_DIR / "node_modules" / "@digdir" / "designsystemet-theme" / "brand"),
]
MEDIA_URL = "/media/"
MEDIA_ROOT = env.path("MEDIA_ROOT", default=BASE_DIR / ".local" / "media")
# Private files (application attachments) live outside MEDIA_ROOT: never served by URL.
PRIVATE_MEDIA_ROOT = env.path("PRIVATE_MEDIA_ROOT", default=BASE_DIR / ".local" / "private")
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
FILE_UPLOAD_PERMISSIONS = 0o640
# Form fields keep Django's default limit (DATA_UPLOAD_MAX_MEMORY_SIZE, 2.5 MB); files in a
# multipart body are not counted there and are limited by the upload views themselves.

# --- Reference data ---------------------------------------------------------
# Municipality register, counties and SSB centrality as CSV files, committed with their
# sources in pilots/register/data/. Set REFERENCE_DATA_DIR only to load newer files of the same names.
REFERENCE_DATA_DIR = env.path("REFERENCE_DATA_DIR", default=BASE_DIR / "pilots" / "register" / "data")

# --- Security ---------------------------------------------------------------
# A strict policy for the public site: no inline script or style anywhere.
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "font-src": [CSP.SELF],
    "connect-src": [CSP.SELF],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
    "base-uri": [CSP.SELF],
    "object-src": [CSP.NONE],
}
# The Wagtail admin uses inline scripts and styles, so it gets its own looser policy.
ADMIN_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF, CSP.UNSAFE_INLINE, CSP.UNSAFE_EVAL],
    "style-src": [CSP.SELF, CSP.UNSAFE_INLINE],
    "img-src": [CSP.SELF, "data:", "blob:"],
    "font-src": [CSP.SELF, "data:"],
    "connect-src": [CSP.SELF],
    "frame-src": [CSP.SELF],
    "frame-ancestors": [CSP.SELF],
    "form-action": [CSP.SELF],
    "base-uri": [CSP.SELF],
    "object-src": [CSP.NONE],
}
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = True
if not DEBUG:
    SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True

# --- Wagtail ----------------------------------------------------------------
WAGTAIL_SITE_NAME = "Kommuner og regioner — Regional- og distriktspolitikk"
# Links in admin notification mail; the admin may sit on another host than the public site.
WAGTAILADMIN_BASE_URL = env.str("WAGTAILADMIN_BASE_URL", default=SITE_URL)
# Two content languages (policy.translations): the Norwegian tree ("nb"), whose pages
# are bokmål or nynorsk originals (each page's own `language` field), and English ("en"),
# hand-written translations under /en/.
WAGTAIL_I18N_ENABLED = True
WAGTAIL_CONTENT_LANGUAGES = [("nb", "Norsk"), ("en", "English")]
WAGTAILSEARCH_BACKENDS = {
    "default": {
        "BACKEND": "wagtail.search.backends.database",
        # "kommunane" finds "kommune": PostgreSQL's Norwegian stemmer.
        "SEARCH_CONFIG": "norwegian",
    }
}
# Documents are private until a live page holds them: their files are kept out of
# MEDIA_ROOT and streamed by documents.views.serve_document, never redirected to.
WAGTAILDOCS_DOCUMENT_MODEL = "documents.DocumentFile"
WAGTAILDOCS_SERVE_METHOD = "serve_view"
WAGTAILDOCS_EXTENSIONS = ["pdf", "csv", "xlsx", "docx", "odt", "txt"]
WAGTAILIMAGES_EXTENSIONS = ["gif", "jpg", "jpeg", "png", "webp"]
# Every purge (Wagtail's own on publish, and the feature apps' wider ones) reaches
# the page cache, and a CDN or Varnish when FRONTEND_CACHE_PURGE_URL is set.
WAGTAILFRONTENDCACHE = {"pagecache": {"BACKEND": "policy.pagecache.PageCacheBackend"}}
if env.str("FRONTEND_CACHE_PURGE_URL", default=""):
    WAGTAILFRONTENDCACHE["cdn"] = {
        "BACKEND": "wagtail.contrib.frontend_cache.backends.HTTPBackend",
        "LOCATION": env.str("FRONTEND_CACHE_PURGE_URL"),
    }
# Staff get the admin in bokmål (LANGUAGE_CODE: no LocaleMiddleware reads their browser's
# language) until they choose English under «Konto»; Wagtail has no nynorsk admin.
WAGTAILADMIN_PERMITTED_LANGUAGES = [("nb", "Norsk bokmål"), ("en", "English")]
WAGTAIL_ENABLE_UPDATE_CHECK = False
# Addresses people type and read aloud: "pa" rather than "på" in slugs.
WAGTAIL_ALLOW_UNICODE_SLUGS = False
# No third party learns staff e-mail addresses (as hashes) from admin avatars.
WAGTAIL_GRAVATAR_PROVIDER_URL = None
WAGTAILADMIN_USER_LOGIN_FORM = "policy.forms.AdminLoginForm"
# Staff cannot change their e-mail address in /admin/account/: an address is not an
# identity anyone proved, so only an administrator changes it (under Brukere).
WAGTAIL_EMAIL_MANAGEMENT_ENABLED = False
# "Private, for signed-in users" means staff (policy/wagtail_hooks.py), so those pages
# send visitors to the staff sign-in.
WAGTAIL_FRONTEND_LOGIN_URL = "/admin/login/"

# Number of proxies in front of the app whose X-Forwarded-For can be trusted (rate limits).
TRUSTED_PROXY_COUNT = env.int("TRUSTED_PROXY_COUNT", default=0)

# Public pages may be cached by browsers, a CDN and the page cache this long (seconds).
PAGE_CACHE_SECONDS = env.int("PAGE_CACHE_SECONDS", default=300)
# The page cache for anonymous visitors (policy.pagecache); off by default while developing.
PAGE_CACHE_ENABLED = env.bool("PAGE_CACHE_ENABLED", default=not DEBUG)
# Fragments every visitor shares (topic sections, menus, archive years and counts, finder
# facets), cached under the purge generation (policy.fragments), at most this long.
FRAGMENT_CACHE_ENABLED = env.bool("FRAGMENT_CACHE_ENABLED", default=not DEBUG)
FRAGMENT_CACHE_SECONDS = env.int("FRAGMENT_CACHE_SECONDS", default=PAGE_CACHE_SECONDS)

# URLs per sitemap file (policy.sitemap); past it /sitemap.xml becomes an index of sections.
SITEMAP_MAX_URLS = env.int("SITEMAP_MAX_URLS", default=50_000)

# Adds /bench/plain/, the ceiling that `make bench` compares pages against.
BENCHMARK_VIEWS = env.bool("BENCHMARK_VIEWS", default=False)
# Adds a Server-Timing header (queries, Python CPU ms) to every response for `make bench`.
SERVER_TIMING = env.bool("SERVER_TIMING", default=False)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    # Sign-in tokens never reach a log: on the loggers that write request paths (so
    # every handler, also a test's or an error reporter's, gets the redacted line) and
    # on our own handler for anything else that mentions a link.
    "filters": {"redact_sign_in_links": {"()": "config.log_filters.RedactSignInLinks"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "filters": ["redact_sign_in_links"]}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    "loggers": {
        # Wagtail logs every page action at INFO; the audit log in the admin keeps them.
        "wagtail": {"level": "WARNING"},
        "django.request": {"filters": ["redact_sign_in_links"]},
        "django.server": {"filters": ["redact_sign_in_links"]},
    },
}

# --- Newsletter (Regionalnytt) ------------------------------------------------
# Key for the keyed hash (HMAC-SHA256) of addresses on the suppression list. Keep it
# stable and separate from SECRET_KEY: rotating SECRET_KEY must not forget who asked
# never to be mailed again. When empty, a key derived from SECRET_KEY is used and the
# system check newsletter.W001 warns about it.
NEWSLETTER_HASH_KEY = env.str("NEWSLETTER_HASH_KEY", default="")
# Deliveries claimed per batch by a drain task (one SMTP connection per batch).
NEWSLETTER_BATCH_SIZE = env.int("NEWSLETTER_BATCH_SIZE", default=100)
# A machine-handled address for the "mailto:" in List-Unsubscribe (its mail piped to
# `manage.py newsletter_unsubscribe_mail`), never a person's inbox. Empty: only the
# https one-click link (RFC 8058), which is all the large mail providers use.
NEWSLETTER_UNSUBSCRIBE_MAILTO = env.str("NEWSLETTER_UNSUBSCRIBE_MAILTO", default="")
# Absolute base for links in newsletter mail (confirm, unsubscribe, the issue itself).
NEWSLETTER_BASE_URL = env.str("NEWSLETTER_BASE_URL", default=SITE_URL).rstrip("/")

# --- Pilot applications: case handling (issue 6) -----------------------------
# Applications and attachments of rounds that closed more than this many years ago
# are anonymised by `manage.py pilots_retention` (which takes --years to override).
PILOTS_RETENTION_YEARS = env.int("PILOTS_RETENTION_YEARS", default=5)
# Who may act for a municipality (pilots/applications/authority.py): the sources tried
# in order, and Altinn's authorized-parties endpoint (that source is off while the URL is empty).
PILOTS_AUTHORITY_SOURCES = env.list(
    "PILOTS_AUTHORITY_SOURCES",
    default=["pilots.applications.authority.AltinnRoles", "pilots.applications.authority.RegisteredEmailDomain"],
)
ALTINN_AUTHORIZATION_URL = env.str("ALTINN_AUTHORIZATION_URL", default="")
ALTINN_TOKEN = env.str("ALTINN_TOKEN", default="")
ALTINN_SUBSCRIPTION_KEY = env.str("ALTINN_SUBSCRIPTION_KEY", default="")
ALTINN_TIMEOUT = env.float("ALTINN_TIMEOUT", default=5.0)

# --- Pilot applications: applicant sign-in ------------------------------------
# An applicant's session ends after this many seconds without activity; shorter than
# a staff session, since applicants sign in from shared municipal machines.
APPLICANT_SESSION_SECONDS = env.int("APPLICANT_SESSION_SECONDS", default=2 * 3600)

# --- Pilot applications: invitations to write in an application ---------------
# An invitation link must be accepted within this many days; the lead can send it again.
PILOTS_INVITATION_DAYS = env.int("PILOTS_INVITATION_DAYS", default=7)

# --- Pilot applications: attachments (pilots/portal/uploads.py) ----------------
# Uploads per applicant and per IP address in ten minutes, and how many content
# checks run at once across all task workers.
PILOTS_UPLOADS_PER_USER = env.int("PILOTS_UPLOADS_PER_USER", default=20)
PILOTS_UPLOADS_PER_IP = env.int("PILOTS_UPLOADS_PER_IP", default=100)
PILOTS_PDF_CHECKS_AT_ONCE = env.int("PILOTS_PDF_CHECKS_AT_ONCE", default=2)

# --- OpenID Connect sign-in (policy/oidc.py) ----------------------------------
# Applicants: ID-porten, offered beside the e-mail link when the discovery URL and the
# client id are set (https://idporten.no/.well-known/openid-configuration in production).
IDPORTEN_DISCOVERY_URL = env.str("IDPORTEN_DISCOVERY_URL", default="")
IDPORTEN_CLIENT_ID = env.str("IDPORTEN_CLIENT_ID", default="")
IDPORTEN_CLIENT_SECRET = env.str("IDPORTEN_CLIENT_SECRET", default="")
IDPORTEN_SCOPES = env.str("IDPORTEN_SCOPES", default="openid profile")
# The level asked for; a sign-in at a lower level is refused.
IDPORTEN_ACR_VALUES = env.str("IDPORTEN_ACR_VALUES", default="idporten-loa-substantial")
# Staff: Ansattporten or any OIDC provider, offered on the admin sign-in page when set.
STAFF_OIDC_NAME = env.str("STAFF_OIDC_NAME", default="Ansattporten")
STAFF_OIDC_DISCOVERY_URL = env.str("STAFF_OIDC_DISCOVERY_URL", default="")
STAFF_OIDC_CLIENT_ID = env.str("STAFF_OIDC_CLIENT_ID", default="")
STAFF_OIDC_CLIENT_SECRET = env.str("STAFF_OIDC_CLIENT_SECRET", default="")
STAFF_OIDC_SCOPES = env.str("STAFF_OIDC_SCOPES", default="openid profile")
STAFF_OIDC_ACR_VALUES = env.str("STAFF_OIDC_ACR_VALUES", default="")
# The claim listing a person's groups at the provider, and which Wagtail group each
# gives ("saksbehandlere=Saksbehandler,beslutter=Beslutter,redaktor=Editors"). Someone
# whose groups map to none is refused.
STAFF_OIDC_GROUPS_CLAIM = env.str("STAFF_OIDC_GROUPS_CLAIM", default="groups")
STAFF_OIDC_GROUP_MAP = env.dict("STAFF_OIDC_GROUP_MAP", default={})
# Clock difference tolerated when checking an ID token's times, and the time allowed
# for each call to a provider.
OIDC_CLOCK_SKEW_SECONDS = env.int("OIDC_CLOCK_SKEW_SECONDS", default=30)
OIDC_TIMEOUT_SECONDS = env.int("OIDC_TIMEOUT_SECONDS", default=10)

# --- Metrics for operators (policy/metrics.py, /metrics) ----------------------
# Prometheus reads /metrics with `Authorization: Bearer <METRICS_TOKEN>` or from an
# address in METRICS_ALLOWED_IPS (addresses or networks, e.g. "10.0.0.0/8", read like the
# rate limits' client address, so TRUSTED_PROXY_COUNT applies); everyone else gets a 404.
# Both empty: nobody. prometheus_client reads PROMETHEUS_MULTIPROC_DIR from the
# environment itself (scripts/serve.sh sets it) to add up the figures of every process.
METRICS_TOKEN = env.str("METRICS_TOKEN", default="")
if METRICS_TOKEN and len(METRICS_TOKEN) < 32:
    raise ImproperlyConfigured("METRICS_TOKEN must be at least 32 characters (a random value, not a word).")
METRICS_ALLOWED_IPS = env.list("METRICS_ALLOWED_IPS", default=[])
for _entry in METRICS_ALLOWED_IPS:
    try:
        ip_network(_entry, strict=False)
    except ValueError as _error:
        raise ImproperlyConfigured(f"METRICS_ALLOWED_IPS: {_entry!r} is not an address or network.") from _error
