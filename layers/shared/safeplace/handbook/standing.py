"""Who has signed for which handbook version, and what a SPOC is asked to sign."""

from safeplace.handbook.models import HandbookReceipt, HandbookVersion, holder_key
from safeplace.onboarding.models import Spoc


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
