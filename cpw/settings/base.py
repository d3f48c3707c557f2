"""Settings shared by every environment. Everything that differs between machines comes from the
environment (see .env.example)."""

from datetime import timedelta
from pathlib import Path

from celery.schedules import crontab
from csp.constants import NONCE, NONE, SELF

from cpw.environment import BASE_DIR, Env, database_config, load_env_file

load_env_file()
env = Env()

# Published, so production settings refuse to start with it.
DEVELOPMENT_SECRET_KEY = "insecure-local-development-key-do-not-use-in-production"  # noqa: S105
SECRET_KEY = env("SECRET_KEY", default=DEVELOPMENT_SECRET_KEY)
DEBUG = env.bool("DEBUG", default=False)
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

SERVICE_NAME = "Community Power Portal"
PORTAL_BASE_URL = env("PORTAL_BASE_URL", default="http://127.0.0.1:8000")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.forms",
    "crispy_forms",
    "crispy_forms_gds",
    "django_filters",
    "django_celery_beat",
    "simple_history",
    "rules.apps.AutodiscoverRulesConfig",
    "axes",
    "cpw.core",
    "cpw.accounts",
    "cpw.privacy",
    "programmes",
    "groundbreakers",
    "funds",
    "evaluation",
    "reporting",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "api",
    "cpw.site",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "cpw.site.urls"
WSGI_APPLICATION = "cpw.wsgi.application"

# Form widgets render through the project's template engine, so that templates/django/forms/
# can replace one of Django's widget templates (the select, whose options it writes in place).
FORM_RENDERER = "django.forms.renderers.TemplatesSetting"

TEMPLATES = [
    {
        "BACKEND": "cpw.core.template_engine.DjangoTemplates",
        "NAME": "django",  # Django's own alias, which libraries ask for (DRF's error pages)
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "csp.context_processors.nonce",
                "cpw.site.context_processors.portal",
            ],
        },
    },
]

DATABASES = {
    "default": database_config(env("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}")),
}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "rules.permissions.ObjectPermissionBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "accounts:sign-in"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "accounts:signed-out"
PASSWORD_RESET_TIMEOUT = 60 * 60 * 24 * 3

# Wrong passwords slow down the (email address, IP address) pair that typed them, never the
# account for everyone (cpw/accounts/lockout.py): AXES_FAILURE_LIMIT tries cost nothing, then
# each further one means a wait, doubling from SIGN_IN_FIRST_WAIT up to SIGN_IN_LONGEST_WAIT.
# Axes records the failures; its own hard lock is off.
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_LOCK_OUT_AT_FAILURE = False
AXES_COOLOFF_TIME = timedelta(hours=24)  # failures are forgotten a day after the last one
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_USERNAME_FORM_FIELD = "username"
AXES_USERNAME_CALLABLE = "cpw.accounts.lockout.username_for_lockout"
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False
SILENCED_SYSTEM_CHECKS = ["axes.W006"]
SIGN_IN_FIRST_WAIT = timedelta(minutes=1)
SIGN_IN_LONGEST_WAIT = timedelta(hours=1)
# Registrations and password-reset requests each IP address may make (per hour), counted in the
# cache: with several web processes, point CACHE_URL at Redis (e.g. redis://127.0.0.1:6379/1) so
# they share one count.
CACHES = {"default": env.cache("CACHE_URL", default="locmemcache://")}
REGISTRATIONS_PER_HOUR = env.int("REGISTRATIONS_PER_HOUR", default=5)
PASSWORD_RESETS_PER_HOUR = env.int("PASSWORD_RESETS_PER_HOUR", default=10)
# Emailed links to vote in a residents' vote (funds.participatory): per IP address (a library or
# a voting-day laptop serves many residents) and per email address, each an hour.
VOTE_LINKS_PER_HOUR_PER_IP = env.int("VOTE_LINKS_PER_HOUR_PER_IP", default=30)
VOTE_LINKS_PER_HOUR_PER_EMAIL = env.int("VOTE_LINKS_PER_HOUR_PER_EMAIL", default=3)
# The DPO's access log flags one export of at least this many rows, and anyone who exports or
# downloads personal data more than this many times in 24 hours.
PRIVACY_UNUSUAL_ROWS = env.int("PRIVACY_UNUSUAL_ROWS", default=1000)
PRIVACY_UNUSUAL_ACCESSES_PER_DAY = env.int("PRIVACY_UNUSUAL_ACCESSES_PER_DAY", default=20)
# Self-registered accounts whose email address is never confirmed are removed after this.
UNVERIFIED_ACCOUNT_DAYS = 7

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True
USE_THOUSAND_SEPARATOR = True
DATE_INPUT_FORMATS = ["%d/%m/%Y", "%Y-%m-%d"]

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_ROOT = Path(env("MEDIA_ROOT", default=str(BASE_DIR / "media")))
MEDIA_URL = "/media/"
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 25 * 1024 * 1024
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

CRISPY_ALLOWED_TEMPLATE_PACKS = ["gds"]
CRISPY_TEMPLATE_PACK = "gds"
# Our own GOV.UK text inputs (a £ prefix, a % suffix) get the GOV.UK class, not their Python name.
CRISPY_CLASS_CONVERTERS = {"moneyinput": "govuk-input", "affixedtextinput": "govuk-input"}

EMAIL_CONFIG = env.email("EMAIL_URL", default="consolemail://")
vars().update(EMAIL_CONFIG)
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", default="community-power@example.gov.uk")

# Celery: with no broker configured, tasks run eagerly in this process.
CELERY_BROKER_URL = env("CELERY_BROKER_URL", default="")
CELERY_TASK_ALWAYS_EAGER = not CELERY_BROKER_URL
CELERY_TASK_EAGER_PROPAGATES = True
# With no broker, long tasks (report compiles) run in a thread of the web process, off the
# request, so "Compile now" answers at once and the progress page polls (cpw.core.queueing).
EAGER_LONG_TASKS_IN_THREAD = env.bool("EAGER_LONG_TASKS_IN_THREAD", default=True)
CELERY_RESULT_BACKEND = env("CELERY_RESULT_BACKEND", default=CELERY_BROKER_URL or None)
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_SOFT_TIME_LIMIT = 300
CELERY_TASK_TIME_LIMIT = 360
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# How long a task a worker took but never acknowledged (it died) waits before redelivery.
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "visibility_timeout": env.int("CELERY_VISIBILITY_TIMEOUT", default=3600)
}
CELERY_TIMEZONE = TIME_ZONE
CELERY_BEAT_SCHEDULER = "django_celery_beat.schedulers:DatabaseScheduler"
CELERY_BEAT_SCHEDULE = {
    "remove-unverified-accounts": {
        "task": "cpw.accounts.tasks.remove_unverified_accounts",
        "schedule": crontab(hour=3, minute=30),
    },
    "requeue-unsent-emails": {"task": "cpw.core.tasks.requeue_unsent_emails", "schedule": 600.0},
    "sweep-stuck-report-compiles": {
        "task": "reporting.sweep_stuck_compiles",
        "schedule": 120.0,
    },
    "sweep-stuck-fund-exports": {"task": "funds.tasks.sweep_stuck_exports", "schedule": 120.0},
    "compile-reports-for-locked-periods": {
        "task": "reporting.compile_locked_periods",
        "schedule": 300.0,
    },
    "programmes-update-reminders": {
        "task": "programmes.tasks.send_update_reminders",
        "schedule": crontab(hour=8, minute=0),
    },
    "groundbreaker-update-reminders": {
        "task": "groundbreakers.tasks.send_update_reminders",
        "schedule": 60 * 60 * 24.0,
    },
    "refresh-closed-survey-waves": {
        "task": "evaluation.tasks.refresh_closed_survey_waves",
        "schedule": crontab(hour=2, minute=15),
    },
    "refresh-derived-metrics": {
        "task": "evaluation.tasks.refresh_derived_metrics",
        "schedule": 6 * 60 * 60.0,
    },
    # Personal data past its retention period is deleted or anonymised (cpw/privacy).
    "apply-retention": {
        "task": "cpw.privacy.tasks.apply_retention",
        "schedule": crontab(hour=2, minute=15),
    },
    "funds-monitoring-reminders": {
        "task": "funds.tasks.send_monitoring_reminders",
        "schedule": 60.0 * 60 * 24,
    },
}

# The sections of the quarterly steering-group report, in order.
# A briefing: the summary (drawn from these) comes first, then the exceptions, then each area;
# the appendix (every update in full) comes last.
REPORT_SECTIONS = [
    "reporting.sections.delivery.HeadlineSection",
    "reporting.sections.delivery.CommitmentsSection",
    "reporting.sections.groundbreakers.GroundbreakersSection",
    "reporting.sections.funds.FundsSection",
    "reporting.sections.evaluation.EvaluationSection",
    "reporting.sections.groundbreakers.LearningSection",
    "reporting.sections.delivery.RisksSection",
    "reporting.sections.programme.ProgrammeSection",
]

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, NONCE],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    },
}
# The read API (api/): personal tokens, read-only, cursor pages, JSON/CSV/XLSX.
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "api.authentication.BearerTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["api.permissions.SignedIn"],
    "DEFAULT_RENDERER_CLASSES": [
        "rest_framework.renderers.JSONRenderer",
        "api.renderers.CSVRenderer",
        "api.renderers.XLSXRenderer",
    ],
    "DEFAULT_THROTTLE_CLASSES": ["api.throttling.TokenRateThrottle"],
    "DEFAULT_PAGINATION_CLASS": "api.pagination.StableCursorPagination",
    "DEFAULT_FILTER_BACKENDS": [
        "django_filters.rest_framework.DjangoFilterBackend",
        "api.filters.ApiOrderingFilter",
    ],
    "DEFAULT_SCHEMA_CLASS": "api.schema.ApiAutoSchema",
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
    # Figures as JSON numbers, so Power BI and Excel read them as numbers.
    "COERCE_DECIMAL_TO_STRING": False,
}
# Requests a minute for one token (or one signed-in user, or one address without either).
API_RATE = env("API_RATE", default="120/min")
# Most rows one CSV or XLSX feed holds (the feeds are not paged, so Excel gets every row).
API_FEED_MAX_ROWS = env.int("API_FEED_MAX_ROWS", default=50_000)
SPECTACULAR_SETTINGS = {
    "TITLE": "Community Power Portal read API",
    "DESCRIPTION": "Read-only figures of the programmes you can see in the portal. Send a "
    "personal API token as `Authorization: Bearer <token>`. Every list is a cursor page; add "
    "`?format=csv` or `?format=xlsx` for the whole list as a spreadsheet.",
    "VERSION": "1",
    "OAS_VERSION": "3.1.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    # No deep links: Swagger UI puts them inside each operation's button (nested controls); no
    # syntax colours, some of which fail contrast (tests/browser/test_api_docs.py, axe-core).
    "SWAGGER_UI_SETTINGS": {"deepLinking": False, "syntaxHighlight": {"activated": False}},
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    "SCHEMA_PATH_PREFIX": "/api/v1",
}

SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_AGE = 60 * 60 * 8

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", default="INFO")},
    "loggers": {
        "axes": {"level": "WARNING"},
    },
}
