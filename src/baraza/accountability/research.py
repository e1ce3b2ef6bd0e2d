"""The research API: read-only, pseudonymised green and clear data for holders of research keys,
rate-limited per key, every query audited; and the admins' operations on keys.

Pseudonyms are keyed per research key (HMAC-SHA256 of the internal id under a secret derived
from SECRET_KEY and the key), so one researcher's data link up across queries, but two
researchers cannot join their extracts on a shared identifier. No reporter, member, tracking
code or contact ever leaves; texts have e-mail addresses and phone numbers masked.
"""

import hashlib
import hmac
from datetime import date, datetime, time, timedelta
from typing import Any

from django.conf import settings
from django.db.models import Count, Prefetch, Q
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from django.utils import timezone
from ninja import Field, Query, Router, Schema, Status
from ninja.errors import HttpError
from ninja.security import HttpBearer
from pydantic import ConfigDict

from baraza.accountability.actions import (
    InvalidField,
    do_audit_research_query,
    do_create_research_key,
    do_revoke_research_key,
    may_manage_research_keys,
)
from baraza.accountability.models import ResearchKey, ResponseKind
from baraza.accountability.opendata import mask_personal
from baraza.accounts.auth import MemberToken
from baraza.accounts.models import Member, hash_token
from baraza.cases.models import Case
from baraza.intake.models import Report
from baraza.ratelimits import enforce
from baraza.review.models import Decision

MAX_PAGE = 1000


class ResearchKeyAuth(HttpBearer):
    """Requires `Authorization: Bearer bzr_...`, a usable research key; counts the request
    against the key's rate limit."""

    def authenticate(self, request: HttpRequest, token: str) -> ResearchKey | None:
        key = ResearchKey.objects.usable().filter(digest=hash_token(token.strip())).first()
        if key is not None:
            enforce(request, "research", settings.RESEARCH_RATE, key=f"research-key:{key.pk}")
        return key


router = Router(tags=["research"], auth=ResearchKeyAuth())
keys_router = Router(tags=["research"], auth=MemberToken())


def pseudonym(key: ResearchKey, kind: str, value: object) -> str:
    secret = hashlib.sha256(f"{settings.SECRET_KEY}:research:{key.pk}".encode()).digest()
    digest = hmac.new(secret, f"{kind}:{value}".encode(), hashlib.sha256).hexdigest()
    return f"{kind}_{digest[:16]}"


class ResearchQuery(Schema):
    model_config = ConfigDict(extra="forbid")

    since: date | None = Field(None, description="reports or cases created on or after")
    until: date | None = Field(None, description="created on or before")
    country: str | None = Field(None, max_length=2)
    language: str | None = Field(None, max_length=16)
    platform: str | None = Field(None, max_length=32)
    category: str | None = Field(None, max_length=32)
    offset: int = Field(0, ge=0)
    limit: int = Field(100, ge=1, le=MAX_PAGE)


def _filters(request: HttpRequest, query: ResearchQuery) -> Q:
    # A misspelt filter would silently return everything: refuse what we do not know.
    for name in request.GET:
        if name not in ResearchQuery.model_fields:
            raise HttpError(422, f"{name}: unknown parameter")
    if query.since and query.until and query.since > query.until:
        raise HttpError(422, "since: after until")
    rule = Q()
    zone = timezone.get_current_timezone()
    if query.since:
        rule &= Q(created_at__gte=datetime.combine(query.since, time.min, zone))
    if query.until:
        rule &= Q(created_at__lt=datetime.combine(query.until + timedelta(days=1), time.min, zone))
    for name in ("country", "language", "platform", "category"):
        if (value := getattr(query, name)) is not None:
            rule &= Q(**{name: value})
    return rule


class ReportRow(Schema):
    id: str
    case_id: int | None
    created_hour: datetime
    tlp: str
    platform: str
    country: str
    language: str
    category: str
    channel: str
    organisation: str
    status: str
    text: str
    url: str


class CaseRow(Schema):
    id: int
    tlp: str
    status: str
    platform: str
    country: str
    language: str
    category: str
    election: str | None
    created_date: date
    organisation: str
    reports: int
    outcome: str | None
    verdict: str | None
    referrals: int
    referrals_actioned: int


class Page(Schema):
    count: int
    offset: int
    items: list[dict[str, Any]]


def _audited(request: HttpRequest, operation: str, query: ResearchQuery, count: int) -> None:
    key: ResearchKey = request.auth  # type: ignore[attr-defined]
    params = query.model_dump(mode="json", exclude_none=True)
    do_audit_research_query(key, operation, {**params, "rows": count})


@router.get("/research/reports", response=Page, operation_id="research_reports")
def research_reports(request: HttpRequest, query: Query[ResearchQuery]) -> dict[str, Any]:
    """Green and clear reports, pseudonymised: no reporter, tracking code or contact; the
    time is cut to the hour; texts have e-mail addresses and phone numbers masked."""
    key: ResearchKey = request.auth  # type: ignore[attr-defined]
    reports = Report.objects.for_research().filter(_filters(request, query)).order_by("pk")
    total = reports.count()
    page = reports.select_related("case_link")[query.offset : query.offset + query.limit]
    items = [
        ReportRow(
            id=pseudonym(key, "report", r.pk),
            case_id=r.case_link.case_id if hasattr(r, "case_link") else None,
            created_hour=r.created_at.replace(minute=0, second=0, microsecond=0),
            tlp=r.tlp,
            platform=r.platform,
            country=r.country,
            language=r.language,
            category=r.category,
            channel=r.channel,
            organisation=pseudonym(key, "org", r.organisation_id),
            status=r.status,
            text=mask_personal(r.text),
            url=r.url,
        ).model_dump(mode="json")
        for r in page
    ]
    _audited(request, "research_reports", query, len(items))
    return {"count": total, "offset": query.offset, "items": items}


@router.get("/research/cases", response=Page, operation_id="research_cases")
def research_cases(request: HttpRequest, query: Query[ResearchQuery]) -> dict[str, Any]:
    """Green and clear cases (not merged away), pseudonymised, with their current decision's
    outcome and their referrals' counts."""
    key: ResearchKey = request.auth  # type: ignore[attr-defined]
    cases = (
        Case.objects.for_research()
        .filter(_filters(request, query), merged_into__isnull=True)
        .order_by("pk")
    )
    total = cases.count()
    current = Decision.objects.filter(replaced_by__isnull=True).select_related("verdict")
    page = (
        cases.select_related("election")
        .annotate(
            report_count=Count("links", distinct=True),
            referral_count=Count(
                "referrals", filter=Q(referrals__sent_at__isnull=False), distinct=True
            ),
            actioned_count=Count(
                "referrals",
                filter=Q(referrals__responses__kind=ResponseKind.ACTIONED),
                distinct=True,
            ),
        )
        .prefetch_related(Prefetch("decisions", queryset=current, to_attr="current"))
    )[query.offset : query.offset + query.limit]
    items = []
    for case in page:
        decision = case.current[-1] if case.current else None  # type: ignore[attr-defined]
        items.append(
            CaseRow(
                id=case.pk,
                tlp=case.tlp,
                status=case.status,
                platform=case.platform,
                country=case.country,
                language=case.language,
                category=case.category,
                election=case.election.slug if case.election else None,
                created_date=case.created_at.date(),
                organisation=pseudonym(key, "org", case.organisation_id),
                reports=case.report_count,  # type: ignore[attr-defined]
                outcome=decision.outcome if decision else None,
                verdict=decision.verdict.code if decision and decision.verdict else None,
                referrals=case.referral_count,  # type: ignore[attr-defined]
                referrals_actioned=case.actioned_count,  # type: ignore[attr-defined]
            ).model_dump(mode="json")
        )
    _audited(request, "research_cases", query, len(items))
    return {"count": total, "offset": query.offset, "items": items}


class KeyIn(Schema):
    model_config = ConfigDict(extra="forbid")

    holder: str = Field(max_length=200, description="the researcher and their institution")
    email: str = Field(max_length=254)
    purpose: str = Field(max_length=5000)
    days: int | None = Field(None, description="lifetime; BARAZA_RESEARCH_KEY_DAYS by default")


class KeyOut(Schema):
    id: int
    holder: str
    email: str
    purpose: str
    hint: str
    created_at: datetime
    expires_at: datetime
    revoked_at: datetime | None


class NewKeyOut(KeyOut):
    key: str = Field(description="shown once; only its hash is kept")


def _admin(request: HttpRequest) -> Member:
    member: Member = request.auth  # type: ignore[attr-defined]
    if not may_manage_research_keys(member):
        raise PermissionError("only the host organisation's admins manage research keys")
    return member


@keys_router.post("/research/keys", response={201: NewKeyOut}, operation_id="create_research_key")
def create_research_key(request: HttpRequest, payload: KeyIn) -> Status:
    """Give a researcher a key to the research API (the host organisation's admins)."""
    member = _admin(request)
    try:
        key, raw = do_create_research_key(
            holder=payload.holder,
            email=payload.email,
            purpose=payload.purpose,
            days=payload.days,
            member=member,
        )
    except InvalidField as error:
        raise HttpError(422, str(error)) from None
    return Status(201, {**KeyOut.from_orm(key).model_dump(), "key": raw})


@keys_router.get("/research/keys", response=list[KeyOut], operation_id="list_research_keys")
def list_research_keys(request: HttpRequest) -> Any:
    _admin(request)
    return ResearchKey.objects.all()


@keys_router.delete("/research/keys/{key_id}", response=KeyOut, operation_id="revoke_research_key")
def revoke_research_key(request: HttpRequest, key_id: int) -> ResearchKey:
    member = _admin(request)
    return do_revoke_research_key(get_object_or_404(ResearchKey, pk=key_id), member=member)
