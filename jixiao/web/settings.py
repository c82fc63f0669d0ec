"""Django settings for the jixiao web application.

Everything that differs between a laptop and a production server comes from the environment:
``DATABASE_URL`` (else SQLite in ``JIXIAO_DATA_DIR``), ``JIXIAO_SECRET_KEY`` (else generated once and kept in
the data directory), ``JIXIAO_DEBUG``, ``JIXIAO_ALLOWED_HOSTS``, ``JIXIAO_SECURE_COOKIES`` and the others of the
settings table in docs/deploy.md (a test keeps that table and this file in step). ``jixiao serve --check``
(:mod:`jixiao.web.checks`) says which production settings are missing.
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path

import dj_database_url

from ..model import FORM_LIMITS
from .datadir import DATABASE_FILE, data_dir, private_database, private_file

PACKAGE_DIR = Path(__file__).resolve().parent


def _flag(name: str, default: bool = False) -> bool:
    return os.environ.get(name, "1" if default else "0").strip().lower() in ("1", "true", "yes", "on")


def _secret_key(directory: Path) -> str:
    """The key from the environment, else one generated on first start and kept (0600) in the data dir."""
    from_env = os.environ.get("JIXIAO_SECRET_KEY")
    if from_env:
        return from_env
    key_file = directory / "secret_key"
    if not key_file.exists():
        fd = os.open(key_file, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as handle:
            handle.write(secrets.token_urlsafe(50))
    private_file(key_file)  # one written by an older version may be world-readable
    return key_file.read_text().strip()


DATA_DIR = data_dir()
SECRET_KEY = _secret_key(DATA_DIR)
DEBUG = _flag("JIXIAO_DEBUG")
ALLOWED_HOSTS = [
    h for h in os.environ.get("JIXIAO_ALLOWED_HOSTS", "127.0.0.1,localhost,[::1]").split(",") if h
]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "simple_history",
    "ninja",
    "jixiao.web.apps.WebConfig",
]

MIDDLEWARE = [
    "jixiao.web.middleware.TrustedProxyMiddleware",  # before anything reads X-Forwarded-Proto
    "jixiao.web.middleware.ContentSecurityPolicyMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "jixiao.web.formbody.FormBodyMiddleware",  # before the first reader of request.POST (CSRF)
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "jixiao.web.middleware.LoginRequiredMiddleware",
    "jixiao.web.middleware.DatabaseBusyMiddleware",
]

ROOT_URLCONF = "jixiao.web.urls"
WSGI_APPLICATION = "jixiao.web.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

# Health checks stay on: the SELECT 1 before a request's first query costs the server 0.02–0.03 ms of CPU (a
# save takes ~5 ms), and spares the first request after a database restart an error on a dead connection.
DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{DATA_DIR / DATABASE_FILE}", conn_max_age=60, conn_health_checks=True
    )
}
# A write waits this long for SQLite's lock, then answers 503 “数据库正忙，请稍后重试” (jixiao.web.middleware):
# a save takes milliseconds, so a lock held for seconds is a stuck writer, and 20 s of waiting helped nobody.
JIXIAO_SQLITE_BUSY_SECONDS = float(os.environ.get("JIXIAO_SQLITE_BUSY_SECONDS", "5"))
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    if DATABASES["default"]["NAME"] not in ("", ":memory:"):
        private_database(Path(DATABASES["default"]["NAME"]))  # password hashes and session keys: 0600
    # Writers take the lock at BEGIN and wait for it (busy timeout) instead of failing at once. WAL lets
    # the dashboard read while units save; with WAL, synchronous=NORMAL skips the fsync per commit and still
    # keeps the file consistent after a crash (a power cut may lose the last commits, never corrupt it).
    # Connections persist (CONN_MAX_AGE as for PostgreSQL), so the pragmas run once per thread, not per request.
    DATABASES["default"]["OPTIONS"] = {
        "timeout": JIXIAO_SQLITE_BUSY_SECONDS,
        "transaction_mode": "IMMEDIATE",
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL",
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Django's login by username and password; the user of a session is read with a query compiled once.
AUTHENTICATION_BACKENDS = ["jixiao.web.accounts.AccountBackend"]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 8}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},  # 20232023
]

CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "jixiao"},
}

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文")]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = DATA_DIR / "static"
STATIC_ROOT.mkdir(exist_ok=True)  # whitenoise expects it; files are served from the package via finders
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# Serve straight from the package (no collectstatic step needed for `jixiao serve`).
WHITENOISE_USE_FINDERS = True

LOGIN_URL = "/login/"
LOGIN_REDIRECT_URL = "/"
LOGOUT_REDIRECT_URL = "/login/"

# Cookies: HttpOnly always, SameSite=Lax; Secure when served over HTTPS (set JIXIAO_SECURE_COOKIES=1).
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_SECURE = _flag("JIXIAO_SECURE_COOKIES")
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
CSRF_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_AGE = 8 * 3600
# Sessions live in the database only: a per-process cache in front (cached_db) kept a session alive in
# the other workers of `serve --workers N` after its logout.
# Django's database store, its read compiled once (jixiao.web.sessions).
SESSION_ENGINE = "jixiao.web.sessions"
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
CSRF_TRUSTED_ORIGINS = [o for o in os.environ.get("JIXIAO_CSRF_TRUSTED_ORIGINS", "").split(",") if o]

# Reverse proxies (addresses or networks, comma-separated) whose X-Forwarded-For names the client and whose
# X-Forwarded-Proto says the request came over HTTPS (jixiao.web.proxies; from anyone else both are ignored).
JIXIAO_TRUSTED_PROXIES = [p.strip() for p in os.environ.get("JIXIAO_TRUSTED_PROXIES", "").split(",") if p.strip()]
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if JIXIAO_TRUSTED_PROXIES else None
# HSTS: browsers keep to HTTPS for this long. Django sends it only on HTTPS requests, so the default (a year
# once cookies are secure, i.e. the site is served over HTTPS) never reaches a plain-http laptop.
SECURE_HSTS_SECONDS = int(os.environ.get("JIXIAO_HSTS_SECONDS", "31536000" if SESSION_COOKIE_SECURE else "0"))
# Content-Security-Policy: every script, style, font and image ships with the package and the templates hold
# no inline script or style, so nothing but this origin is needed (data: for the blank favicon).
JIXIAO_CSP = os.environ.get(
    "JIXIAO_CSP",
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; object-src 'none'; "
    "base-uri 'none'; form-action 'self'; frame-ancestors 'none'",
)

# Uploads: a form file is at most a few MB; larger requests are refused before they reach a view.
JIXIAO_MAX_UPLOAD_BYTES = int(os.environ.get("JIXIAO_MAX_UPLOAD_BYTES", str(5 * 1024 * 1024)))
DATA_UPLOAD_MAX_MEMORY_SIZE = JIXIAO_MAX_UPLOAD_BYTES + 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = JIXIAO_MAX_UPLOAD_BYTES + 1024 * 1024
# The entry page posts 11 fields per indicator (jixiao.web.entry.INDICATOR_FIELDS and the row key) and 4 per
# fund row: a form at the limits must save.
DATA_UPLOAD_MAX_NUMBER_FIELDS = 11 * FORM_LIMITS.max_indicators + 4 * FORM_LIMITS.max_fund_rows + 100

# Login throttling (jixiao.web.throttle, counted in the database so every worker process shares it): this
# many attempts per account from one address lock that pair, this many failures from one address lock it.
JIXIAO_LOGIN_MAX_FAILURES = int(os.environ.get("JIXIAO_LOGIN_MAX_FAILURES", "5"))
JIXIAO_LOGIN_MAX_ADDRESS_FAILURES = int(os.environ.get("JIXIAO_LOGIN_MAX_ADDRESS_FAILURES", "50"))
JIXIAO_LOGIN_LOCK_SECONDS = int(os.environ.get("JIXIAO_LOGIN_LOCK_SECONDS", "900"))

SIMPLE_HISTORY_HISTORY_CHANGE_REASON_USE_TEXT_FIELD = True

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": "WARNING"},
}
