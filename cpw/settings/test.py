from .base import *  # noqa: F403
from .base import BASE_DIR

DEBUG = False
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
MEDIA_ROOT = BASE_DIR / ".test-media"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# Tests run compiles in place, inside their transaction; the browser test of the progress page
# turns the thread back on.
EAGER_LONG_TASKS_IN_THREAD = False
# The access matrix walks every API URL as every user: tests that throttle set their own rate.
API_RATE = "100000/min"
