"""The approver's decision on a speaker booking, through the link emailed to them: approve, decline or ask."""

from typing import Any

from aws_lambda_powertools.event_handler import Response
from aws_lambda_powertools.event_handler.api_gateway import Router

from safeplace.core import clock
from safeplace.speakers.decide_booking import AlreadyDecided, decide_booking_by_link, open_decision
from safeplace.speakers.models import Condition
from safeplace.speakers.upload_materials import open_materials_by_link
from safeplace.web.forms.form import Result
from safeplace.web.forms.speakers import DecisionForm
from safeplace.web.http import redirect
from safeplace.web.link import context

router = Router()


@router.exception_handler(AlreadyDecided)
def already_decided(decided: AlreadyDecided) -> Response[str]:
    # A decision link used again says who decided and when, not that it expired.
    return context.page(router, "error.html", 409, title="Already decided", message=decided.message)


def _decision_page(token: str, form: Result[Any], status: int = 200) -> Response[str]:
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
        form=form,
    )


@router.get("/link/<token>/speaker-decision")
def show_speaker_decision(token: str) -> Response[str]:
    return _decision_page(token, DecisionForm().show())


@router.get("/link/<token>/speaker-decision/materials")
def speaker_materials(token: str) -> Response[str]:
    """The uploaded materials, for the approver holding the link: a download link that works for five minutes."""
    deps = context.deps(router)
    store = deps.store
    url = open_materials_by_link(
        token, links=store.links, bookings=store.bookings, audit=store.audit, files=deps.files, now=clock.now()
    )
    return redirect(url)


@router.post("/link/<token>/speaker-decision")
def decide_speaker_booking(token: str) -> Response[str]:
    deps = context.deps(router)
    form = DecisionForm().parse(router.current_event.decoded_body)
    if form.model is None:
        return _decision_page(token, form, 400)
    made = form.model
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
