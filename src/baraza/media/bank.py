"""The known-media bank: the pictures, videos and sounds of published fact-checks.

A picture debunked last month comes back, cropped and recompressed, in a new report; a reviewer
should see at once that it was checked, and by whom. Fact-checks' files come from
`baraza import-factchecks` (matching announces them with `factcheck_media_found`; see
`receivers` and `actions.do_add_factcheck_media`), are checked as uploads are, kept and
processed like any medium (the same hashes, the same index), and found by the same rules
(`matching.near_media`).
"""

from __future__ import annotations

from dataclasses import dataclass

from baraza.matching.models import FactCheck
from baraza.media.matching import near_media, similarity
from baraza.media.models import Medium


@dataclass(frozen=True)
class KnownMatch:
    """A fact-check whose media look like one of ours."""

    factcheck: FactCheck
    medium: Medium  # ours, the one that looks like the fact-check's
    score: float  # 0-1, 1 the same: 1 - bits/256 for pictures, the share alike otherwise
    distance: int | None  # PDQ bits apart for pictures; None for videos and sounds


def known_factchecks(media: list[Medium]) -> list[KnownMatch]:
    """The fact-checks whose media are like these (processed) media, best first, each once."""
    best: dict[int, tuple[float, int | None, Medium]] = {}
    for medium in media:
        found = near_media(medium)
        owners = dict(
            Medium.objects.filter(
                pk__in=[near.medium_id for near in found], factcheck__isnull=False
            ).values_list("pk", "factcheck_id")
        )
        for near in found:
            owner = owners.get(near.medium_id)
            if owner is None or owner == medium.factcheck_id:
                continue
            score, distance = similarity(near, medium.kind)
            if owner not in best or score > best[owner][0]:
                best[owner] = (score, distance, medium)
    factchecks = FactCheck.objects.in_bulk(list(best))
    matches = [
        KnownMatch(factcheck=factchecks[pk], medium=medium, score=score, distance=distance)
        for pk, (score, distance, medium) in best.items()
        if pk in factchecks
    ]
    return sorted(matches, key=lambda m: (-m.score, m.factcheck.pk))
