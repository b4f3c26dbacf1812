"""Settings for the A2I portal: the only settings module.

With no environment at all it runs on one machine with no servers (SQLite, a filesystem Celery
broker, outputs on local disk, all under the git-ignored `var/`). Production changes environment
variables, never code; the README lists every variable with its default.
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path

import environ

BASE_DIR = Path(__file__).resolve().parent.parent
env = environ.Env()

VAR_DIR = Path(env.str("VAR_DIR", default=str(BASE_DIR / "var")))
VAR_DIR.mkdir(parents=True, exist_ok=True)


def read_or_create_secret(path: Path) -> str:
    """The secret key kept in `path`, generated there on first run (mode 0600)."""
    if not path.exists():
        path.touch(mode=0o600)
        path.write_text(secrets.token_urlsafe(50))
    return path.read_text().strip()


# Core
DEBUG = env.bool("DEBUG", default=False)
SECRET_KEY = env.str("SECRET_KEY", default="") or read_or_create_secret(VAR_DIR / "secret_key")
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["localhost", "127.0.0.1", "[::1]"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])
SITE_URL = env.str("SITE_URL", default="http://127.0.0.1:8000")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",  # Swagger UI's files, served locally (no CDN)
    "crispy_forms",
    "crispy_bootstrap5",
    "csp",
    "a2i_portal.access",
    "workflows",
    "reviews",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "csp.middleware.CSPMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "a2i_portal.urls"
WSGI_APPLICATION = "a2i_portal.wsgi.application"
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

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
            ],
        },
    },
]

# Database
DATABASES = {"default": env.db("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'db.sqlite3'}")}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # SQLite has no row locks. IMMEDIATE transactions take the write lock when a service's
    # transaction opens, so two claims never read the same open slot; WAL lets readers go on.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        }
    )
else:
    DATABASES["default"].setdefault("CONN_MAX_AGE", env.int("CONN_MAX_AGE", default=60))
    DATABASES["default"].setdefault("CONN_HEALTH_CHECKS", True)

# Auth
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "reviews:home"
LOGOUT_REDIRECT_URL = "login"

# Content-Security-Policy of the portal's pages: nothing loads from outside, no inline script.
# A task's worker template is served with a policy of its own (reviews.views.FRAME_POLICY); the
# API (JSON, and its docs page with Swagger UI's inline set-up) is left out.
CONTENT_SECURITY_POLICY = {
    "EXCLUDE_URL_PREFIXES": ["/api/"],
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'", "'unsafe-inline'"],
        "img-src": ["'self'", "data:"],
        "frame-src": ["'self'"],
        "frame-ancestors": ["'self'"],
        "form-action": ["'self'"],
        "base-uri": ["'self'"],
        "object-src": ["'none'"],
    },
}

# Internationalisation: A2I's timestamps are UTC, so is everything here.
LANGUAGE_CODE = "en-us"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

# Static files and storage
STATIC_URL = "static/"
STATIC_ROOT = Path(env.str("STATIC_ROOT", default=str(VAR_DIR / "staticfiles")))
STATIC_ROOT.mkdir(parents=True, exist_ok=True)  # whitenoise reads it at start-up
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_ROOT = Path(env.str("MEDIA_ROOT", default=str(VAR_DIR / "media")))
MEDIA_URL = "media/"
OUTPUT_ROOT = Path(env.str("OUTPUT_ROOT", default=str(VAR_DIR / "outputs")))
# Where output.json files go: "disk" (OUTPUT_ROOT, `s3://bucket/key` is the file `bucket/key`)
# or "s3", the bucket and key of the loop's output URI on S3_ENDPOINT_URL (empty: AWS itself).
OUTPUT_STORAGE = env.str("OUTPUT_STORAGE", default="disk")
# Objects the portal stores for templates to show (`s3://bucket/key` is `bucket/key` in it).
OBJECTS_ROOT = Path(env.str("OBJECTS_ROOT", default=str(VAR_DIR / "objects")))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    # Where output.json files go (the flow definition's output location maps into it).
    "outputs": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": str(OUTPUT_ROOT), "allow_overwrite": True},
    },
    "objects": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": str(OBJECTS_ROOT)},
    },
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
if OUTPUT_STORAGE == "s3":
    # No bucket here: each flow definition's output path names its own, and
    # reviews.services.output_storage makes one storage per bucket from these options.
    # Credentials: AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, else boto3's own chain.
    STORAGES["outputs"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "file_overwrite": True,  # a rewrite replaces the object: same key, same bytes
            "object_parameters": {"ContentType": "application/json"},
        },
    }
elif OUTPUT_STORAGE != "disk":
    raise ValueError(f"OUTPUT_STORAGE must be disk or s3, not {OUTPUT_STORAGE!r}")
# Pages keep working before `collectstatic` has run (tests, a fresh checkout with DEBUG on).
WHITENOISE_MANIFEST_STRICT = False
WHITENOISE_USE_FINDERS = DEBUG

# A2I identity: the region and account id printed in A2I-style ARNs.
A2I_REGION = env.str("A2I_REGION", default="us-east-1")
A2I_ACCOUNT_ID = env.str("A2I_ACCOUNT_ID", default="000000000000")
# Quota on concurrently in-progress human loops (ServiceQuotaExceeded); 0 means no cap.
A2I_MAX_IN_PROGRESS_LOOPS = env.int("A2I_MAX_IN_PROGRESS_LOOPS", default=0)

# grant_read_access: URLs to S3 objects in worker templates live this long. With an
# S3-compatible endpoint they are pre-signed S3 URLs (credentials from the usual AWS_*
# variables); without one they are signed portal URLs to the `objects` storage.
A2I_READ_ACCESS_SECONDS = env.int("A2I_READ_ACCESS_SECONDS", default=3600)
S3_ENDPOINT_URL = env.str("S3_ENDPOINT_URL", default="")
S3_REGION = env.str("S3_REGION", default=A2I_REGION)

# API access keys: their secrets are stored encrypted (SigV4 needs the secret itself). The
# encryption key is derived from this value; empty means "derive it from SECRET_KEY", so
# changing SECRET_KEY then makes every stored secret unreadable. Set it to keep them apart.
ACCESS_KEY_ENCRYPTION_KEY = env.str("ACCESS_KEY_ENCRYPTION_KEY", default="")

# Celery
CELERY_BROKER_URL = env.str("CELERY_BROKER_URL", default="filesystem://")
if CELERY_BROKER_URL == "filesystem://":
    # Web and worker share these settings, so both use one folder, created here at start-up.
    _broker = {part: VAR_DIR / "broker" / part for part in ("queue", "processed", "control")}
    for _folder in _broker.values():
        _folder.mkdir(parents=True, exist_ok=True)
    # kombu's filesystem transport, with messages written whole before a consumer sees them.
    CELERY_BROKER_TRANSPORT = "a2i_portal.broker:Transport"
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(_broker["queue"]),
        "data_folder_out": str(_broker["queue"]),
        "processed_folder": str(_broker["processed"]),
        "control_folder": str(_broker["control"]),  # else kombu writes ./control
        "store_processed": False,
        # A worker holding all the messages it may prefetch waits this long before it looks
        # again (kombu's default, 1 s, caps it at a couple of tasks a second).
        "polling_interval": 0.1,
    }
# In-process mode: tasks run inside the caller (unit tests, a quick demo).
CELERY_TASK_ALWAYS_EAGER = env.bool("CELERY_TASK_ALWAYS_EAGER", default=False)
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_ACKS_LATE = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_BEAT_SCHEDULE_FILENAME = str(VAR_DIR / "celerybeat-schedule")
CELERY_TIMEZONE = TIME_ZONE
# How often the sweeps run (expired claims, expired loops, stopping loops, deleting flow
# definitions), in seconds.
A2I_SWEEP_INTERVAL = env.float("A2I_SWEEP_INTERVAL", default=15.0)
# A sweep left in the queue past its interval (the worker was down) is dropped: the next one
# does its work, so a restarted worker does not run a backlog of identical sweeps.
_sweep = {"schedule": A2I_SWEEP_INTERVAL, "options": {"expires": A2I_SWEEP_INTERVAL}}
CELERY_BEAT_SCHEDULE = {
    "expire-overdue-claims": {"task": "reviews.tasks.expire_overdue_claims", **_sweep},
    "fail-expired-loops": {"task": "reviews.tasks.fail_expired_loops", **_sweep},
    "retire-deleting-flow-definitions": {
        "task": "reviews.tasks.retire_deleting_flow_definitions",
        **_sweep,
    },
    "recover-outbox": {"task": "reviews.tasks.recover_outbox", **_sweep},
}
# Work a lost message left undone (a worker killed mid-task, a broker that refused a message
# after the commit) is picked up by the outbox sweep once it is this many seconds overdue.
A2I_OUTBOX_RECOVERY_SECONDS = env.float("A2I_OUTBOX_RECOVERY_SECONDS", default=60.0)
# Reviewers are emailed about new work in batches: at most one email per reviewer per this many
# seconds, sent by a sweep that runs as often.
A2I_NOTIFY_INTERVAL = env.float("A2I_NOTIFY_INTERVAL", default=300.0)
CELERY_BEAT_SCHEDULE["notify-reviewers-of-new-work"] = {
    "task": "reviews.tasks.notify_reviewers_of_new_work",
    "schedule": A2I_NOTIFY_INTERVAL,
    "options": {"expires": A2I_NOTIFY_INTERVAL},
}

# Webhooks: each POST waits this long for an answer; a failed one is retried after
# BASE * 2^(attempt-1) seconds, at most MAX apart, until RETRY_FOR seconds after the event.
WEBHOOK_TIMEOUT_SECONDS = env.float("WEBHOOK_TIMEOUT_SECONDS", default=10.0)
WEBHOOK_RETRY_BASE_SECONDS = env.float("WEBHOOK_RETRY_BASE_SECONDS", default=5.0)
WEBHOOK_RETRY_MAX_SECONDS = env.float("WEBHOOK_RETRY_MAX_SECONDS", default=600.0)
WEBHOOK_RETRY_FOR_SECONDS = env.float("WEBHOOK_RETRY_FOR_SECONDS", default=86400.0)

# DRF
REST_FRAMEWORK = {
    "EXCEPTION_HANDLER": "a2i_portal.drf.exception_handler",
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "a2i_portal.access.authentication.AccessKeyBasicAuthentication",
        "a2i_portal.access.authentication.SigV4Authentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "A2I portal API",
    "DESCRIPTION": (
        "The native REST API of the A2I portal: work teams, human task UIs, flow definitions "
        "and human loops. Authenticate with an access key (HTTP Basic: key id and secret), "
        "AWS Signature V4, or a browser session. Refusals name the field and the rule: "
        '{"error", "field", "message"}.'
    ),
    "VERSION": "1.0.0",
    "SCHEMA_PATH_PREFIX": "/api/v1",
    "PREPROCESSING_HOOKS": ["workflows.api.schema.native_api_only"],
    "SERVE_INCLUDE_SCHEMA": False,
    "COMPONENT_SPLIT_REQUEST": True,
    "ENUM_NAME_OVERRIDES": {
        "HumanLoopStatusEnum": "reviews.models.loops.LoopStatus",
        "FlowDefinitionStatusEnum": "workflows.models.FlowDefinitionStatus",
    },
    # The docs page loads Swagger UI from this site's static files, never from a CDN.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    # Swagger UI would otherwise send the schema to validator.swagger.io for its badge.
    "SWAGGER_UI_SETTINGS": {"deepLinking": True, "validatorUrl": None},
    "REDOC_DIST": "SIDECAR",
}

# Forms
CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# Email
EMAIL_BACKEND = env.str("EMAIL_BACKEND", default="django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="a2i-portal@localhost")
# For EMAIL_BACKEND=django.core.mail.backends.smtp.EmailBackend. The timeout keeps a mail server
# that never answers from holding a notification sweep past its lease.
EMAIL_HOST = env.str("EMAIL_HOST", default="localhost")
EMAIL_PORT = env.int("EMAIL_PORT", default=25)
EMAIL_HOST_USER = env.str("EMAIL_HOST_USER", default="")
EMAIL_HOST_PASSWORD = env.str("EMAIL_HOST_PASSWORD", default="")
EMAIL_USE_TLS = env.bool("EMAIL_USE_TLS", default=False)
EMAIL_USE_SSL = env.bool("EMAIL_USE_SSL", default=False)
EMAIL_TIMEOUT = env.float("EMAIL_TIMEOUT", default=30.0)

# Security (the reverse proxy terminates TLS in production; set these there)
SESSION_COOKIE_SECURE = env.bool("SESSION_COOKIE_SECURE", default=False)
CSRF_COOKIE_SECURE = env.bool("CSRF_COOKIE_SECURE", default=False)
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "SAMEORIGIN"

# Logging: `plain` lines for people, `json` (one object a line) for a log pipeline. Both carry
# the `extra` fields the services log with (event, loop, flow_definition, ...).
LOG_FORMAT = env.str("LOG_FORMAT", default="plain")
if LOG_FORMAT not in ("plain", "json"):
    raise ValueError(f"LOG_FORMAT must be plain or json, not {LOG_FORMAT!r}")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "plain": {
            "()": "a2i_portal.logs.KeyValueFormatter",
            "fmt": "%(asctime)s %(levelname)s %(name)s %(message)s",
        },
        "json": {
            "()": "pythonjsonlogger.json.JsonFormatter",
            "fmt": "%(levelname)s %(name)s %(message)s",
            "rename_fields": {"levelname": "level", "name": "logger"},
            "timestamp": "time",
        },
    },
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": LOG_FORMAT}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
}
# The worker keeps the handler above instead of installing its own, so its lines (the sweeps,
# webhook attempts) come out in the same format as the web's.
CELERY_WORKER_HIJACK_ROOT_LOGGER = False

# Metrics
# prometheus-client's multiprocess mode: each web and worker process writes its counters to
# files in this folder, and a scrape adds them up. The library picks the mode when it is first
# imported, from the environment, so the folder goes there before any app loads; processes
# started later inherit it. scripts/run-portal empties it before the processes start.
PROMETHEUS_MULTIPROC_DIR = Path(
    env.str("PROMETHEUS_MULTIPROC_DIR", default=str(VAR_DIR / "metrics"))
).resolve()
PROMETHEUS_MULTIPROC_DIR.mkdir(parents=True, exist_ok=True)
os.environ["PROMETHEUS_MULTIPROC_DIR"] = str(PROMETHEUS_MULTIPROC_DIR)
# Who may read /metrics: clients in these networks, or anywhere with the bearer token (empty:
# no token is accepted). Behind a reverse proxy REMOTE_ADDR is the proxy's address.
METRICS_ALLOWED_NETWORKS = env.list("METRICS_ALLOWED_NETWORKS", default=["127.0.0.0/8", "::1/128"])
METRICS_BEARER_TOKEN = env.str("METRICS_BEARER_TOKEN", default="")
