from datetime import datetime

from safeplace.core.audit import AuditEntry, TrailStatus, trail_status
from safeplace.core.model import Model
from safeplace.core.ports import AuditHistory
from safeplace.core.retention import RecordKind

# Entries a page of history shows.
HISTORY_PAGE = 50


class History(Model):
    """A page of a subject's trail (oldest first, as stored) with what is known of the whole trail's verification."""

    entries: list[AuditEntry]
    check: TrailStatus
    total: int
    # Where the older and the newer pages start (`before` for read_history); None when there is none.
    earlier: int | None = None
    newer: int | None = None


def read_history(
    subject: str, *, audit: AuditHistory, now: datetime, before: int | None = None, size: int = HISTORY_PAGE
) -> History:
    """The latest entries (or those before entry `before`) and the trail's last check, with the few entries added
    since verified here when the latest page holds them all: a page's cost follows its page, not the trail."""
    latest = audit.audit_latest(subject, size)
    check = trail_status(
        latest.checkpoint,
        latest.entries,
        latest.head,
        now=now,
        retention=audit.retention.period(RecordKind.AUDIT),
    )
    shown = sorted(latest.entries, key=lambda e: e.seq)[-size:]
    if before is not None and before <= latest.head.seq:
        shown = audit.audit_before(subject, before, size) if before > 1 else []
    earlier = shown[0].seq if shown and shown[0].seq > 1 else None
    # A `before` past the head asks for the latest page.
    newer = shown[-1].seq + 1 + size if shown and shown[-1].seq < latest.head.seq else None
    return History(entries=shown, check=check, total=latest.head.seq, earlier=earlier, newer=newer)
