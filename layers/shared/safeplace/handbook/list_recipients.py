from safeplace.handbook.models import Recipients, RolloutPage
from safeplace.handbook.ports import EmployerIdsByStatus
from safeplace.onboarding.models import EmployerStatus

# Employers whose checks passed, or that are putting something right after they had: the ones hosting, or
# about to host, learners. An employer still onboarding gets the current version when its checks pass.
ACTIVE = (EmployerStatus.CHECKS_PASSED, EmployerStatus.CHANGES_REQUESTED, EmployerStatus.NEEDS_ATTENTION)


def list_recipients(page: RolloutPage, *, employers: EmployerIdsByStatus) -> Recipients:
    """One page of the employers a published version goes to, by the status index: one Query, whatever the total."""
    ids, cursor = employers.employer_ids_in(ACTIVE, after=page.cursor, limit=page.page_size)
    following = page.model_copy(update={"page": page.page + 1, "cursor": cursor}) if cursor else None
    return Recipients(employer_ids=ids, next=following)
