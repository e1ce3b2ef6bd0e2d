"""TLP 2.0 levels, shared by every app that carries shared information."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class TLP(models.TextChoices):
    CLEAR = "clear", _("TLP:CLEAR — public")
    GREEN = "green", _("TLP:GREEN — all coalition members")
    AMBER = "amber", _("TLP:AMBER — the owning organisation and those it shares with")
    RED = "red", _("TLP:RED — named people only")
