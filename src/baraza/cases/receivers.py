from typing import Any

from django.dispatch import receiver

from baraza.intake.signals import reports_accepted


@receiver(reports_accepted)
def queue_placement(sender: object, report_ids: list[int], **kwargs: Any) -> None:
    from baraza.cases.tasks import place_reports

    place_reports(report_ids)
