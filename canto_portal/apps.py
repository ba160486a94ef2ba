from django.apps import AppConfig


class CantoPortalConfig(AppConfig):
    name = "canto_portal"

    def ready(self):
        from canto_portal import audit, versions

        versions.connect()
        audit.connect()
