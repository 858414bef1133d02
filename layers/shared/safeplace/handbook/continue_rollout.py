"""Handing a rollout on: the next page of recipients runs as an execution of its own, with a history of its own."""

from safeplace.core.ports import Workflows
from safeplace.handbook.models import RolloutPage


def continue_rollout(page: RolloutPage, *, workflows: Workflows, rollout_arn: str) -> bool:
    """Start the execution that offers `page`; False when it had already started (a page run again)."""
    return workflows.start(rollout_arn, page.execution_name, page.model_dump(mode="json"))
