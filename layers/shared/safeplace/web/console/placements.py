"""Placements: learners placed with employers, active only when the gate finds every check passing."""

from typing import Annotated, Any
from urllib.parse import urlencode

from aws_lambda_powertools.event_handler import Response, content_types
from aws_lambda_powertools.event_handler.api_gateway import Router
from aws_lambda_powertools.event_handler.openapi.params import Query

from safeplace.core import clock
from safeplace.core.paging import MAX_PAGE_SIZE, Page
from safeplace.onboarding.list_employers import placement_choices
from safeplace.placements.list_placements import list_placements
from safeplace.placements.models import Placement, PlacementRequest, PlacementStatus, PlacementSummary
from safeplace.placements.record_placement import record_placement
from safeplace.staff.access import Action
from safeplace.web.components import pagination
from safeplace.web.console.context import (
    CURSOR,
    CURSOR_LENGTH,
    LIMIT,
    allow,
    base,
    deps,
    page,
    page_cursor,
    query,
    user,
)
from safeplace.web.forms.form import Result
from safeplace.web.forms.placements import PlaceLearnerForm
from safeplace.web.http import redirect

router = Router()


def _record(request: PlacementRequest) -> Placement:
    return record_placement(request, user(router), placements=deps(router).store.placements, now=clock.now())


@router.get(
    "/api/placements",
    summary="A page of placements, newest first, with the gate's reasons for any that are blocked",
    tags=["Placements"],
    middlewares=allow(Action.VIEW_PLACEMENTS),
)
def api_list_placements(
    status: Annotated[PlacementStatus | None, Query()] = None,
    cursor: Annotated[str | None, Query(max_length=CURSOR_LENGTH, description=CURSOR)] = None,
    limit: Annotated[int, Query(ge=1, le=MAX_PAGE_SIZE, description=LIMIT)] = MAX_PAGE_SIZE,
) -> Page[PlacementSummary]:
    return list_placements(status, placements=deps(router).store.placements, cursor=cursor, limit=limit)


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
    asked = query(router)
    raw_status = asked.get("status") or ""
    status = PlacementStatus(raw_status) if raw_status in PlacementStatus._value2member_map_ else None
    found = list_placements(status, placements=deps(router).store.placements, cursor=page_cursor(router))
    return page(
        router,
        "staff/placements.html",
        title="Placements",
        section="placements",
        placements=found.items,
        status_filter=status,
        statuses=list(PlacementStatus),
        pagination=pagination(f"{base(router)}/staff/placements", {"status": status or ""}, found),
        recorded=asked.get("recorded"),
        width="full",
    )


def _placement_form(form: Result[Any], http_status: int = 200) -> Response[str]:
    search = (query(router).get("employer_search") or "").strip()[:100]
    chosen = str(form.value("employer_id") or "")
    return page(
        router,
        "staff/placement_new.html",
        http_status,
        title="Place a learner",
        section="placements",
        employers=placement_choices(search, chosen, employers=deps(router).store.employers),
        employer_search=search,
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
