"""Settings for newsreader, configured by environment variables.

A fresh checkout runs on SQLite with no variables set (DEBUG off needs a
SECRET_KEY; `make run` generates one and keeps it in `.secret_key`).
Helpers raise ImproperlyConfigured on junk rather than guessing.
"""

import os
from email.utils import parseaddr
from pathlib import Path
from urllib.parse import parse_qsl, unquote, urlsplit

from django.core.exceptions import ImproperlyConfigured
from django.core.management.utils import get_random_secret_key

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name, default=False):
    value = os.environ.get(name, "").strip().lower()
    if not value:
        return default
    if value in ("1", "true", "yes", "on"):
        return True
    if value in ("0", "false", "no", "off"):
        return False
    raise ImproperlyConfigured(f"{name} must be true or false, not {value!r}")


def env_int(name, default):
    value = os.environ.get(name, "").strip()
    if not value:
        return default
    try:
        return int(value)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be an integer, not {value!r}") from None


def env_list(name, default):
    value = os.environ.get(name, "").strip()
    return [item.strip() for item in value.split(",") if item.strip()] if value else default


def database_from_url(url):
    """A DATABASES entry from postgres://user:password@host:port/name?option=value."""
    parts = urlsplit(url)
    if parts.scheme not in ("postgres", "postgresql", "pgsql"):
        raise ImproperlyConfigured(
            f"DATABASE_URL must start with postgres:// or postgresql://, not {parts.scheme}://"
        )
    name = unquote(parts.path.lstrip("/"))
    if not name:
        raise ImproperlyConfigured(
            "DATABASE_URL must name a database, e.g. postgres://h/newsreader"
        )
    return {
        "ENGINE": "django.db.backends.postgresql",
        "NAME": name,
        "USER": unquote(parts.username or ""),
        "PASSWORD": unquote(parts.password or ""),
        "HOST": parts.hostname or "",
        "PORT": str(parts.port or ""),
        "CONN_MAX_AGE": env_int("CONN_MAX_AGE", 60),
        "CONN_HEALTH_CHECKS": True,
        "OPTIONS": dict(parse_qsl(parts.query)),
    }


def sqlite_database(path):
    # WAL lets readers work while one writer writes; IMMEDIATE takes the write
    # lock when a transaction starts, so concurrent writers queue on the busy
    # timeout instead of failing with "database is locked" (see TOOLCHAIN).
    return {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": path,
        "OPTIONS": {
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
            "init_command": (
                "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=20000;"
            ),
        },
    }


def email_settings():
    """Django's EMAIL_* settings from the environment (README, "Configuration").

    Without EMAIL_HOST, e-mails (password resets) are printed on the console.
    """
    sender = os.environ.get("DEFAULT_FROM_EMAIL", "").strip() or "newsreader@localhost"
    if "@" not in parseaddr(sender)[1]:
        raise ImproperlyConfigured(
            f"DEFAULT_FROM_EMAIL must be an e-mail address (or 'Name <address>'), not {sender!r}"
        )
    config = {"DEFAULT_FROM_EMAIL": sender, "SERVER_EMAIL": sender}
    host = os.environ.get("EMAIL_HOST", "").strip()
    if not host:
        return {**config, "EMAIL_BACKEND": "django.core.mail.backends.console.EmailBackend"}
    tls, ssl = env_bool("EMAIL_USE_TLS", True), env_bool("EMAIL_USE_SSL", False)
    if tls and ssl:
        raise ImproperlyConfigured(
            "EMAIL_USE_TLS and EMAIL_USE_SSL exclude each other: STARTTLS (usually port 587) "
            "or TLS from the start (usually 465). Set EMAIL_USE_TLS=false to use SSL."
        )
    port = env_int("EMAIL_PORT", 465 if ssl else 587)
    if not 0 < port < 65536:
        raise ImproperlyConfigured(f"EMAIL_PORT must be a port number, not {port}")
    user = os.environ.get("EMAIL_HOST_USER", "")
    password = os.environ.get("EMAIL_HOST_PASSWORD", "")
    if bool(user) != bool(password):
        raise ImproperlyConfigured("Set both EMAIL_HOST_USER and EMAIL_HOST_PASSWORD, or neither.")
    return {
        **config,
        "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "EMAIL_HOST": host,
        "EMAIL_PORT": port,
        "EMAIL_HOST_USER": user,
        "EMAIL_HOST_PASSWORD": password,
        "EMAIL_USE_TLS": tls,
        "EMAIL_USE_SSL": ssl,
        "EMAIL_TIMEOUT": env_int("EMAIL_TIMEOUT", 10),
    }


def secret_key_from_file(path):
    """The key `make run` keeps in .secret_key (git-ignored), if there is one."""
    try:
        return Path(path).read_text().strip()
    except FileNotFoundError:
        return ""


DEBUG = env_bool("DEBUG", False)
SECRET_KEY = os.environ.get("SECRET_KEY") or secret_key_from_file(
    os.environ.get("SECRET_KEY_FILE", BASE_DIR / ".secret_key")
)
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "SECRET_KEY must be set when DEBUG is off: set it, point SECRET_KEY_FILE at a file "
            "holding it, or run `make install`, which generates one in .secret_key."
        )
    # Development only: a key for this process; sessions end when it restarts.
    SECRET_KEY = get_random_secret_key()

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["localhost", "127.0.0.1", "[::1]"])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django_htmx",
    # Named partials ("file.html#name"); it wraps the template loaders itself.
    "template_partials",
    "django_tasks",
    "django_tasks_db",
    "teams",
    "articles",
    "search",
    "imports",
    "api",
    # The database cache's table (newsreader/cache/models.py).
    "newsreader.cache",
    # For the API docs' own static files (Swagger UI without a CDN).
    "ninja",
]

MIDDLEWARE = [
    # First, so that its headers are on every response, errors of the others included.
    "newsreader.security.security_headers",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "newsreader.middleware.htmx_login_redirect",
    # A row deleted between a view's access check and its write: 404 (newsreader/errors.py).
    "newsreader.errors.gone_is_not_found",
    "api.middleware.json_errors",
    # A NUL in a parameter or field: 400 before any view (PostgreSQL cannot store one);
    # inside json_errors, so that the API's says so in JSON.
    "newsreader.middleware.refuse_nul",
]

ROOT_URLCONF = "newsreader.urls"
WSGI_APPLICATION = "newsreader.wsgi.application"

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
                "newsreader.context_processors.live_updates",
                "teams.context_processors.reader_settings",
                "newsreader.context_processors.highlight_colours",
            ],
        },
    },
]

if os.environ.get("DATABASE_URL"):
    DATABASES = {"default": database_from_url(os.environ["DATABASE_URL"])}
else:
    DATABASES = {
        "default": sqlite_database(os.environ.get("SQLITE_PATH", str(BASE_DIR / "db.sqlite3")))
    }

# One cache shared by every worker process (rendered pages, reset requests):
# the database's own table by default (newsreader/cache/models.py creates
# it, so `migrate` is all it needs), Redis when REDIS_URL is set.
# The login throttle's counts have a cache of their own ("throttle"), always on
# the database, on a table where nothing else can push them out (a full
# database cache culls whatever keys sort first, a Redis with allkeys-lru
# evicts) and where only expired counts are ever culled (newsreader/cache/backends.py).
CACHE_TABLE = "newsreader_cache"
THROTTLE_CACHE_TABLE = "newsreader_throttle"
THROTTLE_CACHE = {
    "BACKEND": "newsreader.cache.backends.ThrottleCache",
    "LOCATION": THROTTLE_CACHE_TABLE,
    # Past this many rows the expired ones are deleted (never live ones).
    "OPTIONS": {"MAX_ENTRIES": 10_000},
}
if os.environ.get("REDIS_URL"):
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": os.environ["REDIS_URL"],
        },
        "throttle": THROTTLE_CACHE,
    }
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": CACHE_TABLE,
            # Expired rows are culled past this many (Django's default is 300).
            "OPTIONS": {"MAX_ENTRIES": env_int("CACHE_MAX_ENTRIES", 10_000)},
        },
        "throttle": THROTTLE_CACHE,
    }

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# Django's ModelBackend, loading the reader settings with the user (teams/backends.py),
# which logs everyone in; ModelBackend itself only keeps sessions made before it valid.
AUTHENTICATION_BACKENDS = [
    "teams.backends.UserWithSettingsBackend",
    "django.contrib.auth.backends.ModelBackend",
]
LOGIN_URL = "login"
# E-mail, for resetting forgotten passwords: printed on the console unless EMAIL_HOST is set.
globals().update(email_settings())
LOGIN_REDIRECT_URL = "articles:library"
LOGOUT_REDIRECT_URL = "login"

LANGUAGE_CODE = "en-us"
TIME_ZONE = os.environ.get("TIME_ZONE", "UTC")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", BASE_DIR / "staticfiles"))
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", BASE_DIR / "media"))
# Media (import uploads) on S3-compatible object storage through django-storages,
# so that several app servers and task workers share it (DEPLOYMENT.md).
# Credentials: S3_ACCESS_KEY_ID/S3_SECRET_ACCESS_KEY, or boto3's usual sources
# (AWS_* variables, an instance role) when those are unset.
if os.environ.get("S3_BUCKET", "").strip():
    STORAGES["default"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": os.environ["S3_BUCKET"].strip(),
            "endpoint_url": os.environ.get("S3_ENDPOINT_URL", "").strip() or None,
            "region_name": os.environ.get("S3_REGION", "").strip() or None,
            "access_key": os.environ.get("S3_ACCESS_KEY_ID") or None,
            "secret_key": os.environ.get("S3_SECRET_ACCESS_KEY") or None,
            "location": os.environ.get("S3_PREFIX", "").strip().strip("/"),
            # Uploads are private: no public ACL, links signed, names never reused.
            "default_acl": None,
            "querystring_auth": True,
            "file_overwrite": False,
        },
    }

TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# HTTPS: the site is served over HTTPS, by a reverse proxy in front (DEPLOYMENT.md).
HTTPS = env_bool("HTTPS", False)
if HTTPS:
    SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = True
    # The proxy says which scheme the client used. Only safe when the proxy sets
    # (overwrites) this header on every request and nothing reaches the app past it.
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# Plain-HTTP requests are redirected to HTTPS (by the proxy, or else here).
SECURE_SSL_REDIRECT = env_bool("SSL_REDIRECT", HTTPS)
# A load balancer may check health over plain HTTP.
SECURE_REDIRECT_EXEMPT = [r"^healthz/$"]
# Strict-Transport-Security: browsers then refuse plain HTTP to the site for this long.
SECURE_HSTS_SECONDS = env_int("HSTS_SECONDS", 365 * 24 * 3600 if HTTPS else 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("HSTS_INCLUDE_SUBDOMAINS", HTTPS)
SECURE_HSTS_PRELOAD = env_bool("HSTS_PRELOAD", False)
# Preloading (hstspreload.org) is a commitment for the whole domain that only its
# owner can make: not asking for it is a decision, not an oversight.
SILENCED_SYSTEM_CHECKS = [] if SECURE_HSTS_PRELOAD else ["security.W021"]
if SECURE_HSTS_SECONDS < 0:
    raise ImproperlyConfigured(f"HSTS_SECONDS must be 0 or more, not {SECURE_HSTS_SECONDS}")

# Bounded requests (newsreader/limits.py refuses larger bodies per address before
# Django reads them): the largest form or JSON body Django may hold in memory (a
# 10 MiB page, encoded); uploaded files over FILE_UPLOAD_MAX_MEMORY_SIZE are
# streamed to a temporary file instead of memory.
DATA_UPLOAD_MAX_MEMORY_SIZE = 16 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = int(2.5 * 1024 * 1024)
# A body that sends nothing for this long is cut off (408).
REQUEST_BODY_STALL_SECONDS = env_int("REQUEST_BODY_STALL_SECONDS", 10)
# Bodies one client address may be sending at once to one worker process (429 past it).
REQUEST_BODIES_PER_ADDRESS = env_int("REQUEST_BODIES_PER_ADDRESS", 4)
# Reverse proxies in front of the app (their addresses, as the app sees them): from
# them, the client's address is the last in X-Forwarded-For (DEPLOYMENT.md).
PROXY_ADDRESSES = env_list("PROXY_ADDRESSES", [])
for _name in ("REQUEST_BODY_STALL_SECONDS", "REQUEST_BODIES_PER_ADDRESS"):
    if globals()[_name] < 1:
        raise ImproperlyConfigured(f"{_name} must be at least 1, not {globals()[_name]}")

ARTICLES_PER_PAGE = env_int("ARTICLES_PER_PAGE", 20)
# How long a rendered library page is kept for the next identical request (0: never);
# it is dropped sooner, the moment anything it shows changes (articles/freshness.py).
LIBRARY_CACHE_SECONDS = env_int("LIBRARY_CACHE_SECONDS", 600)

# Teams and sign-in (README, "Teams and access").
# Anyone may create an account at /signup/; off: only through an invitation link.
OPEN_SIGNUP = env_bool("OPEN_SIGNUP", False)
# Login throttling (teams/throttle.py): failed attempts per window, per account and
# client address, per address (REMOTE_ADDR: behind a proxy, the proxy must set it),
# and per account from everywhere (past it, logins to the account are slowed, never refused).
LOGIN_THROTTLE_WINDOW = env_int("LOGIN_THROTTLE_WINDOW", 15 * 60)
LOGIN_THROTTLE_ACCOUNT = env_int("LOGIN_THROTTLE_ACCOUNT", 5)
LOGIN_THROTTLE_ADDRESS = env_int("LOGIN_THROTTLE_ADDRESS", 20)
LOGIN_THROTTLE_SLOW = env_int("LOGIN_THROTTLE_SLOW", 10)
LOGIN_THROTTLE_MAX_DELAY = env_int("LOGIN_THROTTLE_MAX_DELAY", 60)
for _name in (
    "LOGIN_THROTTLE_WINDOW",
    "LOGIN_THROTTLE_ACCOUNT",
    "LOGIN_THROTTLE_ADDRESS",
    "LOGIN_THROTTLE_SLOW",
    "LOGIN_THROTTLE_MAX_DELAY",
):
    if globals()[_name] < 1:
        raise ImproperlyConfigured(f"{_name} must be at least 1, not {globals()[_name]}")
del _name
# How often an open article asks for teammates' new highlights, notes and replies.
LIVE_UPDATE_SECONDS = env_int("LIVE_UPDATE_SECONDS", 4)
# Days deleted highlights, notes and replies stay in the trash (articles/trash.py).
TRASH_DAYS = env_int("TRASH_DAYS", 30)
if TRASH_DAYS < 1:
    raise ImproperlyConfigured(f"TRASH_DAYS must be at least 1, not {TRASH_DAYS}")
# Processes that fetch and extract imported articles (0: in the worker itself).
# Measured (bench/import.py, 2 cores): 2 workers lift an import from 0.64× to 0.83× the
# throughput of bare extraction, since writing overlaps extracting.
IMPORT_WORKERS = env_int("IMPORT_WORKERS", min(2, os.cpu_count() or 1))
# API requests per token (or per signed-in user) per minute (api/auth.py); past it, 429.
API_RATE_PER_MINUTE = env_int("API_RATE_PER_MINUTE", 300)
if API_RATE_PER_MINUTE < 1:
    raise ImproperlyConfigured(f"API_RATE_PER_MINUTE must be at least 1, not {API_RATE_PER_MINUTE}")
API_RATE_LIMIT = f"{API_RATE_PER_MINUTE}/m"
# TESTS ONLY: host names (exactly as in the URL, e.g. "127.0.0.1") that the URL
# fetcher (newsreader/lib/fetching.py) lets through its private-address check, so tests
# can fetch from a local HTTP server (they set it with pytest-django's `settings`
# fixture). Keep it empty in production: any host listed here can reach internal
# services. Deliberately not read from the environment.
FETCH_ALLOWED_TEST_HOSTS = []

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {
        "console": {"class": "logging.StreamHandler"},
        "null": {"class": "logging.NullHandler"},
    },
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
    # trafilatura and htmldate log every oddity of a page they read at WARNING.
    "loggers": {
        # A body cut off (newsreader/limits.py) is one warning line there, not a traceback here.
        "django.security.BodyTimeout": {"handlers": ["null"], "propagate": False},
        "django.security.TooLarge": {"handlers": ["null"], "propagate": False},
        "trafilatura": {"level": "ERROR"},
        "htmldate": {"level": "ERROR"},
    },
}
