"""Placing a report by its media: the same file, or the same picture, video or sound.

Three rules, in the order placement asks them:
1. the same file (SHA-256) in the same audience is the same content: a content key, as a link
   or a text is (`media_keys`);
2. a picture, video or sound like one of a case's (`media.matching`) joins that case when the
   match is strong enough by itself, and is offered as a link otherwise (`decide_by_media`);
   the audience and eligibility rules are those of text (clustering.py);
3. the words read in a picture (OCR) are matched with the report's own words (`matchable_text`).

A report with media still being processed waits for them (`waiting_for_media`), at most as
long as processing may take, so it is placed once, by all it carries.
"""

from __future__ import annotations

import hashlib
from datetime import timedelta

from django.conf import settings
from django.utils import timezone

from baraza.cases.clustering import MAX_SUGGESTIONS, Candidate, Decision, eligible
from baraza.cases.models import CaseReport
from baraza.intake.models import Report
from baraza.media.matching import near_media, similarity
from baraza.media.models import Medium, MediumStatus


def ready_media(report: Report) -> list[Medium]:
    return list(Medium.objects.filter(report=report, status=MediumStatus.READY))


def matchable_text(report: Report, media: list[Medium] | None = None) -> str:
    """The report's words and the words its pictures show."""
    if not report.media_count:
        return report.text
    shown = [m.ocr_text for m in (ready_media(report) if media is None else media) if m.ocr_text]
    return "\n".join([report.text, *shown]).strip()


def media_keys(report: Report, scope: str) -> list[tuple[str, str]]:
    if not report.media_count:
        return []
    hashes = sorted(set(Medium.objects.filter(report=report).values_list("sha256", flat=True)))
    return [("media", hashlib.sha256(f"{scope}|{h}".encode()).hexdigest()) for h in hashes]


def waiting_for_media(report_ids: list[int]) -> set[int]:
    """The reports among these whose media are still being processed (and not for too long)."""
    patience = timedelta(seconds=3 * settings.MEDIA_PROCESSING_TIMEOUT)
    return set(
        Medium.objects.filter(
            report_id__in=report_ids,
            status=MediumStatus.PENDING,
            created_at__gte=timezone.now() - patience,
        ).values_list("report_id", flat=True)
    )


def decide_by_media(report: Report, scope: str, media: list[Medium] | None = None) -> Decision:
    """The case the report's media place it in, and the cases to offer, best first."""
    if scope.startswith("red:"):
        return Decision()
    best: dict[int, tuple[float, bool]] = {}  # report id → (similarity, auto)
    for medium in ready_media(report) if media is None else media:
        found = near_media(medium)
        owners = dict(
            Medium.objects.filter(pk__in=[n.medium_id for n in found], report__isnull=False)
            .exclude(report=report)
            .values_list("pk", "report_id")
        )
        for near in found:
            if near.medium_id not in owners:
                continue
            other = owners[near.medium_id]
            candidate = (similarity(near, medium.kind)[0], near.auto)
            best[other] = max(best.get(other, candidate), candidate)
    links = CaseReport.objects.filter(report_id__in=best).select_related("case")
    by_case: dict[int, tuple[Candidate, bool]] = {}
    for link in links:
        if not eligible(link.case, scope):
            continue
        alike, auto = best[link.report_id]
        known = by_case.get(link.case_id)
        if known is None or (auto, alike) > (known[1], known[0].similarity):
            by_case[link.case_id] = (Candidate(link.case, alike), auto)
    ranked = sorted(by_case.values(), key=lambda c: (not c[1], -c[0].similarity, c[0].case.pk))
    if ranked and ranked[0][1]:
        return Decision(join=ranked[0][0], suggest=[c for c, _ in ranked[1 : 1 + MAX_SUGGESTIONS]])
    return Decision(suggest=[c for c, _ in ranked[:MAX_SUGGESTIONS]])
