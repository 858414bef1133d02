"""The steps of the speaker booking state machine: the decision link to the right approver, escalation of an
overdue decision, the outcome to the requester and the speaker, the question back to the requester, and the
withdrawal of a request nobody completed."""

from collections.abc import Callable
from typing import Annotated, Any, Literal

from aws_lambda_powertools import Logger
from aws_lambda_powertools.utilities.typing import LambdaContext
from pydantic import BaseModel, ConfigDict, Field, TypeAdapter

from safeplace.core import clock
from safeplace.core.model import Model
from safeplace.speakers.escalate_decision import escalate_decision
from safeplace.speakers.notify_outcome import notify_outcome
from safeplace.speakers.request_decision import request_decision
from safeplace.speakers.request_information import request_information
from safeplace.speakers.withdraw_booking import withdraw_booking
from safeplace.wiring import SpeakerTasksDependencies, speaker_tasks_dependencies

logger = Logger()

BookingId = Annotated[str, Field(pattern=r"^bkg-[0-9a-f]{12}$")]


class RequestDecisionStep(Model):
    step: Literal["request_decision"]
    booking_id: BookingId
    task_token: str


class EscalateStep(Model):
    step: Literal["escalate"]
    booking_id: BookingId


class NotifyOutcomeStep(Model):
    step: Literal["notify_outcome"]
    booking_id: BookingId


class RequestInformationStep(Model):
    step: Literal["request_information"]
    booking_id: BookingId
    task_token: str


class WithdrawStep(Model):
    step: Literal["withdraw"]
    booking_id: BookingId


Step = Annotated[
    RequestDecisionStep | EscalateStep | NotifyOutcomeStep | RequestInformationStep | WithdrawStep,
    Field(discriminator="step"),
]
# Built on the first event, as the models are (safeplace.core.model).
_steps = TypeAdapter(Step, config=ConfigDict(defer_build=True))


def _request_decision(step: RequestDecisionStep, deps: SpeakerTasksDependencies) -> dict[str, Any]:
    request_decision(
        step.booking_id,
        step.task_token,
        bookings=deps.store.bookings,
        waits=deps.store.waits,
        mailer=deps.mailer,
        issuer=deps.settings.link_issuer(deps.store.links),
        workflows=deps.workflows,
        approvers=deps.settings.approvers,
        base_url=str(deps.settings.public_base_url).rstrip("/"),
        now=clock.now(),
    )
    return {}


def _escalate(step: EscalateStep, deps: SpeakerTasksDependencies) -> dict[str, Any]:
    escalate_decision(
        step.booking_id,
        bookings=deps.store.bookings,
        mailer=deps.mailer,
        approvers=deps.settings.approvers,
        now=clock.now(),
    )
    return {}


def _notify_outcome(step: NotifyOutcomeStep, deps: SpeakerTasksDependencies) -> dict[str, Any]:
    store = deps.store
    issuer = deps.settings.link_issuer(store.links)
    status = notify_outcome(
        step.booking_id, bookings=store.bookings, audit=store.audit, mailer=deps.mailer, issuer=issuer, now=clock.now()
    )
    return {"status": status}


def _request_information(step: RequestInformationStep, deps: SpeakerTasksDependencies) -> dict[str, Any]:
    request_information(
        step.booking_id,
        step.task_token,
        bookings=deps.store.bookings,
        waits=deps.store.waits,
        audit=deps.store.audit,
        mailer=deps.mailer,
        workflows=deps.workflows,
        base_url=str(deps.settings.public_base_url).rstrip("/"),
        now=clock.now(),
    )
    return {}


def _withdraw(step: WithdrawStep, deps: SpeakerTasksDependencies) -> dict[str, Any]:
    withdraw_booking(step.booking_id, bookings=deps.store.bookings, mailer=deps.mailer, now=clock.now())
    return {}


_HANDLERS: dict[type[BaseModel], Callable[[Any, SpeakerTasksDependencies], dict[str, Any]]] = {
    RequestDecisionStep: _request_decision,
    EscalateStep: _escalate,
    NotifyOutcomeStep: _notify_outcome,
    RequestInformationStep: _request_information,
    WithdrawStep: _withdraw,
}


@logger.inject_lambda_context
def lambda_handler(
    event: dict[str, Any], context: LambdaContext, deps: SpeakerTasksDependencies | None = None
) -> dict[str, Any]:
    step = _steps.validate_python(event)
    logger.append_keys(step=step.step, booking_id=step.booking_id)
    return _HANDLERS[type(step)](step, deps or speaker_tasks_dependencies())
