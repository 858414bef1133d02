from datetime import datetime, timedelta

from safeplace.handbook.models import HandbookReceipt, HandbookVersion, holder_key
from safeplace.onboarding.models import Spoc
from safeplace.placements.gate import PassedCheck, Requirement

# Before any version is published there is nothing to acknowledge: the console says so on its home page.
_NOTHING_PUBLISHED = datetime.min


def current_material(versions: list[HandbookVersion]) -> HandbookVersion | None:
    """The version every SPOC must have signed for: the newest material one."""
    return max((v for v in versions if v.material), key=lambda v: v.number, default=None)


def signed_by(receipts: list[HandbookReceipt], spoc: Spoc | None) -> list[HandbookReceipt]:
    """Only the current SPOC's own receipts count: a new SPOC acknowledges for themselves (guidance 11.5)."""
    return [r for r in receipts if spoc is not None and r.holder == holder_key(spoc)]


def asks_to_sign(versions: list[HandbookVersion], receipts: list[HandbookReceipt], number: int) -> bool:
    """Whether the SPOC whose receipts these are is asked to sign version `number`: only while they have not
    signed for the current material version, and only a version at least as new as it."""
    current = current_material(versions)
    # A later (minor) version signed for includes every earlier requirement.
    return current is not None and number >= current.number and not any(r.version >= current.number for r in receipts)


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
