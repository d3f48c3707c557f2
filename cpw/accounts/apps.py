from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "cpw.accounts"
    label = "accounts"
    verbose_name = "Accounts and organisations"

    def ready(self):
        from cpw.accounts import rules  # noqa: F401  registers the permission rules
