from datetime import datetime

from pydantic import BaseModel

from safeplace import links
from safeplace.adapters.dynamodb import Store
from safeplace.models import Check, LinkPurpose, OrganisationSubmission


class OnboardingForm(BaseModel):
    employer_name: str
    previous: OrganisationSubmission | None
    returned: list[Check]


def open_onboarding_form(token: str, *, store: Store, now: datetime) -> OnboardingForm:
    """What the employer sees when they open the link. Reads only: mail scanners open links too."""
    link = links.resolve(store, token, LinkPurpose.ONBOARDING_FORM, now=now)
    employer = store.get_employer(link.subject_id)
    return OnboardingForm(
        employer_name=employer.name,
        previous=store.get_submission(employer.id),
        returned=[c for c in employer.checks if c.reason],
    )
