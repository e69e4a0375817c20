"""Newsroom settings: one module, driven by the environment.

Every value a deployment changes comes from an environment variable (the README has the table).
The embedded defaults run the whole app on one machine with nothing installed: SQLite and a
filesystem Celery broker under ``var/``. With ``DJANGO_DEBUG`` off (the default) the settings are
the secure production ones and ``manage.py check --deploy`` is clean.
"""

import ipaddress
import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_int(name: str, default: int) -> int:
    value = os.environ.get(name, "")
    return int(value) if value.strip() else default


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("NEWSROOM_VAR_DIR", BASE_DIR / "var"))

DEBUG = env_bool("DJANGO_DEBUG", False)

# Without DJANGO_SECRET_KEY in production the app server refuses to start (newsroom/wsgi.py)
# and so does Django wherever it signs something; commands that sign nothing
# (migrate, makemigrations) still run.
SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "")
if not SECRET_KEY and DEBUG:
    SECRET_KEY = "django-insecure-local-development-only-never-in-production"
MISSING_SECRET_KEY = (
    "DJANGO_SECRET_KEY must be set when DJANGO_DEBUG is off "
    "(or set DJANGO_DEBUG=1 for local development)."
)

ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]" if DEBUG else "")
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS")
# A form post is read into memory up to this size (Django's default is 2.5 MB). A story post at
# its limits fits with room to spare (a 100,000-character body is at most 1.2 MB URL-encoded),
# and so does a body several times too long: the story form refuses it with a message and shows
# the text again. A larger request gets templates/400.html.
DATA_UPLOAD_MAX_MEMORY_SIZE = env_int("DJANGO_DATA_UPLOAD_MAX_MEMORY_SIZE", 5 * 1024 * 1024)

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
    "rest_framework",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "corsheaders",
    "csp",
    "reversion",
    "events",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "events.middleware.PublicGZipMiddleware",
    "corsheaders.middleware.CorsMiddleware",
    # NUL in the address: 400 before any view; refusals without a body get one saying why.
    "events.middleware.RefuseUnusableInputMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "reversion.middleware.RevisionMiddleware",
]

ROOT_URLCONF = "newsroom.urls"

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
                "csp.context_processors.nonce",
            ],
        },
    },
]

WSGI_APPLICATION = "newsroom.wsgi.application"

# --- Database: SQLite under var/ unless DATABASE_URL names another (PostgreSQL in production).
DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{VAR_DIR / 'newsroom.sqlite3'}",
        conn_max_age=env_int("DJANGO_CONN_MAX_AGE", 60),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets the web process read while the worker writes; the timeout rides out short locks.
    DATABASES["default"]["OPTIONS"] = {
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
    }
    DATABASES["default"]["CONN_MAX_AGE"] = 0
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "desk:login"
LOGIN_REDIRECT_URL = "desk:dashboard"
LOGOUT_REDIRECT_URL = "public:home"

# --- Time: everything is stored in UTC and shown in the newsroom's own timezone.
LANGUAGE_CODE = "en-gb"
TIME_ZONE = os.environ.get("NEWSROOM_TIME_ZONE", "Europe/Kyiv")
USE_I18N = True
USE_TZ = True

# --- Static files, served by the app server itself (whitenoise).
STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}

# --- Celery. The default broker needs no server: kombu's filesystem transport under var/.
CELERY_BROKER_URL = os.environ.get("CELERY_BROKER_URL", "filesystem://")
CELERY_BROKER_TRANSPORT_OPTIONS = {}
if CELERY_BROKER_URL.startswith("filesystem://"):
    _queue_dir = VAR_DIR / "celery" / "queue"
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(_queue_dir),
        "data_folder_out": str(_queue_dir),
        "control_folder": str(VAR_DIR / "celery" / "control"),
    }
    # The transport expects its folders to exist; web, worker and beat all share them.
    for _folder in (_queue_dir, VAR_DIR / "celery" / "control"):
        _folder.mkdir(parents=True, exist_ok=True)
CELERY_TASK_IGNORE_RESULT = True  # tasks write their outcome to the database
CELERY_TASK_ACKS_LATE = True  # a worker that dies mid-task leaves the message for another
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
# A pool process killed mid-task (out of memory, kill -9) puts its message back in the queue at
# once, instead of the task being recorded as failed.
CELERY_TASK_REJECT_ON_WORKER_LOST = True
# Stopping a worker. With REMAP_SIGTERM=SIGQUIT in its environment (the Procfile sets it; Celery
# reads it before it loads these settings), SIGTERM gives running tasks this many seconds to
# finish, then returns them to the queue and exits. The prefork pool takes another ~3-4 s to
# wind down, so the default keeps the whole stop inside honcho's 5 s and a container's usual
# 10 s. Without REMAP_SIGTERM, SIGTERM waits for running tasks, up to their hard time limit.
CELERY_WORKER_SOFT_SHUTDOWN_TIMEOUT = float(
    os.environ.get("CELERY_WORKER_SOFT_SHUTDOWN_TIMEOUT") or 1
)
# Deployments (and test runs) sharing one broker keep apart by queue name.
CELERY_TASK_DEFAULT_QUEUE = os.environ.get("CELERY_TASK_DEFAULT_QUEUE", "celery")
CELERY_TASK_SOFT_TIME_LIMIT = env_int("CELERY_TASK_SOFT_TIME_LIMIT", 60)
CELERY_TASK_TIME_LIMIT = env_int("CELERY_TASK_TIME_LIMIT", 90)
CELERY_TIMEZONE = TIME_ZONE
CELERY_BEAT_SCHEDULE_FILENAME = str(VAR_DIR / "celerybeat-schedule")
CELERY_BEAT_SCHEDULE = {
    "publish-due": {
        "task": "events.tasks.publish_due",
        "schedule": env_int("NEWSROOM_PUBLISH_INTERVAL", 30),
    },
    # Public documents are rebuilt right after each commit; this sweep catches what a process
    # that stopped between its commit and the rebuild left pending.
    "publish-pending": {
        "task": "events.tasks.publish_pending",
        "schedule": env_int("NEWSROOM_PUBLICATION_SWEEP_INTERVAL", 30),
    },
}
# Bulk exports (events.publication.exports): a day's gzipped dumps of every public document,
# served under /api/v1/exports/. Beat looks every NEWSROOM_EXPORTS_INTERVAL seconds and builds
# the day's (UTC) export if it is missing, so a worker that was down catches up within that time.
NEWSROOM_EXPORTS_DIR = Path(os.environ.get("NEWSROOM_EXPORTS_DIR") or VAR_DIR / "exports")
NEWSROOM_EXPORTS_KEEP_DAYS = env_int("NEWSROOM_EXPORTS_KEEP_DAYS", 7)
if NEWSROOM_EXPORTS_KEEP_DAYS < 1:
    raise ImproperlyConfigured("NEWSROOM_EXPORTS_KEEP_DAYS must be at least 1 (today's export).")
NEWSROOM_EXPORTS_TIME_LIMIT = env_int("NEWSROOM_EXPORTS_TIME_LIMIT", 1800)
CELERY_BEAT_SCHEDULE["export-public-data"] = {
    "task": "events.tasks.export_public_data",
    "schedule": env_int("NEWSROOM_EXPORTS_INTERVAL", 3600),
}
# After a commit, up to this many documents are rebuilt in the same process (a publish is
# public before the editor's page reloads); more (a renamed tag on thousands of stories) go to
# the worker, in batches.
NEWSROOM_PUBLISH_INLINE_LIMIT = env_int("NEWSROOM_PUBLISH_INLINE_LIMIT", 100)

# --- Security. DEBUG off means the production defaults below; each can be relaxed by name.
SECURE_SSL_REDIRECT = env_bool("DJANGO_SECURE_SSL_REDIRECT", not DEBUG)
SESSION_COOKIE_SECURE = env_bool("DJANGO_SECURE_COOKIES", not DEBUG)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SECURE_HSTS_SECONDS = env_int("DJANGO_HSTS_SECONDS", 0 if DEBUG else 31_536_000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("DJANGO_HSTS_INCLUDE_SUBDOMAINS", not DEBUG)
SECURE_HSTS_PRELOAD = env_bool("DJANGO_HSTS_PRELOAD", not DEBUG)
if env_bool("DJANGO_BEHIND_TLS_PROXY", False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True

# Strict CSP: no inline script anywhere; front-end files are vendored under static/.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("DJANGO_LOG_LEVEL", "INFO")},
}

# --- The newsroom's own settings.
NEWSROOM_NAME = os.environ.get("NEWSROOM_NAME", "Newsroom")
# The public origin that stored documents, feeds and the change log give their addresses under
# (web_url, api_url). After changing it, run `manage.py rebuild_published`.
NEWSROOM_SITE_URL = os.environ.get(
    "NEWSROOM_SITE_URL", f"http://127.0.0.1:{os.environ.get('PORT', '8000')}"
)

# --- Key points: the summarizer backend, its server (for "openai"), retries and the sweep.
NEWSROOM_SUMMARIZER_BACKEND = os.environ.get("NEWSROOM_SUMMARIZER_BACKEND", "extractive")
NEWSROOM_SUMMARIZER_BULLETS = env_int("NEWSROOM_SUMMARIZER_BULLETS", 3)
if not 3 <= NEWSROOM_SUMMARIZER_BULLETS <= 5:
    raise ImproperlyConfigured("NEWSROOM_SUMMARIZER_BULLETS must be between 3 and 5.")
NEWSROOM_OPENAI_BASE_URL = os.environ.get("NEWSROOM_OPENAI_BASE_URL", "http://127.0.0.1:8080/v1")
NEWSROOM_OPENAI_MODEL = os.environ.get("NEWSROOM_OPENAI_MODEL", "")
NEWSROOM_OPENAI_API_KEY = os.environ.get("NEWSROOM_OPENAI_API_KEY", "")
NEWSROOM_OPENAI_TIMEOUT = float(os.environ.get("NEWSROOM_OPENAI_TIMEOUT") or 20)
# Transient failures (timeouts, 5xx, 429) retry after ~2, 4, 8 s (jittered), then fail visibly.
NEWSROOM_KEY_POINTS_MAX_RETRIES = env_int("NEWSROOM_KEY_POINTS_MAX_RETRIES", 3)
NEWSROOM_KEY_POINTS_RETRY_BACKOFF = env_int("NEWSROOM_KEY_POINTS_RETRY_BACKOFF", 2)
NEWSROOM_KEY_POINTS_RETRY_BACKOFF_MAX = env_int("NEWSROOM_KEY_POINTS_RETRY_BACKOFF_MAX", 60)
NEWSROOM_KEY_POINTS_SOFT_TIME_LIMIT = env_int(
    "NEWSROOM_KEY_POINTS_SOFT_TIME_LIMIT", CELERY_TASK_SOFT_TIME_LIMIT
)
NEWSROOM_KEY_POINTS_TIME_LIMIT = env_int("NEWSROOM_KEY_POINTS_TIME_LIMIT", CELERY_TASK_TIME_LIMIT)
# A request still queued or running after this long was lost (broker down, worker killed).
NEWSROOM_KEY_POINTS_STALE_AFTER = env_int("NEWSROOM_KEY_POINTS_STALE_AFTER", 300)
NEWSROOM_KEY_POINTS_SWEEP_LIMIT = env_int("NEWSROOM_KEY_POINTS_SWEEP_LIMIT", 200)
if CELERY_BROKER_URL.startswith(("redis://", "rediss://", "sentinel://")):
    # Redis has no acknowledgements: kombu keeps each message a worker took, and puts it back in
    # the queue once it is `visibility_timeout` old (kombu's default: an hour). That brings back
    # the request of a worker killed outright (kill -9, a lost machine) even if none restarts.
    # It must outlast the longest a message is rightly held: the longest retry countdown, then
    # a whole attempt up to its hard time limit. Lower recovers sooner; a message held longer
    # than this is delivered again while the first attempt still runs, which is harmless (the
    # task re-reads the story, checks the text hash and writes under a lock) but costs a
    # second summarizer call.
    _longest_countdown = (
        min(
            NEWSROOM_KEY_POINTS_RETRY_BACKOFF_MAX,
            NEWSROOM_KEY_POINTS_RETRY_BACKOFF * 2 ** (NEWSROOM_KEY_POINTS_MAX_RETRIES - 1),
        )
        if NEWSROOM_KEY_POINTS_MAX_RETRIES > 0
        else 0
    )
    _longest_attempt = max(NEWSROOM_KEY_POINTS_TIME_LIMIT, CELERY_TASK_TIME_LIMIT)
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "visibility_timeout": env_int(
            "CELERY_BROKER_VISIBILITY_TIMEOUT", _longest_countdown + _longest_attempt + 30
        ),
        # Every worker looks for such messages every 10 s (kombu's default is every 100 s).
        "unacked_restore_interval": 10,
        "unacked_restore_throttle": 1,
    }
CELERY_BEAT_SCHEDULE["requeue-stale-key-points"] = {
    "task": "events.tasks.requeue_stale_key_points",
    "schedule": env_int("NEWSROOM_KEY_POINTS_SWEEP_INTERVAL", 60),
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # A file, not memory, so that a real worker started by the integration test sees the data;
    # one per process, so that test runs side by side do not share it.
    DATABASES["default"]["TEST"] = {"NAME": str(VAR_DIR / f"test-{os.getpid()}.sqlite3")}

# --- Shared state: Redis (a database of its own: Django's cache.clear() empties it) holds the
# API's rate-limit logs and Django's cache, so every process and machine shares them. Without it
# both stay in each process's memory: every gunicorn worker then allows the full API rate.
NEWSROOM_REDIS_URL = os.environ.get("NEWSROOM_REDIS_URL", "")
if NEWSROOM_REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": NEWSROOM_REDIS_URL,
            "KEY_PREFIX": "newsroom",
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# --- Public API (/api/v1/): read-only, anonymous, throttled; the views carry the rest.
# The rate is an exact sliding window: N per any period, e.g. 120/min or 30/10s.
NEWSROOM_API_ANON_RATE = os.environ.get("NEWSROOM_API_ANON_RATE", "120/min")
REST_FRAMEWORK = {
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "URL_FORMAT_OVERRIDE": "format",
    # Clients are told apart by address; behind a proxy, trust its X-Forwarded-For only.
    "NUM_PROXIES": 1 if env_bool("DJANGO_BEHIND_TLS_PROXY", False) else 0,
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Newsroom public API",
    "DESCRIPTION": "Published stories, events and briefings. Read-only; errors are RFC 9457 "
    "problem documents; lists are keyset-paginated; times are UTC; /changes/ lists every change in "
    "commit order; feeds live under /api/v1/feeds/.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SERVE_AUTHENTICATION": [],
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    # Choice sets used by several fields, each named once.
    "ENUM_NAME_OVERRIDES": {
        "RecordKindEnum": "events.api.changes.RECORD_KINDS",
        "TakedownReasonEnum": "events.api.changes.TAKEDOWN_REASONS",
    },
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "events.api.schema.add_feeds",
    ],
}
CORS_URLS_REGEX = r"^/api/.*$"
CORS_ALLOW_ALL_ORIGINS = True  # public, anonymous, read-only: no credentials are ever sent
CORS_ALLOW_CREDENTIALS = False
CORS_ALLOW_METHODS = ["GET", "HEAD", "OPTIONS"]
CORS_ALLOW_HEADERS = ["accept", "if-none-match", "if-modified-since"]
CORS_EXPOSE_HEADERS = [
    "ETag",
    "Last-Modified",
    "Link",
    "RateLimit",
    "RateLimit-Policy",
    "Retry-After",
]
CORS_PREFLIGHT_MAX_AGE = 86400

# --- Sign-in throttling (django-axes) on the desk's and the admin's login pages. Failures count
# per account (from any address) and per address (whatever account it tries); past the limit
# within the cool-off, sign-in is refused even with the right password, until the cool-off has
# passed since the last failure or an editor deletes the attempts in the admin (Access attempts).
# Per-account locking lets whoever knows a username lock it out: the cool-off bounds each lock,
# and addresses in NEWSROOM_LOGIN_TRUSTED_ADDRESSES (the office, the VPN) are never locked out
# (nor are their failures counted).
INSTALLED_APPS += ["axes"]
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",  # first: refuses a locked sign-in before hashing
    "django.contrib.auth.backends.ModelBackend",
]
MIDDLEWARE += [
    "events.sessions.IdleTimeoutMiddleware",
    "axes.middleware.AxesMiddleware",  # last: turns a refused sign-in into the lockout page
]
AXES_FAILURE_LIMIT = env_int("NEWSROOM_LOGIN_FAILURE_LIMIT", 5)
_cool_off_minutes = env_int("NEWSROOM_LOGIN_COOLOFF_MINUTES", 15)
if AXES_FAILURE_LIMIT < 1 or _cool_off_minutes < 1:
    raise ImproperlyConfigured(
        "NEWSROOM_LOGIN_FAILURE_LIMIT and NEWSROOM_LOGIN_COOLOFF_MINUTES must be at least 1."
    )
AXES_COOLOFF_TIME = timedelta(minutes=_cool_off_minutes)
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
# Guesses during a lockout neither count nor extend it: the page's "N more minutes" holds.
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
AXES_CLIENT_IP_CALLABLE = "events.logins.client_address"  # the API throttle's address rule
AXES_USERNAME_CALLABLE = "events.logins.attempted_username"  # cut to an account's length
AXES_LOCKOUT_CALLABLE = "events.logins.show_lockout"
# Written as client_address() writes them (2001:DB8::1 is 2001:db8::1); a typo stops start-up.
AXES_IP_WHITELIST = [
    str(ipaddress.ip_address(a)) for a in env_list("NEWSROOM_LOGIN_TRUSTED_ADDRESSES")
]
AXES_NEVER_LOCKOUT_WHITELIST = True
AXES_VERBOSE = False  # no start-up banner on every manage.py command
# Failures and lockouts are warnings (username and address masked); the routine steps stay quiet.
LOGGING["loggers"] = {**LOGGING.get("loggers", {}), "axes": {"level": "WARNING"}}

# --- Idle sessions: a signed-in session ends this many seconds after its last request
# (events/sessions.py keeps it alive while used). Default: a working night.
NEWSROOM_SESSION_IDLE_TIMEOUT = env_int("NEWSROOM_SESSION_IDLE_TIMEOUT", 12 * 60 * 60)
if NEWSROOM_SESSION_IDLE_TIMEOUT < 60:
    raise ImproperlyConfigured("NEWSROOM_SESSION_IDLE_TIMEOUT is in seconds: at least 60.")
SESSION_COOKIE_AGE = NEWSROOM_SESSION_IDLE_TIMEOUT
