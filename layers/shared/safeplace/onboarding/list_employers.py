from safeplace.onboarding.models import EmployerStatus, EmployerSummary
from safeplace.onboarding.ports import EmployerDirectory


def list_employers(
    status: EmployerStatus | None, search: str | None, *, employers: EmployerDirectory
) -> list[EmployerSummary]:
    """Employers in one status (or all), newest change first, optionally those whose name contains `search`."""
    found = employers.list_employers([status] if status else list(EmployerStatus))
    if search:
        wanted = search.casefold()
        found = [e for e in found if wanted in e.name.casefold()]
    return found
