import csv
import io

from safeplace.speakers.booking import Booking
from safeplace.speakers.models import Approval, Decline, InformationRequest

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


def export_register(bookings: list[Booking]) -> str:
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
