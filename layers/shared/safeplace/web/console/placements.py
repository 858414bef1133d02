"""Placements: learners placed with employers, active only when the gate finds every check passing."""

from typing import Annotated, Any
from urllib.parse import urlencode

from aws_lambda_powertools.event_handler import Response, content_types
from aws_lambda_powertools.event_handler.api_gateway import Router
from aws_lambda_powertools.event_handler.openapi.params import Query

from safeplace.core import clock
from safeplace.core.paging import MAX_PAGE_SIZE, Page
from safeplace.placements.list_placements import list_placements
from safeplace.placements.models import Placement, PlacementRequest, PlacementStatus, PlacementSummary
from safeplace.placements.offer_choices import offer_choices
from safeplace.placements.record_placement import record_placement
from safeplace.placements.sites import UnknownSite
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
from safeplace.web.forms.form import Result, posted
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
    responses={
        201: {"description": "Recorded, active or blocked with its reasons"},
        400: {"description": "The site is not one the employer named in its answers; the message lists its sites"},
    },
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


# The form's two steps, without script: choose the employer, then the rest with that employer's sites. The buttons
# that move between them post everything typed so far, so nothing is lost on the way.
FIND, CHOOSE, CHANGE = "find", "choose", "change"


def _placement_form(form: Result[Any], search: str, *, step: str = "", http_status: int = 200) -> Response[str]:
    choices = offer_choices(search, str(form.value("employer_id") or ""), employers=deps(router).store.employers)
    if step == CHOOSE and choices.chosen is None:
        form, http_status = form.with_problems({"employer_id": "Select the employer"}), 400
    return page(
        router,
        "staff/placement_new.html",
        http_status,
        title="Place a learner",
        section="placements",
        choices=choices,
        # The rest of the form, once an employer is chosen and not while another is being looked for.
        rest=choices.chosen is not None and step not in (FIND, CHANGE),
        employer_search=search,
        form=form,
    )


@router.get("/staff/placements/new", include_in_schema=False, middlewares=allow(Action.RECORD_PLACEMENT))
def placement_form() -> Response[str]:
    asked = query(router)
    search = (asked.get("employer_search") or "").strip()[:100]
    return _placement_form(PlaceLearnerForm().show({"employer_id": asked.get("employer_id")}), search)


@router.post("/staff/placements", include_in_schema=False, middlewares=allow(Action.RECORD_PLACEMENT))
def placement_from_form() -> Response[str]:
    form = PlaceLearnerForm().parse(router.current_event.decoded_body)
    sent = posted(router.current_event.decoded_body)
    search = (sent.get("employer_search") or [""])[0].strip()[:100]
    step = (sent.get("action") or [""])[0]
    if step in (FIND, CHOOSE, CHANGE):
        return _placement_form(Result(form.fields, form.values), search, step=step)
    if form.model is None:
        return _placement_form(form, search, http_status=400)
    try:
        placement = _record(form.model)
    except UnknownSite as unknown:
        return _placement_form(form.with_problems({"site": unknown.message}), search, http_status=400)
    return redirect(f"{base(router)}/staff/placements?{urlencode({'recorded': placement.id})}")
