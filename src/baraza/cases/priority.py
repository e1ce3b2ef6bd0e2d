"""Triage priority: proportionate to the risk of harm, never to the size of the market.

The score adds up what makes a case urgent — how severe its kind of harm is, how many reports
and how many different reporters it has, the election calendar (the days before voting and the
silence period weigh most), whether it targets a vulnerable group — and nothing else. Language
and country do not enter it: a Hausa case cannot sink below an English one for being in Hausa,
nor a small country's below a large one's.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date

from django.conf import settings

from baraza.matching.normalise import normalised_text

SEVERITY = {
    "incitement": 10.0,
    "voter_suppression": 8.0,
    "gendered_violence": 7.0,
    "hate_speech": 7.0,
    "synthetic_media": 6.0,
    "impersonation": 6.0,
    "election_integrity": 5.0,
    "disinformation": 4.0,
    "other": 2.0,
}


@dataclass(frozen=True)
class Signals:
    category: str
    reports: int
    reporters: int  # distinct organisations, the public counted as one
    texts: tuple[str, ...]
    voting_day: date | None = None
    silence_start: date | None = None
    today: date | None = None


def calendar_weight(signals: Signals) -> float:
    """1 far from any vote; up to 2 in the last week and the silence period; 1.2 just after."""
    if signals.voting_day is None or signals.today is None:
        return 1.0
    days = (signals.voting_day - signals.today).days
    if signals.silence_start and signals.silence_start <= signals.today <= signals.voting_day:
        return 2.0
    if 0 <= days <= 7:
        return 1.8
    if 7 < days <= 30:
        return 1.4
    if -14 <= days < 0:  # results period
        return 1.2
    return 1.0


def targets_vulnerable_group(texts: tuple[str, ...]) -> bool:
    terms = [normalised_text(term) for term in settings.VULNERABLE_GROUP_TERMS]
    words = " " + " ".join(normalised_text(text) for text in texts) + " "
    return any(term and f" {term} " in words for term in terms)


def priority(signals: Signals) -> float:
    base = SEVERITY.get(signals.category, 2.0)
    spread = 1.0 + math.log2(max(signals.reports, 1)) + 0.5 * max(signals.reporters - 1, 0)
    vulnerable = 1.5 if targets_vulnerable_group(signals.texts) else 1.0
    return round(base * spread * calendar_weight(signals) * vulnerable, 3)
