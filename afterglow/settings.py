"""Afterglow settings: one file for both modes, configured by environment variables."""

from __future__ import annotations

import secrets
from pathlib import Path

from afterglow import cli_apps, modes
from afterglow.lib.env import BadEnvironment, data_home, envbool, envint, envstr, time_zone_name

BASE_DIR = Path(__file__).resolve().parent
HOME = data_home()
MODE = envstr("AFTERGLOW_MODE", "local")
CLINIC = modes.named(MODE).clinic
DEBUG = envbool("AFTERGLOW_DEBUG", False)


def _local_secret_key() -> str:
    # Signs session cookies. Generated once per data dir; it protects no journal
    # content (that is the vault's data key), so a plain file is fine.
    path = HOME / "secret_key"
    try:
        return path.read_text().strip()
    except FileNotFoundError:
        pass
    HOME.mkdir(parents=True, exist_ok=True)
    key = secrets.token_urlsafe(50)
    tmp = path.with_suffix(".tmp")
    tmp.write_text(key)
    tmp.chmod(0o600)
    tmp.replace(path)
    return key


# Clinic mode reads and checks its own below (no file in a data folder).
SECRET_KEY = "" if CLINIC else envstr("AFTERGLOW_SECRET_KEY") or _local_secret_key()

ALLOWED_HOSTS = envstr("AFTERGLOW_ALLOWED_HOSTS", "127.0.0.1,localhost,[::1],testserver").split(",")

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "csp",
    "django_tasks",
    "django_tasks_db",
    "afterglow.vault",
    "afterglow.journal",
    "afterglow.prompts",
    "afterglow.safety",
    "afterglow.media",
    "afterglow.measures",
    "afterglow.insights",
    "afterglow.reports",
    "afterglow.trash",
    "afterglow.moments",
    "afterglow.tags",
    "afterglow.rhythm",
    "afterglow.preferences",
    "afterglow.phones",
    "afterglow.pages",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "afterglow.clinic",
    "afterglow.care",
]
# `list`, `search` and `write` run from the command line leave out the apps they never use,
# and set up logging from LOGGING alone (afterglow/cli_apps.py says why).
if cli_apps.lean(clinic=CLINIC):
    INSTALLED_APPS = cli_apps.installed(INSTALLED_APPS)
    LOGGING_CONFIG = None

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Before static files and sessions: a peer that is not this computer gets one refusal page.
    "afterglow.web.middleware.loopback_only_middleware",
    # Requests from the `serve --lan` HTTPS listener: paired phones only (the pairing page and /help otherwise).
    "afterglow.phones.middleware.device_gate_middleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "csp.middleware.CSPMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    # Clinic mode: a signed-in session's idle end is pushed at most once a minute (one write, not one per page).
    "afterglow.clinic.middleware.session_refresh_middleware",
    "django.middleware.common.CommonMiddleware",
    "afterglow.web.middleware.same_origin_form_middleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    # Clinic mode: a patient's own, shorter idle time signs them out (the session's age is the clinic's longest).
    "afterglow.preferences.idle.idle_middleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "afterglow.vault.middleware.vault_middleware",
    # Clinic mode: a patient's key for their private entries, for their own request only (outside the
    # sign-in gate, so a signed-out browser's half of the key is dropped too).
    "afterglow.clinic.private_keys.private_key_middleware",
    "afterglow.clinic.middleware.sign_in_middleware",
    "afterglow.journal.middleware.patient_middleware",
    "afterglow.web.middleware.no_store_middleware",
]

ROOT_URLCONF = "afterglow.urls"
WSGI_APPLICATION = "afterglow.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.messages.context_processors.messages",
                "afterglow.safety.context.crisis",
                "afterglow.web.context.display",
                "afterglow.web.context.mode",
            ],
        },
    }
]

# Which database (the encrypted journal file, or the clinic's PostgreSQL) is the mode's answer.
try:
    DATABASES = {"default": modes.named(MODE).database(HOME, envstr("DATABASE_URL"))}
except ValueError as exc:  # a URL of another kind: one line naming the variable (never the URL: it holds a password)
    raise BadEnvironment(str(exc)) from None

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Signed cookies: nothing is read from the journal before it is unlocked.
SESSION_ENGINE = "django.contrib.sessions.backends.signed_cookies"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Strict"
SESSION_COOKIE_SECURE = CLINIC
CSRF_COOKIE_SECURE = CLINIC
CSRF_COOKIE_SAMESITE = "Strict"
CSRF_FAILURE_VIEW = "afterglow.web.views.csrf_failure"
# Local mode: a message may quote journal text, so it stays in server memory, never in a cookie.
MESSAGE_STORAGE = "django.contrib.messages.storage.cookie.CookieStorage" if CLINIC else "afterglow.web.messages.MemoryStorage"

# No environment variable picks a cheaper hasher (the test suite's MD5 is in tests/settings_test.py).
PASSWORD_HASHERS = ["django.contrib.auth.hashers.Argon2PasswordHasher", "django.contrib.auth.hashers.PBKDF2PasswordHasher"]

LANGUAGE_CODE = "en-us"
TIME_ZONE = time_zone_name()
USE_I18N = False
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = HOME / "static-cache" if CLINIC else None
STATICFILES_DIRS: list[Path] = [BASE_DIR / "static"]
WHITENOISE_USE_FINDERS = not CLINIC
WHITENOISE_AUTOREFRESH = DEBUG

# A 5 MB journal entry is already far beyond anything a person types; larger
# bodies are refused before they reach a view. Media uploads set their own limit.
DATA_UPLOAD_MAX_MEMORY_SIZE = 6 * 1024 * 1024
ENTRY_MAX_CHARS = envint("AFTERGLOW_ENTRY_MAX_CHARS", 1_000_000, low=1)

# Uploaded voice notes and photos stay in memory on their way into the encrypted database:
# never a temp file on disk. Each media view checks its own limit before reading the body.
MEDIA_MAX_UPLOAD_BYTES = 200 * 1024 * 1024
FILE_UPLOAD_HANDLERS = ["django.core.files.uploadhandler.MemoryFileUploadHandler"]
FILE_UPLOAD_MAX_MEMORY_SIZE = MEDIA_MAX_UPLOAD_BYTES + 1024 * 1024

# Background jobs (voice transcription) queue in the journal's own database: no broker, and in
# local mode the same encrypted file. `afterglow serve` runs the worker; `afterglow worker` too.
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}

# Vault (local mode): lock after this many idle minutes (0 = never), backups kept,
# a daily backup while serving. The Argon2id cost is fixed in afterglow/vault/crypto.py and no
# environment variable lowers it (only tests/settings_test.py, which the product never loads).
VAULT_IDLE_MINUTES = envint("AFTERGLOW_IDLE_MINUTES", 15, low=0, high=7 * 24 * 60)
VAULT_BACKUPS_KEEP = envint("AFTERGLOW_BACKUPS_KEEP", 10, low=1, high=100_000)
VAULT_AUTO_BACKUP = envbool("AFTERGLOW_AUTO_BACKUP", True)

# Clinic mode: every variable it needs is checked here, at start, with one line naming what is wrong.
if CLINIC:
    from afterglow.clinic import env as clinic_env

    SECRET_KEY = clinic_env.secret_key()
    ALLOWED_HOSTS = clinic_env.allowed_hosts()
    CSRF_TRUSTED_ORIGINS = clinic_env.trusted_origins(ALLOWED_HOSTS)
    SECURE_PROXY_SSL_HEADER = clinic_env.proxy_ssl_header()
    SECURE_SSL_REDIRECT = True
    SECURE_REDIRECT_EXEMPT = [r"^healthz$"]  # the proxy's or orchestrator's plain-HTTP health check
    SECURE_HSTS_SECONDS = 365 * 24 * 3600
    # Other services under the clinic's domain, and the browsers' preload list, are not ours to decide.
    SILENCED_SYSTEM_CHECKS = ["security.W005", "security.W021"]
    # Server-side sessions: logging out, or an admin's new invite, ends a session everywhere.
    SESSION_ENGINE = "django.contrib.sessions.backends.db"
    # Idle sessions end, as local mode's auto-lock does: requests push the end further, at most once a
    # minute (clinic/middleware.py `session_refresh_middleware`).
    SESSION_COOKIE_AGE = max(VAULT_IDLE_MINUTES, 1) * 60
    SESSION_EXPIRE_AT_BROWSER_CLOSE = True
    LOGIN_URL = "/login"
    # ModelBackend checks the password; a signed-in page reads its person through ClinicBackend (one query).
    AUTHENTICATION_BACKENDS = ["django.contrib.auth.backends.ModelBackend", "afterglow.clinic.backend.ClinicBackend"]
    PASSWORD_RESET_TIMEOUT = 7 * 24 * 3600  # an invite link lasts a week
    AUTH_PASSWORD_VALIDATORS = [
        {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
        {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
        {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
        {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
    ]
    OTP_TOTP_ISSUER = "Afterglow"
    # The TLS proxy's addresses: only they may say, in X-Forwarded-For, where a sign-in came from.
    CLINIC_PROXY_IPS = clinic_env.proxy_ips()

SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "no-referrer"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:", "blob:"],
        "media-src": ["'self'", "blob:"],
        "connect-src": ["'self'"],
        "font-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'none'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}

CRISIS_REGION = envstr("AFTERGLOW_CRISIS_REGION")
HOST = envstr("AFTERGLOW_HOST", "127.0.0.1")
PORT = envint("AFTERGLOW_PORT", 8765, low=1, high=65535)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    # Request logs carry paths and status codes only, never bodies or journal text.
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "loggers": {
        "django": {"handlers": ["console"], "level": "WARNING"},
        "django.db.backends": {"handlers": ["console"], "level": "WARNING", "propagate": False},
        "afterglow": {"handlers": ["console"], "level": "INFO"},
    },
}
