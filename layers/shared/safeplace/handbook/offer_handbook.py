"""Starting deliveries: one workflow per version and SPOC, so none is sent or chased twice."""

from pydantic import ConfigDict, Field

from safeplace.core.model import Model
from safeplace.core.ports import Workflows
from safeplace.handbook.models import holder_key
from safeplace.handbook.ports import LatestHandbook, Submissions


class ChaseSchedule(Model):
    """How long a SPOC has between reminders, and how many they get before staff are told."""

    model_config = ConfigDict(frozen=True)

    reminder_interval_days: int = Field(ge=1)
    reminders_before_escalation: int = Field(ge=0)


def _current_holder(employer_id: str, employers: Submissions) -> str | None:
    answers = employers.get_submission(employer_id)
    return holder_key(answers.spoc.spoc) if answers and answers.spoc else None


def offer_handbook(
    employer_id: str,
    version: int,
    *,
    employers: Submissions,
    workflows: Workflows,
    delivery_arn: str,
    chase: ChaseSchedule,
) -> bool:
    """Start delivering `version` to the employer's SPOC; False when they have no SPOC yet or it already started."""
    holder = _current_holder(employer_id, employers)
    if holder is None:
        # Not a failure: the employer gets the current version when its checks pass.
        return False
    return workflows.start(
        delivery_arn,
        f"v{version}-{employer_id}-{holder}",
        {
            "employer_id": employer_id,
            "version": version,
            "holder": holder,
            "wait_seconds": chase.reminder_interval_days * 86_400,
            "reminders_before_escalation": chase.reminders_before_escalation,
        },
    )


def offer_current_handbook(
    employer_id: str, *, employers: Submissions, handbook: LatestHandbook, workflows: Workflows, rollout_arn: str
) -> bool:
    """Send a newly approved employer, or a new SPOC, the current version, through the rollout workflow that
    sends every version: it holds the delivery settings. False when nothing is published or there is no SPOC."""
    latest = handbook.latest_handbook_version()
    holder = _current_holder(employer_id, employers)
    if latest is None or holder is None:
        return False
    return workflows.start(
        rollout_arn,
        f"v{latest.number}-{employer_id}-{holder}",
        {"version": latest.number, "employer_ids": [employer_id]},
    )
