import os

from celery import Celery

from cpw.environment import default_settings_module

os.environ.setdefault("DJANGO_SETTINGS_MODULE", default_settings_module())

app = Celery("cpw")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
