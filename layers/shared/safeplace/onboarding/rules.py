"""Automatic checks on an employer's answers: pure functions with plain-English results.

They run as the employer saves each section (so they can put it right at once) and again in the
workflow on what was sent, before any person reviews it.
"""

import re
from collections.abc import Iterator
from datetime import date

from safeplace.onboarding import minimum_requirements
from safeplace.onboarding.answers import (
    Answers,
    HealthAndSafetyPolicy,
    Insurance,
    MinimumRequirementsAcceptance,
    Organisation,
    RiskAssessment,
    SpocAnswers,
    SpocTraining,
    YoungPersons,
    _Section,
)
from safeplace.onboarding.check_policy import POLICY, CheckPolicy, Requirement
from safeplace.onboarding.models import CheckType

_SHARED_MAILBOX = re.compile(
    r"^(info|admin|office|enquiries|hello|contact|hr|mail|sales|accounts|reception)@", re.IGNORECASE
)
_INCORPORATED = re.compile(r"\b(ltd|limited|plc|llp)\.?$", re.IGNORECASE)


def _section_problems(section: _Section, today: date, policy: CheckPolicy) -> Iterator[tuple[str, str]]:
    match section:
        case Organisation() if _INCORPORATED.search(section.legal_name) and not section.companies_house_number:
            yield (
                "companies_house_number",
                ("Enter the Companies House number: the legal name is that of a registered company"),
            )
        case SpocAnswers() if _SHARED_MAILBOX.match(str(section.spoc.email)):
            yield (
                "spoc.email",
                (
                    "Enter the SPOC's own email address, not a shared mailbox: the SPOC is a named person "
                    "whose training and acknowledgements are recorded"
                ),
            )
        case SpocTraining() if section.completed_on > today:
            yield "completed_on", "The date the SPOC completed the course must be today or in the past"
        case SpocTraining() if section.expiry is not None and section.expiry < today:
            yield (
                "completed_on",
                f"A refresher was due by {section.expiry:%-d %B %Y}: ask your SPOC to do the refresher, then give "
                "its date and certificate",
            )
        case Insurance():
            yield from _insurance_problems(section, today, policy)
        case HealthAndSafetyPolicy() if section.reviewed_on > today:
            yield "reviewed_on", "The date the policy was last reviewed must be today or in the past"
        case RiskAssessment() | YoungPersons() if section.dated_on is not None:
            yield from _assessment_problems(section, section.dated_on, today, policy)
        case MinimumRequirementsAcceptance() if section.version != minimum_requirements.CURRENT.version:
            yield "accepted", "The minimum requirements have changed: read and accept the current version"


def _insurance_problems(section: Insurance, today: date, policy: CheckPolicy) -> Iterator[tuple[str, str]]:
    if section.cover_gbp < policy.minimum_insurance_cover_gbp:
        yield (
            "cover_gbp",
            (
                f"Employer's liability cover must be at least £{policy.minimum_insurance_cover_gbp:,}: "
                f"this policy covers £{section.cover_gbp:,}"
            ),
        )
    if section.expires_on <= today:
        yield "expires_on", "This insurance has expired: upload your current certificate"


def _assessment_problems(
    section: RiskAssessment | YoungPersons, dated_on: date, today: date, policy: CheckPolicy
) -> Iterator[tuple[str, str]]:
    if dated_on > today:
        yield "assessed_on", "The date of the risk assessment must be today or in the past"
        return
    requirement = Requirement(
        CheckType.RISK_ASSESSMENT if isinstance(section, RiskAssessment) else CheckType.YOUNG_PERSONS_RISK_ASSESSMENT
    )
    until = policy.valid_until(requirement, dated_on, None)
    if until is not None and until < today:
        yield "assessed_on", "This risk assessment is more than a year old: review it and give the new date"


def section_problems(section: _Section, today: date, policy: CheckPolicy = POLICY) -> dict[str, str]:
    """Problems keyed by the section's own field names; empty when the section passes."""
    return dict(_section_problems(section, today, policy))


def submission_problems(answers: Answers, checks: list[CheckType], today: date) -> dict[CheckType, dict[str, str]]:
    """Problems per check, for the checks being sent."""
    found: dict[CheckType, dict[str, str]] = {}
    for check in checks:
        section = answers.section(check)
        if section is not None and (problems := section_problems(section, today)):
            found[check] = problems
    return found


def sections_needed(answers: Answers, policy: CheckPolicy = POLICY) -> list[CheckType]:
    """The form's sections for this employer: a small employer is not asked for a written H&S policy."""
    employees = answers.organisation.employees if answers.organisation else None
    return [
        c
        for c in CheckType
        if employees is None
        or policy.applies(Requirement(c), employees)
        or c is CheckType.YOUNG_PERSONS_RISK_ASSESSMENT
    ]


def checks_needed(answers: Answers, policy: CheckPolicy = POLICY) -> list[CheckType]:
    """The checks a complete set of answers goes to review as: young persons only if they take under-18s."""
    young = answers.young_persons_risk_assessment
    return [
        c
        for c in sections_needed(answers, policy)
        if c is not CheckType.YOUNG_PERSONS_RISK_ASSESSMENT or (young is not None and young.takes_under_18)
    ]
