from django.apps import AppConfig


class CantoPortalConfig(AppConfig):
    name = "canto_portal"
