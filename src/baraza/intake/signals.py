"""Intake announces accepted reports; later stages (cases, matching) listen.

Sent after the reports are committed, with `report_ids`. Keeping this a signal is what lets data
flow one way: intake knows nothing of cases.
"""

from django.dispatch import Signal

reports_accepted = Signal()
