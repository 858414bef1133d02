"""What the onboarding state machine (statemachines/onboarding.asl.json) sends each step of the onboarding tasks
function: one model per step, told apart by `step`."""

from typing import Annotated, Literal

from pydantic import Field

from safeplace.core.model import Model
from safeplace.onboarding.request_submission import SubmissionRequest


class RequestSubmissionStep(SubmissionRequest):
    step: Literal["request_submission"]


class EscalateStep(Model):
    step: Literal["escalate"]
    employer_id: str
    reminders_sent: int


class ValidateStep(Model):
    step: Literal["validate_submission"]
    employer_id: str


class AwaitReviewStep(Model):
    step: Literal["await_review"]
    employer_id: str
    task_token: str


class RemindReviewersStep(Model):
    step: Literal["remind_reviewers"]
    employer_id: str


class ReleasePlacementsStep(Model):
    step: Literal["release_placements"]
    employer_id: str


class RecordFailureStep(Model):
    step: Literal["record_failure"]
    employer_id: str
    error: str


Step = Annotated[
    RequestSubmissionStep
    | EscalateStep
    | ValidateStep
    | AwaitReviewStep
    | RemindReviewersStep
    | ReleasePlacementsStep
    | RecordFailureStep,
    Field(discriminator="step"),
]
