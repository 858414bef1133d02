"""The steps of the handbook workflows: the rollout (who a version goes to, a page at a time, each page handing on
to the next) and each SPOC's delivery (the copy, the email, the reminders and the escalation)."""

from collections.abc import Callable
from typing import Any

from aws_lambda_powertools import Logger
from aws_lambda_powertools.utilities.typing import LambdaContext
from pydantic import BaseModel, ConfigDict, TypeAdapter

from safeplace.core import clock
from safeplace.core.errors import NotFound
from safeplace.handbook.chase_acknowledgement import chase_acknowledgement
from safeplace.handbook.continue_rollout import continue_rollout
from safeplace.handbook.deliver_handbook import deliver_handbook
from safeplace.handbook.list_recipients import list_recipients
from safeplace.handbook.models import HandbookVersion
from safeplace.handbook.offer_handbook import offer_handbook
from safeplace.handbook.workflow_steps import (
    ChaseStep,
    ContinueRolloutStep,
    DeliverStep,
    ListRecipientsStep,
    OfferStep,
    Step,
)
from safeplace.wiring import HandbookTasksDependencies, handbook_tasks_dependencies

logger = Logger()


# Built on the first event, as the models are (safeplace.core.model).
_steps = TypeAdapter(Step, config=ConfigDict(defer_build=True))


def _version(number: int, deps: HandbookTasksDependencies) -> HandbookVersion:
    version = deps.store.handbook.handbook_version(number)
    if version is None:
        raise NotFound(f"There is no handbook version {number}")
    return version


def _list_recipients(step: ListRecipientsStep, deps: HandbookTasksDependencies) -> dict[str, Any]:
    return list_recipients(step.rollout, employers=deps.store.employers).model_dump(mode="json")


def _continue_rollout(step: ContinueRolloutStep, deps: HandbookTasksDependencies) -> dict[str, Any]:
    rollout_arn = deps.settings.handbook_rollout_state_machine_arn
    started = continue_rollout(step.rollout, workflows=deps.workflows, rollout_arn=rollout_arn)
    return {"execution_name": step.rollout.execution_name, "started": started}


def _offer(step: OfferStep, deps: HandbookTasksDependencies) -> dict[str, Any]:
    started = offer_handbook(
        step.employer_id,
        step.version,
        employers=deps.store.employers,
        workflows=deps.workflows,
        delivery_arn=deps.settings.handbook_delivery_state_machine_arn,
        chase=deps.settings.chase,
    )
    return {"employer_id": step.employer_id, "started": started}


def _deliver(step: DeliverStep, deps: HandbookTasksDependencies) -> dict[str, Any]:
    delivery = deliver_handbook(
        step.employer_id,
        _version(step.version, deps),
        step.holder,
        provider=deps.settings.provider,
        employers=deps.store.employers,
        handbook=deps.store.handbook,
        audit=deps.store.audit,
        files=deps.files,
        mailer=deps.mailer,
        issuer=deps.settings.link_issuer(deps.store.links),
        now=clock.now(),
    )
    return delivery.model_dump()


def _chase(step: ChaseStep, deps: HandbookTasksDependencies) -> dict[str, Any]:
    chased = chase_acknowledgement(
        step.employer_id,
        _version(step.version, deps),
        step.holder,
        step.reminders_sent,
        step.reminders_before_escalation,
        provider=deps.settings.provider,
        employers=deps.store.employers,
        handbook=deps.store.handbook,
        audit=deps.store.audit,
        mailer=deps.mailer,
        issuer=deps.settings.link_issuer(deps.store.links),
        compliance_team=str(deps.settings.compliance_team_email),
        now=clock.now(),
    )
    return {"outcome": chased.value}


_HANDLERS: dict[type[BaseModel], Callable[[Any, HandbookTasksDependencies], dict[str, Any]]] = {
    ListRecipientsStep: _list_recipients,
    ContinueRolloutStep: _continue_rollout,
    OfferStep: _offer,
    DeliverStep: _deliver,
    ChaseStep: _chase,
}


@logger.inject_lambda_context
def lambda_handler(
    event: dict[str, Any], context: LambdaContext, deps: HandbookTasksDependencies | None = None
) -> dict[str, Any]:
    step = _steps.validate_python(event)
    logger.append_keys(step=step.step, version=step.version)
    return _HANDLERS[type(step)](step, deps or handbook_tasks_dependencies())
