"""The one settings module. Every value comes from the environment, with defaults that are
safe for development; production sets DEBUG=false and a SECRET_KEY, or startup fails."""

import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name, default):
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name, default):
    value = os.environ.get(name)
    if value is None:
        return default
    return [item.strip() for item in value.split(",") if item.strip()]


DEBUG = env_bool("DEBUG", True)

SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "SECRET_KEY is not set. With DEBUG off the portal refuses to start without one: "
            "set the SECRET_KEY environment variable to a long random string."
        )
    SECRET_KEY = "django-insecure-development-only-key-never-use-in-production"

# One cache shared by every process: sessions, the login rate limits and the rendered page
# fragments (canto_portal/fragments.py) must look the same from every gunicorn worker, so
# production names a Redis server; development and tests keep it in memory.
CACHE_URL = os.environ.get("CACHE_URL", "")
if not CACHE_URL:
    if not DEBUG:
        raise ImproperlyConfigured(
            "CACHE_URL is not set. With DEBUG off the portal needs a cache that all its "
            "processes share: set CACHE_URL to a Redis server, e.g. redis://127.0.0.1:6379/0."
        )
    CACHE_URL = "locmem://"


def cache_from_url(url):
    scheme = url.partition("://")[0]
    if scheme in {"redis", "rediss", "unix"}:
        # django-redis rather than Django's own backend: it keeps one client per process
        # instead of building one for every call, which is a quarter of a millisecond each.
        return {"BACKEND": "django_redis.cache.RedisCache", "LOCATION": url}
    if scheme == "locmem":
        return {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
    raise ImproperlyConfigured(
        f"CACHE_URL {url!r} is not understood: use redis://host:port/db (or locmem:// in "
        "development)."
    )


CACHES = {
    "default": cache_from_url(CACHE_URL),
    # Each process's own copy of the fragments it read from the shared cache (their keys
    # never name changed content, canto_portal/fragments.py), bounded in entries.
    "local": {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "LOCATION": "fragments",
        "OPTIONS": {"MAX_ENTRIES": 1000},
    },
}
# Sessions live in the database only: a session holds its login's session hash, which the
# shared cache must never hold, and a full or restarted cache logs nobody out.
SESSION_ENGINE = "django.contrib.sessions.backends.db"

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]", "testserver"])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    # Before the admin: it adds a field per language to the models named in each app's
    # translation.py, and the admin's tabs to edit them.
    "modeltranslation",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "django_countries",
    "simple_history",
    "import_export",
    "django_tasks_db",
    "canto_portal",
    "members",
    "agreements",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    # Leaves the language a login saved in the cookie, once, on the response to the login.
    "members.languages.SavedLanguageCookieMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # After authentication and messages: sends back-office and board logins without a second
    # factor to set one up.
    "members.middleware.MFARequiredMiddleware",
    # Keeps what a logged-in visitor sees out of shared caches and the browser's disk.
    "members.middleware.PrivateCacheControlMiddleware",
]

ROOT_URLCONF = "canto_portal.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "canto_portal.context_processors.portal",
            ],
        },
    },
]

WSGI_APPLICATION = "canto_portal.wsgi.application"

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
        conn_max_age=int(os.environ.get("DB_CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # The portal's queries take milliseconds; PostgreSQL compiles one to machine code (JIT)
    # once its estimated cost crosses a threshold the register's growth alone can cross,
    # and the compiling then takes longer than the query.
    database_options = DATABASES["default"].setdefault("OPTIONS", {})
    database_options["options"] = f"{database_options.get('options', '')} -c jit=off".strip()
elif DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # SQLite takes one writer at a time. A transaction that reads before it writes (a vote:
    # its checks, then the insert) cannot wait for a writer that came first, and fails with
    # "database is locked": each transaction takes the write lock when it begins instead,
    # waiting its turn, as select_for_update() makes PostgreSQL's do.
    DATABASES["default"].setdefault("OPTIONS", {})["transaction_mode"] = "IMMEDIATE"

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Django's and allauth's backends, reading each request's login from the cache.
AUTHENTICATION_BACKENDS = [
    "members.backends.CachedModelBackend",
    "members.backends.CachedAllauthBackend",
]

# Internationalisation: the region speaks English, Spanish, French and Dutch.
LANGUAGE_CODE = "en"
LANGUAGES = [
    ("en", _("English")),
    ("es", _("Spanish")),
    ("fr", _("French")),
    ("nl", _("Dutch")),
]
LOCALE_PATHS = [BASE_DIR / "locale"]
# One way to write dates and numbers per language, for the site, the admin, emails and PDFs
# alike: templates name a format (DATE_FORMAT, SHORT_DATE_FORMAT) and never spell one out.
FORMAT_MODULE_PATH = "canto_portal.formats"
# Data the Secretariat writes once per language (categories, benefits, topics): English is
# the language every row has, and the one shown where a translation is missing.
MODELTRANSLATION_DEFAULT_LANGUAGE = "en"
MODELTRANSLATION_FALLBACK_LANGUAGES = ("en",)
TIME_ZONE = os.environ.get("TIME_ZONE", "America/Port_of_Spain")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = os.environ.get("STATIC_ROOT", str(BASE_DIR / "staticfiles"))
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    # Agreement documents and attachments: outside any URL, served only through views
    # that check permission.
    "private": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {
            "location": os.environ.get("PRIVATE_MEDIA_ROOT", str(BASE_DIR / "private")),
            "base_url": None,
        },
    },
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
# Briefing bodies may be long; the form says how long is too long, so requests may be larger
# than Django's 2.5 MB default before the form gets to say it.
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
# An uploaded file larger than this goes to a temporary file, not a worker's memory, while the
# PDF check reads it (20 MB at most, agreements/validators.py). Django takes in the whole
# request before any check: the proxy's client_max_body_size caps it (docs/deployment.md, Uploads).
FILE_UPLOAD_MAX_MEMORY_SIZE = 2621440

MEDIA_ROOT = os.environ.get("MEDIA_ROOT", str(BASE_DIR / "media"))
MEDIA_URL = "media/"

# Email: console in development, SMTP from the environment in production (Django 6.1 mailers).
if os.environ.get("EMAIL_HOST") or not DEBUG:
    MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {
                "host": os.environ.get("EMAIL_HOST", "localhost"),
                "port": int(os.environ.get("EMAIL_PORT", "25")),
                "username": os.environ.get("EMAIL_HOST_USER") or None,
                "password": os.environ.get("EMAIL_HOST_PASSWORD") or None,
                "use_tls": env_bool("EMAIL_USE_TLS", False),
                "timeout": 20,
            },
        }
    }
else:
    MAILERS = {"default": {"BACKEND": "django.core.mail.backends.console.EmailBackend"}}
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "CANTO Portal <portal@canto.example>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
# Where replies to the portal's emails go: the sending address is the portal, and nobody reads it.
SECRETARIAT_EMAIL = os.environ.get(
    "SECRETARIAT_EMAIL", "CANTO Secretariat <secretariat@canto.example>"
)

# Security headers. No template has a script or an inline style, so the policy lets in the
# portal's own files only. Images may also be data: URIs: allauth draws the authenticator's QR
# code as one, and an image cannot run code.
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.NONE],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
}
# Django's defaults, said out loud because the smoke test (deploy/smoke-test) asserts them.
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# No script reads a cookie, so none needs to be readable by one.
CSRF_COOKIE_HTTPONLY = True
LANGUAGE_COOKIE_HTTPONLY = True
LANGUAGE_COOKIE_SAMESITE = "Lax"

# Behind a TLS-terminating proxy in production (deploy/nginx/canto-portal.conf sets
# X-Forwarded-Proto). HSTS for a year, subdomains included: the portal's domain serves nothing
# over plain http. The health check is left out of the redirect so that a monitor may ask
# gunicorn directly.
if not DEBUG:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
    SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", str(365 * 24 * 3600)))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", True)
    SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", True)
    SESSION_COOKIE_SECURE = env_bool("SECURE_COOKIES", True)
    CSRF_COOKIE_SECURE = env_bool("SECURE_COOKIES", True)
    LANGUAGE_COOKIE_SECURE = env_bool("SECURE_COOKIES", True)

# The audit trail (canto_portal/audit.py) keeps events this many days; `manage.py prune_audit`,
# run daily, deletes older ones. Two years covers two rounds of the Board's yearly review.
AUDIT_RETENTION_DAYS = int(os.environ.get("AUDIT_RETENTION_DAYS", "730"))

# The portal's public address, for links in emails sent outside a request (alerts, tasks).
PORTAL_URL = os.environ.get("PORTAL_URL", "http://127.0.0.1:8000")

LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "home"

# django-allauth: email logins, no usernames, no open signup (the portal is invitation-only).
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = "username"
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_ADAPTER = "members.adapters.InvitationOnlyAccountAdapter"
ACCOUNT_LOGOUT_REDIRECT_URL = "home"
ACCOUNT_EMAIL_SUBJECT_PREFIX = "[CANTO] "
# Failed logins: at most 10 per client address in 5 minutes, and 10 per account in 15 minutes
# from all addresses together (members/adapters.py keys them by the account alone). Counted in
# the shared cache, so every process sees the same counts.
ACCOUNT_RATE_LIMITS = {"login_failed": "10/5m/ip,10/15m/key"}
# While an account's bound holds, its owner logs in with a code emailed to the login's address
# (the refused login page offers it); the second factor is still asked after the code.
ACCOUNT_LOGIN_BY_CODE_ENABLED = True
# Invitation-only: a code or a password reset asked for an address without a login sends
# nothing, rather than allauth's email inviting its reader to sign up.
ACCOUNT_EMAIL_UNKNOWN_ACCOUNTS = False
# How many reverse proxies of ours stand in front of gunicorn. 0 (the default) ignores
# X-Forwarded-For, which any client can write; behind one proxy that appends the client's
# address to it (nginx's $proxy_add_x_forwarded_for), set 1, or every client is counted as
# the proxy's address by the login limits above.
ALLAUTH_TRUSTED_PROXY_COUNT = int(os.environ.get("TRUSTED_PROXY_COUNT", "0"))
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = "CANTO Portal"
# Secretariat and board logins cannot switch their authenticator off (members/adapters.py).
MFA_ADAPTER = "members.adapters.PortalMFAAdapter"
# Invitation links (members/services.py) are single-use and expire after this many days.
INVITATION_EXPIRY_DAYS = int(os.environ.get("INVITATION_EXPIRY_DAYS", "7"))

COUNTRIES_FIRST = ["TT", "JM", "BB", "BS"]

# bench/run.py serves a constant view through the full middleware stack to compare pages with.
BENCHMARK_BASELINE = env_bool("BENCHMARK_BASELINE", False)

# The demo logins are a development convenience and are never created with DEBUG off.
DEMO_PASSWORD = os.environ.get("DEMO_PASSWORD", "canto-demo-2026")

# In production, one JSON object a line (canto_portal/jsonlog.py), for the journal or a log
# collector; in development, plain text.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"json": {"()": "canto_portal.jsonlog.JSONFormatter"}},
    "handlers": {
        "console": {"class": "logging.StreamHandler", **({} if DEBUG else {"formatter": "json"})}
    },
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    # Django's messages reach the root's handler; Django's own console handler would print
    # each of them a second time.
    "loggers": {
        "django": {"handlers": []},
        # WeasyPrint reports each step of every PDF at INFO.
        "weasyprint": {"level": "WARNING"},
    },
}

# Errors to Sentry, only when SENTRY_DSN is set. No personal data is sent (no user, no
# cookies, no request bodies): stack traces and the URL are enough to find a bug.
SENTRY_DSN = os.environ.get("SENTRY_DSN", "")
if SENTRY_DSN:
    import sentry_sdk

    sentry_sdk.init(
        dsn=SENTRY_DSN,
        send_default_pii=False,
        traces_sample_rate=float(os.environ.get("SENTRY_TRACES_SAMPLE_RATE", "0")),
        environment=os.environ.get("SENTRY_ENVIRONMENT", "production"),
    )

# Import and export (django-import-export). Resources live in members/resources.py and
# agreements/resources.py; "Importing your data" in docs/secretariat.md is the Secretariat's guide.
# All or nothing: each import runs in one transaction, rolled back when any row fails.
IMPORT_EXPORT_USE_TRANSACTIONS = True
# Buttons and URLs need "<app>.import_<model>" / "<app>.export_<model>", granted to the
# Secretariat group by members/migrations/0005_import_export_permissions.py.
IMPORT_EXPORT_IMPORT_PERMISSION_CODE = "import"
IMPORT_EXPORT_EXPORT_PERMISSION_CODE = "export"
# Imported rows appear in each object's admin history, like any other change.
IMPORT_EXPORT_SKIP_ADMIN_LOG = False
# IMPORT_EXPORT_ESCAPE_FORMULAE_ON_EXPORT stays off on purpose: it removes only a leading "=",
# lets "+", "-" and "@" through, and turns every cell into text (an empty date becomes "None").
# The resources quote formula-like text themselves (canto_portal.spreadsheets.cells).
IMPORT_EXPORT_ESCAPE_ILLEGAL_CHARS_ON_EXPORT = True
# Blank rows stay in, so that row numbers in error messages match the file; the resources
# drop the empty rows below the data themselves.
IMPORT_EXPORT_IMPORT_IGNORE_BLANK_LINES = False

# Background tasks: Django's tasks framework with django-tasks-db's database backend,
# so a queued task survives a restart. Publishing a members briefing queues its emails here;
# `python manage.py db_worker` runs them (next to runserver in `make run`, as its own service in
# production), and `python manage.py resume_briefing_deliveries` queues again the emails a
# stopped worker left unsent.
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
# /healthz answers 503 when a due task has waited longer than this: the worker has stopped or
# cannot keep up, and briefing emails are piling up.
HEALTH_MAX_TASK_WAIT_SECONDS = int(os.environ.get("HEALTH_MAX_TASK_WAIT_SECONDS", "900"))

# Board resolutions: the quorum is more than this share (in percent) of the directors of the
# decision day who are not recused (50: a majority); a vote by circulation sends its reminder,
# to those who have not voted, this many hours before its deadline.
BOARD_QUORUM_PERCENT = int(os.environ.get("BOARD_QUORUM_PERCENT", "50"))
BOARD_REMINDER_HOURS = int(os.environ.get("BOARD_REMINDER_HOURS", "48"))

# The dues cycle (members/services/billing/, `manage.py run_dues_cycle` every day).
# An invoice is due DUES_NET_DAYS after it is issued; a member stays in good standing until a
# dues invoice is open DUES_GRACE_DAYS past its due date; past DUES_LAPSE_PROPOSAL_DAYS the
# daily run proposes lapsing the member, and the Secretariat confirms or dismisses it.
DUES_NET_DAYS = int(os.environ.get("DUES_NET_DAYS", "30"))
DUES_GRACE_DAYS = int(os.environ.get("DUES_GRACE_DAYS", "30"))
DUES_LAPSE_PROPOSAL_DAYS = int(os.environ.get("DUES_LAPSE_PROPOSAL_DAYS", "90"))
# Printed on every invoice: where CANTO is and where members pay.
CANTO_POSTAL_ADDRESS = os.environ.get(
    "CANTO_POSTAL_ADDRESS",
    "Corner Rosalino and Hamilton Holder Streets, Woodbrook, Port of Spain, Trinidad and Tobago",
)
# The demo's; `check --deploy` warns while a production portal still prints them.
EXAMPLE_BANK_DETAILS = (
    "Bank: Example Bank of Trinidad and Tobago, Port of Spain\n"
    "Account name: CANTO\nAccount (USD): 000-000000-0\nSWIFT: EXAMPLETT"
)
# An environment file holds one line per variable: "\n" in it starts a new line.
CANTO_BANK_DETAILS = os.environ.get("CANTO_BANK_DETAILS", EXAMPLE_BANK_DETAILS).replace("\\n", "\n")
