"""Tiplines: the people who write to us by chat, SMS or e-mail, and every message both ways.

A sender's address (a phone number, a Telegram id, an e-mail address) is stored only encrypted,
like a reporter's contact, with a keyed hash to find the sender again, group their messages and
count them against rate limits. Messages keep what the report needs (text, links, media
references), never the provider's raw payload, which repeats the address in clear. The media's
bytes are kept apart, encrypted (media_store.py); a message's entries say which were kept.
"""

from __future__ import annotations

from typing import Any

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from baraza.accounts.permissions import ActionableQuerySet


class Provider(models.TextChoices):
    TELEGRAM = "telegram", "Telegram"
    WHATSAPP = "whatsapp", "WhatsApp"
    AFRICASTALKING = "africastalking", _("SMS (Africa's Talking)")
    TWILIO = "twilio", _("SMS (Twilio)")
    EMAIL = "email", _("E-mail")


class SenderQuerySet(ActionableQuerySet["Sender"]):
    pass


class Sender(models.Model):
    provider = models.CharField(max_length=16, choices=Provider.choices)
    address_hash = models.CharField(max_length=64, help_text="keyed hash of the address")
    address_encrypted = models.TextField(editable=False)
    language = models.CharField(max_length=16, blank=True, help_text="the language we answer in")
    opted_out = models.BooleanField(default=False, help_text="sent STOP: no more notices")
    blocked = models.BooleanField(default=False, help_text="the secretariat blocked this sender")
    last_inbound_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    objects = SenderQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["provider", "address_hash"], name="sender_unique_per_provider"
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_provider_display()} sender {self.pk}"


class InboundStatus(models.TextChoices):
    RECEIVED = "received", _("Received")
    REPORTED = "reported", _("Became a report")
    JOINED = "joined", _("Joined the sender's report")
    ANSWERED = "answered", _("Answered from a decision or fact-check")
    COMMAND = "command", _("A command")
    LIMITED = "limited", _("Over a rate limit")
    BLOCKED = "blocked", _("From a blocked sender")
    EMPTY = "empty", _("Nothing to report")


class MediaWhy(models.TextChoices):
    """Why a media entry was not kept (its "why"), in words a page can show."""

    TOO_LARGE = "too_large", _("larger than the size limit")
    TOO_MANY = "too_many", _("more media than one message may keep")
    REFUSED = "refused", _("the provider refused it, or it expired")
    UNREACHABLE = "unreachable", _("the provider could not be reached")
    UNAVAILABLE = "unavailable", _("this channel cannot fetch media")


def media_state(item: dict[str, Any]) -> str:
    """Whether a media entry was kept, in the reader's language; "" while it is being fetched."""
    if item.get("kept") is True:
        return gettext("kept")
    if item.get("kept") is False:
        why = item.get("why")
        words = MediaWhy(why).label if why in MediaWhy.values else str(why or "")
        return gettext("not kept: %(why)s") % {"why": words}
    return ""


class InboundMessage(models.Model):
    sender = models.ForeignKey(Sender, on_delete=models.CASCADE, related_name="inbound")
    provider = models.CharField(max_length=16, choices=Provider.choices)
    provider_message_id = models.CharField(
        max_length=200, help_text="keyed hash of the provider's id (it may carry the address)"
    )
    text = models.TextField(blank=True)
    subject = models.CharField(max_length=200, blank=True, help_text="an e-mail's subject")
    urls = models.JSONField(default=list, blank=True)
    media = models.JSONField(
        default=list,
        blank=True,
        help_text="references, see incoming.Media; once fetched, whether each was kept and its "
        "sha256 in the media store, or why not",
    )
    forwarded = models.BooleanField(default=False)
    language_hint = models.CharField(max_length=16, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    received_at = models.DateTimeField(default=timezone.now, db_index=True)
    status = models.CharField(
        max_length=16, choices=InboundStatus.choices, default=InboundStatus.RECEIVED
    )
    report = models.ForeignKey(
        "intake.Report",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="chat_messages",
    )
    answer = models.JSONField(
        default=dict, blank=True, help_text="the decision or fact-check it was answered with"
    )
    media_due_at = models.DateTimeField(
        null=True,
        blank=True,
        help_text="when fetching the media not yet kept is next due; empty when nothing is left",
    )
    media_attempts = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["received_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["provider", "provider_message_id"], name="inbound_message_unique"
            )
        ]
        indexes = [
            models.Index(fields=["status", "received_at"]),
            # The rate limits count a sender's and a channel's recent messages.
            models.Index(fields=["sender", "received_at"]),
            models.Index(fields=["provider", "received_at"]),
            models.Index(
                fields=["media_due_at"],
                condition=Q(media_due_at__isnull=False),
                name="inbound_media_due",
            ),
        ]

    def __str__(self) -> str:
        return f"message {self.pk} ({self.provider}, {self.status})"

    def media_listed(self) -> list[dict[str, Any]]:
        """The media entries with `state`: whether each was kept, in words, for pages."""
        return [{**item, "state": media_state(item)} for item in self.media]


class OutboundStatus(models.TextChoices):
    QUEUED = "queued", _("Queued")
    SENT = "sent", _("Sent")
    FAILED = "failed", _("Failed")


class OutboundKind(models.TextChoices):
    RECEIVED = "received", _("Report received")
    ANSWER = "answer", _("Answer from a decision or fact-check")
    STATUS = "status", _("Status of a report")
    DECISION = "decision", _("A case was decided")
    STOPPED = "stopped", _("Notices stopped")
    HELP = "help", _("How to use the tipline")
    LIMITED = "limited", _("Too many messages")


class OutboundMessage(models.Model):
    """A reply or notice. Written in the transaction that decides to send it, sent by the
    worker, so a crash in between delays it but never loses or repeats it."""

    sender = models.ForeignKey(Sender, on_delete=models.CASCADE, related_name="outbound")
    kind = models.CharField(max_length=16, choices=OutboundKind.choices)
    text = models.TextField()
    language = models.CharField(max_length=16, blank=True)
    report = models.ForeignKey(
        "intake.Report", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    dedupe_key = models.CharField(max_length=200, help_text="one message per key, ever")
    status = models.CharField(
        max_length=16, choices=OutboundStatus.choices, default=OutboundStatus.QUEUED
    )
    attempts = models.PositiveSmallIntegerField(default=0)
    next_attempt_at = models.DateTimeField(default=timezone.now)
    last_error = models.CharField(max_length=500, blank=True)
    provider_message_id = models.CharField(
        max_length=200, blank=True, help_text="keyed hash of the provider's id for it"
    )
    created_at = models.DateTimeField(default=timezone.now)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["dedupe_key"], name="outbound_message_unique")
        ]
        indexes = [
            models.Index(
                fields=["next_attempt_at"],
                condition=Q(status="queued"),
                name="outbound_due",
            )
        ]

    def __str__(self) -> str:
        return f"{self.kind} to sender {self.sender_id} ({self.status})"
