"""Django settings for SafePassage: environment variables with safe embedded defaults."""

from __future__ import annotations

import json
import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
import django_stubs_ext
from django.conf.locale import LANG_INFO
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from safepassage.config import env_bool, env_int, env_list, env_secret, env_str

django_stubs_ext.monkeypatch()

PACKAGE_DIR = Path(__file__).resolve().parent
DATA_DIR = Path(env_str("SAFEPASSAGE_DATA_DIR", str(Path.cwd() / "var"))).resolve()

DEBUG = env_bool("SAFEPASSAGE_DEBUG", False)
_secret = env_secret("SAFEPASSAGE_SECRET_KEY")
if _secret is None:
    from safepassage.protection.keyfiles import local_secret

    _secret = local_secret(DATA_DIR / "secret.key")
SECRET_KEY = _secret
ALLOWED_HOSTS = env_list("SAFEPASSAGE_ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]"])
CSRF_TRUSTED_ORIGINS = env_list("SAFEPASSAGE_CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.forms",
    "ninja",  # serves the API docs' assets locally instead of from a CDN
    "safepassage.core",
    "safepassage.protection",
    "safepassage.cases",
    "safepassage.api",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "axes",
    "safepassage.accounts",
    "safepassage.exports",
    "safepassage.intake",
    "safepassage.eligibility",
    "safepassage.pipeline",
    "safepassage.threat",
    "safepassage.linkage",
    "django_tasks",
    "django_tasks_db",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "safepassage.protection.access.AccessAuditMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "safepassage.accounts.middleware.SessionExpiryMiddleware",
    "safepassage.accounts.middleware.SecondFactorRequiredMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "safepassage.core.middleware.SecurityHeadersMiddleware",
    "safepassage.protection.middleware.FailClosedMiddleware",
    "axes.middleware.AxesMiddleware",  # last, as django-axes asks: turns lockouts into pages
]

ROOT_URLCONF = "safepassage.urls"
WSGI_APPLICATION = "safepassage.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [PACKAGE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "safepassage.core.context_processors.workspace",
            ],
        },
    }
]

# Widgets render with the project's templates (e.g. the partial date widget).
FORM_RENDERER = "django.forms.renderers.TemplatesSetting"

# SQLite (WAL) unless DATABASE_URL names another database (PostgreSQL in production).
_database_url = env_str("DATABASE_URL", "")
if _database_url:
    _db = dj_database_url.parse(_database_url, conn_max_age=env_int("DB_CONN_MAX_AGE", 60))
    if _db["ENGINE"] not in ("django.db.backends.postgresql", "django.db.backends.sqlite3"):
        raise ImproperlyConfigured("DATABASE_URL must name PostgreSQL or SQLite")
    _db.setdefault("TEST", {})
else:
    DATA_DIR.mkdir(parents=True, exist_ok=True, mode=0o700)
    _db = {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": str(DATA_DIR / "safepassage.sqlite3"),
        "OPTIONS": {
            "init_command": (
                "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;"
                " PRAGMA busy_timeout=5000;"
            ),
            "transaction_mode": "IMMEDIATE",
        },
    }
# The key store (wrapped data keys) is a database of its own: see protection/keys.py.
_keys_url = env_str("KEYS_DATABASE_URL", "")
if _keys_url:
    _keys_db = dj_database_url.parse(_keys_url, conn_max_age=env_int("DB_CONN_MAX_AGE", 60))
else:
    DATA_DIR.mkdir(parents=True, exist_ok=True, mode=0o700)
    _keys_db = {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": str(DATA_DIR / "keys.sqlite3"),
        "OPTIONS": {
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA busy_timeout=5000;",
            "transaction_mode": "IMMEDIATE",
        },
    }
DATABASES = {"default": _db, "keys": _keys_db}
DATABASE_ROUTERS = ["safepassage.protection.routers.KeyStoreRouter"]
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
    {"NAME": "safepassage.accounts.passwords.IdentityInPasswordValidator"},
    {"NAME": "safepassage.accounts.passwords.BreachedPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "cases:list"
LOGOUT_REDIRECT_URL = "login"

# Staff sign-in (safepassage.accounts): password, then a second factor for every account.
# Argon2id first; PBKDF2 stays so older hashes verify and are upgraded at the next sign-in.
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2SHA1PasswordHasher",
]
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",  # refuses locked-out accounts and addresses first
    "django.contrib.auth.backends.ModelBackend",
]
# A sorted file of SHA-1 hashes of breached passwords (one hex hash a line, as published
# offline); empty: no such check. See safepassage.accounts.passwords.
BREACHED_PASSWORDS_FILE = env_str("SAFEPASSAGE_BREACHED_PASSWORDS_FILE", "")
if BREACHED_PASSWORDS_FILE and not Path(BREACHED_PASSWORDS_FILE).is_file():
    raise ImproperlyConfigured("SAFEPASSAGE_BREACHED_PASSWORDS_FILE names no readable file")
SESSION_IDLE_SECONDS = env_int("SAFEPASSAGE_SESSION_IDLE_SECONDS", 30 * 60, minimum=60)
SESSION_ABSOLUTE_SECONDS = env_int("SAFEPASSAGE_SESSION_ABSOLUTE_SECONDS", 12 * 3600, minimum=300)
# Wrong second-factor codes one sign-in may try before it is ended (devices also slow down).
SECOND_FACTOR_ATTEMPTS = env_int("SAFEPASSAGE_SECOND_FACTOR_ATTEMPTS", 5, minimum=1)
# WebAuthn relying party: the site's host name unless set (must match what browsers see).
WEBAUTHN_RP_ID = env_str("SAFEPASSAGE_WEBAUTHN_RP_ID", "")
# Behind a reverse proxy the client address is the last X-Forwarded-For entry.
CLIENT_ADDRESS_FROM_PROXY = env_bool("SAFEPASSAGE_BEHIND_PROXY", False)
OTP_TOTP_ISSUER = "SafePassage"
OTP_TOTP_THROTTLE_FACTOR = 1
# Lockout by account and, separately, by client address, without telling which accounts exist.
AXES_FAILURE_LIMIT = env_int("SAFEPASSAGE_LOGIN_FAILURE_LIMIT", 6, minimum=1)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("SAFEPASSAGE_LOGIN_COOLOFF_MINUTES", 15, minimum=1))
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_RESET_ON_SUCCESS = False  # a password alone is not a success; reset after the 2nd factor
AXES_DISABLE_ACCESS_LOG = True  # the audit log records sign-ins (ids and address digests only)
AXES_USERNAME_CALLABLE = "safepassage.accounts.services.lockout_username"
AXES_CLIENT_IP_CALLABLE = "safepassage.accounts.services.lockout_address"
AXES_LOCKOUT_CALLABLE = "safepassage.accounts.views.lockout"
AXES_SENSITIVE_PARAMETERS = ["username", "ip_address", "code", "csrfmiddlewaretoken", "next"]
AXES_VERBOSE = False

# Languages: English for staff and partners, Dari and Pashto for everyone.
LANG_INFO.setdefault("ps", {"bidi": True, "code": "ps", "name": "Pashto", "name_local": "پښتو"})
# Afghans call their Persian "Dari": the language switch says so.
LANG_INFO["fa"] = {**LANG_INFO["fa"], "name_local": "دری"}
LANGUAGE_CODE = "en"
LANGUAGES = [("en", _("English")), ("fa", _("Dari")), ("ps", _("Pashto"))]
LANGUAGES_BIDI = ["fa", "ps"]
LOCALE_PATHS = [PACKAGE_DIR / "locale"]
USE_I18N = True
USE_TZ = True
TIME_ZONE = "UTC"
LANGUAGE_COOKIE_SECURE = not DEBUG and env_bool("SAFEPASSAGE_HTTPS", False)
LANGUAGE_COOKIE_HTTPONLY = True
LANGUAGE_COOKIE_SAMESITE = "Lax"

STATIC_URL = "static/"
STATICFILES_DIRS = [PACKAGE_DIR / "static"]
STATIC_ROOT = DATA_DIR / "static"
if DATA_DIR.is_dir():
    STATIC_ROOT.mkdir(exist_ok=True)
STORAGES = {
    "default": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": str(DATA_DIR / "documents")},
    },
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = DEBUG
DOCUMENT_MAX_BYTES = env_int("SAFEPASSAGE_DOCUMENT_MAX_BYTES", 20 * 1024 * 1024, minimum=1024)
DOCUMENT_DAILY_QUOTA_BYTES = env_int(
    "SAFEPASSAGE_DOCUMENT_DAILY_QUOTA_BYTES", 500 * 1024 * 1024, minimum=1024
)
# Optional virus scanning through clamd (fails closed when configured but unreachable).
CLAMAV_SOCKET = env_str("SAFEPASSAGE_CLAMAV_SOCKET", "") or None
CLAMAV_HOST = env_str("SAFEPASSAGE_CLAMAV_HOST", "") or None
CLAMAV_PORT = env_int("SAFEPASSAGE_CLAMAV_PORT", 3310, minimum=1)
CLAMAV_TIMEOUT_SECONDS = env_int("SAFEPASSAGE_CLAMAV_TIMEOUT_SECONDS", 30, minimum=1)
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

# Encryption of personal data: see safepassage.protection.crypto.
FIELD_ENCRYPTION_KEYS = env_secret("SAFEPASSAGE_FIELD_KEYS")
FIELD_ENCRYPTION_KEY_FILE = DATA_DIR / "field-keys.json"
# Dotted path of a KeyProvider subclass (KMS, Vault transit); empty: JSON keys or key file.
KEY_PROVIDER_CLASS = env_str("SAFEPASSAGE_KEY_PROVIDER", "")
AUDIT_SIGNING_KEY_FILE = Path(
    env_str("SAFEPASSAGE_AUDIT_SIGNING_KEY_FILE", str(DATA_DIR / "audit-signing.key"))
)

# Cookies and transport.
_https = env_bool("SAFEPASSAGE_HTTPS", False)
SESSION_COOKIE_SECURE = _https
CSRF_COOKIE_SECURE = _https
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_AGE = env_int("SAFEPASSAGE_SESSION_SECONDS", 8 * 3600, minimum=300)
SECURE_SSL_REDIRECT = _https and env_bool("SAFEPASSAGE_SSL_REDIRECT", True)
SECURE_HSTS_SECONDS = 31536000 if _https else 0
SECURE_PROXY_SSL_HEADER = (
    ("HTTP_X_FORWARDED_PROTO", "https") if env_bool("SAFEPASSAGE_BEHIND_PROXY", False) else None
)
SECURE_REFERRER_POLICY = "no-referrer"
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "filters": {"personal_data": {"()": "safepassage.core.logfilter.PersonalDataFilter"}},
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": "plain",
            "filters": ["personal_data"],
        }
    },
    "root": {"handlers": ["console"], "level": env_str("SAFEPASSAGE_LOG_LEVEL", "INFO")},
    "loggers": {
        # Request bodies and query strings can hold personal data: never log them.
        "django.request": {"level": "ERROR", "propagate": True},
        "django.db.backends": {"level": "WARNING", "propagate": True},
        # pypdf's warnings on malformed files can quote bytes of the file.
        "pypdf": {"level": "ERROR", "propagate": True},
    },
}

# Retention: days a case is kept after its last change, by stage (JSON to override).
RETENTION_DAYS_BY_STAGE: dict[str, int] = json.loads(
    env_str(
        "SAFEPASSAGE_RETENTION_DAYS",
        '{"withdrawn": 365, "closed": 365, "com_denied": 1095, "arrived": 730}',
    )
)

# Blind-index token lengths in bits (see protection/blind_index.py for the trade-off).
BLIND_INDEX_BITS = {
    "identity": env_int("SAFEPASSAGE_BLIND_INDEX_IDENTITY_BITS", 24, minimum=8),
    "name": env_int("SAFEPASSAGE_BLIND_INDEX_NAME_BITS", 16, minimum=8),
}

BREAK_GLASS_MINUTES = env_int("SAFEPASSAGE_BREAK_GLASS_MINUTES", 60, minimum=5)
REVEAL_MINUTES = env_int("SAFEPASSAGE_REVEAL_MINUTES", 5, minimum=1)

# Reads of personal data: more distinct cases than this in the window pauses the reader
# and alerts the organisation's administrators.
READ_RATE_MAX_CASES = env_int("SAFEPASSAGE_READ_RATE_MAX_CASES", 300, minimum=1)
READ_RATE_WINDOW_SECONDS = env_int("SAFEPASSAGE_READ_RATE_WINDOW_SECONDS", 3600, minimum=60)

# Cache (read-rate counters, throttles): Redis in production, memory in the embedded default.
_redis_url = env_str("SAFEPASSAGE_REDIS_URL", "")
CACHES = {
    "default": (
        {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": _redis_url}
        if _redis_url
        else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
    )
}

API_PAGE_SIZE = env_int("SAFEPASSAGE_API_PAGE_SIZE", 50, minimum=1)
API_TOKEN_DAYS = env_int("SAFEPASSAGE_API_TOKEN_DAYS", 90, minimum=1)

# Bulk exports (safepassage.exports): more people than EXPORT_FOUR_EYES_MIN_ROWS need a second
# person's approval; requests, approvals and downloads expire; a file is downloaded once.
EXPORT_FOUR_EYES_MIN_ROWS = env_int("SAFEPASSAGE_EXPORT_FOUR_EYES_MIN_ROWS", 25, minimum=0)
EXPORT_REQUEST_HOURS = env_int("SAFEPASSAGE_EXPORT_REQUEST_HOURS", 48, minimum=1)
EXPORT_DOWNLOAD_HOURS = env_int("SAFEPASSAGE_EXPORT_DOWNLOAD_HOURS", 24, minimum=1)
EXPORT_MAX_DOWNLOADS = env_int("SAFEPASSAGE_EXPORT_MAX_DOWNLOADS", 1, minimum=1)

# Public applications (safepassage.intake): which organisation receives them, how long an
# unfinished draft is kept, optional proof-of-work (0 = off), and rate limits (JSON overrides).
INTAKE_ORGANIZATION_SLUG = env_str("SAFEPASSAGE_INTAKE_ORGANIZATION", "demo")
INTAKE_DRAFT_DAYS = env_int("SAFEPASSAGE_INTAKE_DRAFT_DAYS", 14, minimum=1)
INTAKE_PROOF_OF_WORK_BITS = env_int("SAFEPASSAGE_INTAKE_PROOF_OF_WORK_BITS", 0, minimum=0)
INTAKE_RATE_LIMITS: dict[str, int] = json.loads(env_str("SAFEPASSAGE_INTAKE_RATE_LIMITS", "{}"))

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "safepassage.settings")

# Background jobs (Django's Tasks API, the django-tasks backport). The embedded default queues
# them in the database and `safepassage serve` starts a worker beside the web server; a
# deployment with Redis sets SAFEPASSAGE_TASKS_BACKEND=rq (extra "redis-jobs"). The same task
# code runs on both. Task arguments are stored in clear: they carry ids, never personal data.
_tasks_backend = env_str("SAFEPASSAGE_TASKS_BACKEND", "database")
if _tasks_backend not in ("database", "rq", "immediate"):
    raise ImproperlyConfigured("SAFEPASSAGE_TASKS_BACKEND must be database, rq or immediate")
TASKS = {
    "default": {
        "BACKEND": {
            "database": "django_tasks_db.DatabaseBackend",
            "rq": "django_tasks_rq.RQBackend",
            "immediate": "django_tasks.backends.immediate.ImmediateBackend",
        }[_tasks_backend],
        "QUEUES": ["default"],
    }
}
if _tasks_backend == "rq":  # workers: `safepassage rqworker default` (django-rq)
    INSTALLED_APPS.append("django_rq")
    RQ_QUEUES = {"default": {"URL": _redis_url or "redis://127.0.0.1:6379/0"}}

# District risk (safepassage.threat): how fast an event's weight halves, and how many days back
# events count at all.
THREAT_RISK_HALF_LIFE_DAYS = env_int("SAFEPASSAGE_RISK_HALF_LIFE_DAYS", 14, minimum=1)
THREAT_RISK_HORIZON_DAYS = env_int("SAFEPASSAGE_RISK_HORIZON_DAYS", 180, minimum=7)
