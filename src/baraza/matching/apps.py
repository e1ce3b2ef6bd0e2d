from django.apps import AppConfig


class MatchingConfig(AppConfig):
    name = "baraza.matching"
    label = "matching"
    verbose_name = "Matching"
