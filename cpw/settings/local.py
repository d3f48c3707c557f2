"""The embedded defaults: SQLite, console email, tasks run in-process."""

from .base import *  # noqa: F403
from .base import env

DEBUG = env.bool("DEBUG", default=True)
