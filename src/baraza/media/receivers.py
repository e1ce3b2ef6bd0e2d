"""What media does when the apps upstream announce something (connected in `MediaConfig.ready`).

Matching finds files with the fact-checks it imports but must not know what a picture is; it
announces them and the known-media bank keeps them.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.dispatch import receiver

from baraza.accounts.models import Organisation
from baraza.matching.models import FactCheck
from baraza.matching.signals import MediaOutcome, factcheck_media_found
from baraza.media.actions import do_add_factcheck_media
from baraza.media.upload import PathUpload


@receiver(factcheck_media_found, dispatch_uid="media.bank.factcheck_media_found")
def keep_factcheck_media(
    sender: object,
    found: list[tuple[int, Path]],
    organisation: Organisation | None = None,
    **kwargs: Any,
) -> MediaOutcome:
    """Each fact-check's files into the bank; a file that cannot be read is refused, never
    fatal for the others."""
    outcome = MediaOutcome()
    by_factcheck: dict[int, list[Path]] = {}
    for factcheck_id, path in found:
        by_factcheck.setdefault(factcheck_id, []).append(path)
    factchecks = FactCheck.objects.in_bulk(list(by_factcheck))
    for factcheck_id, paths in by_factcheck.items():
        factcheck = factchecks.get(factcheck_id)
        if factcheck is None:
            outcome.refused.extend((path, "its fact-check is gone") for path in paths)
            continue
        uploads = []
        for path in paths:
            try:
                uploads.append(PathUpload(path))
            except OSError as error:
                outcome.refused.append((path, error.strerror or str(error)))
        done = do_add_factcheck_media(factcheck, uploads, organisation)
        outcome.added += len(done.added)
        outcome.known += done.known
        outcome.refused.extend((uploads[index].path, why) for index, why in done.refused)
    return outcome
