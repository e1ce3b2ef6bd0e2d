from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "baraza.accounts"
    label = "accounts"
    verbose_name = "Accounts"

    def ready(self) -> None:
        # Connects the log-in lock's signal receivers (failures counted, success clears).
        from baraza.accounts import lockout  # noqa: F401
