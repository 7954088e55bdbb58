"""Django settings for SafePassage: environment variables with safe embedded defaults."""

from __future__ import annotations

import os
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
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "safepassage.core.middleware.SecurityHeadersMiddleware",
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
DATABASES = {"default": _db}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "cases:list"
LOGOUT_REDIRECT_URL = "login"

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
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

# Encryption of personal data: see safepassage.protection.crypto.
FIELD_ENCRYPTION_KEYS = env_secret("SAFEPASSAGE_FIELD_KEYS")
FIELD_ENCRYPTION_KEY_FILE = DATA_DIR / "field-keys.json"

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
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env_str("SAFEPASSAGE_LOG_LEVEL", "INFO")},
    "loggers": {
        # Request bodies and query strings can hold personal data: never log them.
        "django.request": {"level": "ERROR", "propagate": True},
        "django.db.backends": {"level": "WARNING", "propagate": True},
    },
}

API_PAGE_SIZE = env_int("SAFEPASSAGE_API_PAGE_SIZE", 50, minimum=1)
API_TOKEN_DAYS = env_int("SAFEPASSAGE_API_TOKEN_DAYS", 90, minimum=1)

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "safepassage.settings")
