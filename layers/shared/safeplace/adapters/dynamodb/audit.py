"""The audit trail: each subject's hash-chained entries, its head, and the checkpoint the daily check left.

Every repository writes entries through `Table.audit_items`, in the transaction of the change they record; this
repository reads trails back and keeps the checkpoints.

| pattern                                 | operation                | key condition                         | index  |
| --------------------------------------- | ------------------------ | ------------------------------------- | ------ |
| a whole audit trail, head, checkpoint   | Query                    | PK=AUDIT#<subject>                    | table  |
| a trail from its checkpoint's entry on  | Query                    | PK=AUDIT#<subject>, SK >= ENTRY#<seq> | table  |
| latest n entries, head and checkpoint   | Query, newest first, n+2 | PK=AUDIT#<subject>                    | table  |
| n entries before one (an older page)    | Query, newest first, n   | PK=AUDIT#<subject>, SK BETWEEN ENTRY# | table  |
| a day's entries, checkpoints and heads  | BatchGetItem, known keys | SK=ENTRY#<seq>, HEAD, VERIFIED        | table  |
| audit entries written on a day          | Query, keys only         | GSI2PK=AUDITDAY#<yyyy-mm-dd>          | ByDate |
| trails verified whole on a day of cycle | Query, keys only         | GSI2PK=AUDITSLOT#<nn>                 | ByDate |

A subject's partition sorts ENTRY#<seq> < HEAD < VERIFIED (its checkpoint), so one Query read newest first
gives the checkpoint, the head and the latest entries, and one from an entry on gives the rest of the trail.
The daily check moves checkpoints on in transactions of up to 100 puts, each conditional on the checkpoint it
read, so two checks never overwrite each other's.
"""

from collections.abc import Iterable
from datetime import datetime
from typing import Any

from safeplace.adapters.dynamodb.table import (
    Table,
    audit_entry_sk,
    audit_head_key,
    audit_pk,
    to_item,
    to_plain,
)
from safeplace.core import audit
from safeplace.core.audit import AuditEntry, AuditEvent
from safeplace.core.retention import Retention

_CHECKPOINT_SK = "VERIFIED"
# DynamoDB's largest transaction.
_TRANSACTION_ITEMS = 100


def _slot_key(slot: int) -> str:
    return f"AUDITSLOT#{slot:02d}"


def audit_checkpoint_item(checkpoint: audit.AuditCheckpoint) -> dict[str, Any]:
    """A checkpoint as stored: beside its trail, and in the ByDate index under its day of the whole-trail cycle."""
    return to_item(
        {
            "PK": audit_pk(checkpoint.subject),
            "SK": _CHECKPOINT_SK,
            "GSI2PK": _slot_key(audit.full_check_slot(checkpoint.subject)),
            "GSI2SK": checkpoint.subject,
            "checkpoint": checkpoint.model_dump(mode="json"),
        }
    )


class AuditRepository:
    def __init__(self, table: Table) -> None:
        self.table = table

    @property
    def retention(self) -> Retention:
        return self.table.retention

    def audit_head(self, subject: str) -> audit.AuditHead:
        return self.table.audit_head(subject)

    def append_audit(self, event: AuditEvent, now: datetime) -> None:
        self.table.append_audit(event, now)

    def audit_trail(self, subject: str) -> tuple[list[AuditEntry], audit.AuditHead]:
        span = self.audit_span(subject)
        return span.entries, span.head

    def audit_span(self, subject: str, from_seq: int | None = None) -> audit.AuditSpan:
        """The trail with its head and checkpoint: whole, or from one entry on."""
        condition, values = "PK = :pk", {":pk": {"S": audit_pk(subject)}}
        if from_seq is not None:
            condition += " AND SK >= :from"
            values[":from"] = {"S": audit_entry_sk(from_seq)}
        found = self.table.query(
            KeyConditionExpression=condition, ExpressionAttributeValues=values, ConsistentRead=True
        )
        return _span(subject, found)

    def audit_latest(self, subject: str, count: int) -> audit.AuditSpan:
        """The newest `count` entries (one more when the trail has no checkpoint), its head and its checkpoint."""
        found = self.table.call(
            "query",
            TableName=self.table.name,
            KeyConditionExpression="PK = :pk",
            ExpressionAttributeValues={":pk": {"S": audit_pk(subject)}},
            ScanIndexForward=False,
            Limit=count + 2,
            ConsistentRead=True,
        )["Items"]
        return _span(subject, (to_plain(item) for item in reversed(found)))

    def audit_before(self, subject: str, seq: int, count: int) -> list[AuditEntry]:
        """Up to `count` entries just before entry `seq`, oldest first."""
        found = self.table.call(
            "query",
            TableName=self.table.name,
            KeyConditionExpression="PK = :pk AND SK BETWEEN :first AND :last",
            ExpressionAttributeValues={
                ":pk": {"S": audit_pk(subject)},
                ":first": {"S": audit_entry_sk(0)},
                ":last": {"S": audit_entry_sk(max(seq - 1, 0))},
            },
            ScanIndexForward=False,
            Limit=count,
            ConsistentRead=True,
        )["Items"]
        return sorted((AuditEntry.model_validate(to_plain(i)["entry"]) for i in found), key=lambda e: e.seq)

    def audit_written_on(self, day: str) -> dict[str, list[int]]:
        """Each subject with entries written on a day, and their sequence numbers, from the index's keys alone."""
        written: dict[str, list[int]] = {}
        for item in self.table.query(
            IndexName="ByDate",
            KeyConditionExpression="GSI2PK = :day",
            ExpressionAttributeValues={":day": {"S": f"AUDITDAY#{day}"}},
        ):
            seq = int(item["SK"].removeprefix("ENTRY#"))
            written.setdefault(item["PK"].removeprefix(audit_pk("")), []).append(seq)
        return {subject: sorted(seqs) for subject, seqs in written.items()}

    def audit_spans_since(self, written: dict[str, list[int]]) -> dict[str, audit.AuditSpan]:
        """Each trail from its checkpoint to its head, for the entries written on a day: the day's entries, the one
        before them, the head and the checkpoint are known keys, read in batches; a trail whose checkpoint is
        further back, or whose head has moved on since, is then read from its checkpoint's entry on."""
        keys: list[dict[str, str]] = []
        for subject, seqs in written.items():
            pk = audit_pk(subject)
            keys += [{"PK": pk, "SK": audit_entry_sk(s)} for s in range(max(seqs[0] - 1, 1), seqs[-1] + 1)]
            keys += [audit_head_key(subject), {"PK": pk, "SK": _CHECKPOINT_SK}]
        by_subject: dict[str, list[dict[str, Any]]] = {}
        for item in self.table.batch_get(keys).values():
            by_subject.setdefault(item["PK"].removeprefix(audit_pk("")), []).append(item)
        spans: dict[str, audit.AuditSpan] = {}
        for subject, seqs in written.items():
            span = _span(subject, sorted(by_subject.get(subject, []), key=lambda i: i["SK"]))
            if not seqs[0] - 1 <= span.checkpoint.seq <= seqs[-1] or span.head.seq > seqs[-1]:
                span = self.audit_span(subject, from_seq=span.checkpoint.seq)
            spans[subject] = span
        return spans

    def audit_due_whole_check(self, slot: int) -> list[str]:
        """The subjects whose whole trails are verified on this day of the cycle."""
        return sorted(
            item["PK"].removeprefix(audit_pk(""))
            for item in self.table.query(
                IndexName="ByDate",
                KeyConditionExpression="GSI2PK = :slot",
                ExpressionAttributeValues={":slot": {"S": _slot_key(slot)}},
            )
        )

    def move_audit_checkpoints(self, moves: list[tuple[audit.AuditCheckpoint, audit.AuditCheckpoint]]) -> list[str]:
        """Each checkpoint moved on, in transactions, each put conditional on the checkpoint as it was read; the
        subjects whose checkpoints another check moved first are left as that check wrote them, and returned."""
        lost: list[str] = []
        pending = [self._checkpoint_put(before, after) for before, after in moves]
        while pending:
            batch, pending = pending[:_TRANSACTION_ITEMS], pending[_TRANSACTION_ITEMS:]
            failed = self.table.transact_some(batch)
            lost += [to_plain(batch[i]["Put"]["Item"])["PK"].removeprefix(audit_pk("")) for i in failed]
            pending = [put for i, put in enumerate(batch) if i not in failed] + pending if failed else pending
        return sorted(lost)

    def _checkpoint_put(self, before: audit.AuditCheckpoint, after: audit.AuditCheckpoint) -> dict[str, Any]:
        put: dict[str, Any] = {
            "TableName": self.table.name,
            "Item": audit_checkpoint_item(after),
        }
        if before.checked_at is None:
            put["ConditionExpression"] = "attribute_not_exists(PK)"
        else:
            put["ConditionExpression"] = "#c.checked_at = :at AND #c.seq = :seq"
            put["ExpressionAttributeNames"] = {"#c": "checkpoint"}
            put["ExpressionAttributeValues"] = {
                ":at": {"S": before.model_dump(mode="json")["checked_at"]},
                ":seq": {"N": str(before.seq)},
            }
        return {"Put": put}


def _span(subject: str, items: Iterable[dict[str, Any]]) -> audit.AuditSpan:
    """A trail's items as read (entries, head and checkpoint, in any order) made into its span."""
    entries: list[AuditEntry] = []
    head = audit.AuditHead(subject=subject)
    checkpoint = audit.AuditCheckpoint(subject=subject)
    for item in items:
        if item["SK"] == "HEAD":
            head = audit.AuditHead.model_validate(item["head"])
        elif item["SK"] == _CHECKPOINT_SK:
            checkpoint = audit.AuditCheckpoint.model_validate(item["checkpoint"])
        else:
            entries.append(AuditEntry.model_validate(item["entry"]))
    return audit.AuditSpan(checkpoint=checkpoint, entries=entries, head=head)
