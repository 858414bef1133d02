"""The speaker confirming, through their emailed link, the conditions of an approved booking and the code of
conduct."""

from typing import Any

from aws_lambda_powertools.event_handler import Response
from aws_lambda_powertools.event_handler.api_gateway import Router

from safeplace.core import clock
from safeplace.speakers.acknowledge_conditions import (
    ConditionsNotAcknowledged,
    acknowledge_conditions,
    open_conditions,
)
from safeplace.speakers.code_of_conduct import CODE_OF_CONDUCT
from safeplace.speakers.code_of_conduct import VERSION as CODE_OF_CONDUCT_VERSION
from safeplace.web.forms.form import Result
from safeplace.web.forms.speakers import ConfirmConditionsForm
from safeplace.web.link import context

router = Router()


def _conditions_page(token: str, form: Result[Any], status: int = 200) -> Response[str]:
    store = context.deps(router).store
    booking = open_conditions(token, links=store.links, bookings=store.bookings, now=clock.now())
    return context.page(
        router,
        "link/speaker_conditions.html",
        status,
        title="Confirm the conditions of your session",
        token=token,
        booking=booking,
        code=CODE_OF_CONDUCT,
        code_version=CODE_OF_CONDUCT_VERSION,
        form=form,
    )


@router.get("/link/<token>/speaker")
def show_speaker_conditions(token: str) -> Response[str]:
    return _conditions_page(token, ConfirmConditionsForm().show())


@router.post("/link/<token>/speaker")
def confirm_speaker_conditions(token: str) -> Response[str]:
    deps = context.deps(router)
    form = ConfirmConditionsForm().parse(router.current_event.decoded_body)
    if form.model is None:
        return _conditions_page(token, form, 400)
    confirmation = form.model
    try:
        booking = acknowledge_conditions(
            token,
            confirmation,
            links=deps.store.links,
            bookings=deps.store.bookings,
            mailer=deps.mailer,
            now=clock.now(),
        )
    except ConditionsNotAcknowledged as refused:
        return _conditions_page(token, form.with_problems(refused.problems), 400)
    return context.page(router, "link/speaker_acknowledged.html", title="Conditions confirmed", booking=booking)
