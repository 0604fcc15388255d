"""Settings for Công đoàn số, configured from the environment.

Defaults work on a fresh clone (SQLite, debug on); production sets DJANGO_SECRET_KEY,
DJANGO_DEBUG=0, DJANGO_ALLOWED_HOSTS and DATABASE_URL=postgres://...
"""

import os
import sys
from pathlib import Path

import dj_database_url
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


DEBUG = env_bool("DJANGO_DEBUG", True)
SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        from django.core.exceptions import ImproperlyConfigured

        raise ImproperlyConfigured("Production (DJANGO_DEBUG=0) needs DJANGO_SECRET_KEY.")
    SECRET_KEY = "dev-only-insecure-key-set-DJANGO_SECRET_KEY-in-production"
ALLOWED_HOSTS = [
    h.strip() for h in os.environ.get("DJANGO_ALLOWED_HOSTS", "127.0.0.1,localhost").split(",")
]
TESTING = "pytest" in sys.modules

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "axes",
    "django_tasks",
    "django_tasks_db",
    "congdoan.core",
    "congdoan.org",
    "congdoan.members",
    "congdoan.care",
    "congdoan.emulation",
    "congdoan.grading",
    "congdoan.initiatives",
    "congdoan.awards",
    "congdoan.meetings",
    "congdoan.reports",
    "congdoan.dashboard",
    "congdoan.privacy",
    "congdoan.demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "congdoan.core.middleware.LanguageMiddleware",
    # Early, so that it also turns a lost database during the session save into the 503 page.
    "congdoan.core.dbdown.DatabaseUnavailableMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "congdoan.core.middleware.SecurityHeadersMiddleware",
    # Last, so that lock-outs see the authenticated request.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "congdoan.urls"
WSGI_APPLICATION = "congdoan.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "congdoan" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
        conn_max_age=int(os.environ.get("DATABASE_CONN_MAX_AGE", "0")),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets the web server read while a long import writes.
    DATABASES["default"].setdefault("OPTIONS", {})
    DATABASES["default"]["OPTIONS"]["init_command"] = (
        "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;"
    )
    DATABASES["default"]["OPTIONS"]["transaction_mode"] = "IMMEDIATE"

# A streaming replica of the PostgreSQL primary serves the read-only figures of the dashboard
# and of reports (congdoan.core.replica, docs/scale.md). Without DATABASE_REPLICA_URL nothing is
# routed: every query goes to "default". In tests the alias mirrors "default".
REPLICA_STICKY_SECONDS = float(os.environ.get("CONGDOAN_REPLICA_STICKY_SECONDS", "10"))
REPLICA_CHECK_SECONDS = float(os.environ.get("CONGDOAN_REPLICA_CHECK_SECONDS", "5"))
REPLICA_MAX_LAG_SECONDS = float(os.environ.get("CONGDOAN_REPLICA_MAX_LAG_SECONDS", "30"))
if os.environ.get("DATABASE_REPLICA_URL") and DATABASES["default"]["ENGINE"] != (
    "django.db.backends.sqlite3"
):
    DATABASES["replica"] = dj_database_url.parse(
        os.environ["DATABASE_REPLICA_URL"],
        conn_max_age=int(os.environ.get("DATABASE_CONN_MAX_AGE", "0")),
    )
    # A replica that does not answer is given up on quickly (the primary serves instead).
    DATABASES["replica"].setdefault("OPTIONS", {}).setdefault("connect_timeout", 2)
    DATABASES["replica"]["TEST"] = {"MIRROR": "default"}
    DATABASE_ROUTERS = ["congdoan.core.replica.ReplicaRouter"]
    MIDDLEWARE.insert(
        MIDDLEWARE.index("django.contrib.auth.middleware.AuthenticationMiddleware") + 1,
        "congdoan.core.replica.ReadYourWritesMiddleware",
    )

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
PASSWORD_HASHERS = [
    "congdoan.core.hashers.Argon2idHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
if TESTING:
    PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# Login rate limit: 5 failures per user name and address lock them out for 30 minutes.
AXES_FAILURE_LIMIT = int(os.environ.get("AXES_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = 0.5
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False

LANGUAGE_CODE = "vi"
LANGUAGES = [("vi", _("Vietnamese")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "congdoan" / "locale"]
TIME_ZONE = "Asia/Ho_Chi_Minh"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
# Front-end packages are installed from npm at set-up time and served from here.
STATICFILES_DIRS = [
    BASE_DIR / "congdoan" / "static",
    ("vendor/htmx", BASE_DIR / "node_modules" / "htmx.org" / "dist"),
    ("vendor/bootstrap", BASE_DIR / "node_modules" / "bootstrap" / "dist"),
    ("vendor/bootstrap-icons", BASE_DIR / "node_modules" / "bootstrap-icons" / "font"),
    ("vendor/chartjs", BASE_DIR / "node_modules" / "chart.js" / "dist"),
]

# A session ends 8 hours after log-in, and when the browser closes.
SESSION_COOKIE_AGE = int(os.environ.get("CONGDOAN_SESSION_SECONDS", str(8 * 3600)))
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = False
CSRF_COOKIE_SAMESITE = "Lax"
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
# Scripts and styles are files from our own origin only (congdoan.core.middleware).
CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'self'; "
    "form-action 'self'; frame-ancestors 'none'"
)
PERMISSIONS_POLICY = "camera=(), microphone=(), geolocation=(), payment=(), usb=()"
if not DEBUG:
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_SSL_REDIRECT = env_bool("DJANGO_SSL_REDIRECT", True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_HSTS_SECONDS = 31536000
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True

# Upload limits (restructuring plans, later rosters).
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
CONGDOAN_MAX_UPLOAD_BYTES = int(os.environ.get("CONGDOAN_MAX_UPLOAD_BYTES", str(20 * 1024 * 1024)))

# Background jobs (imports, exports, reports) are stored in the database and run by
# `manage.py db_worker` (started by `make run`); tests run them at once, in the same process.
TASKS = {
    "default": {
        "BACKEND": "django_tasks.backends.immediate.ImmediateBackend"
        if TESTING or env_bool("CONGDOAN_JOBS_IMMEDIATE", False)
        else "django_tasks_db.DatabaseBackend"
    }
}
JOBS_PROGRESS_DIR = Path(os.environ.get("CONGDOAN_JOBS_DIR", BASE_DIR / "var" / "jobs"))
# Uploaded documents (photos of a house, loan papers): outside the web root, never served
# directly; an access-checked view streams each one.
MEDIA_ROOT = Path(os.environ.get("CONGDOAN_FILES_DIR", BASE_DIR / "var" / "files"))
CONGDOAN_MAX_DOCUMENT_BYTES = int(
    os.environ.get("CONGDOAN_MAX_DOCUMENT_BYTES", str(10 * 1024 * 1024))
)
# Personal data of people who left the union is kept this long, then may be anonymised
# (congdoan.privacy; Decree 13/2023/NĐ-CP).
CONGDOAN_RETENTION_YEARS = int(os.environ.get("CONGDOAN_RETENTION_YEARS", "5"))
# Uploaded spreadsheets (rosters, support and initiative lists) are kept this many days for
# their preview, import and retry; then `purge_uploads` empties or deletes them.
CONGDOAN_UPLOAD_RETENTION_DAYS = int(os.environ.get("CONGDOAN_UPLOAD_RETENTION_DAYS", "30"))
if TESTING:
    import tempfile

    JOBS_PROGRESS_DIR = Path(tempfile.gettempdir()) / f"congdoan-test-jobs-{os.getpid()}"
    MEDIA_ROOT = Path(tempfile.gettempdir()) / f"congdoan-test-files-{os.getpid()}"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": "WARNING"},
}

# Covering-index columns (INCLUDE) are a PostgreSQL optimisation; SQLite builds the same index
# without them, which is what we want there.
SILENCED_SYSTEM_CHECKS = ["models.W040"]
