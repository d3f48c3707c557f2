from django.apps import AppConfig
from django.utils.module_loading import autodiscover_modules


class PrivacyConfig(AppConfig):
    name = "cpw.privacy"
    label = "privacy"
    verbose_name = "Data protection"

    def ready(self):
        # Every app's `privacy.py` declares its personal data in the register
        # (cpw.core.personal_data), as the admin site discovers `admin.py`.
        autodiscover_modules("privacy")
        from . import tasks  # noqa: F401  registers the tasks services find by name
