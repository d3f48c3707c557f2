from django.apps import AppConfig


class SiteConfig(AppConfig):
    name = "cpw.site"
    label = "site"
    verbose_name = "The site: URLs, navigation, demo data and the benchmark"
