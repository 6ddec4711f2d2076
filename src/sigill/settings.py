"""Sigill's one settings module: everything that differs between machines comes from the environment.

The embedded default (no environment at all, DEBUG on) runs the demo on SQLite under ``var/``.
Production sets ``DEBUG=false``, ``SECRET_KEY`` (or ``SECRET_KEY_FILE``), ``DATABASE_URL`` and
``ALLOWED_HOSTS``; a missing secret then stops start-up with a message that names it.
"""

import json
from pathlib import Path

import environ
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent.parent
env = environ.Env()

# Basics: DEBUG is the development switch, never on in production; SIGILL_VAR_DIR is where the
# embedded default keeps its SQLite database, media and collected static files. DEBUG gives
# development defaults (secrets, host names, plain HTTP, static files from the apps); Django's own
# DEBUG, whose technical pages answer every error in English with tracebacks, is on only when a
# developer asks for it with SIGILL_TECHNICAL_ERROR_PAGES, so the demo shows Sigill's own 404, 403
# and 500 pages, as production does.
VAR_DIR = Path(env.str("SIGILL_VAR_DIR", default=str(BASE_DIR / "var")))
DEVELOPMENT = env.bool("DEBUG", default=False)
DEBUG = DEVELOPMENT and env.bool("SIGILL_TECHNICAL_ERROR_PAGES", default=False)


def secret(name: str, *, dev_default: str | None = None) -> str:
    """Read a secret from ``NAME`` or from the file named by ``NAME_FILE``.

    With DEBUG off there is no default: a deployment that forgot a secret must not start with a
    guessable one.
    """
    if value := env.str(name, default=""):
        return value
    if path := env.str(f"{name}_FILE", default=""):
        try:
            return Path(path).read_text(encoding="utf-8").strip()
        except OSError as exc:
            raise ImproperlyConfigured(
                f"{name}_FILE points to {path!r}, which cannot be read: {exc}"
            ) from exc
    if DEVELOPMENT and dev_default is not None:
        return dev_default
    raise ImproperlyConfigured(
        f"{name} is not set. Set {name} or {name}_FILE in the environment (DEBUG is off, so there is no default)."
    )


# The web server of `make run` (the Procfile's gunicorn): the address it binds to and its port.
# 0.0.0.0 (or [::] for IPv6) answers on every network interface; keep 127.0.0.1 behind a proxy.
HOST = env.str("HOST", default="127.0.0.1")
PORT = env.int("PORT", default=8000)

# The site: Django's signing key, the host names Sigill answers to, and the names it shows.
SECRET_KEY = secret(
    "SECRET_KEY", dev_default="sigill-development-only-key-never-use-in-production-0123456789"
)
_EVERY_INTERFACE = ("0.0.0.0", "::", "[::]")  # noqa: S104 (bind addresses compared, not bound)
DEMO_HOSTS = ["*"] if HOST in _EVERY_INTERFACE else ["127.0.0.1", "localhost", "[::1]", HOST]
# DEMO_HOSTS: with DEBUG on (the demo) the loopback names and HOST, or any name when HOST is every
# interface, so that `make run HOST=0.0.0.0` answers at the address it is reached by. In production none.
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=DEMO_HOSTS if DEVELOPMENT else [])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])
SITE_NAME = env.str("SIGILL_SITE_NAME", default="Sigill")
MUNICIPALITY_NAME = env.str("SIGILL_MUNICIPALITY_NAME", default="Vara kommun")

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "mozilla_django_oidc",
    "django_tasks",
    "django_tasks_db",
    "sigill.core",
    "sigill.organisation",
    "sigill.registry",
    "sigill.applications",
    "sigill.vault",
    "sigill.guidelines",
    "sigill.compliance",
    "sigill.archive",
    "sigill.inquiries",
    "sigill.moderation",
    "sigill.alerts",
    "sigill.connectors",
    "sigill.oauth",
    "sigill.publishing",
    "sigill.records",
    "sigill.reports",
    "sigill.api",
    "sigill.demo",  # above every app: seed_demo and demo_totp
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "sigill.registry.middleware.PublicListNotModifiedMiddleware",
    "csp.middleware.CSPMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "sigill.core.middleware.SessionExpiryNoticeMiddleware",
    "sigill.core.middleware.RequireTwoFactorMiddleware",
    "sigill.core.middleware.NoStoreMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "sigill.urls"
WSGI_APPLICATION = "sigill.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "sigill.core.context_processors.sigill",
            ],
        },
    },
]

# Databases. SQLite is the embedded default; PostgreSQL via DATABASE_URL in production.
DATABASES = {"default": env.db("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'sigill.sqlite3'}")}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    if not env.str("DATABASE_URL", default=""):
        VAR_DIR.mkdir(parents=True, exist_ok=True)  # the embedded default: a fresh checkout just runs
    DATABASES["default"]["OPTIONS"] = {
        # IMMEDIATE takes the write lock when a transaction starts, so two writers wait for each
        # other (busy_timeout) instead of failing half-way with "database is locked".
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": (
            "PRAGMA journal_mode=WAL;"
            "PRAGMA synchronous=NORMAL;"
            "PRAGMA busy_timeout=20000;"
            "PRAGMA foreign_keys=ON;"
        ),
    }
# Keep connections open between requests: opening one (and, on SQLite, running the pragmas above)
# costs more than a typical request's queries.
DATABASES["default"].setdefault("CONN_MAX_AGE", env.int("CONN_MAX_AGE", default=60))
DATABASES["default"].setdefault("CONN_HEALTH_CHECKS", True)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "organisation.User"
AUTHENTICATION_BACKENDS = ["django.contrib.auth.backends.ModelBackend"]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "core:login"
LOGIN_REDIRECT_URL = "core:home"
LOGOUT_REDIRECT_URL = "core:login"

# Sessions: a working day at most; a session that has expired is met with a notice, not a bare log-in page.
SESSION_COOKIE_AGE = env.int("SESSION_COOKIE_AGE", default=8 * 60 * 60)
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"

# Slowing down guessing (core/sign_in_guard.py): failed passwords and two-factor codes are counted by
# username (whatever its capitals and spaces), by network address, and across all of Sigill, within
# this many minutes. At a limit, the sign-ins counted there wait the first wait, twice as long after
# each further failure, up to the longest wait; comms see the waits and can lift them. A browser that
# has signed in as the person within the known-browser days is counted only by its own failures, so
# a guesser elsewhere cannot keep the person out.
SIGN_IN_WINDOW_MINUTES = env.int("SIGN_IN_WINDOW_MINUTES", default=60)
SIGN_IN_FAILURES_PER_USERNAME = env.int("SIGN_IN_FAILURES_PER_USERNAME", default=5)
SIGN_IN_FAILURES_PER_ADDRESS = env.int("SIGN_IN_FAILURES_PER_ADDRESS", default=20)
SIGN_IN_FAILURES_EVERYONE = env.int("SIGN_IN_FAILURES_EVERYONE", default=200)
SIGN_IN_FIRST_WAIT_SECONDS = env.int("SIGN_IN_FIRST_WAIT_SECONDS", default=60)
SIGN_IN_LONGEST_WAIT_SECONDS = env.int("SIGN_IN_LONGEST_WAIT_SECONDS", default=30 * 60)
SIGN_IN_EVERYONE_LONGEST_WAIT_SECONDS = env.int("SIGN_IN_EVERYONE_LONGEST_WAIT_SECONDS", default=2 * 60)
SIGN_IN_KNOWN_BROWSER_DAYS = env.int("SIGN_IN_KNOWN_BROWSER_DAYS", default=90)

# Behind a reverse proxy: the addresses (or networks, as 10.0.0.0/8) of the proxies whose
# X-Forwarded-For header is believed (core/client_address.py). Empty: the header is ignored and the
# connecting address is the client's. Every limit and every audit entry uses the address so found.
TRUSTED_PROXIES = env.list("TRUSTED_PROXIES", default=[])

# Two-factor authentication (django-otp).
OTP_TOTP_ISSUER = SITE_NAME
TWO_FACTOR_ROLES = ("comms", "registrar")

# Optional single sign-on with OpenID Connect; on when a client id is set.
OIDC_RP_CLIENT_ID = env.str("OIDC_RP_CLIENT_ID", default="")
OIDC_ENABLED = bool(OIDC_RP_CLIENT_ID)
if OIDC_ENABLED:
    AUTHENTICATION_BACKENDS.append("sigill.organisation.oidc.SigillOIDCBackend")
    OIDC_RP_CLIENT_SECRET = secret("OIDC_RP_CLIENT_SECRET")
    OIDC_RP_SIGN_ALGO = env.str("OIDC_RP_SIGN_ALGO", default="RS256")
    OIDC_OP_AUTHORIZATION_ENDPOINT = env.str("OIDC_OP_AUTHORIZATION_ENDPOINT")
    OIDC_OP_TOKEN_ENDPOINT = env.str("OIDC_OP_TOKEN_ENDPOINT")
    OIDC_OP_USER_ENDPOINT = env.str("OIDC_OP_USER_ENDPOINT")
    # mozilla-django-oidc needs the key set for RS256/ES256 tokens and tests for None, not "".
    OIDC_OP_JWKS_ENDPOINT = env.str("OIDC_OP_JWKS_ENDPOINT", default="") or None
    if OIDC_RP_SIGN_ALGO[:2] in {"RS", "ES"} and OIDC_OP_JWKS_ENDPOINT is None:
        raise ImproperlyConfigured(
            f"OIDC_OP_JWKS_ENDPOINT is required with OIDC_RP_SIGN_ALGO={OIDC_RP_SIGN_ALGO}."
        )
    OIDC_RP_SCOPES = env.str("OIDC_RP_SCOPES", default="openid email profile")
    LOGIN_REDIRECT_URL_FAILURE = "/login/"
OIDC_GROUPS_CLAIM = env.str("OIDC_GROUPS_CLAIM", default="groups")
# JSON: {"<group id>": [{"unit": "<unit slug>", "role": "<role>"}, ...], ...}; see docs/sso.md.
OIDC_GROUP_MAP = json.loads(env.str("OIDC_GROUP_MAP", default="{}"))
# The identity provider's own multi-factor check satisfies Sigill's two-factor requirement.
OIDC_IDP_ENFORCES_MFA = env.bool("OIDC_IDP_ENFORCES_MFA", default=False)

# Internationalisation: Swedish first, English available.
LANGUAGE_CODE = "sv"
LANGUAGES = [("sv", _("Swedish")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "src" / "sigill" / "locale"]
TIME_ZONE = "Europe/Stockholm"
USE_I18N = True
USE_TZ = True

# Files: uploads and captured attachments go to MEDIA_ROOT (Django's default storage, which
# `manage.py backup` copies); collected static files to STATIC_ROOT under SIGILL_VAR_DIR.
STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(env.str("MEDIA_ROOT", default=str(VAR_DIR / "media")))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if not DEVELOPMENT
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}

# In the demo and the tests, static files come straight from the apps; production serves the
# collected, compressed and hashed copies in STATIC_ROOT.
WHITENOISE_USE_FINDERS = DEVELOPMENT
WHITENOISE_AUTOREFRESH = DEVELOPMENT

# Background tasks: the Django Tasks API on the database-backed worker (one machine), or RQ.
TASKS = {"default": {"BACKEND": env.str("TASKS_BACKEND", default="django_tasks_db.DatabaseBackend")}}
# With TASKS_BACKEND=django_tasks_rq.RQBackend, tasks go to Redis at REDIS_URL (a secret, as it
# may hold a password), and `manage.py rqworker --job-class django_tasks_rq.Job default` runs
# them on any number of machines (docs/operations.md).
if TASKS["default"]["BACKEND"] == "django_tasks_rq.RQBackend":
    INSTALLED_APPS += ["django_rq", "django_tasks_rq"]
    RQ_QUEUES = {"default": {"URL": secret("REDIS_URL")}}
WORKER_HEARTBEAT_MAX_AGE = env.int("WORKER_HEARTBEAT_MAX_AGE", default=180)
SCHEDULER_HEARTBEAT_INTERVAL = env.int("SCHEDULER_HEARTBEAT_INTERVAL", default=30)

# Anchors: the heads of the audit log's and the archive's hash chains, appended every minute in
# which they moved to this append-only file, so that cutting links off a chain's end is found
# (verify_audit and verify_archive read it). Ship it off the machine (docs/operations.md §6).
ANCHOR_FILE = Path(env.str("SIGILL_ANCHOR_FILE", default=str(VAR_DIR / "anchors" / "heads.jsonl")))
# Optionally each anchored head is time-stamped (RFC 3161) by the time-stamping authority at this
# URL, the request and token kept with the head; TSA_CERTIFICATE is the path of the authority's
# signing certificate (PEM), which tokens must be signed with (without it, the certificate in the
# token is used). An authority that fails leaves the head anchored without a stamp.
TSA_URL = env.str("SIGILL_TSA_URL", default="")
TSA_CERTIFICATE = env.str("SIGILL_TSA_CERTIFICATE", default="")

# E-mail. The console backend prints mail in the demo; production sets EMAIL_URL.
_email = env.email_url("EMAIL_URL", default="consolemail://")
EMAIL_BACKEND = _email["EMAIL_BACKEND"]
EMAIL_HOST = _email.get("EMAIL_HOST", "")
EMAIL_PORT = _email.get("EMAIL_PORT") or 25
EMAIL_HOST_USER = _email.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = _email.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = _email.get("EMAIL_USE_TLS", False)
EMAIL_USE_SSL = _email.get("EMAIL_USE_SSL", False)
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="sigill@vara-kommun.example")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# Security. Production runs behind TLS; the demo on http://127.0.0.1 does not.
HTTPS = env.bool("HTTPS", default=not DEVELOPMENT)
SECURE_SSL_REDIRECT = HTTPS
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
SECURE_PROXY_SSL_HEADER = (
    ("HTTP_X_FORWARDED_PROTO", "https") if env.bool("BEHIND_PROXY", default=False) else None
)
SESSION_COOKIE_SECURE = HTTPS
CSRF_COOKIE_SECURE = HTTPS
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=31_536_000 if HTTPS else 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = HTTPS
SECURE_HSTS_PRELOAD = HTTPS
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
        "base-uri": [SELF],
        "object-src": [NONE],
    },
}

# Logging: to standard error, which systemd's journal keeps.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    # httpx2 logs every request's address at INFO: the platforms' addresses are not worth a line each.
    # WeasyPrint reports every rendering step at INFO; only its warnings belong in the log.
    "loggers": {
        "httpx2": {"level": "WARNING"},
        "weasyprint": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
    },
}

# Links in e-mail and one-time sign-in links: where people reach Sigill (by default the demo's
# address on this machine, at PORT).
SIGILL_BASE_URL = env.str("SIGILL_BASE_URL", default=f"http://127.0.0.1:{PORT}")
# An application waiting longer than this many working days reminds the person it waits for.
APPLICATION_REMINDER_WORKING_DAYS = env.int("APPLICATION_REMINDER_WORKING_DAYS", default=3)

# The accessibility statement (/public/accessibility/): where to report problems, when reviewed.
ACCESSIBILITY_CONTACT_EMAIL = env.str(
    "ACCESSIBILITY_CONTACT_EMAIL", default="kommunikation@vara-kommun.example"
)
ACCESSIBILITY_STATEMENT_DATE = env.str("ACCESSIBILITY_STATEMENT_DATE", default="2026-11-25")

# The demo password of seed_demo (README); never used outside the demo.
DEMO_PASSWORD = env.str("SIGILL_DEMO_PASSWORD", default="sigill-demo-2026")

# The credential vault (docs/vault.md). SIGILL_VAULT_KEYS is the master key ring,
# "id:base64-of-32-bytes,..." with the current key first. With DEBUG off there is no default;
# a missing or invalid ring is reported by the vault's system check (sigill.vault.E001), so the
# rest of Sigill still explains itself. The demo key below is public: never use it for real.
VAULT_DEMO_KEYS = "demo2026:c2lnaWxsLWRlbW8tdmF1bHQta2V5LW5vdC1zZWNyZXQ="
try:
    VAULT_KEYS = secret("SIGILL_VAULT_KEYS", dev_default=VAULT_DEMO_KEYS)
except ImproperlyConfigured as exc:
    VAULT_KEYS, VAULT_KEYS_PROBLEM = "", str(exc)
else:
    VAULT_KEYS_PROBLEM = ""
# Where master keys come from; a KMS-backed provider can replace the key ring from the environment.
VAULT_KEY_PROVIDER = env.str("SIGILL_VAULT_KEY_PROVIDER", default="sigill.vault.keys.EnvironmentKeyRing")
# A reveal needs a two-factor check at most this many seconds old; a revealed secret hides after
# VAULT_REVEAL_SECONDS.
VAULT_RECHECK_SECONDS = env.int("SIGILL_VAULT_RECHECK_SECONDS", default=5 * 60)
VAULT_REVEAL_SECONDS = 60
# A credential is due for rotation this many days after its last change, unless it says otherwise.
VAULT_ROTATION_DAYS = env.int("SIGILL_VAULT_ROTATION_DAYS", default=365)

# Inquiries (G10, G13): the contact center answers a question within this many hours; the records
# system's address receives each registered inquiry; the maildir holds mail to the contact center.
INQUIRY_RESPONSE_HOURS = env.int("INQUIRY_RESPONSE_HOURS", default=48)
INQUIRY_RECORDS_EMAIL = env.str("INQUIRY_RECORDS_EMAIL", default="registrator@vara-kommun.example")
INQUIRY_MAILDIR = env.str("INQUIRY_MAILDIR", default="")

# Moderation (G6): an account without its own time target has its received comments decided
# within this many hours, weekends not counted.
MODERATION_DEFAULT_HOURS = env.int("MODERATION_DEFAULT_HOURS", default=24)
# Alerts: a critical finding or a missed time target is told at once by e-mail and in a Microsoft
# Teams or Slack channel through its incoming webhook. The webhook's address is a secret (anyone who
# has it can post in the channel): it is never logged or audited. Empty: no channel, e-mail only.
ALERTS_WEBHOOK_URL = env.str("ALERTS_WEBHOOK_URL", default="") or (
    secret("ALERTS_WEBHOOK_URL") if env.str("ALERTS_WEBHOOK_URL_FILE", default="") else ""
)
# "slack" posts Slack's {"text": ...}; "teams" posts a MessageCard to a Teams incoming webhook.
ALERTS_WEBHOOK_KIND = env.str("ALERTS_WEBHOOK_KIND", default="slack")
if ALERTS_WEBHOOK_KIND not in {"slack", "teams"}:
    raise ImproperlyConfigured(f"ALERTS_WEBHOOK_KIND must be slack or teams, not {ALERTS_WEBHOOK_KIND!r}.")
# Office hours on working days, Swedish time (hours, end excluded). Outside them, and on weekends and
# Swedish public holidays, alerts go to the person on call (the rota) and the channel only.
ALERTS_OFFICE_HOURS_START = env.int("ALERTS_OFFICE_HOURS_START", default=8)
ALERTS_OFFICE_HOURS_END = env.int("ALERTS_OFFICE_HOURS_END", default=17)
# The findings that alert at once (screening's finding types).
ALERTS_CRITICAL_FINDINGS = env.list(
    "ALERTS_CRITICAL_FINDINGS",
    default=["threat", "hate", "pii.personnummer", "pii.samordningsnummer", "secret"],
)
# A flood: once an account has had this many alerts within this many minutes, further alerts are
# gathered into one digest, sent when the window has passed.
ALERTS_FLOOD_COUNT = env.int("ALERTS_FLOOD_COUNT", default=5)
ALERTS_FLOOD_MINUTES = env.int("ALERTS_FLOOD_MINUTES", default=30)
# A failed e-mail or webhook is tried this many times in all, waiting 1, 2, 4 ... times this many
# seconds between tries.
ALERTS_DELIVERY_ATTEMPTS = env.int("ALERTS_DELIVERY_ATTEMPTS", default=5)
ALERTS_RETRY_SECONDS = env.int("ALERTS_RETRY_SECONDS", default=60)

# Connectors (docs/connectors.md). Meta signs its webhooks with the app secret; the verify token
# answers its subscription handshake. Both empty: the webhook endpoint refuses everything.
META_APP_SECRET = env.str("META_APP_SECRET", default="") or (
    secret("META_APP_SECRET") if env.str("META_APP_SECRET_FILE", default="") else ""
)
META_WEBHOOK_VERIFY_TOKEN = env.str("META_WEBHOOK_VERIFY_TOKEN", default="")
# A sync reads what is new since the last one, less two weeks; every this many days it reads the
# account's whole history instead, so comments on older posts are captured too (docs/connectors.md).
CONNECTOR_FULL_WALK_DAYS = env.int("CONNECTOR_FULL_WALK_DAYS", default=7)
# Export files: the largest upload, and the limits on what an archive may unpack to.
EXPORT_MAX_UPLOAD_BYTES = env.int("EXPORT_MAX_UPLOAD_BYTES", default=4 * 1024**3)
EXPORT_MAX_UNPACKED_BYTES = env.int("EXPORT_MAX_UNPACKED_BYTES", default=20 * 1024**3)
# Every export file and webhook body is read within these bounds, checked
# before the work grows; a file past one is refused with the limit named (docs/connectors.md):
# how deep JSON may nest, how long one value (a text, a CSV field or line) may be, how many
# entries one file may hold, and how many values one entry may hold.
EXPORT_MAX_DEPTH = env.int("EXPORT_MAX_DEPTH", default=64)
EXPORT_MAX_VALUE_BYTES = env.int("EXPORT_MAX_VALUE_BYTES", default=1024**2)
EXPORT_MAX_ENTRIES = env.int("EXPORT_MAX_ENTRIES", default=5_000_000)
EXPORT_MAX_ENTRY_VALUES = env.int("EXPORT_MAX_ENTRY_VALUES", default=1_000_000)
# Other files people upload, each refused past its limit with the limit named: a spreadsheet of
# accounts (its size, its rows, and how many times its size it may unpack to, as an XLSX is a zip),
# a CSV file of units, and each file captured by hand.
ACCOUNT_SPREADSHEET_MAX_BYTES = env.int("ACCOUNT_SPREADSHEET_MAX_BYTES", default=2 * 1024**2)
ACCOUNT_SPREADSHEET_MAX_ROWS = env.int("ACCOUNT_SPREADSHEET_MAX_ROWS", default=5000)
ACCOUNT_SPREADSHEET_MAX_UNPACK_RATIO = env.int("ACCOUNT_SPREADSHEET_MAX_UNPACK_RATIO", default=50)
UNITS_FILE_MAX_BYTES = env.int("UNITS_FILE_MAX_BYTES", default=1024**2)
MANUAL_CAPTURE_MAX_BYTES = env.int("MANUAL_CAPTURE_MAX_BYTES", default=200 * 1024**2)
# Debian's Chromium renders the yearly profile snapshots (manage.py snapshot_profile).
SNAPSHOT_CHROMIUM = env.str("SIGILL_CHROMIUM", default="/usr/bin/chromium")

# Connecting accounts with the platforms' own log-in (docs/connectors.md). Each platform's app as
# registered in its developer portal: the id is public, the secret is read like any secret (also from
# NAME_FILE). A platform whose id or secret is empty offers no log-in; /oauth/ shows comms which are
# set up. Facebook and Instagram share the Meta app (its secret is META_APP_SECRET above).
META_APP_ID = env.str("META_APP_ID", default="")
# Threads has an app id and secret of its own in the same Meta app.
THREADS_APP_ID = env.str("THREADS_APP_ID", default="")
THREADS_APP_SECRET = env.str("THREADS_APP_SECRET", default="") or (
    secret("THREADS_APP_SECRET") if env.str("THREADS_APP_SECRET_FILE", default="") else ""
)
LINKEDIN_CLIENT_ID = env.str("LINKEDIN_CLIENT_ID", default="")
LINKEDIN_CLIENT_SECRET = env.str("LINKEDIN_CLIENT_SECRET", default="") or (
    secret("LINKEDIN_CLIENT_SECRET") if env.str("LINKEDIN_CLIENT_SECRET_FILE", default="") else ""
)
# YouTube: a Google Cloud project's OAuth client (type "web application").
GOOGLE_CLIENT_ID = env.str("GOOGLE_CLIENT_ID", default="")
GOOGLE_CLIENT_SECRET = env.str("GOOGLE_CLIENT_SECRET", default="") or (
    secret("GOOGLE_CLIENT_SECRET") if env.str("GOOGLE_CLIENT_SECRET_FILE", default="") else ""
)
X_CLIENT_ID = env.str("X_CLIENT_ID", default="")
X_CLIENT_SECRET = env.str("X_CLIENT_SECRET", default="") or (
    secret("X_CLIENT_SECRET") if env.str("X_CLIENT_SECRET_FILE", default="") else ""
)
TIKTOK_CLIENT_KEY = env.str("TIKTOK_CLIENT_KEY", default="")
TIKTOK_CLIENT_SECRET = env.str("TIKTOK_CLIENT_SECRET", default="") or (
    secret("TIKTOK_CLIENT_SECRET") if env.str("TIKTOK_CLIENT_SECRET_FILE", default="") else ""
)
# The LinkedIn API version every call to LinkedIn names (the LinkedIn-Version header). LinkedIn
# retires a version about a year after its month; comms' start page warns two months before. Set
# the retirement date (YYYY-MM-DD) when LinkedIn has announced it; empty: a year after the month.
LINKEDIN_API_VERSION = env.str("LINKEDIN_API_VERSION", default="202508")
LINKEDIN_API_VERSION_RETIRES = env.str("LINKEDIN_API_VERSION_RETIRES", default="")
# Whether this server talks to the platforms: syncing accounts, publishing posts and replies (they
# stay queued), renewing platform log-ins and taking the yearly profile snapshots. Off on a server
# that must not use the accounts' tokens: the demo (`make run`), which has no platforms to reach,
# or a copy of production restored for a test. Webhooks, export files and manual capture work
# either way.
PLATFORM_SYNC = env.bool("SIGILL_PLATFORM_SYNC", default=True)
# Where a platform's log-in, token and account addresses are: empty for the platforms' own. JSON
# such as {"facebook": "http://127.0.0.1:8765"} sends one platform's to another address (a test
# server, an egress proxy); the path stays the platform's.
OAUTH_ENDPOINTS = json.loads(env.str("SIGILL_OAUTH_ENDPOINTS", default="{}"))

# Pages show a text longer than this many characters (a question, a comment) as a preview, with the
# whole text one click away.
LONG_TEXT_PREVIEW_CHARS = env.int("LONG_TEXT_PREVIEW_CHARS", default=1500)

# The residents' report form (compliance, on each comment-policy page), within one hour: reports taken
# per client address, reports taken of one comment from everyone, and the count across all residents
# at which comms are alerted by e-mail (reports are still taken: a wave may be real).
COMMENT_REPORTS_PER_ADDRESS = env.int("COMMENT_REPORTS_PER_ADDRESS", default=5)
COMMENT_REPORTS_PER_COMMENT = env.int("COMMENT_REPORTS_PER_COMMENT", default=20)
COMMENT_REPORTS_ALERT_AT = env.int("COMMENT_REPORTS_ALERT_AT", default=100)

# Records: a disclosure request is to be handled promptly (skyndsamt); one older than this many days
# is flagged on the registrar's to-do list. E-archive packages are written under MEDIA_ROOT.
DISCLOSURE_PROMPT_DAYS = env.int("SIGILL_DISCLOSURE_PROMPT_DAYS", default=3)
