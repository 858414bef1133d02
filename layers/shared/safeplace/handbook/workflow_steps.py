"""What the handbook state machines (statemachines/handbook_rollout.asl.json and handbook_delivery.asl.json) send
each step of the handbook tasks function: one model per step, told apart by `step`."""

from typing import Annotated, Literal

from pydantic import Field

from safeplace.core.model import Model
from safeplace.handbook.models import HOLDER, RolloutPage


class ListRecipientsStep(Model):
    step: Literal["list_recipients"]
    # The rollout execution's own input: the first page of a publication, or the page an execution before handed on.
    rollout: RolloutPage

    @property
    def version(self) -> int:
        return self.rollout.version


class ContinueRolloutStep(Model):
    step: Literal["continue_rollout"]
    rollout: RolloutPage

    @property
    def version(self) -> int:
        return self.rollout.version


class OfferStep(Model):
    step: Literal["offer"]
    version: int = Field(ge=1)
    employer_id: str


class DeliverStep(Model):
    step: Literal["deliver"]
    version: int = Field(ge=1)
    employer_id: str
    holder: str = Field(pattern=HOLDER)


class ChaseStep(Model):
    step: Literal["chase"]
    version: int = Field(ge=1)
    employer_id: str
    holder: str = Field(pattern=HOLDER)
    reminders_sent: int = Field(ge=0)
    reminders_before_escalation: int = Field(ge=0)


Step = Annotated[
    ListRecipientsStep | ContinueRolloutStep | OfferStep | DeliverStep | ChaseStep, Field(discriminator="step")
]
