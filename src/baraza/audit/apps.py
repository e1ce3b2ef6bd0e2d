from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "baraza.audit"
    label = "audit"
    verbose_name = "Audit"

    def ready(self) -> None:
        from baraza.audit.events import discover

        discover()  # every app's events.py, so a lookup never depends on import order
