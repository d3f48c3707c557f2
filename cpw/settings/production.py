"""Production: every secret from the environment, HTTPS only, PostgreSQL and Redis expected.

Refuses to start (ImproperlyConfigured, saying what to change) with DEBUG on, without a
SECRET_KEY of its own or without ALLOWED_HOSTS."""

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403
from .base import DEVELOPMENT_SECRET_KEY, env


def _secret_key_problem(key: str) -> str | None:
    if not key:
        return "is not set"
    if key == DEVELOPMENT_SECRET_KEY or key.startswith("django-insecure-"):
        return "is the development key, which is published"
    if len(key) < 50 or len(set(key)) < 5:
        return "is too short to be secret (fewer than 50 characters)"
    return None


def _refusals(*, debug: bool, secret_key: str, allowed_hosts: list[str]) -> list[str]:
    """What stops these settings from starting, in plain words: nothing when all is well."""
    refusals = []
    if debug:
        refusals.append(
            "DEBUG is on, which shows error details to anyone: remove DEBUG or set DEBUG=false."
        )
    if problem := _secret_key_problem(secret_key):
        refusals.append(
            f"SECRET_KEY {problem}. Set it to a long random string of its own, for example the"
            ' output of python -c "import secrets; print(secrets.token_urlsafe(50))".'
        )
    if not allowed_hosts:
        refusals.append(
            "ALLOWED_HOSTS is not set. Set it to the host names the portal answers to,"
            " separated by commas, for example ALLOWED_HOSTS=portal.example.gov.uk."
        )
    return refusals


DEBUG = env.bool("DEBUG", default=False)
SECRET_KEY = env("SECRET_KEY", default="")
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=[])

if refusals := _refusals(debug=DEBUG, secret_key=SECRET_KEY, allowed_hosts=ALLOWED_HOSTS):
    raise ImproperlyConfigured(
        "The production settings (DJANGO_ENV=production) will not start:\n- "
        + "\n- ".join(refusals)
        + "\nSet these in the environment or in the .env file."
    )

SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_HSTS_SECONDS = 60 * 60 * 24 * 365
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
CSRF_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"

# Persistent database connections: each web process keeps its connection for CONN_MAX_AGE
# seconds instead of opening one per request (about 4 ms on PostgreSQL), checked before reuse
# so a connection the server dropped is replaced rather than failing a request.
DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=600)  # noqa: F405
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True  # noqa: F405

STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
