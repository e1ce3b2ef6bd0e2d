"""What the fact-check library tells the apps downstream of it.

Matching knows fact-checks, not files: when an import finds pictures, videos or sounds with
its fact-checks, it announces them and the media app (which imports matching, never the other
way round) keeps them in its known-media bank. The receiver answers with a `MediaOutcome`, so
the import can say which files were refused and why.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from django.dispatch import Signal

# Sent after the fact-checks are saved, with `found`: list[(factcheck id, Path)] (files named by
# or beside a ClaimReview, on this machine) and `organisation`: the importer's, or None for an
# operator's import. Receivers return a MediaOutcome.
factcheck_media_found = Signal()


@dataclass
class MediaOutcome:
    added: int = 0  # files kept as new media of their fact-check
    known: int = 0  # files that fact-check already had (the same bytes)
    refused: list[tuple[Path, str]] = field(default_factory=list)  # (file, why)


FoundMedia = list[tuple[int, Path]]
