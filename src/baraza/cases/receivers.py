from typing import Any

from django.dispatch import receiver

from baraza.intake.signals import reports_accepted
from baraza.media.signals import media_processed


@receiver(reports_accepted)
def queue_placement(sender: object, report_ids: list[int], **kwargs: Any) -> None:
    from baraza.cases.tasks import place_reports

    place_reports(report_ids)


@receiver(media_processed)
def place_after_media(sender: object, report_ids: list[int], **kwargs: Any) -> None:
    """Reports waited for their media; those placed already (their media came late, as a
    tipline's do) are offered the cases their media match."""
    from baraza.cases.models import CaseReport
    from baraza.cases.tasks import offer_media_links, place_reports

    placed = set(
        CaseReport.objects.filter(report_id__in=report_ids).values_list("report_id", flat=True)
    )
    if waiting := [pk for pk in report_ids if pk not in placed]:
        place_reports(waiting)
    if placed:
        offer_media_links(sorted(placed))
