"""The audit events review records (see `baraza.audit.events`)."""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from baraza.audit.events import EventType, Payload, label, moment, organisation_name
from baraza.review.models import Appeal, Outcome, Scheme, Term


def _term(scheme: str, code: object) -> str:
    found = Term.objects.filter(scheme=scheme, code=str(code)).values_list("label", flat=True)
    return found.first() or str(code)


def disarm_imported(payload: Payload) -> str:
    numbers = ("tactics", "new_tactics", "techniques", "new_techniques")
    return _(
        "DISARM framework loaded: %(tactics)s tactics (%(new_tactics)s new), "
        "%(techniques)s techniques (%(new_techniques)s new)"
    ) % {name: int(payload[name]) for name in numbers}


def _entry(payload: Payload) -> dict[str, str]:
    return {"scheme": label(Scheme, payload["scheme"]), "code": str(payload["code"])}


def term_added(payload: Payload) -> str:
    return _("Taxonomy entry added: %(scheme)s %(code)s") % _entry(payload)


def term_changed(payload: Payload) -> str:
    fields = ", ".join(str(name) for name in payload.get("fields") or [])
    if not fields:
        return _("Taxonomy entry changed: %(scheme)s %(code)s") % _entry(payload)
    return _("Taxonomy entry changed: %(scheme)s %(code)s (%(fields)s)") % {
        **_entry(payload),
        "fields": fields,
    }


def case_assigned(payload: Payload) -> str:
    values = {
        "organisation": organisation_name(payload["organisation"]),
        "due": moment(payload["due_at"]),
    }
    if payload.get("picked"):
        return _("Taken for review, due %(due)s") % {"due": values["due"]}
    return _("Reviewer assigned: %(organisation)s, due %(due)s") % values


def assessment_submitted(payload: Payload) -> str | None:
    return _("Assessment corrected") if payload.get("supersedes") else None


def case_decided(payload: Payload) -> str:
    if payload.get("outcome") == Outcome.VERDICT and payload.get("verdict"):
        outcome = _term(Scheme.VERDICT, payload["verdict"])
    else:
        outcome = label(Outcome, payload.get("outcome"))
    words = _("Decision recorded: %(outcome)s") % {"outcome": outcome}
    if payload.get("override"):
        words += " · " + _("without enough assessments")
    return words


def appeal_filed(payload: Payload) -> str | None:
    return _("Appeal filed by the reporter") if payload.get("by_reporter") else None


def appeal_decided(payload: Payload) -> str:
    words = _("Appeal decided: %(outcome)s") % {"outcome": label(Appeal.Status, payload["outcome"])}
    if payload.get("override"):
        words += " · " + _("without enough assessments")
    return words


class ReviewEvent(EventType):
    DISARM_IMPORTED = (
        "review.disarm_imported",
        gettext_lazy("DISARM framework loaded"),
        disarm_imported,
    )
    TERM_ADDED = "review.term_added", gettext_lazy("Taxonomy entry added"), term_added
    TERM_CHANGED = "review.term_changed", gettext_lazy("Taxonomy entry changed"), term_changed
    CASE_ASSIGNED = "review.case_assigned", gettext_lazy("Reviewer assigned"), case_assigned
    ASSESSMENT_SUBMITTED = (
        "review.assessment_submitted",
        gettext_lazy("Assessment submitted"),
        assessment_submitted,
    )
    CASE_DECIDED = "review.case_decided", gettext_lazy("Decision recorded"), case_decided
    APPEAL_FILED = "review.appeal_filed", gettext_lazy("Appeal filed"), appeal_filed
    APPEAL_DECIDED = "review.appeal_decided", gettext_lazy("Appeal decided"), appeal_decided
