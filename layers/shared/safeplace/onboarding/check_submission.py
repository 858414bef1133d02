from datetime import datetime

from safeplace import links
from safeplace.adapters.dynamodb import Store
from safeplace.models import LinkPurpose, OrganisationSubmission
from safeplace.onboarding.open_onboarding_form import OnboardingForm, open_onboarding_form
from safeplace.onboarding.rules import submission_problems
from safeplace.onboarding.submit_organisation import SubmissionRejected


def check_submission(token: str, submission: OrganisationSubmission, *, store: Store, now: datetime) -> OnboardingForm:
    """Before the employer confirms: the same checks as sending, and nothing stored or used up."""
    links.resolve(store, token, LinkPurpose.ONBOARDING_FORM, now=now)
    problems = submission_problems(submission)
    if problems:
        raise SubmissionRejected(problems)
    return open_onboarding_form(token, store=store, now=now)
