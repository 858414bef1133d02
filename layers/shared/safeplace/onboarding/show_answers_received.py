from safeplace.core.errors import LinkNotUsable
from safeplace.core.links import Link, LinkLookup, LinkPurpose, spent
from safeplace.onboarding.models import Employer
from safeplace.onboarding.ports import OnboardingForms


def answers_received(token: str, *, links: LinkLookup, employers: OnboardingForms) -> tuple[Employer, Link]:
    """The employer whose answers were sent through this link, and the link, used at the moment they were sent."""
    link = spent(links, token, LinkPurpose.ONBOARDING_FORM)
    if link is None:
        raise LinkNotUsable()
    return employers.get_employer(link.subject_id), link
