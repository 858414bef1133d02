"""Placements: learners placed with employers, active only when the gate finds every check passing."""

from typing import Annotated, Any
from urllib.parse import urlencode

from aws_lambda_powertools.event_handler import Response, content_types
from aws_lambda_powertools.event_handler.api_gateway import Router
from aws_lambda_powertools.event_handler.openapi.params import Query
from pydantic import ValidationError

from safeplace.core import clock
from safeplace.onboarding.list_employers import list_employers
from safeplace.placements.list_placements import list_placements
from safeplace.placements.models import Placement, PlacementRequest, PlacementStatus
from safeplace.placements.record_placement import record_placement
from safeplace.staff.access import Action
from safeplace.web.console.context import allow, base, deps, page, query, user
from safeplace.web.http import field_errors, flat_fields, redirect

router = Router()

PLACEMENT_LABELS = {
    "learner_reference": "the learner's reference (3 to 30 letters, numbers, / _ or -)",
    "date_of_birth": "the learner's date of birth",
    "employer_id": "the employer",
    "site": "the site where the learner will work",
    "start_date": "the start date",
    "assessor": "the assessor's name",
}


def _record(request: PlacementRequest) -> Placement:
    store = deps(router).store
    return record_placement(
        request,
        user(router),
        employers=store.employers,
        placements=store.placements,
        handbook=store.handbook,
        now=clock.now(),
    )


@router.get(
    "/api/placements",
    summary="Placements, newest first, with the gate's reasons for any that are blocked",
    tags=["Placements"],
    middlewares=allow(Action.VIEW_PLACEMENTS),
)
def api_list_placements(status: Annotated[PlacementStatus | None, Query()] = None) -> list[Placement]:
    return list_placements(status, placements=deps(router).store.placements)


@router.post(
    "/api/placements",
    summary="Place a learner with an employer: active if every check passes on the start date, else blocked",
    tags=["Placements"],
    responses={201: {"description": "Recorded, active or blocked with its reasons"}},
    middlewares=allow(Action.RECORD_PLACEMENT),
)
def api_record_placement(request: PlacementRequest) -> Response[Placement]:
    return Response(status_code=201, content_type=content_types.APPLICATION_JSON, body=_record(request))


@router.get("/staff/placements", include_in_schema=False, middlewares=allow(Action.VIEW_PLACEMENTS))
def placements_page() -> Response[str]:
    return page(
        router,
        "staff/placements.html",
        title="Placements",
        section="placements",
        placements=list_placements(None, placements=deps(router).store.placements),
        recorded=query(router).get("recorded"),
        width="full",
    )


def _placement_form(values: dict[str, Any], problems: dict[str, str], http_status: int = 200) -> Response[str]:
    return page(
        router,
        "staff/placement_new.html",
        http_status,
        title="Place a learner",
        section="placements",
        employers=list_employers(None, None, employers=deps(router).store.employers),
        values=values,
        errors=problems,
    )


@router.get("/staff/placements/new", include_in_schema=False, middlewares=allow(Action.RECORD_PLACEMENT))
def placement_form() -> Response[str]:
    return _placement_form({"employer_id": query(router).get("employer_id", "")}, {})


@router.post("/staff/placements", include_in_schema=False, middlewares=allow(Action.RECORD_PLACEMENT))
def placement_from_form() -> Response[str]:
    values = flat_fields(router.current_event.decoded_body)
    try:
        request = PlacementRequest.model_validate(values)
    except ValidationError as error:
        return _placement_form(values, field_errors(error, PLACEMENT_LABELS), 400)
    placement = _record(request)
    return redirect(f"{base(router)}/staff/placements?{urlencode({'recorded': placement.id})}")
