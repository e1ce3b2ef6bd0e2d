"""The audit events of media (see `baraza.audit.events`). Payloads name kinds, counts and
hashes' prefixes, never a file's name or what it shows."""

from __future__ import annotations

from django.utils.translation import gettext, gettext_lazy, ngettext

from baraza.audit.events import EventType, Payload, label
from baraza.media.models import Kind


def media_attached(payload: Payload) -> str:
    count = int(payload.get("files", 0))
    return ngettext(
        "%(count)s file came with the report", "%(count)s files came with the report", count
    ) % {"count": count}


def media_processed(payload: Payload) -> str:
    return gettext("%(kind)s processed: %(state)s") % {
        "kind": label(Kind, payload.get("kind")),
        "state": gettext("ready") if payload.get("ready") else gettext("could not be processed"),
    }


def original_downloaded(payload: Payload) -> str:
    return gettext("Original %(kind)s downloaded") % {"kind": label(Kind, payload.get("kind"))}


class MediaEvent(EventType):
    MEDIA_ATTACHED = "media.attached", gettext_lazy("Files came with a report"), media_attached
    MEDIUM_PROCESSED = (
        "media.processed",
        gettext_lazy("A file was processed"),
        media_processed,
    )
    ORIGINAL_DOWNLOADED = (
        "media.original_downloaded",
        gettext_lazy("An original file was downloaded"),
        original_downloaded,
    )
    VIEWING_CHANGED = (
        "media.viewing_changed",
        gettext_lazy("Changed whether pictures and videos are shown blurred"),
    )
    FACTCHECK_MEDIA_ADDED = (
        "media.factcheck_media_added",
        gettext_lazy("Media of fact-checks added to the known-media bank"),
    )
