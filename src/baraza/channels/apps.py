from django.apps import AppConfig


class ChannelsConfig(AppConfig):
    name = "baraza.channels"
    label = "channels"
    verbose_name = "Tiplines"

    def ready(self) -> None:
        from baraza.channels import receivers  # noqa: F401  (connects to the cases' signal)
