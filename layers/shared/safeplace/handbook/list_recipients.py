from collections.abc import Iterable
from typing import Protocol

from safeplace.onboarding.models import EmployerStatus, EmployerSummary

# Employers whose checks passed, or that are putting something right after they had: the ones hosting, or
# about to host, learners. An employer still onboarding gets the current version when its checks pass.
ACTIVE = (EmployerStatus.CHECKS_PASSED, EmployerStatus.CHANGES_REQUESTED, EmployerStatus.NEEDS_ATTENTION)


class EmployersByStatus(Protocol):
    def list_employers(self, statuses: Iterable[EmployerStatus]) -> list[EmployerSummary]: ...


def list_recipients(*, employers: EmployersByStatus) -> list[str]:
    """The employers a published version goes to, by the status index: never a scan."""
    return [e.id for e in employers.list_employers(ACTIVE)]
