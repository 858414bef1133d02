"""The steps of the employer onboarding state machine. Each step is one use case; errors reach Step
Functions as Lambda errors named after the domain error class, which the ASL's Retry and Catch match."""

from collections.abc import Callable
from typing import Any

from aws_lambda_powertools import Logger
from aws_lambda_powertools.utilities.typing import LambdaContext
from pydantic import BaseModel, ConfigDict, TypeAdapter

from safeplace.core import clock
from safeplace.onboarding.await_review import await_review
from safeplace.onboarding.escalate_onboarding import escalate_onboarding
from safeplace.onboarding.record_onboarding_failure import record_onboarding_failure
from safeplace.onboarding.remind_reviewers import remind_reviewers
from safeplace.onboarding.request_submission import request_submission
from safeplace.onboarding.validate_submission import validate_submission
from safeplace.onboarding.workflow_steps import (
    AwaitReviewStep,
    EscalateStep,
    RecordFailureStep,
    ReleasePlacementsStep,
    RemindReviewersStep,
    RequestSubmissionStep,
    Step,
    ValidateStep,
)
from safeplace.wiring import OnboardingTasksDependencies, onboarding_tasks_dependencies

logger = Logger()


# Built on the first event, as the models are (safeplace.core.model).
_steps = TypeAdapter(Step, config=ConfigDict(defer_build=True))


def _request_submission(step: RequestSubmissionStep, deps: OnboardingTasksDependencies) -> dict[str, Any]:
    request_submission(
        step,
        employers=deps.store.employers,
        waits=deps.store.waits,
        mailer=deps.mailer,
        issuer=deps.settings.link_issuer(deps.store.links),
        now=clock.now(),
    )
    return {}


def _escalate(step: EscalateStep, deps: OnboardingTasksDependencies) -> dict[str, Any]:
    escalate_onboarding(
        step.employer_id,
        step.reminders_sent,
        employers=deps.store.employers,
        mailer=deps.mailer,
        compliance_team=str(deps.settings.compliance_team_email),
        now=clock.now(),
    )
    return {}


def _validate(step: ValidateStep, deps: OnboardingTasksDependencies) -> dict[str, Any]:
    return validate_submission(step.employer_id, employers=deps.store.employers, now=clock.now()).model_dump()


def _await_review(step: AwaitReviewStep, deps: OnboardingTasksDependencies) -> dict[str, Any]:
    await_review(
        step.employer_id, step.task_token, employers=deps.store.employers, waits=deps.store.waits, now=clock.now()
    )
    return {}


def _remind_reviewers(step: RemindReviewersStep, deps: OnboardingTasksDependencies) -> dict[str, Any]:
    outcome = remind_reviewers(
        step.employer_id,
        employers=deps.store.employers,
        mailer=deps.mailer,
        compliance_team=str(deps.settings.compliance_team_email),
        now=clock.now(),
    )
    return {"outcome": outcome}


def _release_placements(step: ReleasePlacementsStep, deps: OnboardingTasksDependencies) -> dict[str, Any]:
    admitted = deps.admit(step.employer_id, now=clock.now())
    return {"released": len(admitted.released), "handbook_sent": admitted.handbook_sent}


def _record_failure(step: RecordFailureStep, deps: OnboardingTasksDependencies) -> dict[str, Any]:
    record_onboarding_failure(
        step.employer_id,
        step.error,
        employers=deps.store.employers,
        mailer=deps.mailer,
        compliance_team=str(deps.settings.compliance_team_email),
        now=clock.now(),
    )
    return {}


_HANDLERS: dict[type[BaseModel], Callable[[Any, OnboardingTasksDependencies], dict[str, Any]]] = {
    RequestSubmissionStep: _request_submission,
    EscalateStep: _escalate,
    ValidateStep: _validate,
    AwaitReviewStep: _await_review,
    RemindReviewersStep: _remind_reviewers,
    ReleasePlacementsStep: _release_placements,
    RecordFailureStep: _record_failure,
}


@logger.inject_lambda_context
def lambda_handler(
    event: dict[str, Any], context: LambdaContext, deps: OnboardingTasksDependencies | None = None
) -> dict[str, Any]:
    step = _steps.validate_python(event)
    logger.append_keys(step=step.step, employer_id=step.employer_id)
    return _HANDLERS[type(step)](step, deps or onboarding_tasks_dependencies())
