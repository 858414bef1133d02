"""The one DynamoDB table all state lives in, and the mechanics every repository over it shares.

`Table` owns boto3 and turns AWS errors into domain errors. Keys are designed from the access patterns;
every request path is a GetItem, a Query or a transaction. Each repository's module lists its own patterns;
the audit trail's are here, because every repository writes it:

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

Writes that must hold together go in one TransactWriteItems: a change, the audit entry that records it
and the audit head; a submission and the link it consumes; a placement, its gate decision and a condition
that the employer has not changed since the gate read it. Status changes are conditional on `version`.
Items that expire carry `ttl` (epoch seconds) from safeplace.core.retention.

A transaction that spans aggregates is built by the repository of the aggregate it changes, with the key
builders of the others, so that it stays one request.
"""

from collections.abc import Iterable
from datetime import datetime
from functools import cached_property
from typing import Any

import boto3
from boto3.dynamodb.types import TypeDeserializer, TypeSerializer
from botocore.exceptions import ClientError

from safeplace.core import audit
from safeplace.core.audit import AuditEntry, AuditEvent
from safeplace.core.errors import Conflict, LinkNotUsable, TemporaryFailure
from safeplace.core.retention import RecordKind, Retention

_TEMPORARY = {
    "ProvisionedThroughputExceededException",
    "ThrottlingException",
    "RequestLimitExceeded",
    "InternalServerError",
    "ServiceUnavailable",
}

_serializer = TypeSerializer()
_deserializer = TypeDeserializer()


def to_item(values: dict[str, Any]) -> dict[str, Any]:
    return {k: _serializer.serialize(v) for k, v in values.items() if v is not None}


def to_plain(item: dict[str, Any]) -> dict[str, Any]:
    return {k: _deserializer.deserialize(v) for k, v in item.items()}


# -- keys shared by several repositories: partitions hold the items of more than one aggregate ----------


def employer_pk(employer_id: str) -> str:
    return f"EMPLOYER#{employer_id}"


def booking_pk(booking_id: str) -> str:
    return f"BOOKING#{booking_id}"


def wait_pk(subject_id: str) -> str:
    # Workflows wait on employers and on speaker bookings; the id says which.
    return booking_pk(subject_id) if subject_id.startswith("bkg-") else employer_pk(subject_id)


def _audit_pk(subject: str) -> str:
    return f"AUDIT#{subject}"


def _audit_head(subject: str) -> dict[str, str]:
    return {"PK": _audit_pk(subject), "SK": "HEAD"}


def _audit_entry_sk(seq: int) -> str:
    return f"ENTRY#{seq:010d}"


_CHECKPOINT_SK = "VERIFIED"


def _slot_key(slot: int) -> str:
    return f"AUDITSLOT#{slot:02d}"


# DynamoDB's largest batch of keys to read, and of items in one transaction.
_BATCH_KEYS = 100
_TRANSACTION_ITEMS = 100


def audit_entry_item(entry: AuditEntry, ttl: int | None) -> dict[str, Any]:
    """An entry as stored: in its subject's partition, and in the ByDate index under the day it was written."""
    return to_item(
        {
            "PK": _audit_pk(entry.subject),
            "SK": _audit_entry_sk(entry.seq),
            "GSI2PK": f"AUDITDAY#{entry.at.date().isoformat()}",
            "GSI2SK": f"{entry.subject}#{entry.seq:010d}",
            "entry": entry.model_dump(mode="json"),
            "ttl": ttl,
        }
    )


def audit_head_item(head: audit.AuditHead) -> dict[str, Any]:
    return to_item({**_audit_head(head.subject), "head": head.model_dump(mode="json")})


def audit_checkpoint_item(checkpoint: audit.AuditCheckpoint) -> dict[str, Any]:
    """A checkpoint as stored: beside its trail, and in the ByDate index under its day of the whole-trail cycle."""
    return to_item(
        {
            "PK": _audit_pk(checkpoint.subject),
            "SK": _CHECKPOINT_SK,
            "GSI2PK": _slot_key(audit.full_check_slot(checkpoint.subject)),
            "GSI2SK": checkpoint.subject,
            "checkpoint": checkpoint.model_dump(mode="json"),
        }
    )


class Table:
    def __init__(self, name: str, retention: Retention, client: Any = None) -> None:
        self.name = name
        self.retention = retention
        self._client = client

    @cached_property
    def client(self) -> Any:
        return self._client or boto3.client("dynamodb")

    # -- errors -------------------------------------------------------------------------------

    def call(self, operation: str, **kwargs: Any) -> Any:
        try:
            return getattr(self.client, operation)(**kwargs)
        except ClientError as error:
            code = error.response["Error"]["Code"]
            if code in _TEMPORARY:
                raise TemporaryFailure(f"DynamoDB is busy ({code}); try again") from error
            if code == "ConditionalCheckFailedException":
                raise Conflict("This record was changed by someone else; reload and try again") from error
            raise

    def get(self, key: dict[str, str]) -> dict[str, Any] | None:
        """The item under a key (PK and SK as plain strings), read consistently; None when there is none."""
        found = self.call("get_item", TableName=self.name, Key=to_item(key), ConsistentRead=True).get("Item")
        return to_plain(found) if found else None

    def transact(self, items: list[dict[str, Any]], *, link_index: int | None = None) -> None:
        try:
            self.client.transact_write_items(TransactItems=items)
        except ClientError as error:
            code = error.response["Error"]["Code"]
            if code in _TEMPORARY or code == "TransactionInProgressException":
                raise TemporaryFailure(f"DynamoDB is busy ({code}); try again") from error
            if code != "TransactionCanceledException":
                raise
            reasons = error.response.get("CancellationReasons") or []
            codes = [r.get("Code", "None") for r in reasons]
            if link_index is not None and link_index < len(codes) and codes[link_index] == "ConditionalCheckFailed":
                raise LinkNotUsable() from error
            if any(c in ("ThrottlingError", "ProvisionedThroughputExceeded", "TransactionConflict") for c in codes):
                raise TemporaryFailure("DynamoDB is busy; try again") from error
            raise Conflict("This record was changed by someone else; reload and try again") from error

    def query(self, **kwargs: Any) -> Iterable[dict[str, Any]]:
        paginator = self.client.get_paginator("query")
        try:
            for page in paginator.paginate(TableName=self.name, **kwargs):
                for item in page["Items"]:
                    yield to_plain(item)
        except ClientError as error:
            if error.response["Error"]["Code"] in _TEMPORARY:
                raise TemporaryFailure("DynamoDB is busy; try again") from error
            raise

    # -- audit ----------------------------------------------------------------------------------

    def audit_items(self, event: AuditEvent, now: datetime) -> list[dict[str, Any]]:
        """The audit entry and the new head, for the transaction of the change they record."""
        head = self.audit_head(event.subject)
        entry = audit.next_entry(head, event, now)
        entry_item = audit_entry_item(entry, self.retention.ttl(RecordKind.AUDIT, now))
        head_item = audit_head_item(audit.head_after(entry))
        head_put: dict[str, Any] = {"TableName": self.name, "Item": head_item}
        if head.seq == 0:
            head_put["ConditionExpression"] = "attribute_not_exists(PK)"
        else:
            head_put["ConditionExpression"] = "#h.seq = :seq"
            head_put["ExpressionAttributeNames"] = {"#h": "head"}
            head_put["ExpressionAttributeValues"] = {":seq": {"N": str(head.seq)}}
        return [
            {
                "Put": {
                    "TableName": self.name,
                    "Item": entry_item,
                    "ConditionExpression": "attribute_not_exists(PK)",
                }
            },
            {"Put": head_put},
        ]

    def audit_head(self, subject: str) -> audit.AuditHead:
        found = self.get(_audit_head(subject))
        return audit.AuditHead.model_validate(found["head"]) if found else audit.AuditHead(subject=subject)

    def audit_trail(self, subject: str) -> tuple[list[AuditEntry], audit.AuditHead]:
        span = self.audit_span(subject)
        return span.entries, span.head

    def audit_span(self, subject: str, from_seq: int | None = None) -> audit.AuditSpan:
        """The trail with its head and checkpoint: whole, or from one entry on."""
        condition, values = "PK = :pk", {":pk": {"S": _audit_pk(subject)}}
        if from_seq is not None:
            condition += " AND SK >= :from"
            values[":from"] = {"S": _audit_entry_sk(from_seq)}
        found = self.query(KeyConditionExpression=condition, ExpressionAttributeValues=values, ConsistentRead=True)
        return _span(subject, found)

    def audit_latest(self, subject: str, count: int) -> audit.AuditSpan:
        """The newest `count` entries (one more when the trail has no checkpoint), its head and its checkpoint."""
        found = self.call(
            "query",
            TableName=self.name,
            KeyConditionExpression="PK = :pk",
            ExpressionAttributeValues={":pk": {"S": _audit_pk(subject)}},
            ScanIndexForward=False,
            Limit=count + 2,
            ConsistentRead=True,
        )["Items"]
        return _span(subject, (to_plain(item) for item in reversed(found)))

    def audit_before(self, subject: str, seq: int, count: int) -> list[AuditEntry]:
        """Up to `count` entries just before entry `seq`, oldest first."""
        found = self.call(
            "query",
            TableName=self.name,
            KeyConditionExpression="PK = :pk AND SK BETWEEN :first AND :last",
            ExpressionAttributeValues={
                ":pk": {"S": _audit_pk(subject)},
                ":first": {"S": _audit_entry_sk(0)},
                ":last": {"S": _audit_entry_sk(max(seq - 1, 0))},
            },
            ScanIndexForward=False,
            Limit=count,
            ConsistentRead=True,
        )["Items"]
        return sorted((AuditEntry.model_validate(to_plain(i)["entry"]) for i in found), key=lambda e: e.seq)

    def audit_written_on(self, day: str) -> dict[str, list[int]]:
        """Each subject with entries written on a day, and their sequence numbers, from the index's keys alone."""
        written: dict[str, list[int]] = {}
        for item in self.query(
            IndexName="ByDate",
            KeyConditionExpression="GSI2PK = :day",
            ExpressionAttributeValues={":day": {"S": f"AUDITDAY#{day}"}},
        ):
            seq = int(item["SK"].removeprefix("ENTRY#"))
            written.setdefault(item["PK"].removeprefix(_audit_pk("")), []).append(seq)
        return {subject: sorted(seqs) for subject, seqs in written.items()}

    def audit_spans_since(self, written: dict[str, list[int]]) -> dict[str, audit.AuditSpan]:
        """Each trail from its checkpoint to its head, for the entries written on a day: the day's entries, the one
        before them, the head and the checkpoint are known keys, read in batches; a trail whose checkpoint is
        further back, or whose head has moved on since, is then read from its checkpoint's entry on."""
        keys: list[dict[str, str]] = []
        for subject, seqs in written.items():
            pk = _audit_pk(subject)
            keys += [{"PK": pk, "SK": _audit_entry_sk(s)} for s in range(max(seqs[0] - 1, 1), seqs[-1] + 1)]
            keys += [_audit_head(subject), {"PK": pk, "SK": _CHECKPOINT_SK}]
        by_subject: dict[str, list[dict[str, Any]]] = {}
        for item in self._batch_get(keys):
            by_subject.setdefault(item["PK"].removeprefix(_audit_pk("")), []).append(item)
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
            item["PK"].removeprefix(_audit_pk(""))
            for item in self.query(
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
            failed = self._transact_some(batch)
            lost += [to_plain(batch[i]["Put"]["Item"])["PK"].removeprefix(_audit_pk("")) for i in failed]
            pending = [put for i, put in enumerate(batch) if i not in failed] + pending if failed else pending
        return sorted(lost)

    def _checkpoint_put(self, before: audit.AuditCheckpoint, after: audit.AuditCheckpoint) -> dict[str, Any]:
        put: dict[str, Any] = {
            "TableName": self.name,
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

    def _transact_some(self, items: list[dict[str, Any]]) -> set[int]:
        """The items of a transaction whose conditions failed (none written then), or an empty set once written."""
        try:
            self.client.transact_write_items(TransactItems=items)
        except ClientError as error:
            code = error.response["Error"]["Code"]
            if code in _TEMPORARY or code == "TransactionInProgressException":
                raise TemporaryFailure(f"DynamoDB is busy ({code}); try again") from error
            if code != "TransactionCanceledException":
                raise
            reasons = [r.get("Code", "None") for r in error.response.get("CancellationReasons") or []]
            failed = {i for i, c in enumerate(reasons) if c == "ConditionalCheckFailed"}
            if not failed:
                raise TemporaryFailure("DynamoDB is busy; try again") from error
            return failed
        return set()

    def _batch_get(self, keys: list[dict[str, str]]) -> Iterable[dict[str, Any]]:
        """Items under known keys, read consistently, in batches; keys DynamoDB leaves unprocessed are asked again."""
        for start in range(0, len(keys), _BATCH_KEYS):
            request = {
                self.name: {"Keys": [to_item(k) for k in keys[start : start + _BATCH_KEYS]], "ConsistentRead": True}
            }
            while request:
                answer = self.call("batch_get_item", RequestItems=request)
                for item in answer["Responses"].get(self.name, []):
                    yield to_plain(item)
                request = answer.get("UnprocessedKeys") or {}

    def append_audit(self, event: AuditEvent, now: datetime) -> None:
        self.transact(self.audit_items(event, now))


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
