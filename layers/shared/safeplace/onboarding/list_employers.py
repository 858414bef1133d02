from safeplace.core.errors import NotFound
from safeplace.core.paging import MAX_PAGE_SIZE, Page, page_size
from safeplace.onboarding.models import EmployerStatus, EmployerSummary
from safeplace.onboarding.ports import EmployerChoices, EmployerPages

# How many placement-ready employers the placement form offers for what was typed.
CHOICES = 20


def list_employers(
    status: EmployerStatus | None,
    search: str | None,
    *,
    employers: EmployerPages,
    cursor: str | None = None,
    limit: int = MAX_PAGE_SIZE,
) -> Page[EmployerSummary]:
    """A page of employers in one status (or all): newest change first, or A to Z of those whose name starts with
    `search` (case, punctuation and spacing aside)."""
    return employers.employer_page(status, search or "", cursor=cursor, limit=page_size(limit))


def placement_choices(search: str, chosen: str, *, employers: EmployerChoices) -> list[EmployerSummary]:
    """The employers the placement form offers: the one already chosen (by a link, or in a form sent back with
    problems), then the placement-ready employers whose name starts with `search`, A to Z; with nothing typed,
    those whose checks passed most recently. Never the list of every employer."""
    found = employers.employer_page(EmployerStatus.CHECKS_PASSED, search, cursor=None, limit=CHOICES).items
    try:
        employer = employers.get_employer(chosen) if chosen else None
    except NotFound:
        employer = None
    if employer is None:
        return found
    kept = employer.summary()
    return [kept, *(e for e in found if e.id != kept.id)]
