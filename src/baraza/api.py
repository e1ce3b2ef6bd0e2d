"""The one NinjaAPI. Each app contributes a router; errors are JSON with a 4xx status."""

from django.core.exceptions import PermissionDenied, RequestDataTooBig
from django.http import Http404, HttpRequest, HttpResponse
from ninja import NinjaAPI, Schema
from ninja.errors import AuthenticationError

from baraza.accountability.api import router as accountability_router
from baraza.accountability.research import keys_router as research_keys_router
from baraza.accountability.research import router as research_router
from baraza.cases.api import router as cases_router
from baraza.intake.actions import ReportRejected
from baraza.intake.api import router as intake_router
from baraza.matching.api import router as matching_router
from baraza.middleware import body_limit, too_large
from baraza.ratelimits import RateLimited
from baraza.review.api import router as review_router

api = NinjaAPI(
    title="Baraza API",
    version="1",
    description=(
        "Election information-integrity clearinghouse. Authenticate with "
        "`Authorization: Bearer <token>`; public operations need no token. Errors are "
        '`{"detail": "..."}` or a list of field errors, with a 4xx status.'
    ),
    urls_namespace="api",
)


class Health(Schema):
    status: str


@api.get("/health", response=Health, operation_id="health", tags=["service"])
def health(request: HttpRequest) -> dict[str, str]:
    """Answers when the web process is up; touches nothing else (also the benchmarks' baseline)."""
    return {"status": "ok"}


@api.exception_handler(AuthenticationError)
def _unauthenticated(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    message = (
        str(exc)
        if str(exc) and str(exc) != "Unauthorized"
        else ("this operation needs 'Authorization: Bearer <token>' with a valid member token")
    )
    return api.create_response(request, {"detail": message}, status=401)


@api.exception_handler(PermissionError)
@api.exception_handler(PermissionDenied)
def _forbidden(request: HttpRequest, exc: Exception) -> HttpResponse:
    return api.create_response(request, {"detail": str(exc) or "not allowed"}, status=403)


@api.exception_handler(Http404)
def _not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
    return api.create_response(request, {"detail": str(exc) or "not found"}, status=404)


@api.exception_handler(ReportRejected)
def _rejected(request: HttpRequest, exc: ReportRejected) -> HttpResponse:
    body = {"detail": [{"loc": ["body", exc.field], "msg": exc.message, "type": "value_error"}]}
    return api.create_response(request, body, status=422)


@api.exception_handler(RequestDataTooBig)
def _too_big(request: HttpRequest, exc: RequestDataTooBig) -> HttpResponse:
    return too_large(body_limit(request))


@api.exception_handler(RateLimited)
def _rate_limited(request: HttpRequest, exc: RateLimited) -> HttpResponse:
    response = api.create_response(request, {"detail": str(exc)}, status=429)
    response["Retry-After"] = str(exc.retry_after)
    return response


api.add_router("/", intake_router)
api.add_router("/", cases_router)
api.add_router("/", matching_router)
api.add_router("/", review_router)
api.add_router("/", accountability_router)
api.add_router("/", research_router)
api.add_router("/", research_keys_router)
