"""`baraza import-factchecks PATH`: fact-checks into the library, and the files that show their
claims into the known-media bank.

A ClaimReview (JSON-LD or JSONL) may name pictures, videos or sounds: the `image`, `contentUrl`
or `associatedMedia.contentUrl` of its `itemReviewed` or of the item's `appearance`s. A name
that is a path relative to the JSON file (inside the imported folder) is taken; a web address
(http, https) is listed in the summary and never fetched. A JSON-LD file may also have its
files beside it, named like it: `claim.jsonld` with `claim.jpg` (and `claim.mp4`...) when it
holds one ClaimReview, `claim-2.jpg` for the second of several. The files go to the media app
through `matching.signals.factcheck_media_found`; one refused (not a picture, video or sound we
take, too large, missing) is a line on stderr, and the others are kept.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from pathlib import Path
from typing import Any
from urllib.parse import unquote

from django.core.management.base import BaseCommand, CommandError, CommandParser
from pydantic import ValidationError

from baraza.accounts.models import Organisation
from baraza.matching.actions import do_import_factchecks
from baraza.matching.claimreview import FactCheckIn, Record, read_file, read_media_references
from baraza.matching.models import FactCheck
from baraza.matching.signals import FoundMedia, MediaOutcome, factcheck_media_found

SUFFIXES = (".json", ".jsonld", ".jsonl", ".ndjson", ".csv")
# Files beside a JSON-LD file that may be its media (their bytes decide what they are).
MEDIA_SUFFIXES = {
    ".jpg", ".jpeg", ".png", ".webp", ".gif", ".heic", ".heif",
    ".mp4", ".m4v", ".mov", ".3gp", ".webm",
    ".ogg", ".oga", ".opus", ".mp3", ".amr", ".m4a",
}  # fmt: skip
WEB_ADDRESS = re.compile(r"^https?://", re.IGNORECASE)
OTHER_SCHEME = re.compile(r"^[a-z][a-z0-9+.-]*:", re.IGNORECASE)

References = list[tuple[str, Path, list[str]]]  # (record's label, its file, what it names)


class Command(BaseCommand):
    help = (
        "Import fact-checks (ClaimReview JSON-LD, JSONL or CSV; a file or a directory). Files "
        "a ClaimReview names (image, contentUrl, associatedMedia.contentUrl of itemReviewed or "
        "its appearances) by a path relative to its file, and files beside a JSON-LD file named "
        "like it (claim.jsonld: claim.jpg; claim-2.jpg for its second ClaimReview), are added "
        "to the known-media bank; web addresses are listed, never fetched."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path", type=Path)
        parser.add_argument("--org", help="the importing organisation's slug (for the audit log)")

    def handle(self, *args: Any, **options: Any) -> None:
        path: Path = options["path"]
        if path.is_dir():
            files = sorted(p for p in path.rglob("*") if p.suffix.lower() in SUFFIXES)
        elif path.is_file():
            files = [path]
        else:
            raise CommandError(f"{path} is neither a file nor a directory")
        organisation = None
        if options["org"]:
            organisation = Organisation.objects.filter(slug=options["org"]).first()
            if organisation is None:
                raise CommandError(f"no organisation has the slug {options['org']!r}")
        records: list[Record] = []
        references: References = []
        for file in files:
            content = file.read_bytes()
            records.extend(read_file(str(file), content))
            references.extend((w, file, r) for w, r in read_media_references(str(file), content))
        result = do_import_factchecks(
            records, organisation=organisation, actor=None, source=str(path)
        )
        root = path if path.is_dir() else path.parent
        summary = {
            "files": len(files),
            "created": result.created,
            "duplicates": result.duplicates,
            "rejected_count": len(result.rejected),
            "rejected": [vars(r) for r in result.rejected],
            "media": self._media(records, references, root, organisation),
        }
        self.stdout.write(json.dumps(summary, ensure_ascii=False))

    def _media(
        self,
        records: list[Record],
        references: References,
        root: Path,
        organisation: Organisation | None,
    ) -> dict[str, object]:
        """Find the fact-checks' files, hand them to the media app, say what became of them."""
        ids = _factcheck_ids(records)
        per_file = Counter(file for _, file, _ in references)
        folders: dict[Path, dict[str, list[Path]]] = {}
        found: FoundMedia = []
        web: list[dict[str, str]] = []
        outcome = MediaOutcome()
        for where, file, named in references:
            if where not in ids:
                continue  # a rejected record: it has no fact-check to show
            for reference in named:
                if WEB_ADDRESS.match(reference):
                    web.append({"where": where, "url": reference})
                    continue
                located = _locate(reference, file, root)
                if isinstance(located, Path):
                    found.append((ids[where], located))
                else:
                    outcome.refused.append((Path(reference), located))
            beside = _beside(where, file, per_file[file], folders)
            found.extend((ids[where], medium) for medium in beside)
        found = list(dict.fromkeys(found))
        if found:
            _merge(outcome, found, organisation)
        for file, why in outcome.refused:
            self.stderr.write(f"{file}: {why}")
        return {
            "added": outcome.added,
            "known": outcome.known,
            "refused": len(outcome.refused),
            "not_fetched": web,
        }


def _factcheck_ids(records: list[Record]) -> dict[str, int]:
    """Each valid record's label → its fact-check's id (new, or the one already there)."""
    fingerprints = {}
    for where, fields in records:
        if isinstance(fields, str):
            continue
        try:
            fingerprints[where] = FactCheckIn.model_validate(fields).fingerprint()
        except ValidationError:
            continue
    by_fingerprint = dict(
        FactCheck.objects.filter(fingerprint__in=set(fingerprints.values())).values_list(
            "fingerprint", "pk"
        )
    )
    return {w: by_fingerprint[f] for w, f in fingerprints.items() if f in by_fingerprint}


def _locate(reference: str, file: Path, root: Path) -> Path | str:
    """The file a reference names, or why it cannot be taken."""
    if OTHER_SCHEME.match(reference) or Path(reference).is_absolute():
        return "is neither a web address nor a path relative to its fact-check's file"
    base = root.resolve()
    for name in dict.fromkeys((reference, unquote(reference))):
        candidate = (file.parent / name).resolve()
        if not candidate.is_relative_to(base):
            return "is outside the imported folder"
        if candidate.is_file():
            return candidate
    return "no such file"


def _beside(
    where: str, file: Path, count: int, folders: dict[Path, dict[str, list[Path]]]
) -> list[Path]:
    """Files next to a JSON-LD file named like it (or like its numbered ClaimReview, when it
    holds `count` > 1). `folders` keeps each folder's media files by stem, listed once."""
    if file.suffix.lower() not in (".json", ".jsonld") or "#" not in where:
        return []
    if file.parent not in folders:
        by_stem: dict[str, list[Path]] = {}
        folder = file.parent.resolve()
        for item in sorted(file.parent.iterdir()):
            # A link pointing out of the folder is not beside the file, whatever its name.
            inside = item.resolve().is_relative_to(folder)
            if item.suffix.lower() in MEDIA_SUFFIXES and item.is_file() and inside:
                by_stem.setdefault(item.stem, []).append(item.resolve())
        folders[file.parent] = by_stem
    number = where.rsplit("#", 1)[1]
    return folders[file.parent].get(file.stem if count == 1 else f"{file.stem}-{number}", [])


def _merge(outcome: MediaOutcome, found: FoundMedia, organisation: Organisation | None) -> None:
    answers = factcheck_media_found.send(sender=FactCheck, found=found, organisation=organisation)
    said: list[object] = [reply for _, reply in answers]
    replies = [reply for reply in said if isinstance(reply, MediaOutcome)]
    if not replies:
        outcome.refused.extend((p, "no media app is installed to keep it") for _, p in found)
    for reply in replies:
        outcome.added += reply.added
        outcome.known += reply.known
        outcome.refused.extend(reply.refused)
