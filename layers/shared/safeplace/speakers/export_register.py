import csv
import io
from collections.abc import Iterable, Iterator

from safeplace.core.model import Model
from safeplace.speakers.booking import Booking
from safeplace.speakers.models import Approval, Decline, InformationRequest
from safeplace.speakers.ports import RegisterPages

# Bookings read per request while the file is written: one Query and one BatchGetItem each.
READ_PAGE = 100
# Bookings in one file: a response stays well inside Lambda's 6 MB, and a bigger register comes in parts.
FILE_BOOKINGS = 2_000

COLUMNS = (
    "booking",
    "event",
    "event date",
    "speaker",
    "organisation",
    "requested by",
    "requested at",
    "risk",
    "risk reasons",
    "decided by (route)",
    "status",
    "decision",
    "decided by",
    "through",
    "decided at",
    "conditions, reason or question",
    "speaker acknowledged at",
    "conditions met",
    "concerns",
)


def _said(made: Approval | Decline | InformationRequest) -> str:
    if isinstance(made, Approval):
        return "; ".join(made.condition_labels) or "No conditions"
    if isinstance(made, Decline):
        return made.reason
    return made.question


class RegisterFile(Model):
    csv: str
    # Where the next part starts, when the register holds more than one file's worth.
    next_cursor: str | None


def register_file(
    *,
    bookings: RegisterPages,
    cursor: str | None = None,
    per_file: int = FILE_BOOKINGS,
    read_page: int = READ_PAGE,
) -> RegisterFile:
    """The register as a CSV file for an inspector, read a page at a time: only one page of bookings is held at
    once, and a file holds at most `per_file`, with a cursor to the next part."""
    next_cursor = cursor

    def bookings_in_file() -> Iterator[Booking]:
        nonlocal next_cursor
        read = 0
        while read < per_file:
            found, next_cursor = bookings.register_page(cursor=next_cursor, limit=min(read_page, per_file - read))
            read += len(found)
            yield from found
            if next_cursor is None or not found:
                return

    text = export_register(bookings_in_file())
    return RegisterFile(csv=text, next_cursor=next_cursor)


def export_register(bookings: Iterable[Booking]) -> str:
    """The register for an inspector: one row per decision (one for a booking still undecided), with who,
    when, the conditions and how the event went. Spreadsheet formulas are neutralised."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(COLUMNS)
    for b in bookings:
        common = [
            b.id,
            b.request.event.title,
            b.request.event.on.isoformat(),
            b.request.speaker.name,
            b.request.speaker.organisation,
            str(b.request.requested_by),
            b.requested_at.isoformat(),
            b.rating.level.value,
            "; ".join(b.rating.reasons),
            b.route.approver_role.value,
            b.status.value,
        ]
        after = [
            b.acknowledgement.at.isoformat() if b.acknowledgement else "",
            "" if b.event_record is None else ("yes" if b.event_record.conditions_met else "no"),
            b.event_record.concerns if b.event_record else "",
        ]
        rows = [[d.made.decision, d.by, d.through, d.at.isoformat(), _said(d.made)] for d in b.decisions] or [
            ["", "", "", "", ""]
        ]
        for row in rows:
            writer.writerow([_cell(v) for v in (*common, *row, *after)])
    return out.getvalue()


def _cell(value: str) -> str:
    # A cell an inspector's spreadsheet would run as a formula is kept as text.
    return f"'{value}" if value[:1] in ("=", "+", "-", "@", "\t", "\r") else value
