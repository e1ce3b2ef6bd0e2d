from django.apps import AppConfig


class BarazaConfig(AppConfig):
    """The project package itself: shared templates, static files, translations, commands."""

    name = "baraza"
    label = "baraza"
