"""Read-side helpers shared by the accountability API and pages. All start from `visible_to`."""

from __future__ import annotations

from django.utils.translation import gettext as _

from baraza.accountability.models import Referral, ReferralQuerySet
from baraza.audit.models import AuditEvent
from baraza.errors import NotFound


def referrals_for(user: object) -> ReferralQuerySet:
    """The referrals the user may see, with what their pages and answers read."""
    return Referral.objects.visible_to(user).with_details()


def visible_referral(user: object, referral_id: int) -> Referral:
    """One referral the user may see; NotFound alike when it does not exist or is hidden."""
    referral = referrals_for(user).filter(pk=referral_id).first()
    if referral is None:
        raise NotFound(
            _("There is no referral %(number)s that you may see.") % {"number": referral_id}
        )
    return referral


def referral_history(referral: Referral) -> list[AuditEvent]:
    """The events about this referral (recorded on its case, naming it): a liaison reads these
    and never the rest of the case's history."""
    return list(
        AuditEvent.objects.about(referral.case)
        .filter(payload__referral=referral.pk)
        .select_related("actor_organisation")
    )
