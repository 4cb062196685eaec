"""Settings of the incubator portal.

The environment is read here and nowhere else; every variable is optional for a
local run (see the table in README.md).
"""

import os
import secrets
import sys
from datetime import timedelta
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlsplit

import dj_database_url
from csp.constants import NONE, SELF
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = BASE_DIR / "var"


def env_flag(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: list[str]) -> list[str]:
    value = os.environ.get(name, "")
    return [item.strip() for item in value.split(",") if item.strip()] or default


def development_secret_key(path: Path) -> str:
    """Return the key kept in `path`, made there (readable by its owner alone) the first time.

    A local run (`make run`) is several processes: the web server signs a session or a
    link that the worker, beat or the server reloaded after an edit must read, so the key
    outlives each of them. Written whole to a file of its own, then linked into place: two
    processes starting at once agree on one key.
    """
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        draft = path.with_name(f"{path.name}.{os.getpid()}")
        fd = os.open(draft, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w") as out:
            out.write("dev-" + secrets.token_urlsafe(50))
        try:
            os.link(draft, path)
        except FileExistsError:
            pass  # another process made it first: its key is the one
        finally:
            draft.unlink()
    return path.read_text().strip()


DEBUG = env_flag("DEBUG")
TESTING = "pytest" in sys.modules

SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if not (DEBUG or TESTING):
        sys.exit("SECRET_KEY is not set: set the SECRET_KEY environment variable (DEBUG is off).")
    # The tests make their own each run; a local run keeps one under var/ (see above).
    if TESTING:
        SECRET_KEY = "test-" + secrets.token_urlsafe(50)
    else:
        SECRET_KEY = development_secret_key(VAR_DIR / "secret_key")

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["localhost", "127.0.0.1", "[::1]"])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "incubator.admin_site.CenterAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rest_framework",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    # Both with their names in the staff's language (incubator/third_party.py).
    "incubator.third_party.APIKeyConfig",
    "django_celery_beat",
    "incubator.third_party.AxesConfig",
    "incubator",
    "incubator.reports",
    "companies",
    "programs",
    "events",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    # Django's, with an API write that lacks its trailing slash a JSON 404, not a redirect.
    "incubator.api.middleware.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "incubator.middleware.UserPreferencesMiddleware",
    "incubator.middleware.ErrorPagesMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    # Last, as django-axes asks: it turns a locked-out sign-in into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "incubator.urls"
CSRF_FAILURE_VIEW = "incubator.views.csrf_failure"
WSGI_APPLICATION = "incubator.wsgi.application"
AUTH_USER_MODEL = "incubator.User"
# django-axes first: it refuses a locked-out account or address before the
# password is even checked.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "incubator.auth_backend.UserBackend",
]
LOGIN_URL = "portal:login"
LOGIN_REDIRECT_URL = "portal:home"
LOGOUT_REDIRECT_URL = "landing"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.template.context_processors.tz",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "incubator.portal.portal_nav",
            ],
        },
    },
    # The plain-text parts and subjects of e-mails: text, not HTML, so nothing is escaped
    # ("Lee & O'Brien", not "Lee &amp; O&#x27;Brien"). Chosen by name (incubator.services).
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "NAME": "text",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {"autoescape": False},
    },
]

# Database: SQLite under var/ unless DATABASE_URL names another.
DATABASE_URL_IN_USE = os.environ.get("DATABASE_URL") or f"sqlite:///{VAR_DIR / 'db.sqlite3'}"
DATABASES = {"default": dj_database_url.parse(DATABASE_URL_IN_USE, conn_max_age=60)}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    Path(DATABASES["default"]["NAME"]).parent.mkdir(parents=True, exist_ok=True)
    # Web, worker and beat share the file: wait for locks instead of failing,
    # and let readers work while one writes.
    DATABASES["default"]["OPTIONS"] = {
        "timeout": 20,
        "transaction_mode": "IMMEDIATE",
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
    DATABASES["default"]["CONN_MAX_AGE"] = 0
else:
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
    DATABASES["default"].setdefault("OPTIONS", {})["connect_timeout"] = 5
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Brute-force protection (django-axes) for the portal's and the admin's sign-in.
# Account and address lock separately: guessing one account's password from many
# addresses locks the account, guessing many accounts from one address locks it.
AXES_FAILURE_LIMIT = 5
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_COOLOFF_TIME = timedelta(minutes=30)
# Not on success: with separate parameters axes would then delete every attempt
# of the address, so someone with an account of their own could sign in to it
# between guesses and never be locked. A typo followed by a success costs one
# of five tries for 30 minutes.
AXES_RESET_ON_SUCCESS = False
# A try refused because the account or the address is locked is not one more failure: it
# is refused before any password is read. Counted, a locked person retrying the right
# password would lock the address (the office behind one NAT, every colleague) after
# five tries, and each try would push the end of the lock back. The lock ends 30 minutes
# after the failure that set it.
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
# Failures stay on record after a manager lifts a lock (at most 1,000 per
# account); successful sign-ins are not kept, nobody reads them.
AXES_ENABLE_ACCESS_FAILURE_LOG = True
AXES_DISABLE_ACCESS_LOG = True
# Both sign-in forms post the e-mail address as "username".
AXES_USERNAME_FORM_FIELD = "username"
AXES_USERNAME_CALLABLE = "incubator.lockout.client_username"
AXES_CLIENT_IP_CALLABLE = "incubator.lockout.client_ip"
AXES_LOCKOUT_CALLABLE = "incubator.lockout.locked_out"
# Behind the TLS proxy every request comes from the proxy's address, and locking
# it would lock everyone: name the proxies in front so that the visitor's own
# address (from X-Forwarded-For) is the one counted.
TRUSTED_PROXY_COUNT = int(os.environ.get("TRUSTED_PROXY_COUNT", 0))

if TESTING:
    # PBKDF2's million rounds cost about a second per account; tests need no strength.
    PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

# Languages: Korean first; English is the source language of the catalogues.
LANGUAGE_CODE = os.environ.get("LANGUAGE_CODE", "ko")
LANGUAGES = [("ko", _("Korean")), ("zh-hans", _("Simplified Chinese")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
LANGUAGE_COOKIE_NAME = "lang"
USE_I18N = True
TIME_ZONE = os.environ.get("TIME_ZONE", "Asia/Shanghai")
USE_TZ = True
# Every time Django formats shows its zone (incubator/formats/).
FORMAT_MODULE_PATH = ["incubator.formats"]
PORTAL_TIME_ZONES = ["Asia/Seoul", "Asia/Shanghai"]

STATIC_URL = "/static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", BASE_DIR / "staticfiles"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG or TESTING
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
# Uploads are private: never under STATIC_ROOT, never served by URL.
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", VAR_DIR / "private"))
UPLOAD_MAX_BYTES = int(os.environ.get("UPLOAD_MAX_BYTES", 10 * 1024 * 1024))
# A portal form sends one file with its fields: the file and 1 MB more. The
# handler refuses a larger body unread and stops a file at UPLOAD_MAX_BYTES as it
# streams; the proxy in front refuses the same (docs/deployment.md).
UPLOAD_MAX_BODY_BYTES = UPLOAD_MAX_BYTES + 1024 * 1024
FILE_UPLOAD_HANDLERS = [
    "incubator.uploads.LimitedUploadHandler",
    "django.core.files.uploadhandler.MemoryFileUploadHandler",
    "django.core.files.uploadhandler.TemporaryFileUploadHandler",
]
# Files past 2.5 MB wait in a temporary file, not in memory, until the form checks them.
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
# Fields other than files: Django's defaults, well above the longest text of a
# form (a few pages) and the largest admin list (a few hundred fields).
DATA_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
DATA_UPLOAD_MAX_NUMBER_FIELDS = 1000


def email_settings(url: str) -> dict:
    """Translate EMAIL_URL into settings.

    smtp://user:pass@host:587?tls=1, smtps://..., file:///path or console:.
    """
    parts = urlsplit(url)
    if parts.scheme in {"smtp", "smtps"}:
        query = parse_qs(parts.query)
        return {
            "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "EMAIL_HOST": parts.hostname or "localhost",
            "EMAIL_PORT": parts.port or (465 if parts.scheme == "smtps" else 25),
            "EMAIL_HOST_USER": unquote(parts.username or ""),
            "EMAIL_HOST_PASSWORD": unquote(parts.password or ""),
            "EMAIL_USE_SSL": parts.scheme == "smtps",
            "EMAIL_USE_TLS": query.get("tls", ["0"])[0] in {"1", "true"},
            "EMAIL_TIMEOUT": 20,
        }
    if parts.scheme == "console":
        return {"EMAIL_BACKEND": "django.core.mail.backends.console.EmailBackend"}
    path = parts.path if parts.scheme == "file" and parts.path else str(VAR_DIR / "mail")
    return {"EMAIL_BACKEND": "incubator.mail.FileAndConsoleBackend", "EMAIL_FILE_PATH": path}


globals().update(email_settings(os.environ.get("EMAIL_URL", "")))
# The portal's public address, for links in e-mails sent by workers.
SITE_URL = os.environ.get("SITE_URL", "http://127.0.0.1:8000")
# The outbox sends from this address under the center's name in the recipient's language
# (incubator.services); Django's own e-mails use it as it is.
DEFAULT_FROM_EMAIL = os.environ.get(
    "DEFAULT_FROM_EMAIL", "China-Korea Startup Center <noreply@localhost>"
)

# Celery: Redis when REDIS_URL is set, else kombu's filesystem transport under
# var/ so that a worker and beat run with no server at all.
REDIS_URL = os.environ.get("REDIS_URL", "")
if REDIS_URL:
    CELERY_BROKER_URL = REDIS_URL
    # A request that enqueues while Redis is down gives up at once (the outbox
    # sweep sends later) instead of sleeping through kombu's default retries.
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "visibility_timeout": 3600,
        "max_retries": 1,
        "interval_start": 0,
        "interval_step": 0.2,
        "interval_max": 0.5,
    }
else:
    # The transport ignores the host; naming one keeps kombu from warning "No hostname was
    # supplied" at every connection.
    CELERY_BROKER_URL = "filesystem://localhost/"
    _queue_dir = str(VAR_DIR / "broker")
    Path(_queue_dir).mkdir(parents=True, exist_ok=True)
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": _queue_dir,
        "data_folder_out": _queue_dir,
        "processed_folder": str(VAR_DIR / "broker-processed"),
        "control_folder": str(VAR_DIR / "broker-control"),
        "store_processed": False,
    }
CELERY_TASK_ACKS_LATE = True
# No result backend: nobody waits on a task's return value (long jobs keep
# their progress in database rows), and a result channel to a stopped Redis
# would stall every request that enqueues.
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
# With acks_late a task that outlives Redis's visibility timeout (an hour) is handed to a
# second worker while the first still runs it. The longest job (a report at scale, a
# schedule) takes seconds; a stuck one is stopped well before the hour.
CELERY_TASK_SOFT_TIME_LIMIT = 25 * 60
CELERY_TASK_TIME_LIMIT = 30 * 60
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_DEFAULT_QUEUE = "default"
# Messages on "default"; long jobs (schedules, reports, imports) say queue="heavy".
CELERY_TASK_ROUTES = ("incubator.celery.route_by_task_queue",)
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_BROKER_CONNECTION_TIMEOUT = 5
CELERY_TIMEZONE = TIME_ZONE
CELERY_BEAT_SCHEDULER = "django_celery_beat.schedulers:DatabaseScheduler"
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
OUTBOX_MAX_ATTEMPTS = int(os.environ.get("OUTBOX_MAX_ATTEMPTS", 8))
# Webhooks go to public https addresses only. A local receiver (http, 127.0.0.1, a LAN
# address) is allowed when developing and in the tests, never by an environment variable:
# in production a partner's URL must not reach the center's own network (SSRF).
WEBHOOKS_ALLOW_PRIVATE = DEBUG or TESTING
WEBHOOKS_TIMEOUT_SECONDS = 10

# The API's throttle counts in Redis when there is one, so that every gunicorn worker
# shares one count per key; in one process's memory otherwise.
CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
    "api": (
        {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}
        if REDIS_URL
        else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "api"}
    ),
}

REST_FRAMEWORK = {
    "DEFAULT_SCHEMA_CLASS": "incubator.api.schema.ScopedSchema",
    "DEFAULT_FILTER_BACKENDS": [
        "incubator.api.filters.KnownParameters",  # first: an unknown parameter is a 400
        "django_filters.rest_framework.DjangoFilterBackend",
        "incubator.api.filters.StrictOrdering",
    ],
    "DEFAULT_CONTENT_NEGOTIATION_CLASS": "incubator.api.negotiation.Negotiation",
    "DEFAULT_PAGINATION_CLASS": "incubator.api.pagination.Page",
    "DEFAULT_AUTHENTICATION_CLASSES": ["incubator.api.auth.PartnerKeyAuthentication"],
    # Nothing is open unless a view says who may: DRF's own default is AllowAny.
    "DEFAULT_PERMISSION_CLASSES": ["incubator.permissions.DenyAll"],
    "DEFAULT_THROTTLE_CLASSES": ["incubator.api.throttling.PartnerKeyThrottle"],
    "DEFAULT_THROTTLE_RATES": {
        "partner_key": os.environ.get("API_RATE", "120/minute"),
        # Wrong keys from one client address (incubator.api.auth.WrongKeyThrottle). None in
        # the tests: all their calls come from 127.0.0.1, and Redis would carry the count
        # from one test (and worker) to the next; the tests of the budget set one.
        "wrong_key": None if TESTING else "30/minute",
    },
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_METADATA_CLASS": "incubator.api.metadata.SchemaPointer",
    "DEFAULT_PARSER_CLASSES": ["incubator.api.parsers.JSONParser"],
    "EXCEPTION_HANDLER": "incubator.api.errors.exception_handler",
    "UNAUTHENTICATED_USER": None,
}
# The partner organisations' keys (djangorestframework-api-key's model, extended).
API_KEY_MODEL = "companies.PartnerAPIKey"
SPECTACULAR_SETTINGS = {
    "TITLE": _("China-Korea Innovation & Startup Center: partner API"),
    "DESCRIPTION": _(
        "For the center's partners: investors, local companies, the county government and "
        "universities. Every call carries a key of the partner organisation: "
        "`Authorization: Api-Key <key>`. The guides, in Korean, Chinese or English: "
        "[the partner API](/api/v1/guide/) and [webhooks](/api/v1/guide/webhooks/)."
    ),
    "VERSION": "1.0.0",
    # The docs' sections, in the order a partner's developer meets them.
    "TAGS": [
        {"name": "people", "description": _("Your organisation's people")},
        {"name": "companies", "description": _("Companies shown to partners")},
        {"name": "events", "description": _("Events open to partners")},
        {"name": "registrations", "description": _("Your organisation's registrations")},
        {"name": "meetings", "description": _("1:1 meetings at matching sessions")},
        {"name": "interests", "description": _("Your organisation's interests in companies")},
        {"name": "technologies", "description": _("Technology listings")},
        {"name": "inquiries", "description": _("Your organisation's inquiries")},
        {"name": "webhooks", "description": _("Your webhook endpoints")},
        {"name": "reports", "description": _("The center's KPI report of a period")},
    ],
    "SCHEMA_PATH_PREFIX": "/api/v1",
    "DEFAULT_GENERATOR_CLASS": "incubator.api.schema.PublicSchemaGenerator",
    "SERVE_INCLUDE_SCHEMA": False,
    "SERVE_PERMISSIONS": ["rest_framework.permissions.AllowAny"],
    "SERVE_AUTHENTICATION": [],
    "COMPONENT_SPLIT_REQUEST": True,
    # The docs page's scripts and styles come from the portal, not a CDN.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "incubator.api.schema.add_error_responses",
    ],
    # An event's status is in two components (an event, a registration's event): named
    # here, not by a hash of its labels, which differs from one language to the next.
    "ENUM_NAME_OVERRIDES": {"EventStatusEnum": "events.models.Event.Status"},
}

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "img-src": [SELF, "data:"],
        "object-src": [NONE],
        "frame-ancestors": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
    }
}

SESSION_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
if not DEBUG:
    # Production sits behind a TLS-terminating proxy (see docker-compose.yml).
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = env_flag("SECURE_SSL_REDIRECT", True) and not TESTING
    SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", 31536000))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True

# The request logs leave out the secrets of links and the traceback of a refusal
# (incubator/log_filters.py; gunicorn's access log: incubator/gunicorn_config.py). The dev
# server's logger is Django's own, written out again to take the filter. The root's
# handler masks too: a library's logger (django-axes writes the path of every sign-in,
# the e-mail confirmation link among them) reaches it, and a filter on a logger does
# not see what its children log.
_REQUEST_FILTERS = ["secrets_masked", "refusals_without_traceback"]
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {
        "secrets_masked": {"()": "incubator.log_filters.SecretsMasked"},
        "refusals_without_traceback": {"()": "incubator.log_filters.RefusalsWithoutTraceback"},
    },
    "formatters": {
        "django.server": {
            "()": "django.utils.log.ServerFormatter",
            "format": "[{server_time}] {message}",
            "style": "{",
        }
    },
    "handlers": {
        "console": {"class": "logging.StreamHandler", "filters": ["secrets_masked"]},
        "django.server": {
            "level": "INFO",
            "class": "logging.StreamHandler",
            "formatter": "django.server",
        },
    },
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {
        "django.db.backends": {"level": "INFO"},
        "django.server": {
            "handlers": ["django.server"],
            "level": "INFO",
            "propagate": False,
            "filters": ["secrets_masked"],
        },
        "django.request": {"filters": _REQUEST_FILTERS},
        "django.security.csrf": {"filters": _REQUEST_FILTERS},
    },
}
