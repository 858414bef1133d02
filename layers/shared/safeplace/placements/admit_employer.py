from datetime import datetime

from pydantic import BaseModel

from safeplace.adapters.dynamodb import Store
from safeplace.adapters.ses import Mailer
from safeplace.adapters.stepfunctions import Workflows
from safeplace.handbook.offer_handbook import offer_current_handbook
from safeplace.placements.models import Placement
from safeplace.placements.release_placements import release_placements


class Admitted(BaseModel):
    released: list[Placement]
    handbook_sent: bool


def admit_employer(
    employer_id: str, *, store: Store, mailer: Mailer, workflows: Workflows, rollout_arn: str, now: datetime
) -> Admitted:
    """An employer whose checks all passed: its waiting learners that the gate now allows start, and its SPOC
    is sent the current handbook, which they acknowledge before the gate passes once one is published."""
    released = release_placements(employer_id, store=store, mailer=mailer, now=now)
    sent = offer_current_handbook(
        employer_id, employers=store.employers, handbook=store.handbook, workflows=workflows, rollout_arn=rollout_arn
    )
    return Admitted(released=released, handbook_sent=sent)
