"""Where the settings come from: the environment, filled in from a `.env` file.

Every entry point (manage.py, wsgi, asgi, the Celery app) and the settings themselves call
`load_env_file()` before anything reads a variable, so `DJANGO_ENV=production` written only in
`.env` selects the production settings. An empty value (`SECRET_KEY=`) is the same as no value.
"""

import os
from collections.abc import Iterator, MutableMapping
from pathlib import Path

import environ
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent


class _Environ(MutableMapping):
    """`os.environ` in which an empty value is the same as no value."""

    def __getitem__(self, key: str) -> str:
        value = os.environ[key]
        if value == "":
            raise KeyError(key)
        return value

    def __setitem__(self, key: str, value: str) -> None:
        if value != "":
            os.environ[key] = value

    def __delitem__(self, key: str) -> None:
        del os.environ[key]

    def __iter__(self) -> Iterator[str]:
        return (key for key, value in os.environ.items() if value != "")

    def __len__(self) -> int:
        return sum(1 for _ in self)


class Env(environ.Env):
    """django-environ's reader over the environment, where `NAME=` counts as unset: the default
    applies, or a variable without a default is missing."""

    ENVIRON = _Environ()


def env_file() -> Path:
    """The `.env` file: `ENV_FILE` when set, otherwise `.env` in the project folder."""
    return Path(os.environ.get("ENV_FILE") or BASE_DIR / ".env")


def load_env_file() -> None:
    """Fill the environment from the `.env` file, without overriding what is already set (a
    variable set but empty is filled in). No file, nothing to do; a missing `ENV_FILE` is an
    error, not something to pass over."""
    path = env_file()
    if not path.is_file():
        if os.environ.get("ENV_FILE"):
            raise ImproperlyConfigured(f"ENV_FILE is {path}, but there is no such file.")
        return
    Env.read_env(path, overwrite=False)


# SQLite, the embedded default, with several people writing at once (threads or processes).
SQLITE_OPTIONS = {
    # Write-ahead log: people reading never hold up the one writing, nor the other way round.
    "init_command": "PRAGMA journal_mode=WAL",
    # A write waits up to 20 seconds for the one before it to finish, rather than failing.
    "timeout": 20,
    # Every transaction takes the write lock as it begins, so two never both read and then both
    # try to write: SQLite refuses the second at once ("database is locked"), without waiting.
    "transaction_mode": "IMMEDIATE",
}


def database_config(url: str) -> dict:
    """Django's settings for the database at `url` (`DATABASE_URL`'s form); SQLite gets
    `SQLITE_OPTIONS` (options in the URL's query string win)."""
    config = Env.db_url_config(url)
    if config["ENGINE"] == "django.db.backends.sqlite3":
        config["OPTIONS"] = {**SQLITE_OPTIONS, **config.get("OPTIONS", {})}
    return config


def default_settings_module() -> str:
    """Production settings when DJANGO_ENV=production (in the environment or the `.env` file),
    otherwise the local (embedded) ones."""
    load_env_file()
    if Env().str("DJANGO_ENV", default="").lower() == "production":
        return "cpw.settings.production"
    return "cpw.settings.local"
