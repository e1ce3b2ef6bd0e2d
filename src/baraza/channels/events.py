"""The audit events the tiplines record (see `baraza.audit.events`). Payloads name providers,
counts and kinds, never an address or what a message says."""

from __future__ import annotations

from django.utils.translation import gettext, gettext_lazy, ngettext

from baraza.audit.events import EventType, Payload, label
from baraza.channels.models import Provider


def messages_received(payload: Payload) -> str:
    count = int(payload.get("messages", 0))
    return ngettext(
        "%(count)s message received by %(provider)s",
        "%(count)s messages received by %(provider)s",
        count,
    ) % {"count": count, "provider": label(Provider, payload.get("provider"))}


def reporters_told(payload: Payload) -> str:
    count = int(payload.get("senders", 0))
    return ngettext(
        "Decision sent to %(count)s chat reporter",
        "Decision sent to %(count)s chat reporters",
        count,
    ) % {"count": count}


def media_kept(payload: Payload) -> str:
    return gettext(
        "Media of a %(provider)s message: %(kept)s kept, %(not_kept)s not kept, "
        "%(waiting)s to try again"
    ) % {
        "provider": label(Provider, payload.get("provider")),
        "kept": int(payload.get("kept", 0)),
        "not_kept": int(payload.get("not_kept", 0)),
        "waiting": int(payload.get("waiting", 0)),
    }


class ChannelEvent(EventType):
    MESSAGES_RECEIVED = (
        "channels.messages_received",
        gettext_lazy("Tipline messages received"),
        messages_received,
    )
    MESSAGE_JOINED = "channels.message_joined", gettext_lazy("A further message joined the report")
    ANSWERED_AT_ONCE = (
        "channels.answered_at_once",
        gettext_lazy("Answered at once with a decision or fact-check"),
    )
    ANSWER_REJECTED = (
        "channels.answer_rejected",
        gettext_lazy("The sender said the automatic answer was not their question"),
    )
    COMMAND = "channels.command", gettext_lazy("Tipline command obeyed")
    REPLY_SENT = "channels.reply_sent", gettext_lazy("Tipline reply sent")
    REPLY_DEFERRED = "channels.reply_deferred", gettext_lazy("Tipline reply to be tried again")
    REPLY_FAILED = "channels.reply_failed", gettext_lazy("Tipline reply failed")
    REPORTERS_TOLD = (
        "channels.reporters_told",
        gettext_lazy("Chat reporters told of the decision"),
        reporters_told,
    )
    MEDIA_KEPT = (
        "channels.media_kept",
        gettext_lazy("Tipline media fetched and kept"),
        media_kept,
    )
    SENDER_BLOCKED = "channels.sender_blocked", gettext_lazy("Tipline sender blocked")
    SENDER_UNBLOCKED = "channels.sender_unblocked", gettext_lazy("Tipline sender unblocked")
