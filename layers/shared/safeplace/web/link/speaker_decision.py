"""The approver's decision on a speaker booking, through the link emailed to them: approve, decline or ask."""

from functools import cache
from typing import Any, cast

from aws_lambda_powertools.event_handler import Response
from aws_lambda_powertools.event_handler.api_gateway import Router
from pydantic import TypeAdapter, ValidationError

from safeplace.core import clock
from safeplace.speakers.decide_booking import AlreadyDecided, decide_booking_by_link, open_decision
from safeplace.speakers.models import Approval, BookingDecision, Condition, Decline, InformationRequest
from safeplace.speakers.upload_materials import open_materials_by_link
from safeplace.web.http import redirect
from safeplace.web.link import context
from safeplace.web.speaker_form import decision_errors, decision_fields

router = Router()


@cache
def _decision_form() -> TypeAdapter[Approval | Decline | InformationRequest]:
    # mypy takes the annotated union for a value, not a type (in incremental runs): say what it validates.
    return TypeAdapter(cast("type[Approval | Decline | InformationRequest]", BookingDecision))


@router.exception_handler(AlreadyDecided)
def already_decided(decided: AlreadyDecided) -> Response[str]:
    # A decision link used again says who decided and when, not that it expired.
    return context.page(router, "error.html", 409, title="Already decided", message=decided.message)


def _decision_page(token: str, values: dict[str, Any], problems: dict[str, str], status: int = 200) -> Response[str]:
    store = context.deps(router).store
    booking = open_decision(token, links=store.links, bookings=store.bookings, now=clock.now())
    return context.page(
        router,
        "link/speaker_decision.html",
        status,
        title="Decide on a speaker booking",
        token=token,
        booking=booking,
        conditions=list(Condition),
        values=values,
        errors=problems,
    )


@router.get("/link/<token>/speaker-decision")
def show_speaker_decision(token: str) -> Response[str]:
    return _decision_page(token, {}, {})


@router.get("/link/<token>/speaker-decision/materials")
def speaker_materials(token: str) -> Response[str]:
    """The uploaded materials, for the approver holding the link: a download link that works for five minutes."""
    deps = context.deps(router)
    store = deps.store
    url = open_materials_by_link(
        token, links=store.links, bookings=store.bookings, audit=store.table, files=deps.files, now=clock.now()
    )
    return redirect(url)


@router.post("/link/<token>/speaker-decision")
def decide_speaker_booking(token: str) -> Response[str]:
    deps = context.deps(router)
    values = decision_fields(router.current_event.decoded_body)
    try:
        made = _decision_form().validate_python(values)
    except ValidationError as error:
        return _decision_page(token, values, decision_errors(error), 400)
    store = deps.store
    booking = decide_booking_by_link(
        token,
        made,
        links=store.links,
        bookings=store.bookings,
        waits=store.waits,
        workflows=deps.workflows,
        now=clock.now(),
    )
    return context.page(router, "link/speaker_decided.html", title="Decision recorded", booking=booking, made=made)
