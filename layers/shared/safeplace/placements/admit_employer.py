from datetime import datetime

from safeplace.core.model import Model
from safeplace.core.ports import Mailer
from safeplace.placements.models import Placement
from safeplace.placements.ports import GatedPlacements, HandbookOffer
from safeplace.placements.release_placements import release_placements


class Admitted(Model):
    released: list[Placement]
    handbook_sent: bool


def admit_employer(
    employer_id: str,
    *,
    placements: GatedPlacements,
    mailer: Mailer,
    offer_handbook: HandbookOffer,
    now: datetime,
) -> Admitted:
    """An employer whose checks all passed: its waiting learners that the gate now allows start, and its SPOC
    is sent the current handbook, which they acknowledge before the gate passes once one is published."""
    released = release_placements(employer_id, placements=placements, mailer=mailer, now=now)
    return Admitted(released=released, handbook_sent=offer_handbook(employer_id))
