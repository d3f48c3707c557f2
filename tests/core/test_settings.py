import importlib
import json
import os
import shutil
import subprocess
import sys

import pytest
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from cpw.environment import database_config, default_settings_module, env_file, load_env_file
from cpw.settings.base import DEVELOPMENT_SECRET_KEY

# Runs in the SQLite pass too (SQLite is `make run`'s database): `make test`.
pytestmark = pytest.mark.sqlite_smoke

ROOT = settings.BASE_DIR
A_SECRET_KEY = "x" * 64 + "-a-long-random-production-secret"

# Prints the settings as the process that imported an entry point sees them.
PRINT_SETTINGS = (
    "import json; from django.conf import settings as s; db = s.DATABASES['default']; "
    "print(json.dumps({'module': s.SETTINGS_MODULE, 'debug': s.DEBUG, "
    "'secret_key': s.SECRET_KEY, 'allowed_hosts': s.ALLOWED_HOSTS, "
    "'engine': db['ENGINE'], 'database': str(db['NAME']), 'options': db.get('OPTIONS', {}), "
    "'broker': s.CELERY_BROKER_URL, 'eager': s.CELERY_TASK_ALWAYS_EAGER, "
    "'result_backend': s.CELERY_RESULT_BACKEND, 'media_root': str(s.MEDIA_ROOT), "
    "'email_backend': s.EMAIL_BACKEND, 'axes_failure_limit': s.AXES_FAILURE_LIMIT, "
    "'ssl_redirect': getattr(s, 'SECURE_SSL_REDIRECT', False)}))"
)
ENTRY_POINTS = {
    "manage.py": ["manage.py", "shell", "--no-imports", "-c", PRINT_SETTINGS],
    "wsgi": ["-c", f"import cpw.wsgi; {PRINT_SETTINGS}"],
    "asgi": ["-c", f"import cpw.asgi; {PRINT_SETTINGS}"],
    "celery": ["-c", f"import cpw.celery; {PRINT_SETTINGS}"],
}


def _start(entry_point: str, env_file_path, **environment) -> subprocess.CompletedProcess:
    """Start an entry point in a process whose environment holds nothing of the portal's but
    ENV_FILE (and `environment`): whatever it configures comes from that file."""
    return subprocess.run(
        [sys.executable, *ENTRY_POINTS[entry_point]],
        cwd=ROOT,
        env={"PATH": os.environ["PATH"], "ENV_FILE": str(env_file_path), **environment},
        capture_output=True,
        text=True,
        timeout=120,
    )


def _settings(entry_point: str, env_file_path, **environment) -> dict:
    result = _start(entry_point, env_file_path, **environment)
    assert result.returncode == 0, result.stderr[-3000:]
    return json.loads(result.stdout.strip().splitlines()[-1])


def _write(tmp_path, text: str):
    path = tmp_path / "portal.env"
    path.write_text(text)
    return path


def test_production_settings_pass_the_deployment_checks():
    env = {
        **os.environ,
        "DJANGO_ENV": "production",
        "SECRET_KEY": A_SECRET_KEY,
        "ALLOWED_HOSTS": "portal.example.gov.uk",
        "DATABASE_URL": "sqlite:///:memory:",
    }
    env.pop("DJANGO_SETTINGS_MODULE", None)
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_django_env_selects_the_settings_module(monkeypatch):
    monkeypatch.setenv("DJANGO_ENV", "production")
    assert default_settings_module() == "cpw.settings.production"
    monkeypatch.delenv("DJANGO_ENV")
    assert default_settings_module() == "cpw.settings.local"


@pytest.mark.parametrize("entry_point", ENTRY_POINTS)
def test_django_env_written_only_in_the_env_file_selects_production(entry_point, tmp_path):
    env_file_path = _write(
        tmp_path,
        "DJANGO_ENV=production\n"
        f"SECRET_KEY={A_SECRET_KEY}\n"
        "ALLOWED_HOSTS=portal.example.gov.uk\n"
        f"DATABASE_URL=sqlite:///{tmp_path / 'portal.sqlite3'}\n",
    )

    started = _settings(entry_point, env_file_path)

    assert started["module"] == "cpw.settings.production"
    assert started["debug"] is False
    assert started["ssl_redirect"] is True
    assert started["secret_key"] == A_SECRET_KEY
    assert started["allowed_hosts"] == ["portal.example.gov.uk"]


@pytest.mark.parametrize("entry_point", ENTRY_POINTS)
def test_production_in_the_env_file_without_its_secrets_refuses_to_start(entry_point, tmp_path):
    """Never the local settings (with their published key) in place of production ones."""
    result = _start(entry_point, _write(tmp_path, "DJANGO_ENV=production\n"))

    assert result.returncode != 0
    assert "cpw.settings.local" not in result.stdout
    last_line = result.stderr.strip().splitlines()[-1]
    assert last_line == "Set these in the environment or in the .env file."
    assert (
        "ImproperlyConfigured: The production settings (DJANGO_ENV=production) will not start:"
        in (result.stderr)
    )
    assert "- SECRET_KEY is not set." in result.stderr
    assert "- ALLOWED_HOSTS is not set." in result.stderr


GOOD_PRODUCTION = {
    "DJANGO_ENV": "production",
    "SECRET_KEY": A_SECRET_KEY,
    "ALLOWED_HOSTS": "portal.example.gov.uk",
}


def _import_production_settings(monkeypatch, **environment):
    """Import cpw.settings.production afresh with `environment` (None: unset) over the good one."""
    for name, value in {**GOOD_PRODUCTION, "DEBUG": None, **environment}.items():
        if value is None:
            monkeypatch.delenv(name, raising=False)
        else:
            monkeypatch.setenv(name, value)
    sys.modules.pop("cpw.settings.production", None)
    try:
        return importlib.import_module("cpw.settings.production")
    finally:
        sys.modules.pop("cpw.settings.production", None)


def test_production_settings_start_with_their_secrets(monkeypatch):
    production = _import_production_settings(monkeypatch)
    assert production.DEBUG is False
    assert production.SECRET_KEY == A_SECRET_KEY
    assert production.ALLOWED_HOSTS == ["portal.example.gov.uk"]


@pytest.mark.parametrize(
    ("environment", "refusal"),
    [
        ({"DEBUG": "true"}, "DEBUG is on, which shows error details to anyone"),
        ({"DEBUG": "1"}, "DEBUG is on"),
        ({"SECRET_KEY": None}, "SECRET_KEY is not set."),
        ({"SECRET_KEY": ""}, "SECRET_KEY is not set."),
        ({"SECRET_KEY": DEVELOPMENT_SECRET_KEY}, "SECRET_KEY is the development key"),
        ({"SECRET_KEY": "django-insecure-" + "k" * 50}, "SECRET_KEY is the development key"),
        ({"SECRET_KEY": "short-secret"}, "SECRET_KEY is too short to be secret"),
        ({"SECRET_KEY": "ab" * 40}, "SECRET_KEY is too short to be secret"),
        ({"ALLOWED_HOSTS": None}, "ALLOWED_HOSTS is not set."),
        ({"ALLOWED_HOSTS": ""}, "ALLOWED_HOSTS is not set."),
        ({"ALLOWED_HOSTS": ","}, "ALLOWED_HOSTS is not set."),
    ],
)
def test_production_settings_refuse_to_start(monkeypatch, environment, refusal):
    with pytest.raises(ImproperlyConfigured) as refused:
        _import_production_settings(monkeypatch, **environment)
    message = str(refused.value)
    assert message.startswith("The production settings (DJANGO_ENV=production) will not start:")
    assert f"- {refusal}" in message
    assert len(message.splitlines()) == 3  # the heading, this one refusal, where to set it


def test_every_refusal_is_given_at_once(monkeypatch):
    with pytest.raises(ImproperlyConfigured) as refused:
        _import_production_settings(
            monkeypatch, DEBUG="on", SECRET_KEY=DEVELOPMENT_SECRET_KEY, ALLOWED_HOSTS=None
        )
    assert [line.split(" ")[1] for line in str(refused.value).splitlines()[1:-1]] == [
        "DEBUG",
        "SECRET_KEY",
        "ALLOWED_HOSTS",
    ]


def test_empty_values_count_as_unset(tmp_path):
    env_file_path = _write(
        tmp_path,
        "DJANGO_ENV=\nSECRET_KEY=\nDEBUG=\nALLOWED_HOSTS=\nDATABASE_URL=\nMEDIA_ROOT=\n"
        "CELERY_BROKER_URL=\nCELERY_RESULT_BACKEND=\nEMAIL_URL=\nAXES_FAILURE_LIMIT=\n",
    )

    started = _settings("manage.py", env_file_path)

    assert started["module"] == "cpw.settings.local"
    assert started["secret_key"] == DEVELOPMENT_SECRET_KEY
    assert started["debug"] is True
    assert started["allowed_hosts"] == ["127.0.0.1", "localhost"]
    assert started["engine"] == "django.db.backends.sqlite3"
    assert started["database"] == str(ROOT / "db.sqlite3")
    assert started["media_root"] == str(ROOT / "media")
    assert (started["broker"], started["eager"], started["result_backend"]) == ("", True, None)
    assert started["email_backend"] == "django.core.mail.backends.console.EmailBackend"
    assert started["axes_failure_limit"] == 5


def test_an_empty_variable_in_the_environment_is_filled_from_the_env_file(tmp_path):
    env_file_path = _write(tmp_path, f"MEDIA_ROOT={tmp_path / 'uploads'}\n")

    started = _settings("manage.py", env_file_path, MEDIA_ROOT="", SECRET_KEY="")

    assert started["media_root"] == str(tmp_path / "uploads")
    assert started["secret_key"] == DEVELOPMENT_SECRET_KEY


def test_the_environment_wins_over_the_env_file(tmp_path):
    env_file_path = _write(tmp_path, "DJANGO_ENV=production\n")

    started = _settings("wsgi", env_file_path, DJANGO_ENV="local")

    assert started["module"] == "cpw.settings.local"


def test_env_example_copied_as_it_is_runs_the_embedded_defaults(tmp_path):
    copy = tmp_path / ".env"
    shutil.copyfile(ROOT / ".env.example", copy)

    started = _settings("manage.py", copy)

    assert started["module"] == "cpw.settings.local"
    assert started["engine"] == "django.db.backends.sqlite3"
    assert started["database"] == str(ROOT / "db.sqlite3")
    assert started["options"]["init_command"] == "PRAGMA journal_mode=WAL"
    assert (started["broker"], started["eager"], started["result_backend"]) == ("", True, None)
    assert started["email_backend"] == "django.core.mail.backends.console.EmailBackend"
    assert started["media_root"] == str(ROOT / "media")
    assert started["allowed_hosts"] == ["127.0.0.1", "localhost"]


def test_env_file_is_the_project_folders_unless_env_file_names_another(monkeypatch, tmp_path):
    monkeypatch.delenv("ENV_FILE", raising=False)
    assert env_file() == ROOT / ".env"
    monkeypatch.setenv("ENV_FILE", str(tmp_path / "elsewhere.env"))
    assert env_file() == tmp_path / "elsewhere.env"


def test_env_file_naming_a_missing_file_refuses_to_start(monkeypatch, tmp_path):
    monkeypatch.setenv("ENV_FILE", str(tmp_path / "missing.env"))
    with pytest.raises(ImproperlyConfigured, match=r"ENV_FILE is .*missing\.env, but there is no"):
        load_env_file()


def test_sqlite_waits_for_writers_and_takes_the_write_lock_up_front():
    sqlite = database_config("sqlite:////srv/portal/db.sqlite3")
    assert sqlite["OPTIONS"] == {
        "init_command": "PRAGMA journal_mode=WAL",
        "timeout": 20,
        "transaction_mode": "IMMEDIATE",
    }
    # Options in the URL win.
    assert database_config("sqlite:////srv/portal/db.sqlite3?timeout=5")["OPTIONS"]["timeout"] == 5
    assert "OPTIONS" not in database_config("postgres://cpw:cpw@127.0.0.1:5432/cpw")
    assert settings.DATABASES["default"].get("OPTIONS", {}).get("transaction_mode") == (
        "IMMEDIATE" if settings.DATABASES["default"]["ENGINE"].endswith("sqlite3") else None
    )


def test_embedded_defaults():
    assert settings.TIME_ZONE == "Europe/London"
    assert settings.LANGUAGE_CODE == "en-gb"
    assert settings.CSRF_COOKIE_HTTPONLY is not None


def test_security_headers_on_every_page(client, db):
    response = client.get("/")
    policy = response["Content-Security-Policy"]
    assert "script-src 'self' 'nonce-" in policy
    assert "unsafe-inline" not in policy
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    nonce = policy.split("'nonce-")[1].split("'")[0]
    assert f'<script nonce="{nonce}">' in response.content.decode()


def test_production_keeps_database_connections_open_and_checks_them(tmp_path):
    env = {
        "PATH": os.environ["PATH"],
        "ENV_FILE": str(_write(tmp_path, "")),
        "DJANGO_ENV": "production",
        "SECRET_KEY": A_SECRET_KEY,
        "ALLOWED_HOSTS": "portal.example.gov.uk",
        "DATABASE_URL": "postgres://cpw:cpw@127.0.0.1:5432/cpw",
    }
    show = (
        "import json; from django.conf import settings as s; db = s.DATABASES['default']; "
        "print(json.dumps([db['CONN_MAX_AGE'], db['CONN_HEALTH_CHECKS']]))"
    )
    assert _web_process_prints(show, env) == [600, True]


def _web_process_prints(show: str, env: dict):
    """Start a process as a web server does (import cpw.wsgi), run `show` in it and return the
    JSON it prints last."""
    result = subprocess.run(
        [sys.executable, "-c", f"import cpw.wsgi; {show}"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_the_web_process_loads_every_view_then_freezes_its_start_up_objects():
    """cpw/wsgi.py: every view is imported before the first request, and what start-up made is
    frozen out of the cycle collector's way."""
    show = (
        "import gc, json, sys; from django.conf import settings; "
        "print(json.dumps([gc.get_freeze_count(), settings.ROOT_URLCONF in sys.modules, "
        "'programmes.views' in sys.modules]))"
    )
    env = {"PATH": os.environ["PATH"], "DJANGO_SETTINGS_MODULE": "cpw.settings.test"}
    frozen, urlconf_loaded, views_loaded = _web_process_prints(show, env)
    assert urlconf_loaded and views_loaded
    assert frozen > 50_000  # Django, the portal's apps and every view module
