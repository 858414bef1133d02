"""Placements: learners placed with employers, active only when the gate finds every check passing."""

from typing import Annotated, Any
from urllib.parse import urlencode

from aws_lambda_powertools.event_handler import Response, content_types
from aws_lambda_powertools.event_handler.api_gateway import Router
from aws_lambda_powertools.event_handler.openapi.params import Query

from safeplace.core import clock
from safeplace.onboarding.list_employers import list_employers
from safeplace.placements.list_placements import list_placements
from safeplace.placements.models import Placement, PlacementRequest, PlacementStatus
from safeplace.placements.record_placement import record_placement
from safeplace.staff.access import Action
from safeplace.web.console.context import allow, base, deps, page, query, user
from safeplace.web.forms.form import Result
from safeplace.web.forms.placements import PlaceLearnerForm
from safeplace.web.http import redirect

router = Router()


def _record(request: PlacementRequest) -> Placement:
    return record_placement(request, user(router), placements=deps(router).store.placements, now=clock.now())


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


def _placement_form(form: Result[Any], http_status: int = 200) -> Response[str]:
    return page(
        router,
        "staff/placement_new.html",
        http_status,
        title="Place a learner",
        section="placements",
        employers=list_employers(None, None, employers=deps(router).store.employers),
        form=form,
    )


@router.get("/staff/placements/new", include_in_schema=False, middlewares=allow(Action.RECORD_PLACEMENT))
def placement_form() -> Response[str]:
    return _placement_form(PlaceLearnerForm().show({"employer_id": query(router).get("employer_id")}))


@router.post("/staff/placements", include_in_schema=False, middlewares=allow(Action.RECORD_PLACEMENT))
def placement_from_form() -> Response[str]:
    form = PlaceLearnerForm().parse(router.current_event.decoded_body)
    if form.model is None:
        return _placement_form(form, 400)
    placement = _record(form.model)
    return redirect(f"{base(router)}/staff/placements?{urlencode({'recorded': placement.id})}")
