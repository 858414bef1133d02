"""How risky a speaker booking is, and who may decide it.

The speaker policy holds every number and every weighting in one place. It is versioned: a rating records
the version it applied, so an inspector can read a decision against the rules that stood on the day.
"""

from collections.abc import Sequence
from enum import StrEnum

from pydantic import ConfigDict, Field, model_validator

from safeplace.core.model import Model
from safeplace.speakers.models import CheckResult, Flag, SpeakerBookingRequest
from safeplace.staff.models import Role, StaffUser


class RiskLevel(StrEnum):
    LOW = "low"
    MEDIUM = "medium"
    HIGH = "high"

    @property
    def label(self) -> str:
        return {RiskLevel.LOW: "Low risk", RiskLevel.MEDIUM: "Medium risk", RiskLevel.HIGH: "High risk"}[self]


class SpeakerPolicy(Model):
    model_config = ConfigDict(frozen=True)

    version: str
    minimum_lead_working_days: int = Field(ge=0)
    # How far back an approval counts as recent in the register check's message.
    recent_approval_days: int = Field(ge=1)
    high: frozenset[Flag]
    medium: frozenset[Flag]
    # This many medium flags together rate a booking high; None: they never add up.
    medium_flags_for_high: int | None = Field(default=None, ge=2)

    @model_validator(mode="after")
    def _every_flag_weighed_once(self) -> "SpeakerPolicy":
        if self.high & self.medium:
            raise ValueError("A flag is either medium or high, not both")
        if missing := set(Flag) - self.high - self.medium:
            # A new check must not raise a flag that rates nothing.
            raise ValueError(f"Say whether these flags are medium or high: {', '.join(sorted(missing))}")
        return self


POLICY = SpeakerPolicy(
    version="2026-12",
    minimum_lead_working_days=10,
    recent_approval_days=365,
    # What the provider already knows against this speaker is the strongest signal it has.
    high=frozenset({Flag.DECLINED_BEFORE, Flag.CONCERNS_RAISED}),
    # Each of these takes the decision to the DSL: a late request because the DSL must see it (the issue);
    # the others because they widen who hears the speaker or narrow what is known before the day.
    medium=frozenset({Flag.INCOMPLETE, Flag.LATE, Flag.UNDER_18_AUDIENCE, Flag.ONLINE_OR_STREAMED, Flag.NO_MATERIALS}),
    # Three together, such as under-18s watching online with nothing seen in advance, leave little the
    # provider controls on the day. Medium and high both go to the DSL; high tells them to look first.
    medium_flags_for_high=3,
)


class RiskRating(Model):
    model_config = ConfigDict(frozen=True)

    level: RiskLevel
    reasons: tuple[str, ...] = Field(min_length=1)
    flags: tuple[Flag, ...]
    policy_version: str


def rate(results: Sequence[CheckResult], policy: SpeakerPolicy = POLICY) -> RiskRating:
    """The rating the checks' flags add up to under `policy`, with a reason for each flag that counted."""
    flags = tuple(dict.fromkeys(f for r in results for f in r.flags))
    high = [f for f in flags if f in policy.high]
    medium = [f for f in flags if f in policy.medium]
    reasons = [f"High: {f.label}" for f in high] + [f"Medium: {f.label}" for f in medium]
    if high:
        level = RiskLevel.HIGH
    elif policy.medium_flags_for_high is not None and len(medium) >= policy.medium_flags_for_high:
        level = RiskLevel.HIGH
        reasons.append(
            f"High: {len(medium)} medium-risk flags together (the policy rates {policy.medium_flags_for_high} "
            "or more as high)"
        )
    elif medium:
        level = RiskLevel.MEDIUM
    else:
        level = RiskLevel.LOW
        reasons.append("Low: no check raised a flag")
    return RiskRating(level=level, reasons=tuple(reasons), flags=flags, policy_version=policy.version)


# The DSL may take any decision a reviewer may. Admins run the system and do not judge speakers.
DECIDERS: dict[Role, frozenset[Role]] = {
    Role.REVIEWER: frozenset({Role.REVIEWER, Role.DSL}),
    Role.DSL: frozenset({Role.DSL}),
}


class Route(Model):
    model_config = ConfigDict(frozen=True)

    approver_role: Role
    reason: str

    @property
    def deciders(self) -> frozenset[Role]:
        return DECIDERS[self.approver_role]


def route(rating: RiskRating) -> Route:
    """Low risk is fast-tracked to any reviewer; anything higher is the DSL's decision."""
    if rating.level is RiskLevel.LOW:
        return Route(
            approver_role=Role.REVIEWER,
            reason="Low risk: any reviewer or the DSL may decide, other than the person who asked",
        )
    return Route(
        approver_role=Role.DSL,
        reason=f"{rating.level.label}, so the DSL decides",
    )


def refusal(user: StaffUser, request: SpeakerBookingRequest, booking_route: Route) -> str | None:
    """Why `user` may not decide this booking, or None if they may. Nobody decides a booking they asked for."""
    if request.is_from(str(user.email)):
        return "You asked for this booking, so a colleague must decide it."
    if not user.has_any(*booking_route.deciders):
        return f"You cannot decide this booking. {booking_route.reason}."
    return None


def may_decide(user: StaffUser, request: SpeakerBookingRequest, booking_route: Route) -> bool:
    return refusal(user, request, booking_route) is None
