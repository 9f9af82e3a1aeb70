"""Birgemiz settings: one file, driven by environment variables.

A fresh checkout runs with no configuration (SQLite, DEBUG on). Production sets
DEBUG=False, SECRET_KEY, ALLOWED_HOSTS and DATABASE_URL; see README.md.
"""

import os
import sys
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from birgemiz import backing

BASE_DIR = Path(__file__).resolve().parent.parent


def envbool(name, default):
    return os.environ.get(name, default).strip().lower() in ("1", "true", "yes", "on")


def envlist(name, default):
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEFAULT_SECRET_KEY = "birgemiz-development-key-never-use-in-production"
SECRET_KEY = os.environ.get("SECRET_KEY", DEFAULT_SECRET_KEY)
TESTING = envbool("BIRGEMIZ_TESTING", "False") or "pytest" in sys.modules
# Off unless asked for: `make run` and `make test` export DEBUG=True, and a test run
# turns it on; a server started with nothing set runs as production (and refuses the
# development key below).
DEBUG = envbool("DEBUG", "True" if TESTING else "False")

if not DEBUG and SECRET_KEY == DEFAULT_SECRET_KEY:
    raise ImproperlyConfigured(
        "DEBUG is off but SECRET_KEY is the development default. "
        "Set the SECRET_KEY environment variable to a long random value."
    )

ALLOWED_HOSTS = envlist("ALLOWED_HOSTS", "127.0.0.1,localhost,testserver")
CSRF_TRUSTED_ORIGINS = envlist("CSRF_TRUSTED_ORIGINS", "")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "crispy_forms",
    "crispy_bootstrap5",
    "import_export",
    "axes",
    "csp",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "birgemiz",
    "birgemiz.registers",
    # Before django_tasks_db: its `db_worker` command adds the worker's heartbeat.
    "birgemiz.jobs",
    "courses",
    "volunteers",
    "assessments",
    "surveys",
    "reporting",
    "demo",
    "django_tasks",
    "django_tasks_db",
    "health_check",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "birgemiz.two_factor.TwoFactorMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "birgemiz.middleware.NoStoreMiddleware",
    "birgemiz.audit.CurrentUserMiddleware",
    # Last, as django-axes asks.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "birgemiz.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "birgemiz.context_processors.roles",
            ],
        },
    },
]

WSGI_APPLICATION = "birgemiz.wsgi.application"

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
        conn_max_age=int(os.environ.get("DB_CONN_MAX_AGE", "0")),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Several people writing at once wait for the lock instead of failing: WAL lets
    # readers go on beside the writer, every transaction takes the write lock when it
    # begins (IMMEDIATE: no deadlock when a reader later writes), and a writer waits
    # up to 20 s for another's commit.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        timeout=20,
        transaction_mode="IMMEDIATE",
        init_command="PRAGMA journal_mode=WAL;PRAGMA synchronous=NORMAL;PRAGMA busy_timeout=20000",
    )

if TESTING and os.environ.get("BIRGEMIZ_TEST_SQLITE"):
    # The worker tests start real worker processes, which need a test database in a
    # file (SQLite's default test database lives in the test process's memory).
    DATABASES["default"]["TEST"] = {"NAME": os.environ["BIRGEMIZ_TEST_SQLITE"]}

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Login throttling: schools share one public IP, so lock a username, never an address.
AXES_FAILURE_LIMIT = int(os.environ.get("AXES_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = 0.5  # hours
AXES_LOCKOUT_PARAMETERS = ["username"]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_ENABLED = envbool("AXES_ENABLED", "True")
# Locking by username alone is deliberate (shared school IPs); axes warns about it.
SILENCED_SYSTEM_CHECKS = ["axes.W006"]

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

LANGUAGE_CODE = "kk"
LANGUAGES = [
    ("kk", _("Kazakh")),
    ("ru", _("Russian")),
    ("en", _("English")),
]
# The core's catalogue (birgemiz/ and templates/); every installed app's own locale/
# (the registers and each domain app) is found without being listed here.
# Django's own messages in our wording first (birgemiz/django_catalogue), then the core's.
LOCALE_PATHS = [BASE_DIR / "birgemiz" / "django_catalogue" / "locale", BASE_DIR / "locale"]
TIME_ZONE = "Asia/Almaty"
# Typed dates need a four-digit year in every language (birgemiz/formats).
FORMAT_MODULE_PATH = ["birgemiz.formats"]
DATE_INPUT_FORMATS = ["%d.%m.%Y", "%Y-%m-%d", "%d/%m/%Y"]
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", BASE_DIR / "staticfiles"))
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    # Uploads, issued reports, certificates and import files, through the storage API only.
    "default": backing.media_storage(os.environ.get("MEDIA_STORAGE"), os.environ),
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if not DEBUG and not TESTING
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}

# Evidence and other uploads live outside STATIC and are never served by URL
# directly: views check the user's scope and stream the file.
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", BASE_DIR / "media"))
MEDIA_URL = "/media-not-served/"
EVIDENCE_MAX_BYTES = int(os.environ.get("EVIDENCE_MAX_BYTES", str(10 * 1024 * 1024)))
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = False
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"

if not DEBUG:
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_SSL_REDIRECT = envbool("SECURE_SSL_REDIRECT", "True")
    SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", str(60 * 60 * 24 * 365)))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    if envbool("BEHIND_PROXY", "False"):
        SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# How many reverse proxies in front of the app append to X-Forwarded-For: the client's
# address is that many entries from the right (0: REMOTE_ADDR). BEHIND_PROXY alone means one.
TRUSTED_PROXY_COUNT = int(
    os.environ.get("TRUSTED_PROXY_COUNT", "1" if envbool("BEHIND_PROXY", "False") else "0")
)

# Long work runs in a worker, never in the request (birgemiz/jobs): the database queue by
# default, RQ on Redis when TASKS_URL=redis://…; the test suite runs tasks inline.
TASKS, RQ_QUEUES = backing.tasks_config(os.environ.get("TASKS_URL", "immediate" if TESTING else ""))
if RQ_QUEUES:
    INSTALLED_APPS.append("django_rq")
# A running job reports every few seconds; one silent this long lost its worker.
JOBS_HEARTBEAT_SECONDS = float(os.environ.get("JOBS_HEARTBEAT_SECONDS", "5"))
JOBS_STALE_SECONDS = int(os.environ.get("JOBS_STALE_SECONDS", "90"))
JOBS_MAX_ATTEMPTS = int(os.environ.get("JOBS_MAX_ATTEMPTS", "2"))
JOBS_RESULT_DAYS = int(os.environ.get("JOBS_RESULT_DAYS", "7"))
# /healthz: the task queue is healthy when a worker was seen this recently.
JOBS_WORKER_SEEN_SECONDS = int(os.environ.get("JOBS_WORKER_SEEN_SECONDS", "60"))

# One cache for every process (rate limits, dashboard figures): the database cache unless
# CACHE_URL names Redis; per process only in tests.
CACHES = backing.cache_config(os.environ.get("CACHE_URL", "locmem" if TESTING else ""))

# Every e-mail goes out through the e-mail task (birgemiz/jobs/mail.py), which hands it
# to EMAIL_DELIVERY_BACKEND in the worker: the console unless EMAIL_HOST (SMTP) is set.
EMAIL_BACKEND = "birgemiz.jobs.mail.QueuedEmailBackend"
EMAIL_DELIVERY_BACKEND = backing.email_delivery_backend(os.environ)
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "587"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = envbool("EMAIL_USE_TLS", "True")
EMAIL_TIMEOUT = 30
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "Birgemiz <noreply@localhost>")
# The site's address as people open it: links in letters written outside a request
# (the first operator's invitation) start with it.
SITE_URL = os.environ.get("SITE_URL", "http://127.0.0.1:8000")

# Password reset: at most this many e-mails per hour to one address, to one account
# and from one network address; the page answers the same either way.
PASSWORD_RESET_LIMIT = int(os.environ.get("PASSWORD_RESET_LIMIT", "3"))
PASSWORD_RESET_ADDRESS_LIMIT = int(os.environ.get("PASSWORD_RESET_ADDRESS_LIMIT", "20"))

# Two-factor authentication (birgemiz/two_factor.py): TOTP apps and recovery codes.
OTP_TOTP_ISSUER = "Birgemiz"

# Content-Security-Policy: every script and stylesheet is vendored, nothing is loaded
# from another origin. Inline <script> is refused; inline style stays allowed for the
# admin's and the pages' style attributes.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'", "'unsafe-inline'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
}

if TESTING:
    PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
