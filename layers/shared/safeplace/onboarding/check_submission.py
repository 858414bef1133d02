from datetime import datetime

from safeplace import links
from safeplace.adapters.dynamodb import Store
from safeplace.models import Employer, LinkPurpose, OrganisationSubmission
from safeplace.onboarding.rules import submission_problems
from safeplace.onboarding.submit_organisation import SubmissionRejected


def check_submission(token: str, submission: OrganisationSubmission, *, store: Store, now: datetime) -> Employer:
    """Before the employer confirms: the same checks as sending, and nothing stored or used up."""
    link = links.resolve(store, token, LinkPurpose.ONBOARDING_FORM, now=now)
    problems = submission_problems(submission)
    if problems:
        raise SubmissionRejected(problems)
    return store.get_employer(link.subject_id)
