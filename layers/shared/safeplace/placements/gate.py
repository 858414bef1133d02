"""The placement gate: may a learner start with this employer on this date? A pure function of its inputs.

It applies the versioned check policy (safeplace.onboarding.check_policy) to the employer's checks that passed
and the learner's age on the start date, and says in plain words every requirement that is not met.
"""

from datetime import date, datetime

from pydantic import Field

from safeplace.core.model import Model
from safeplace.onboarding.check_policy import PLAIN_WORDS, POLICY, CheckPolicy, Requirement


class PassedCheck(Model):
    """A check that passed, and the last day it holds (None: until something changes it)."""

    requirement: Requirement
    approved_at: datetime
    valid_until: date | None = None
    attested: bool = False


class EmployerStanding(Model):
    employees: int = Field(ge=1)
    low_risk: bool = False
    passed: list[PassedCheck]


class GateDecision(Model):
    policy_version: str
    learner_16_to_18: bool
    unmet: list[str]

    @property
    def allowed(self) -> bool:
        return not self.unmet


def age_on(date_of_birth: date, day: date) -> int:
    return day.year - date_of_birth.year - ((day.month, day.day) < (date_of_birth.month, date_of_birth.day))


def _holds_on(check: PassedCheck, day: date) -> bool:
    return check.valid_until is None or day <= check.valid_until


def decide(employer: EmployerStanding, date_of_birth: date, start: date, policy: CheckPolicy = POLICY) -> GateDecision:
    """Every requirement the policy sets for this learner and employer, and which are not met on `start`."""
    young = 16 <= age_on(date_of_birth, start) <= 18
    by_requirement = {c.requirement: c for c in employer.passed}
    unmet: list[str] = []
    for rule in policy.rules:
        if (rule.only_for_16_to_18 and not young) or employer.employees < rule.from_employees:
            continue
        check = by_requirement.get(rule.requirement)
        words = PLAIN_WORDS[rule.requirement]
        if check is None and rule.requirement is Requirement.HANDBOOK_RECEIPT:
            unmet.append("Not yet signed by the SPOC: the current employer handbook")
        elif check is None:
            unmet.append(f"Not yet approved: {words}")
        elif check.attested and not (rule.attest_only_when_low_risk and employer.low_risk):
            unmet.append(f"Evidence needed, not only the employer's word: {words}")
        elif not _holds_on(check, start):
            unmet.append(f"Expires before the start date: {words}")
    return GateDecision(policy_version=policy.version, learner_16_to_18=young, unmet=unmet)
