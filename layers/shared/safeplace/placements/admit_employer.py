from datetime import datetime

from pydantic import BaseModel

from safeplace.core.ports import Mailer
from safeplace.onboarding.ports import EmployerAnswers
from safeplace.placements.models import Placement
from safeplace.placements.ports import EmployerPlacements, HandbookOffer, HandbookReceipts
from safeplace.placements.release_placements import release_placements


class Admitted(BaseModel):
    released: list[Placement]
    handbook_sent: bool


def admit_employer(
    employer_id: str,
    *,
    employers: EmployerAnswers,
    placements: EmployerPlacements,
    handbook: HandbookReceipts,
    mailer: Mailer,
    offer_handbook: HandbookOffer,
    now: datetime,
) -> Admitted:
    """An employer whose checks all passed: its waiting learners that the gate now allows start, and its SPOC
    is sent the current handbook, which they acknowledge before the gate passes once one is published."""
    released = release_placements(
        employer_id, employers=employers, placements=placements, handbook=handbook, mailer=mailer, now=now
    )
    return Admitted(released=released, handbook_sent=offer_handbook(employer_id))
