from typing import Any

from django.dispatch import receiver

from baraza.review.signals import case_decided


@receiver(case_decided)
def queue_decision_notices(
    sender: object, case_id: int, decision_id: int, public: bool, **kwargs: Any
) -> None:
    from baraza.channels.tasks import notify_decided

    notify_decided(case_id, decision_id, public)
