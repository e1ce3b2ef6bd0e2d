from django.apps import AppConfig


class IntakeConfig(AppConfig):
    name = "baraza.intake"
    label = "intake"
    verbose_name = "Intake"
