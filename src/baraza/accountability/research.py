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
from django.db.models import Count, Prefetch, Q, QuerySet
from django.http import HttpRequest
from django.utils import timezone
from ninja import Field, Query, Router, Schema, Status
from ninja.pagination import paginate
from ninja.security import HttpBearer
from pydantic import ConfigDict

from baraza.accountability.actions import (
    do_audit_research_query,
    do_create_research_key,
    do_revoke_research_key,
)
from baraza.accountability.models import ResearchKey, ResponseKind
from baraza.accountability.opendata import mask_personal
from baraza.accounts.auth import MemberToken
from baraza.accounts.models import Member, hash_token
from baraza.accounts.permissions import Capability, require_capability
from baraza.api_errors import errors
from baraza.bounds import check_period
from baraza.cases.models import Case, CaseStatus
from baraza.errors import InvalidField, NotFound
from baraza.intake.models import Category, Channel, Platform, Report, ReportStatus
from baraza.pagination import Page
from baraza.ratelimits import enforce
from baraza.review.models import Decision, Outcome
from baraza.tlp import TLP


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

    since: date | None = Field(None, description="reports or cases created on or after this day")
    until: date | None = Field(None, description="created on or before this day")
    country: str | None = Field(
        None, max_length=2, description="only this country (ISO 3166-1 alpha-2, e.g. KE)"
    )
    language: str | None = Field(
        None, max_length=16, description="only this language (BCP 47 primary subtag, e.g. sw)"
    )
    platform: Platform | None = Field(None, description="only content seen on this platform")
    category: Category | None = Field(None, description="only this kind of harm")


# A misspelt filter would silently return everything: every query parameter must be one of these.
KNOWN_PARAMETERS = frozenset(ResearchQuery.model_fields) | frozenset(Page.Input.model_fields)


def _filters(request: HttpRequest, query: ResearchQuery) -> Q:
    for name in request.GET:
        if name not in KNOWN_PARAMETERS:
            raise InvalidField(name, "unknown parameter", location="query")
    check_period(query.since, query.until)
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


class AuditedPage(Page):
    """The API's paginator (limit/offset, `{"items", "count"}`), auditing each research query:
    one `accountability.research_query` event with the query's filters, its page and the number
    of rows returned. The page is cut here, so this is where that number is known without a
    second query; `operation` names the query in the event, and the filters are the view's
    `query` parameter (ninja hands the paginator the view's arguments)."""

    def __init__(self, *, operation: str, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.operation = operation

    def paginate_queryset(
        self, queryset: QuerySet[Any], pagination: Any, request: HttpRequest, **params: Any
    ) -> Any:
        page = super().paginate_queryset(queryset, pagination, request, **params)
        page["items"] = list(page["items"])
        filters = params["query"].model_dump(mode="json", exclude_none=True)
        key: ResearchKey = request.auth  # type: ignore[attr-defined]
        do_audit_research_query(
            key, self.operation, {**filters, **pagination.model_dump(), "rows": len(page["items"])}
        )
        return page


def _key(context: dict[str, Any]) -> ResearchKey:
    """The research key of the request being answered: pseudonyms are keyed by it."""
    key: ResearchKey = context["request"].auth
    return key


class ReportRow(Schema):
    """A green or clear report, pseudonymised for your key."""

    id: str = Field(description="the report's pseudonym: stable for your key, unlike any other")
    case_id: int | None = Field(description="the report's case; null until it is placed")
    created_hour: datetime = Field(description="when it was received, cut to the hour")
    tlp: TLP = Field(description="clear or green: research keys read nothing else")
    platform: Platform = Field(description="where the content was seen")
    country: str = Field(description="ISO 3166-1 alpha-2 code of the country concerned")
    language: str = Field(description="BCP 47 primary language subtag; empty when unknown")
    category: Category = Field(description="the kind of harm, as the reporter chose it")
    channel: Channel = Field(description="how the report arrived")
    organisation: str = Field(description="the owning organisation's pseudonym for your key")
    status: ReportStatus = Field(description="where the report is in the process")
    text: str = Field(description="the report's text, e-mail addresses and phone numbers masked")
    url: str = Field(description="the reported content's address; may be empty")

    @staticmethod
    def resolve_id(report: Report, context: dict[str, Any]) -> str:
        return pseudonym(_key(context), "report", report.pk)

    @staticmethod
    def resolve_case_id(report: Report) -> int | None:
        return report.case_link.case_id if hasattr(report, "case_link") else None

    @staticmethod
    def resolve_created_hour(report: Report) -> datetime:
        return report.created_at.replace(minute=0, second=0, microsecond=0)

    @staticmethod
    def resolve_organisation(report: Report, context: dict[str, Any]) -> str:
        return pseudonym(_key(context), "org", report.organisation_id)

    @staticmethod
    def resolve_text(report: Report) -> str:
        return mask_personal(report.text)


class CaseRow(Schema):
    """A green or clear case (not merged away), pseudonymised for your key."""

    id: int = Field(description="the case's number")
    tlp: TLP = Field(description="clear or green: research keys read nothing else")
    status: CaseStatus = Field(description="where the case is in the process")
    platform: Platform = Field(description="where the content was seen")
    country: str = Field(description="ISO 3166-1 alpha-2 code of the country concerned")
    language: str = Field(description="BCP 47 primary language subtag; empty when unknown")
    category: Category = Field(description="the kind of harm")
    election: str | None = Field(description="the election's slug, when one was named")
    created_date: date = Field(description="the day the case was opened")
    organisation: str = Field(description="the owning organisation's pseudonym for your key")
    reports: int = Field(description="how many reports the case has")
    outcome: Outcome | None = Field(description="the current decision's outcome; null if none")
    verdict: str | None = Field(
        description="the current decision's verdict code (list_taxonomy?scheme=verdict, for "
        "members); null if none"
    )
    referrals: int = Field(description="referrals sent to platforms and authorities")
    referrals_actioned: int = Field(description="referrals answered with an action")

    @staticmethod
    def resolve_election(case: Case) -> str | None:
        return case.election.slug if case.election else None

    @staticmethod
    def resolve_created_date(case: Case) -> date:
        return case.created_at.date()

    @staticmethod
    def resolve_organisation(case: Case, context: dict[str, Any]) -> str:
        return pseudonym(_key(context), "org", case.organisation_id)

    @staticmethod
    def resolve_reports(case: Case) -> int:
        return int(case.report_count)  # type: ignore[attr-defined]

    @staticmethod
    def resolve_outcome(case: Case) -> str | None:
        decision = _current_decision(case)
        return decision.outcome if decision else None

    @staticmethod
    def resolve_verdict(case: Case) -> str | None:
        decision = _current_decision(case)
        return decision.verdict.code if decision and decision.verdict else None

    @staticmethod
    def resolve_referrals(case: Case) -> int:
        return int(case.referral_count)  # type: ignore[attr-defined]

    @staticmethod
    def resolve_referrals_actioned(case: Case) -> int:
        return int(case.actioned_count)  # type: ignore[attr-defined]


def _current_decision(case: Case) -> Decision | None:
    current: list[Decision] = case.current  # type: ignore[attr-defined]
    return current[-1] if current else None


RESEARCH_ERRORS = errors(401, 422, 429)


@router.get(
    "/research/reports",
    response={200: list[ReportRow], **RESEARCH_ERRORS},
    operation_id="research_reports",
)
@paginate(AuditedPage, operation="research_reports")
def research_reports(request: HttpRequest, query: Query[ResearchQuery]) -> QuerySet[Report]:
    """Green and clear reports, pseudonymised: no reporter, tracking code or contact; the
    time is cut to the hour; texts have e-mail addresses and phone numbers masked. Oldest
    first, a page at a time (`limit`, `offset`).

    For research keys (`Authorization: Bearer bzr_...`), rate-limited per key (429). Every
    query is audited with its parameters and row count. An unknown query parameter is a 422
    naming it: a misspelt filter must not silently return everything."""
    return (
        Report.objects.for_research()
        .filter(_filters(request, query))
        .select_related("case_link")
        .order_by("pk")
    )


@router.get(
    "/research/cases",
    response={200: list[CaseRow], **RESEARCH_ERRORS},
    operation_id="research_cases",
)
@paginate(AuditedPage, operation="research_cases")
def research_cases(request: HttpRequest, query: Query[ResearchQuery]) -> QuerySet[Case]:
    """Green and clear cases (not merged away), pseudonymised, with their current decision's
    outcome and their referrals' counts. Oldest first, a page at a time (`limit`, `offset`).
    Keys, rate limit, audit and unknown parameters as for research_reports."""
    current = Decision.objects.current().select_related("verdict")
    return (
        Case.objects.for_research()
        .filter(_filters(request, query), merged_into__isnull=True)
        .select_related("election")
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
        .order_by("pk")
    )


class KeyIn(Schema):
    model_config = ConfigDict(extra="forbid")

    holder: str = Field(max_length=200, description="the researcher and their institution")
    email: str = Field(max_length=254, description="the researcher's e-mail address")
    purpose: str = Field(
        max_length=5000, description="the research the key serves, as agreed with the coalition"
    )
    days: int | None = Field(
        None, description="lifetime in days, 1 to 730; BARAZA_RESEARCH_KEY_DAYS by default"
    )


class KeyOut(Schema):
    """A research key, without the key itself (only its hash is kept)."""

    id: int = Field(description="the key's id, for revoke_research_key")
    holder: str = Field(description="the researcher and their institution")
    email: str = Field(description="the researcher's e-mail address")
    purpose: str = Field(description="the research the key serves")
    hint: str = Field(description="the key's first characters, to recognise it")
    created_at: datetime = Field(description="when the key was created")
    expires_at: datetime = Field(description="when the key stops working")
    revoked_at: datetime | None = Field(description="when the key was revoked; null if it was not")


class NewKeyOut(KeyOut):
    """A new research key, with the key: shown this once."""

    key: str = Field(description="the key (bzr_...): shown once; only its hash is kept")


def _admin(request: HttpRequest) -> Member:
    return require_capability(
        request.auth,  # type: ignore[attr-defined]
        Capability.MANAGE_RESEARCH_KEYS,
        "only the host organisation's admins manage research keys",
    )


@keys_router.post(
    "/research/keys",
    response={201: NewKeyOut, **errors(401, 403, 422)},
    operation_id="create_research_key",
)
def create_research_key(request: HttpRequest, payload: KeyIn) -> Status:
    """Give a researcher a key to the research API: the host organisation's admins (403 for
    anyone else). The key is in this answer only; keep it."""
    member = _admin(request)
    key, raw = do_create_research_key(
        holder=payload.holder,
        email=payload.email,
        purpose=payload.purpose,
        days=payload.days,
        member=member,
    )
    return Status(201, {**KeyOut.from_orm(key).model_dump(), "key": raw})


@keys_router.get(
    "/research/keys",
    response={200: list[KeyOut], **errors(401, 403, 422)},
    operation_id="list_research_keys",
)
@paginate(Page)
def list_research_keys(request: HttpRequest) -> QuerySet[ResearchKey]:
    """Every research key, revoked and expired ones included, newest first, a page at a time:
    the host organisation's admins (403 for anyone else)."""
    _admin(request)
    return ResearchKey.objects.all()


@keys_router.delete(
    "/research/keys/{key_id}",
    response={200: KeyOut, **errors(401, 403, 404)},
    operation_id="revoke_research_key",
)
def revoke_research_key(request: HttpRequest, key_id: int) -> ResearchKey:
    """Revoke a research key at once (audited); revoking it again changes nothing. The host
    organisation's admins (403 for anyone else)."""
    member = _admin(request)
    key = ResearchKey.objects.filter(pk=key_id).first()
    if key is None:
        raise NotFound(f"no research key {key_id}")
    return do_revoke_research_key(key, member=member)
