"""The one DynamoDB table all state lives in, and the mechanics every repository over it shares.

`Table` owns boto3 and turns AWS errors into domain errors. Keys are designed from the access patterns;
every request path is a GetItem, a Query or a transaction. Each repository's module lists its own patterns;
the audit trail's are in audit.py. Every repository writes the audit trail through `Table.audit_items`.

Items whose keys are known are read together by `batch_get`: one BatchGetItem per 100 keys, consistent, with the
keys DynamoDB leaves unprocessed asked for again after a short pause.

Writes that must hold together go in one TransactWriteItems: a change, the audit entry that records it
and the audit head; a submission and the link it consumes; a placement, its gate decision and a condition
that the employer has not changed since the gate read it. Status changes are conditional on `version`.
Items that expire carry `ttl` (epoch seconds) from safeplace.core.retention.

A transaction that spans aggregates is built by the repository of the aggregate it changes, with the key
builders of the others, so that it stays one request.

Lists are read a page at a time (`Table.page`): one Query of at most a page and one more item (the one more says
whether a next page exists) over an index whose partition is the list or its filter, so a page costs the same at a
thousand items as at a million. A cursor is the key of the item a page starts beside and which way it reads,
base64url-encoded JSON: opaque to callers, and checked on its way back in (its index keys, its partition and any
search prefix must be the list's), so one that was changed is a 400, never a read from wherever it points. The
list indexes (ByStatus, Lists, ByName, ByStatusName) project `summary`, a small copy of what a list row shows;
ByStatus also projects `due`, which the lapses ahead show.
"""

import base64
import binascii
import json
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime
from functools import cached_property
from typing import Any

import boto3
from boto3.dynamodb.types import TypeDeserializer, TypeSerializer
from botocore.exceptions import ClientError

from safeplace.core import audit
from safeplace.core.audit import AuditEntry, AuditEvent
from safeplace.core.errors import Conflict, InvalidRequest, LinkNotUsable, TemporaryFailure
from safeplace.core.retention import RecordKind, Retention

_TEMPORARY = {
    "ProvisionedThroughputExceededException",
    "ThrottlingException",
    "RequestLimitExceeded",
    "InternalServerError",
    "ServiceUnavailable",
}

# BatchGetItem takes at most 100 keys; unprocessed ones are asked for again this many times, pausing longer each time.
_BATCH_KEYS = 100
_BATCH_ATTEMPTS = 5
_BATCH_PAUSE_SECONDS = 0.05

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


# -- pages of a list: one Query each, whatever the size of the table -----------------------------------

# The key attributes of each index a list is read from.
# The table itself pages the same way: a partition of its own items in sort key order.
TABLE = "table"
INDEX_KEYS = {
    TABLE: ("PK", "SK"),
    "ByStatus": ("GSI1PK", "GSI1SK"),
    "Lists": ("GSI3PK", "GSI3SK"),
    "ByName": ("GSI4PK", "GSI4SK"),
    "ByStatusName": ("GSI5PK", "GSI5SK"),
}
_NOT_A_PAGE = (
    "This page link is not valid: it may have been changed or be from another list. Start again from the first page."
)


@dataclass(frozen=True)
class ItemPage:
    items: list[dict[str, Any]]
    next_cursor: str | None
    previous_cursor: str | None


def _cursor(direction: str, index: str, item: dict[str, Any]) -> str:
    """An opaque cursor: where a page starts from (the key of the item beside it) and which way it reads."""
    key = {name: item[name]["S"] for name in ("PK", "SK", *INDEX_KEYS[index])}
    raw = json.dumps({"d": direction, "k": key}, separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def _start(cursor: str, index: str, partition: str, prefix: str) -> tuple[str, dict[str, Any]]:
    """The direction and ExclusiveStartKey a cursor names; one changed, or taken from another list, is refused
    rather than read from wherever it points."""
    try:
        decoded = json.loads(base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)))
    except (ValueError, binascii.Error, UnicodeDecodeError):
        raise InvalidRequest(_NOT_A_PAGE) from None
    pk, sk = INDEX_KEYS[index]
    key = decoded.get("k") if isinstance(decoded, dict) else None
    if (
        not isinstance(key, dict)
        or decoded.get("d") not in ("n", "p")
        or set(key) != {"PK", "SK", pk, sk}
        or not all(isinstance(v, str) for v in key.values())
        or key[pk] != partition
        or not key[sk].startswith(prefix)
    ):
        raise InvalidRequest(_NOT_A_PAGE)
    return decoded["d"], to_item(key)


def audit_pk(subject: str) -> str:
    return f"AUDIT#{subject}"


def audit_head_key(subject: str) -> dict[str, str]:
    return {"PK": audit_pk(subject), "SK": "HEAD"}


def audit_entry_sk(seq: int) -> str:
    return f"ENTRY#{seq:010d}"


def audit_entry_item(entry: AuditEntry, ttl: int | None) -> dict[str, Any]:
    """An entry as stored: in its subject's partition, and in the ByDate index under the day it was written."""
    return to_item(
        {
            "PK": audit_pk(entry.subject),
            "SK": audit_entry_sk(entry.seq),
            "GSI2PK": f"AUDITDAY#{entry.at.date().isoformat()}",
            "GSI2SK": f"{entry.subject}#{entry.seq:010d}",
            "entry": entry.model_dump(mode="json"),
            "ttl": ttl,
        }
    )


def audit_head_item(head: audit.AuditHead) -> dict[str, Any]:
    return to_item({**audit_head_key(head.subject), "head": head.model_dump(mode="json")})


def key_of(item: dict[str, Any]) -> tuple[str, str]:
    return item["PK"], item["SK"]


class Table:
    def __init__(
        self, name: str, retention: Retention, client: Any = None, pause: Callable[[float], None] = time.sleep
    ) -> None:
        self.name = name
        self.retention = retention
        self._client = client
        self._pause = pause

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

    def batch_get(self, keys: Iterable[dict[str, str]]) -> dict[tuple[str, str], dict[str, Any]]:
        """The items under the keys (PK and SK as plain strings), read consistently, by (PK, SK); absent ones are
        left out."""
        wanted = list({key_of(k): k for k in keys}.values())
        found: dict[tuple[str, str], dict[str, Any]] = {}
        for start in range(0, len(wanted), _BATCH_KEYS):
            request: list[dict[str, Any]] = [to_item(k) for k in wanted[start : start + _BATCH_KEYS]]
            for attempt in range(_BATCH_ATTEMPTS):
                if attempt:
                    self._pause(_BATCH_PAUSE_SECONDS * 2 ** (attempt - 1))
                answer = self.call(
                    "batch_get_item", RequestItems={self.name: {"Keys": request, "ConsistentRead": True}}
                )
                for item in answer.get("Responses", {}).get(self.name, []):
                    plain = to_plain(item)
                    found[key_of(plain)] = plain
                request = answer.get("UnprocessedKeys", {}).get(self.name, {}).get("Keys", [])
                if not request:
                    break
            else:
                raise TemporaryFailure("DynamoDB is busy (keys left unprocessed); try again")
        return found

    def transact(self, items: list[dict[str, Any]], *, link_index: int | None = None) -> None:
        cancelled = self._cancelled(items)
        if cancelled is None:
            return
        codes, error = cancelled
        if link_index is not None and link_index < len(codes) and codes[link_index] == "ConditionalCheckFailed":
            raise LinkNotUsable() from error
        if any(c in ("ThrottlingError", "ProvisionedThroughputExceeded", "TransactionConflict") for c in codes):
            raise TemporaryFailure("DynamoDB is busy; try again") from error
        raise Conflict("This record was changed by someone else; reload and try again") from error

    def transact_some(self, items: list[dict[str, Any]]) -> set[int]:
        """The items of a transaction whose conditions failed (none written then), or an empty set once written."""
        cancelled = self._cancelled(items)
        if cancelled is None:
            return set()
        codes, error = cancelled
        failed = {i for i, c in enumerate(codes) if c == "ConditionalCheckFailed"}
        if not failed:
            raise TemporaryFailure("DynamoDB is busy; try again") from error
        return failed

    def _cancelled(self, items: list[dict[str, Any]]) -> tuple[list[str], ClientError] | None:
        """None once written; why each item's part failed when DynamoDB cancelled the transaction."""
        try:
            self.client.transact_write_items(TransactItems=items)
        except ClientError as error:
            code = error.response["Error"]["Code"]
            if code in _TEMPORARY or code == "TransactionInProgressException":
                raise TemporaryFailure(f"DynamoDB is busy ({code}); try again") from error
            if code != "TransactionCanceledException":
                raise
            return [r.get("Code", "None") for r in error.response.get("CancellationReasons") or []], error
        return None

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

    def page(
        self, index: str, partition: str, *, prefix: str = "", ascending: bool, limit: int, cursor: str | None
    ) -> ItemPage:
        """One page of an index's partition in its sort key's order (or the reverse), optionally only the sort keys
        beginning with `prefix`: one Query of at most `limit` + 1 items, the one more saying whether a page follows.

        A "next" cursor starts after the last item; a "previous" cursor reads back from the first item, so either
        way a page is one Query."""
        pk, sk = INDEX_KEYS[index]
        condition = "#pk = :pk AND begins_with(#sk, :prefix)" if prefix else "#pk = :pk"
        values = {":pk": {"S": partition}, **({":prefix": {"S": prefix}} if prefix else {})}
        direction, start = _start(cursor, index, partition, prefix) if cursor else ("n", None)
        back = direction == "p"
        asked: dict[str, Any] = {
            "TableName": self.name,
            **({"IndexName": index} if index != TABLE else {}),
            "KeyConditionExpression": condition,
            "ExpressionAttributeNames": {"#pk": pk, "#sk": sk} if prefix else {"#pk": pk},
            "ExpressionAttributeValues": values,
            "ScanIndexForward": ascending != back,
            "Limit": limit + 1,
        }
        if start:
            asked["ExclusiveStartKey"] = start
        try:
            found = self.call("query", **asked)["Items"]
        except ClientError as error:
            # A start key DynamoDB cannot place in this index (one crafted to pass the checks above).
            if error.response["Error"]["Code"] == "ValidationException" and start:
                raise InvalidRequest(_NOT_A_PAGE) from error
            raise
        more, items = len(found) > limit, found[:limit]
        if back:
            items.reverse()
            return ItemPage(
                [to_plain(i) for i in items],
                _cursor("n", index, items[-1]) if items else None,
                _cursor("p", index, items[0]) if more else None,
            )
        return ItemPage(
            [to_plain(i) for i in items],
            _cursor("n", index, items[-1]) if more else None,
            _cursor("p", index, items[0]) if start and items else None,
        )

    # -- audit ----------------------------------------------------------------------------------

    def audit_items(self, event: AuditEvent, now: datetime) -> list[dict[str, Any]]:
        """The audit entry and the new head, for the transaction of the change they record."""
        return self._audit_items_after(self.audit_head(event.subject), event, now)

    def first_audit_items(self, event: AuditEvent, now: datetime) -> list[dict[str, Any]]:
        """The same for a subject made by this change (a new id): its head cannot exist yet, so it is not read.
        The head's condition still refuses the write should one exist."""
        return self._audit_items_after(audit.AuditHead(subject=event.subject), event, now)

    def _audit_items_after(self, head: audit.AuditHead, event: AuditEvent, now: datetime) -> list[dict[str, Any]]:
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
        found = self.get(audit_head_key(subject))
        return audit.AuditHead.model_validate(found["head"]) if found else audit.AuditHead(subject=subject)

    def append_audit(self, event: AuditEvent, now: datetime) -> None:
        self.transact(self.audit_items(event, now))
