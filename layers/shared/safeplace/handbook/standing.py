from datetime import datetime, timedelta

from safeplace.handbook.models import HandbookReceipt, HandbookVersion
from safeplace.placement_gate import PassedCheck, Requirement

# Before any version is published there is nothing to acknowledge: the console says so on its home page.
_NOTHING_PUBLISHED = datetime.min


def handbook_check(
    versions: list[HandbookVersion], receipts: list[HandbookReceipt], grace_days: int
) -> PassedCheck | None:
    """The gate's view of the handbook (guidance 11.6): the current material version signed for, or, for an
    employer that signed an earlier one, that one until the grace period for the new version ends."""
    material = [v for v in versions if v.material]
    if not material:
        return PassedCheck(requirement=Requirement.HANDBOOK_RECEIPT, approved_at=_NOTHING_PUBLISHED)
    current = max(material, key=lambda v: v.number)
    # A later (minor) version signed for includes every earlier requirement.
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
