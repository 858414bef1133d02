"""The check policy: which checks an employer needs before a learner may start with it (guidance 5.1, 5.2, 7.3,
11.4 to 11.6).

It says which checks apply only when the learner is 16 to 18 on the start date, how long each stays valid, and
which a low-risk workplace may attest to rather than evidence. It is versioned: every gate decision records the
version it applied, so an inspector can see the rules that stood on the day. Onboarding uses it to date each
approval; the placement gate (safeplace.placements.gate) applies it to a learner.
"""

from datetime import date, timedelta
from enum import StrEnum

from pydantic import ConfigDict, Field

from safeplace.core.model import Model


class Requirement(StrEnum):
    ORGANISATION = "organisation"
    SPOC = "spoc"
    EMPLOYERS_LIABILITY_INSURANCE = "employers_liability_insurance"
    HEALTH_AND_SAFETY_POLICY = "health_and_safety_policy"
    RISK_ASSESSMENT = "risk_assessment"
    YOUNG_PERSONS_RISK_ASSESSMENT = "young_persons_risk_assessment"
    SAFEGUARDING_ARRANGEMENTS = "safeguarding_arrangements"
    MINIMUM_SAFEGUARDING_REQUIREMENTS = "minimum_safeguarding_requirements"
    SPOC_TRAINING = "spoc_training"
    HANDBOOK_RECEIPT = "handbook_receipt"


PLAIN_WORDS: dict[Requirement, str] = {
    Requirement.ORGANISATION: "the employer's organisation details",
    Requirement.SPOC: "a named single point of contact (SPOC)",
    Requirement.EMPLOYERS_LIABILITY_INSURANCE: "employer's liability insurance",
    Requirement.HEALTH_AND_SAFETY_POLICY: "a written health and safety policy",
    Requirement.RISK_ASSESSMENT: "a risk assessment of the workplace",
    Requirement.YOUNG_PERSONS_RISK_ASSESSMENT: "a risk assessment for young persons (the learner is 16 to 18)",
    Requirement.SAFEGUARDING_ARRANGEMENTS: "the employer's safeguarding arrangements",
    Requirement.MINIMUM_SAFEGUARDING_REQUIREMENTS: "acceptance of the provider's minimum safeguarding requirements",
    Requirement.SPOC_TRAINING: "the SPOC's safeguarding and Prevent training",
    Requirement.HANDBOOK_RECEIPT: "the SPOC's receipt of the current employer handbook",
}


class RequirementRule(Model):
    model_config = ConfigDict(frozen=True)

    requirement: Requirement
    only_for_16_to_18: bool = False
    valid_for_days: int | None = Field(default=None, ge=1)
    attest_only_when_low_risk: bool = False
    from_employees: int = Field(default=1, ge=1)


class CheckPolicy(Model):
    model_config = ConfigDict(frozen=True)

    version: str
    rules: tuple[RequirementRule, ...]
    minimum_insurance_cover_gbp: int = Field(ge=1)
    # Days an employer that signed for an earlier version has to sign for a new material one.
    handbook_grace_days: int = Field(ge=0)

    def rule(self, requirement: Requirement) -> RequirementRule | None:
        return next((r for r in self.rules if r.requirement is requirement), None)

    def applies(self, requirement: Requirement, employees: int) -> bool:
        """Whether an employer of this size is asked for this at all (young persons: whenever they take them)."""
        found = self.rule(requirement)
        return found is not None and employees >= found.from_employees

    def valid_until(self, requirement: Requirement, dated_on: date | None, expires_on: date | None) -> date | None:
        """The last day a check holds: the evidence's own expiry, or its date plus the policy's period."""
        found = self.rule(requirement)
        limits = [d for d in (expires_on,) if d is not None]
        if found and found.valid_for_days is not None and dated_on is not None:
            limits.append(dated_on + timedelta(days=found.valid_for_days))
        return min(limits) if limits else None


POLICY = CheckPolicy(
    # 2026-12: the SPOC's safeguarding and Prevent training became a check, refreshed as TRAINING says.
    # 2027-01: the current SPOC's receipt of the current material handbook version became one too.
    version="2027-01",
    rules=(
        RequirementRule(requirement=Requirement.ORGANISATION),
        RequirementRule(requirement=Requirement.SPOC),
        RequirementRule(requirement=Requirement.SPOC_TRAINING),
        RequirementRule(requirement=Requirement.EMPLOYERS_LIABILITY_INSURANCE),
        # The law asks for a written policy from five employees; smaller employers still assess risk.
        RequirementRule(requirement=Requirement.HEALTH_AND_SAFETY_POLICY, from_employees=5),
        RequirementRule(requirement=Requirement.RISK_ASSESSMENT, valid_for_days=365, attest_only_when_low_risk=True),
        RequirementRule(
            requirement=Requirement.YOUNG_PERSONS_RISK_ASSESSMENT, only_for_16_to_18=True, valid_for_days=365
        ),
        RequirementRule(requirement=Requirement.SAFEGUARDING_ARRANGEMENTS),
        RequirementRule(requirement=Requirement.MINIMUM_SAFEGUARDING_REQUIREMENTS),
        RequirementRule(requirement=Requirement.HANDBOOK_RECEIPT),
    ),
    minimum_insurance_cover_gbp=5_000_000,
    handbook_grace_days=30,
)
