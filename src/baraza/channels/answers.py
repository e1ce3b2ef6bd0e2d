"""Answering a forwarded rumour at once, as Meedan Check's tiplines do: if the coalition has
already published a decision on the same claim, or the fact-check library holds a check of it,
the sender gets it now instead of a tracking code and a wait.

Only what is public answers: decisions of TLP:CLEAR cases (their page is public) and fact-checks
(published by definition). The bar is the clustering's automatic-link score
(BARAZA_CLUSTER_AUTO_LINK_PERCENT, 99.7% precise on CLEF train), and short texts are never
answered automatically, as they are never linked automatically: "Vote tomorrow!" is near many
things. A sender who replies NO gets a normal report.
"""

from __future__ import annotations

from django.conf import settings
from django.utils.translation import gettext as _

from baraza.cases.models import CaseReport, CaseStatus
from baraza.cases.similarity import embeddable, report_index, words
from baraza.channels.conversation import KnownAnswer, one_line
from baraza.matching.library import search_factchecks
from baraza.review.models import Decision
from baraza.tlp import TLP


def _decision_answer(text: str) -> KnownAnswer | None:
    index = report_index()
    neighbours = index.nearest(text, index.embed_many([text])[0], k=20)
    close = {n.report_id: n.similarity for n in neighbours if n.similarity >= _bar()}
    if not close:
        return None
    links = CaseReport.objects.filter(
        report_id__in=close, case__tlp=TLP.CLEAR, case__status=CaseStatus.DECIDED
    ).values_list("report_id", "case_id")
    best: dict[int, float] = {}
    for report_id, case_id in links:
        best[case_id] = max(best.get(case_id, 0.0), close[report_id])
    for case_id, score in sorted(best.items(), key=lambda item: (-item[1], item[0])):
        decision = Decision.objects.current().filter(case_id=case_id).select_related("verdict")
        found = decision.order_by("-created_at", "-id").first()
        if found is not None:
            return KnownAnswer(
                kind="decision",
                object_id=found.pk,
                score=score,
                verdict=found.verdict.label if found.verdict else found.get_outcome_display(),
                summary=one_line(found.public_reasons),
                url=f"{settings.PUBLIC_URL}/decisions/{case_id}/",
            )
    return None


def _factcheck_answer(text: str) -> KnownAnswer | None:
    found = search_factchecks(text, top_k=1)
    if not found or found[0].score < _bar():
        return None
    check = found[0].factcheck
    return KnownAnswer(
        kind="factcheck",
        object_id=check.pk,
        score=found[0].score,
        verdict=check.rating or _("checked"),
        summary=one_line(check.claim),
        url=check.url,
        source=check.author,
    )


def _bar() -> float:
    return float(settings.CLUSTER_AUTO_LINK)


def known_answer(text: str) -> KnownAnswer | None:
    """The coalition's own decision first, then the library's fact-check; None when neither
    clears the bar."""
    if not embeddable(text) or words(text) < settings.CLUSTER_SHORT_TEXT_WORDS:
        return None
    return _decision_answer(text) or _factcheck_answer(text)
