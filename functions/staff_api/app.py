"""Staff console pages and JSON API, behind the Cognito authorizer."""

from dataclasses import dataclass
from functools import cache
from typing import Annotated, Any
from urllib.parse import urlsplit

from aws_lambda_powertools import Logger
from aws_lambda_powertools.event_handler import APIGatewayRestResolver, Response, content_types
from aws_lambda_powertools.event_handler.openapi.params import Path, Query
from aws_lambda_powertools.logging import correlation_paths
from aws_lambda_powertools.utilities.typing import LambdaContext
from pydantic import ValidationError

from safeplace import clock
from safeplace.adapters.dynamodb import Store
from safeplace.adapters.stepfunctions import Workflows
from safeplace.models import Employer, EmployerDetail, EmployerStatus, EmployerSummary, Invitation, StaffUser
from safeplace.onboarding.invite_employer import invite_employer
from safeplace.onboarding.list_employers import list_employers
from safeplace.onboarding.show_employer import show_employer
from safeplace.settings import StaffApiSettings
from safeplace.web import errors
from safeplace.web.http import field_errors, flat_fields, html, redirect
from safeplace.web.identity import staff_user
from safeplace.web.pages import render

logger = Logger()
app = APIGatewayRestResolver(enable_validation=True)
errors.register(app)

INVITATION_LABELS = {
    "employer_name": "the employer's name",
    "contact_name": "the contact's full name",
    "contact_email": "the contact's email address, like name@example.com",
}


@dataclass(frozen=True)
class Dependencies:
    settings: StaffApiSettings
    store: Store
    workflows: Workflows


@cache
def production_dependencies() -> Dependencies:
    settings = StaffApiSettings()  # type: ignore[call-arg]
    return Dependencies(settings=settings, store=Store(settings.table_name, settings.retention), workflows=Workflows())


def _deps() -> Dependencies:
    deps: Dependencies = app.context["deps"]
    return deps


def _user() -> StaffUser:
    return staff_user(app.current_event.request_context.raw_event)


def _base() -> str:
    return urlsplit(str(_deps().settings.public_base_url)).path.rstrip("/")


def _invite(invitation: Invitation) -> Employer:
    deps = _deps()
    return invite_employer(
        invitation,
        _user(),
        store=deps.store,
        workflows=deps.workflows,
        state_machine_arn=deps.settings.onboarding_state_machine_arn,
        timings=deps.settings.onboarding_timings,
        now=clock.now(),
    )


# ---------------------------------------------------------------- JSON API


@app.get("/api/employers", summary="List employers, newest change first", tags=["Employers"])
def api_list_employers(status: Annotated[EmployerStatus | None, Query()] = None) -> list[EmployerSummary]:
    _user()
    return list_employers(status, store=_deps().store)


@app.post(
    "/api/employers",
    summary="Invite an employer to onboard",
    tags=["Employers"],
    responses={201: {"description": "Invited; the onboarding workflow has started"}},
)
def api_invite_employer(invitation: Invitation) -> Response[Employer]:
    return Response(status_code=201, content_type=content_types.APPLICATION_JSON, body=_invite(invitation))


@app.get(
    "/api/employers/<employer_id>",
    summary="An employer with its checks, submission and audit trail",
    tags=["Employers"],
)
def api_show_employer(employer_id: Annotated[str, Path(pattern=r"^emp-[0-9a-f]{12}$")]) -> EmployerDetail:
    _user()
    return show_employer(employer_id, store=_deps().store, now=clock.now())


@app.get("/api/openapi.json", include_in_schema=False)
def openapi_document() -> Response[Any]:
    return Response(
        status_code=200,
        content_type=content_types.APPLICATION_JSON,
        body=app.get_openapi_json_schema(title="Safeplace staff API", version="0.1.0"),
    )


# ---------------------------------------------------------------- console pages


@app.get("/staff", include_in_schema=False)
def home() -> Response[str]:
    raw_status = (app.current_event.query_string_parameters or {}).get("status") or None
    status = EmployerStatus(raw_status) if raw_status in EmployerStatus._value2member_map_ else None
    return html(
        render(
            "staff/home.html",
            title="Employers",
            base=_base(),
            user=_user(),
            status=status,
            statuses=list(EmployerStatus),
            employers=list_employers(status, store=_deps().store),
        )
    )


@app.get("/staff/employers/new", include_in_schema=False)
def invite_form() -> Response[str]:
    return html(
        render("staff/invite.html", title="Invite an employer", base=_base(), user=_user(), values={}, errors={})
    )


@app.post("/staff/employers", include_in_schema=False)
def invite_from_form() -> Response[str]:
    values = flat_fields(app.current_event.decoded_body)
    try:
        invitation = Invitation.model_validate(values)
    except ValidationError as error:
        return html(
            render(
                "staff/invite.html",
                title="Invite an employer",
                base=_base(),
                user=_user(),
                values=values,
                errors=field_errors(error, INVITATION_LABELS),
            ),
            400,
        )
    employer = _invite(invitation)
    return redirect(f"{_base()}/staff/employers/{employer.id}")


@app.get("/staff/employers/<employer_id>", include_in_schema=False)
def employer_page(employer_id: str) -> Response[str]:
    detail = show_employer(employer_id, store=_deps().store, now=clock.now())
    return html(render("staff/employer.html", title=detail.employer.name, base=_base(), user=_user(), detail=detail))


@logger.inject_lambda_context(correlation_id_path=correlation_paths.API_GATEWAY_REST)
def lambda_handler(event: dict[str, Any], context: LambdaContext, deps: Dependencies | None = None) -> dict[str, Any]:
    app.append_context(deps=deps or production_dependencies())
    return app.resolve(event, context)
