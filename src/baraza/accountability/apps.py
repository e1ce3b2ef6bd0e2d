from django.apps import AppConfig


class AccountabilityConfig(AppConfig):
    name = "baraza.accountability"
    label = "accountability"
    verbose_name = "Accountability"
