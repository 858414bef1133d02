"""The gate's view of the handbook (guidance 11.6): the current SPOC's receipt of the current material version."""

from datetime import datetime, timedelta

from safeplace.handbook.models import HandbookReceipt, HandbookVersion
from safeplace.handbook.standing import current_material
from safeplace.onboarding.check_policy import Requirement
from safeplace.placements.gate import PassedCheck

# Before any version is published there is nothing to acknowledge: the console says so on its home page.
_NOTHING_PUBLISHED = datetime.min


def handbook_check(
    versions: list[HandbookVersion], receipts: list[HandbookReceipt], grace_days: int
) -> PassedCheck | None:
    """The gate's view of the handbook (guidance 11.6) from the current SPOC's receipts: the current material
    version signed for, or, for a SPOC that signed an earlier one, that one until the new version's grace
    period ends."""
    current = current_material(versions)
    if current is None:
        return PassedCheck(requirement=Requirement.HANDBOOK_RECEIPT, approved_at=_NOTHING_PUBLISHED)
    signed = [r for r in receipts if r.version >= current.number]
    if signed:
        return PassedCheck(
            requirement=Requirement.HANDBOOK_RECEIPT, approved_at=min(signed, key=lambda r: r.version).acknowledged_at
        )
    earlier = [r for r in receipts if r.version < current.number]
    if earlier:
        return PassedCheck(
            requirement=Requirement.HANDBOOK_RECEIPT,
            approved_at=max(earlier, key=lambda r: r.version).acknowledged_at,
            valid_until=(current.published_at + timedelta(days=grace_days)).date(),
        )
    return None
