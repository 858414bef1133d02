"""All state in one DynamoDB table: `Table` holds its mechanics, and a repository per aggregate is built over it.

`Store` is the set of repositories over one table, as each function's wiring builds it: a use case is handed
only the repository (or two) it needs, typed by the narrow Protocol it names.
"""

from typing import Any

from safeplace.adapters.dynamodb.audit import AuditRepository
from safeplace.adapters.dynamodb.bookings import BookingRepository
from safeplace.adapters.dynamodb.employers import EmployerRepository
from safeplace.adapters.dynamodb.handbook import HandbookRepository
from safeplace.adapters.dynamodb.links import LinkRepository
from safeplace.adapters.dynamodb.placements import PlacementRepository
from safeplace.adapters.dynamodb.sessions import SessionRepository
from safeplace.adapters.dynamodb.table import Table, booking_pk, employer_pk
from safeplace.adapters.dynamodb.table import to_item as _item
from safeplace.adapters.dynamodb.table import to_plain as _plain
from safeplace.adapters.dynamodb.waits import WaitRepository
from safeplace.core.retention import Retention

__all__ = [
    "AuditRepository",
    "BookingRepository",
    "EmployerRepository",
    "HandbookRepository",
    "LinkRepository",
    "PlacementRepository",
    "SessionRepository",
    "Store",
    "Table",
    "WaitRepository",
    # The names the benchmarks (and anything written before the split) import from here.
    "_item",
    "_plain",
    "booking_pk",
    "employer_pk",
]


class Store:
    def __init__(self, table_name: str, retention: Retention, client: Any = None) -> None:
        self.table = Table(table_name, retention, client)
        self.audit = AuditRepository(self.table)
        self.employers = EmployerRepository(self.table)
        self.links = LinkRepository(self.table)
        # One handbook repository: what the gate holds of the current version is what a publication here updates.
        self.handbook = HandbookRepository(self.table)
        self.placements = PlacementRepository(self.table, self.handbook)
        self.bookings = BookingRepository(self.table)
        self.sessions = SessionRepository(self.table)
        self.waits = WaitRepository(self.table)
