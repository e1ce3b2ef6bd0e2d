from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "baraza.accounts"
    label = "accounts"
    verbose_name = "Accounts"
