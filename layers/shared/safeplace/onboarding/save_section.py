from datetime import datetime
from typing import Any

from safeplace.core.errors import InvalidRequest
from safeplace.core.links import LinkLookup
from safeplace.onboarding.answers import SECTION_MODELS, _Section
from safeplace.onboarding.models import CheckType
from safeplace.onboarding.open_onboarding import open_onboarding
from safeplace.onboarding.ports import DraftAnswers
from safeplace.onboarding.rules import section_problems


class SectionProblems(InvalidRequest):
    """A section that does not pass the automatic checks; the problems are keyed by its field names."""

    def __init__(self, problems: dict[str, str]) -> None:
        super().__init__("The section has problems to put right")
        self.problems = problems


def save_section(
    token: str, check: CheckType, values: dict[str, Any], *, links: LinkLookup, employers: DraftAnswers, now: datetime
) -> _Section:
    """Validate one section and keep it as a draft; nothing is sent and the link stays usable.

    Raises pydantic's ValidationError for answers of the wrong shape and SectionProblems for answers
    that break a rule (cover below the minimum, an expired policy).
    """
    onboarding = open_onboarding(token, links=links, employers=employers, now=now)
    onboarding.view(check).ensure_editable()
    model = SECTION_MODELS[check]
    if model.evidence_field and check in onboarding.uploads:
        values = {**values, model.evidence_field: onboarding.uploads[check]}
    section = model.model_validate(values)
    problems = section_problems(section, now.date())
    if problems:
        raise SectionProblems(problems)
    employers.save_draft_section(onboarding.employer.id, check, section, now)
    return section
