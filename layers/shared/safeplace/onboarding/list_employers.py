from safeplace.adapters.dynamodb import Store
from safeplace.models import EmployerStatus, EmployerSummary


def list_employers(status: EmployerStatus | None, *, store: Store) -> list[EmployerSummary]:
    return store.list_employers([status] if status else list(EmployerStatus))
