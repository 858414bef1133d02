from datetime import datetime, timedelta

from safeplace.core import audit as audit_chain
from safeplace.core.audit import FULL_CHECK_CYCLE_DAYS, AuditCheckpoint
from safeplace.core.model import Model
from safeplace.core.notifications import render_email
from safeplace.core.ports import AuditChecks, Mailer
from safeplace.core.retention import RecordKind


class AuditVerification(Model):
    day: str
    subjects_checked: int
    entries_read: int
    trails_verified_whole: int
    broken: dict[str, list[audit_chain.ChainBreak]]
    # Subjects whose checkpoint another check moved on while this one ran: theirs stands.
    moved_by_another: list[str] = []


def verify_audit_trails(
    *,
    audit: AuditChecks,
    mailer: Mailer,
    compliance_team: str,
    now: datetime,
    cycle_days: int = FULL_CHECK_CYCLE_DAYS,
) -> AuditVerification:
    """Verify every trail written to yesterday from its checkpoint, and today's slice of trails whole; raise the
    alarm for any broken one.

    The day's part costs what was written that day: the index lists yesterday's entries by key, and those entries,
    the one before each subject's first (the checkpoint's, read again), the heads and the checkpoints are read in
    batches of known keys. The whole-trail part reads about 1/cycle_days of all history each day, so that an
    entry edited or deleted behind a checkpoint is found within cycle_days (see safeplace.core.audit).
    """
    day = (now - timedelta(days=1)).date().isoformat()
    retention = audit.retention.period(RecordKind.AUDIT)
    whole = audit.audit_due_whole_check(audit_chain.slot_of_day(now.date(), cycle_days))
    verified_whole = set(whole)
    written = audit.audit_written_on(day)
    moves: list[tuple[AuditCheckpoint, AuditCheckpoint]] = []
    entries_read = 0
    since = audit.audit_spans_since({s: seqs for s, seqs in written.items() if s not in verified_whole})
    for span in since.values():
        entries_read += len(span.entries)
        moves.append(
            (
                span.checkpoint,
                audit_chain.verify_since(span.checkpoint, span.entries, span.head, now=now, retention=retention),
            )
        )
    for subject in whole:
        span = audit.audit_span(subject)
        entries_read += len(span.entries)
        moves.append(
            (
                span.checkpoint,
                audit_chain.verify_whole(span.checkpoint, span.entries, span.head, now=now, retention=retention),
            )
        )
    moved_by_another = audit.move_audit_checkpoints(moves)
    broken = {after.subject: after.breaks for _, after in moves if after.breaks}
    if broken:
        mailer.send(render_email("audit_broken", to=compliance_team, day=day, broken=broken))
    return AuditVerification(
        day=day,
        subjects_checked=len(written),
        entries_read=entries_read,
        trails_verified_whole=len(whole),
        broken=broken,
        moved_by_another=moved_by_another,
    )
