from django.apps import AppConfig


class CasesConfig(AppConfig):
    name = "baraza.cases"
    label = "cases"
    verbose_name = "Cases"

    def ready(self) -> None:
        from baraza.cases import receivers  # noqa: F401  (connects to intake's signal)
