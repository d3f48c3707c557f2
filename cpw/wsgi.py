import gc
import importlib
import os

from django.conf import settings
from django.core.wsgi import get_wsgi_application

from cpw.environment import default_settings_module

os.environ.setdefault("DJANGO_SETTINGS_MODULE", default_settings_module())
application = get_wsgi_application()

# Import every view now rather than on the first request, then move everything start-up made
# into the cycle collector's permanent generation. Those objects live as long as the process;
# frozen, they are no longer walked by each full collection, which requests set off every few
# requests (a list page leaves thousands of objects in reference cycles).
importlib.import_module(settings.ROOT_URLCONF)
gc.collect()
gc.freeze()
