"""All state in one DynamoDB table: `Table` holds its mechanics, and a repository per aggregate is built over it.

`Store` is the set of repositories over one table, as each function's wiring builds it: a use case is handed
only the repository (or two) it needs, typed by the narrow Protocol it names.
"""

from functools import cached_property
from typing import TYPE_CHECKING, Any

from safeplace.adapters.dynamodb.table import Table, booking_pk, employer_pk
from safeplace.adapters.dynamodb.table import to_item as _item
from safeplace.adapters.dynamodb.table import to_plain as _plain
from safeplace.core.retention import Retention

if TYPE_CHECKING:
    from safeplace.adapters.dynamodb.audit import AuditRepository
    from safeplace.adapters.dynamodb.bookings import BookingRepository
    from safeplace.adapters.dynamodb.employers import EmployerRepository
    from safeplace.adapters.dynamodb.handbook import HandbookRepository
    from safeplace.adapters.dynamodb.links import LinkRepository
    from safeplace.adapters.dynamodb.placements import PlacementRepository
    from safeplace.adapters.dynamodb.sessions import SessionRepository
    from safeplace.adapters.dynamodb.waits import WaitRepository

__all__ = [
    "Store",
    "Table",
    # The names the benchmarks (and anything written before the split) import from here.
    "_item",
    "_plain",
    "booking_pk",
    "employer_pk",
]


class Store:
    """Each repository is made, and its module imported, when a use case first asks for it: a function that never
    books a speaker never loads the booking models (a cold start pays for what its requests use)."""

    def __init__(self, table_name: str, retention: Retention, client: Any = None) -> None:
        self.table = Table(table_name, retention, client)

    @cached_property
    def audit(self) -> "AuditRepository":
        from safeplace.adapters.dynamodb.audit import AuditRepository

        return AuditRepository(self.table)

    @cached_property
    def employers(self) -> "EmployerRepository":
        from safeplace.adapters.dynamodb.employers import EmployerRepository

        return EmployerRepository(self.table)

    @cached_property
    def links(self) -> "LinkRepository":
        from safeplace.adapters.dynamodb.links import LinkRepository

        return LinkRepository(self.table)

    @cached_property
    def handbook(self) -> "HandbookRepository":
        # One handbook repository: what the gate holds of the current version is what a publication here updates.
        from safeplace.adapters.dynamodb.handbook import HandbookRepository

        return HandbookRepository(self.table)

    @cached_property
    def placements(self) -> "PlacementRepository":
        from safeplace.adapters.dynamodb.placements import PlacementRepository

        return PlacementRepository(self.table, self.handbook)

    @cached_property
    def bookings(self) -> "BookingRepository":
        from safeplace.adapters.dynamodb.bookings import BookingRepository

        return BookingRepository(self.table)

    @cached_property
    def sessions(self) -> "SessionRepository":
        from safeplace.adapters.dynamodb.sessions import SessionRepository

        return SessionRepository(self.table)

    @cached_property
    def waits(self) -> "WaitRepository":
        from safeplace.adapters.dynamodb.waits import WaitRepository

        return WaitRepository(self.table)
