from django.apps import AppConfig


class GroundbreakersConfig(AppConfig):
    name = "groundbreakers"
