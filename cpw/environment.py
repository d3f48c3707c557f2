import os


def default_settings_module() -> str:
    """Production settings when DJANGO_ENV=production, otherwise the local (embedded) ones."""
    if os.environ.get("DJANGO_ENV", "").lower() == "production":
        return "cpw.settings.production"
    return "cpw.settings.local"
