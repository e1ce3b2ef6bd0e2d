from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "baraza.audit"
    label = "audit"
    verbose_name = "Audit"
