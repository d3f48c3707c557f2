"""Settings for worker processes started by the integration tests: the test settings plus a
deliberately slow report section, so a test can kill the worker while a compile is running, and
a short visibility timeout, so the killed worker's task is redelivered within seconds."""

from cpw.settings.test import *  # noqa: F403
from cpw.settings.test import REPORT_SECTIONS

REPORT_SECTIONS = [*REPORT_SECTIONS, "tests.integration.slow_section.SlowSection"]
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "visibility_timeout": 5,
    "unacked_restore_interval": 1,
    "unacked_restore_throttle": 1,
}
