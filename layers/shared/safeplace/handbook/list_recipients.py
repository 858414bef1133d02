from safeplace.adapters.dynamodb import Store
from safeplace.onboarding.models import EmployerStatus

# Employers whose checks passed, or that are putting something right after they had: the ones hosting, or
# about to host, learners. An employer still onboarding gets the current version when its checks pass.
ACTIVE = (EmployerStatus.CHECKS_PASSED, EmployerStatus.CHANGES_REQUESTED, EmployerStatus.NEEDS_ATTENTION)


def list_recipients(*, store: Store) -> list[str]:
    """The employers a published version goes to, by the status index: never a scan."""
    return [e.id for e in store.list_employers(ACTIVE)]
