"""The audit trail: append-only, hash-chained per subject, verifiable.

Each entry's hash covers its own fields and the previous entry's hash, so an edited, removed or
reordered entry breaks the chain. The head (last sequence number and hash) is stored beside the
entries, so removing the newest entries is detected too. Entries older than the retention period may
be removed by DynamoDB TTL; each entry carries the time of its predecessor, so the verifier can tell a
legitimate purge (the missing predecessor was past retention) from a deletion.

A trail is verified from its checkpoint: the last entry verified (seq, hash, time), when, and the breaks found
so far. `verify_since` reads that entry again and the entries after it to the head, so a check costs what was
written since, not the whole history. What it can no longer see is an entry before the checkpoint edited
without rewriting everything after it, or deleted: the checkpoint's own entry is re-read, so an edit that was
hashed forward to the head changes that entry's hash and is caught, but a crude edit or a deletion further back
leaves the newer entries as they were. Those are caught by the whole-trail `verify`, which the daily check runs
over a rotating slice of subjects (`full_check_slot`): each trail at least every FULL_CHECK_CYCLE_DAYS days, at
a daily cost of about the whole history divided by that number. A forged checkpoint is caught the same way:
the whole-trail check does not trust it.
"""

import hashlib
import json
from datetime import date, datetime, timedelta
from typing import NamedTuple

from pydantic import ConfigDict, Field

from safeplace.core.model import Model


class AuditEvent(Model):
    """What happened, before it is chained: a decision, who made it and why."""

    subject: str
    action: str
    actor: str
    details: dict[str, str] = Field(default_factory=dict)


class AuditEntry(Model):
    model_config = ConfigDict(frozen=True)

    subject: str
    seq: int = Field(ge=1)
    at: datetime
    action: str
    actor: str
    details: dict[str, str]
    prev_hash: str
    prev_at: datetime | None
    hash: str


GENESIS = "0" * 64


class AuditHead(Model):
    subject: str
    seq: int = 0
    hash: str = GENESIS
    at: datetime | None = None


class ChainBreak(Model):
    seq: int
    problem: str


class AuditCheckpoint(Model):
    """How far a subject's trail has been verified: its last entry verified, when, and every break found so far
    (a break stays recorded: a trail once altered is not intact again)."""

    subject: str
    seq: int = 0
    hash: str = GENESIS
    at: datetime | None = None
    checked_at: datetime | None = None
    breaks: list[ChainBreak] = []

    @property
    def intact(self) -> bool:
        return not self.breaks


class TrailStatus(Model):
    """A trail's verification as a page tells it: the last check, and the entries added since, which the page
    either verified itself (`verified_since`) or leaves to the next check (`awaiting_check`)."""

    checked_at: datetime | None = None
    breaks: list[ChainBreak] = []
    verified_since: int = 0
    awaiting_check: int = 0

    @property
    def intact(self) -> bool:
        return not self.breaks


class AuditSpan(Model):
    """What was read of one trail: its checkpoint, some of its entries (oldest first) and its head."""

    checkpoint: AuditCheckpoint
    entries: list[AuditEntry]
    head: AuditHead


# Each trail is verified whole at least this often, one slice of the subjects a day.
FULL_CHECK_CYCLE_DAYS = 30


def _digest(
    subject: str,
    seq: int,
    at: datetime,
    action: str,
    actor: str,
    details: dict[str, str],
    prev_hash: str,
    prev_at: datetime | None,
) -> str:
    canonical = json.dumps(
        {
            "subject": subject,
            "seq": seq,
            "at": at.isoformat(),
            "action": action,
            "actor": actor,
            "details": details,
            "prev_hash": prev_hash,
            "prev_at": prev_at.isoformat() if prev_at else None,
        },
        sort_keys=True,
        separators=(",", ":"),
        ensure_ascii=False,
    )
    return hashlib.sha256(canonical.encode()).hexdigest()


def next_entry(head: AuditHead, event: AuditEvent, at: datetime) -> AuditEntry:
    if event.subject != head.subject:
        raise ValueError("an audit event is chained onto its own subject's head")
    seq = head.seq + 1
    return AuditEntry(
        subject=event.subject,
        seq=seq,
        at=at,
        action=event.action,
        actor=event.actor,
        details=event.details,
        prev_hash=head.hash,
        prev_at=head.at,
        hash=_digest(event.subject, seq, at, event.action, event.actor, event.details, head.hash, head.at),
    )


def head_after(entry: AuditEntry) -> AuditHead:
    return AuditHead(subject=entry.subject, seq=entry.seq, hash=entry.hash, at=entry.at)


class _Link(NamedTuple):
    """What the next entry must name: the entry before it, or the checkpoint's record of it."""

    seq: int
    hash: str
    at: datetime | None


def verify(entries: list[AuditEntry], head: AuditHead, *, now: datetime, retention: timedelta) -> list[ChainBreak]:
    """Every problem found in one subject's whole trail, oldest first; an empty list means intact."""
    return _breaks(None, entries, head, now=now, retention=retention)


def verify_since(
    checkpoint: AuditCheckpoint, entries: list[AuditEntry], head: AuditHead, *, now: datetime, retention: timedelta
) -> AuditCheckpoint:
    """The checkpoint moved on to the head: `entries` are the checkpoint's own entry (read again, so an edit to
    it shows) and those after it; older ones are ignored. New breaks are added to those already recorded."""
    found = _breaks(checkpoint, [e for e in entries if e.seq >= checkpoint.seq], head, now=now, retention=retention)
    return _moved_on(checkpoint, head, found, now)


def verify_whole(
    checkpoint: AuditCheckpoint, entries: list[AuditEntry], head: AuditHead, *, now: datetime, retention: timedelta
) -> AuditCheckpoint:
    """The checkpoint moved on to the head after verifying the whole trail, trusting nothing the checkpoint says
    but the breaks it recorded."""
    return _moved_on(checkpoint, head, verify(entries, head, now=now, retention=retention), now)


def _moved_on(checkpoint: AuditCheckpoint, head: AuditHead, found: list[ChainBreak], now: datetime) -> AuditCheckpoint:
    return AuditCheckpoint(
        subject=head.subject,
        seq=head.seq,
        hash=head.hash,
        at=head.at,
        checked_at=now,
        breaks=[*checkpoint.breaks, *(b for b in found if b not in checkpoint.breaks)],
    )


def trail_status(
    checkpoint: AuditCheckpoint, latest: list[AuditEntry], head: AuditHead, *, now: datetime, retention: timedelta
) -> TrailStatus:
    """What a page says of a trail from its checkpoint and the latest entries it shows: the entries added since
    the last check are verified here when the page has them all, from the checkpoint's own entry on; otherwise
    they await the next check. Nothing is written."""
    since = head.seq - checkpoint.seq
    if since == 0 and head.hash == checkpoint.hash:
        return TrailStatus(checked_at=checkpoint.checked_at, breaks=checkpoint.breaks)
    shown = {e.seq for e in latest}
    if since <= 0 or max(checkpoint.seq, 1) in shown:
        moved = verify_since(checkpoint, latest, head, now=now, retention=retention)
        return TrailStatus(checked_at=checkpoint.checked_at, breaks=moved.breaks, verified_since=max(since, 0))
    return TrailStatus(checked_at=checkpoint.checked_at, breaks=checkpoint.breaks, awaiting_check=since)


def full_check_slot(subject: str, cycle_days: int = FULL_CHECK_CYCLE_DAYS) -> int:
    """The day of the cycle on which a subject's whole trail is verified: spread evenly, the same every cycle."""
    return int(hashlib.sha256(subject.encode()).hexdigest()[:8], 16) % cycle_days


def slot_of_day(day: date, cycle_days: int = FULL_CHECK_CYCLE_DAYS) -> int:
    return day.toordinal() % cycle_days


def _breaks(
    start: AuditCheckpoint | None, entries: list[AuditEntry], head: AuditHead, *, now: datetime, retention: timedelta
) -> list[ChainBreak]:
    """Problems in a trail read from `start`'s entry on (from the first entry when None), oldest first."""
    breaks: list[ChainBreak] = []
    ordered = sorted(entries, key=lambda e: e.seq)
    if [e.seq for e in entries] != [e.seq for e in ordered]:
        breaks.append(ChainBreak(seq=ordered[0].seq if ordered else 0, problem="entries out of order"))
    previous: _Link | None = None
    if start is not None and start.seq > 0:
        previous, anchor_break = _anchor(start, ordered, now=now, retention=retention)
        breaks.extend(anchor_break)
        ordered = [e for e in ordered if e.seq > start.seq]
    for entry in ordered:
        if entry.subject != head.subject:
            breaks.append(ChainBreak(seq=entry.seq, problem="entry belongs to another subject"))
        if entry.hash != _recomputed_hash(entry):
            breaks.append(ChainBreak(seq=entry.seq, problem="entry was altered"))
        if (broken := _link_break(entry, previous, now=now, retention=retention)) is not None:
            breaks.append(broken)
        previous = _Link(entry.seq, entry.hash, entry.at)
    if (broken := _head_break(previous, head, now=now, retention=retention)) is not None:
        breaks.append(broken)
    return breaks


def _anchor(
    start: AuditCheckpoint, ordered: list[AuditEntry], *, now: datetime, retention: timedelta
) -> tuple[_Link | None, list[ChainBreak]]:
    """The checkpoint's entry read again: it must still be the one verified. The rest chains from what was
    verified, not from what is read now; once that entry is past retention, from the oldest entry left."""
    found = next((e for e in ordered if e.seq == start.seq), None)
    if found is None:
        if start.at is not None and start.at + retention <= now:
            return None, []
        return _Link(start.seq, start.hash, start.at), [ChainBreak(seq=start.seq, problem="entry is missing")]
    link = _Link(start.seq, start.hash, start.at)
    if found.hash != start.hash or found.hash != _recomputed_hash(found) or found.at != start.at:
        return link, [ChainBreak(seq=start.seq, problem="entry was altered")]
    return link, []


def _recomputed_hash(entry: AuditEntry) -> str:
    return _digest(
        entry.subject,
        entry.seq,
        entry.at,
        entry.action,
        entry.actor,
        entry.details,
        entry.prev_hash,
        entry.prev_at,
    )


def _link_break(entry: AuditEntry, previous: _Link | None, *, now: datetime, retention: timedelta) -> ChainBreak | None:
    """How an entry follows the one before it or, as the oldest one left, starts the trail."""
    if previous is None:
        purged = entry.seq > 1 and entry.prev_at is not None and entry.prev_at + retention <= now
        if entry.seq == 1 and entry.prev_hash != GENESIS:
            return ChainBreak(seq=1, problem="first entry does not start the chain")
        if entry.seq > 1 and not purged:
            return ChainBreak(seq=entry.seq - 1, problem="earlier entries are missing")
        return None
    if entry.seq != previous.seq + 1:
        return ChainBreak(seq=previous.seq + 1, problem="entry is missing")
    if entry.prev_hash != previous.hash or entry.prev_at != previous.at:
        return ChainBreak(seq=entry.seq, problem="entry does not follow its predecessor")
    return None


def _head_break(latest: _Link | None, head: AuditHead, *, now: datetime, retention: timedelta) -> ChainBreak | None:
    """Whether the newest entry left is the one the head names: removing the newest entries leaves no other trace."""
    if latest is None:
        all_purged = head.at is not None and head.at + retention <= now
        return ChainBreak(seq=1, problem="entries are missing") if head.seq > 0 and not all_purged else None
    if (latest.seq, latest.hash) != (head.seq, head.hash):
        return ChainBreak(seq=latest.seq + 1, problem="latest entries are missing")
    return None
