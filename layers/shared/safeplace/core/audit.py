"""The audit trail: append-only, hash-chained per subject, verifiable.

Each entry's hash covers its own fields and the previous entry's hash, so an edited, removed or
reordered entry breaks the chain. The head (last sequence number and hash) is stored beside the
entries, so removing the newest entries is detected too. Entries older than the retention period may
be removed by DynamoDB TTL; each entry carries the time of its predecessor, so the verifier can tell a
legitimate purge (the missing predecessor was past retention) from a deletion.
"""

import hashlib
import json
from datetime import datetime, timedelta

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
)


class AuditEvent(BaseModel):
    """What happened, before it is chained: a decision, who made it and why."""

    subject: str
    action: str
    actor: str
    details: dict[str, str] = Field(default_factory=dict)


class AuditEntry(BaseModel):
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


class AuditHead(BaseModel):
    subject: str
    seq: int = 0
    hash: str = GENESIS
    at: datetime | None = None


class ChainBreak(BaseModel):
    seq: int
    problem: str


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


def verify(entries: list[AuditEntry], head: AuditHead, *, now: datetime, retention: timedelta) -> list[ChainBreak]:
    """Every problem found in one subject's trail, oldest first; an empty list means intact."""
    breaks: list[ChainBreak] = []
    ordered = sorted(entries, key=lambda e: e.seq)
    if [e.seq for e in entries] != [e.seq for e in ordered]:
        breaks.append(ChainBreak(seq=ordered[0].seq if ordered else 0, problem="entries out of order"))
    previous: AuditEntry | None = None
    for entry in ordered:
        if entry.subject != head.subject:
            breaks.append(ChainBreak(seq=entry.seq, problem="entry belongs to another subject"))
        if entry.hash != _recomputed_hash(entry):
            breaks.append(ChainBreak(seq=entry.seq, problem="entry was altered"))
        if (broken := _link_break(entry, previous, now=now, retention=retention)) is not None:
            breaks.append(broken)
        previous = entry
    if (broken := _head_break(previous, head, now=now, retention=retention)) is not None:
        breaks.append(broken)
    return breaks


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


def _link_break(
    entry: AuditEntry, previous: AuditEntry | None, *, now: datetime, retention: timedelta
) -> ChainBreak | None:
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


def _head_break(
    latest: AuditEntry | None, head: AuditHead, *, now: datetime, retention: timedelta
) -> ChainBreak | None:
    """Whether the newest entry left is the one the head names: removing the newest entries leaves no other trace."""
    if latest is None:
        all_purged = head.at is not None and head.at + retention <= now
        return ChainBreak(seq=1, problem="entries are missing") if head.seq > 0 and not all_purged else None
    if (latest.seq, latest.hash) != (head.seq, head.hash):
        return ChainBreak(seq=latest.seq + 1, problem="latest entries are missing")
    return None
