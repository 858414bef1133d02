"""The employer handbook: its published versions, each SPOC's rendered copy, and their receipts.

| pattern                              | operation        | key condition                                | index    |
| ------------------------------------ | ---------------- | -------------------------------------------- | -------- |
| handbook versions, newest first      | Query            | PK=HANDBOOK, SK begins_with VERSION#         | table    |
| a handbook version                   | GetItem          | PK=HANDBOOK, SK=VERSION#<number>             | table    |
| the text a version was published with| GetItem          | PK=HANDBOOK, SK=TEXT#<number>                | table    |
| a SPOC's copy of a handbook version  | GetItem          | PK=EMPLOYER#<id>, SK=HANDBOOK#<n>#<holder>   | table    |
| employer's handbook receipts         | Query            | PK=EMPLOYER#<id>, SK begins_with RECEIPT#    | table    |
| the current material version         | BatchGetItem     | PK=HANDBOOK, SK=CURRENT                      | table    |
| each SPOC's latest receipt           | BatchGetItem     | PK=EMPLOYER#<id>, SK=RECEIPTS                | table    |
| a page of a version's SPOCs, where   | Query, Limit     | PK=HANDBOOK#<n>, SK begins_with SPOC#        | table    |
|   each delivery stands               |                  |   (SPOC#<employer id>#<holder>)              |          |

The last two are what the placement gate reads, with the employer, in one BatchGetItem (see placements.py). The
current material version is written with the version that becomes it; each SPOC's latest receipt (an attribute
`signed_<holder>` of the employer's RECEIPTS item) with the receipt. Data written before they existed: the gate
finds no CURRENT or no RECEIPTS item, reads the versions or the employer's receipts as before, and writes the item
(each at most once), so every later decision is one read.

Each SPOC's delivery of a version is an item of the version's partition, written as it is sent, reminded,
escalated (conditional on its being there) and signed (in the receipt's transaction): a version's list is one
Query a page, and a delivery one write more. A rollout writes them at its Map's pace, far below a partition's
1,000 writes a second. Deliveries sent before these were kept appear once signed.

The gate holds the current material version it read for CURRENT_HELD_SECONDS in the function's memory, and asks
for it again after that: a version published by another function reaches the gate within that time (the function
that publishes holds the new one at once). A decision made up to a minute before a publication would have stood
too: placements recorded before a new version are not gated again.
"""

import contextlib
import time
from collections.abc import Callable
from datetime import datetime
from typing import Any

from safeplace.adapters.dynamodb.links import consume
from safeplace.adapters.dynamodb.table import TABLE, Table, employer_pk, to_item, to_plain
from safeplace.core.audit import AuditEvent
from safeplace.core.errors import Conflict
from safeplace.core.held import Held
from safeplace.core.links import Link
from safeplace.core.paging import Page
from safeplace.handbook.models import HandbookCopy, HandbookReceipt, HandbookVersion, SpocStanding
from safeplace.handbook.standing import current_material
from safeplace.handbook.text import HandbookText

_HANDBOOK = "HANDBOOK"
_VERSIONS = "VERSION#"
_RECEIPTS = "RECEIPT#"
_SIGNED = "signed_"
_SPOC = "SPOC#"
_STANDING = tuple(SpocStanding.model_fields)

CURRENT_HELD_SECONDS = 60.0

CURRENT_MATERIAL = {"PK": _HANDBOOK, "SK": "CURRENT"}


def _version(number: int) -> dict[str, str]:
    return {"PK": _HANDBOOK, "SK": f"{_VERSIONS}{number:06d}"}


def _text(number: int) -> dict[str, str]:
    return {"PK": _HANDBOOK, "SK": f"TEXT#{number:06d}"}


def _standing_pk(number: int) -> str:
    return f"{_HANDBOOK}#{number:06d}"


def _standing(number: int, employer_id: str, holder: str) -> dict[str, str]:
    return {"PK": _standing_pk(number), "SK": f"{_SPOC}{employer_id}#{holder}"}


def _sets(values: dict[str, Any], keep: tuple[str, ...] = ()) -> dict[str, Any]:
    """An update setting each value (those in `keep` only where there is none yet)."""
    names = {f"#{k}": k for k in values}
    sets = [f"#{k} = if_not_exists(#{k}, :{k})" if k in keep else f"#{k} = :{k}" for k in values]
    return {
        "UpdateExpression": "SET " + ", ".join(sets),
        "ExpressionAttributeNames": names,
        "ExpressionAttributeValues": to_item({f":{k}": v for k, v in values.items()}),
    }


def _copy(employer_id: str, number: int, holder: str) -> dict[str, str]:
    return {"PK": employer_pk(employer_id), "SK": f"HANDBOOK#{number:06d}#{holder}"}


def _receipt(employer_id: str, number: int, holder: str) -> dict[str, str]:
    return {"PK": employer_pk(employer_id), "SK": f"{_RECEIPTS}{number:06d}#{holder}"}


def latest_receipts_key(employer_id: str) -> dict[str, str]:
    return {"PK": employer_pk(employer_id), "SK": "RECEIPTS"}


def _current_material_put(table: Table, version: HandbookVersion) -> dict[str, Any]:
    # Never replaced by an older version, should two publications or a backfill cross.
    return {
        "TableName": table.name,
        "Item": to_item({**CURRENT_MATERIAL, "number": version.number, "version": version.model_dump(mode="json")}),
        "ConditionExpression": "attribute_not_exists(PK) OR #n < :n",
        "ExpressionAttributeNames": {"#n": "number"},
        "ExpressionAttributeValues": {":n": {"N": str(version.number)}},
    }


class HandbookRepository:
    def __init__(self, table: Table, clock: Callable[[], float] = time.monotonic) -> None:
        self.table = table
        self.current_held: Held[HandbookVersion | None] = Held(CURRENT_HELD_SECONDS, clock)

    def publish_handbook_version(self, version: HandbookVersion, text: HandbookText | None, event: AuditEvent) -> None:
        """The next version and its text; two admins publishing at once cannot both take the same number. A
        material one becomes the current material version in the same transaction. The text is an item of its
        own, read only to render a copy, so the versions' list stays small."""
        text_put = (
            {
                "TableName": self.table.name,
                "Item": to_item({**_text(version.number), "text": text.model_dump(mode="json")}),
            }
            if text
            else None
        )
        self.table.transact(
            [
                *([{"Put": text_put}] if text_put else []),
                {
                    "Put": {
                        "TableName": self.table.name,
                        "Item": to_item({**_version(version.number), "version": version.model_dump(mode="json")}),
                        "ConditionExpression": "attribute_not_exists(PK)",
                    }
                },
                *([{"Put": _current_material_put(self.table, version)}] if version.material else []),
                *self.table.audit_items(event, version.published_at),
            ]
        )
        if version.material:
            self.current_held.hold(version)

    def current_material_from(self, found: dict[str, Any] | None) -> HandbookVersion | None:
        """The current material version from the CURRENT item a batch read found (None: it was not there), held
        for the next decisions."""
        if found is not None:
            current: HandbookVersion | None = HandbookVersion.model_validate(found["version"])
        else:
            # Published before CURRENT was kept, or nothing material published yet.
            current = current_material(self.handbook_versions())
            if current is not None:
                # Refused only when a publication wrote a newer one meanwhile.
                with contextlib.suppress(Conflict):
                    self.table.call("put_item", **_current_material_put(self.table, current))
        self.current_held.hold(current)
        return current

    def handbook_versions(self) -> list[HandbookVersion]:
        """Every version, newest first."""
        return [
            HandbookVersion.model_validate(item["version"])
            for item in self.table.query(
                KeyConditionExpression="PK = :pk AND begins_with(SK, :version)",
                ExpressionAttributeValues={":pk": {"S": _HANDBOOK}, ":version": {"S": _VERSIONS}},
                ScanIndexForward=False,
                ConsistentRead=True,
            )
        ]

    def latest_handbook_version(self) -> HandbookVersion | None:
        found = self.table.call(
            "query",
            TableName=self.table.name,
            KeyConditionExpression="PK = :pk AND begins_with(SK, :version)",
            ExpressionAttributeValues={":pk": {"S": _HANDBOOK}, ":version": {"S": _VERSIONS}},
            ScanIndexForward=False,
            Limit=1,
            ConsistentRead=True,
        )["Items"]
        return HandbookVersion.model_validate(to_plain(found[0])["version"]) if found else None

    def handbook_version(self, number: int) -> HandbookVersion | None:
        found = self.table.get(_version(number))
        return HandbookVersion.model_validate(found["version"]) if found else None

    def handbook_text(self, number: int) -> HandbookText | None:
        found = self.table.get(_text(number))
        return HandbookText.model_validate(found["text"]) if found else None

    def get_handbook_copy(self, employer_id: str, number: int, holder: str) -> HandbookCopy | None:
        found = self.table.get(_copy(employer_id, number, holder))
        return HandbookCopy.model_validate(found["copy"]) if found else None

    def record_receipt(self, receipt: HandbookReceipt, consumed: Link, event: AuditEvent) -> None:
        """The SPOC's receipt, the link used up and the audit entry: all or nothing, and only once. The receipt
        also becomes its SPOC's latest: a SPOC only ever signs a version newer than the last they signed."""
        item = {
            **_receipt(receipt.employer_id, receipt.version, receipt.holder),
            "receipt": receipt.model_dump(mode="json"),
        }
        self.table.transact(
            [
                consume(self.table, consumed, receipt.acknowledged_at),
                {
                    "Put": {
                        "TableName": self.table.name,
                        "Item": to_item(item),
                        "ConditionExpression": "attribute_not_exists(PK)",
                    }
                },
                {
                    "Update": {
                        "TableName": self.table.name,
                        "Key": to_item(latest_receipts_key(receipt.employer_id)),
                        "UpdateExpression": "SET #h = :receipt",
                        "ExpressionAttributeNames": {"#h": f"{_SIGNED}{receipt.holder}"},
                        "ExpressionAttributeValues": to_item({":receipt": receipt.model_dump(mode="json")}),
                    }
                },
                {
                    "Update": {
                        "TableName": self.table.name,
                        "Key": to_item(_standing(receipt.version, receipt.employer_id, receipt.holder)),
                        **_sets(
                            {
                                "employer_id": receipt.employer_id,
                                "spoc_name": receipt.spoc.name,
                                "holder": receipt.holder,
                                "signed_at": receipt.acknowledged_at.isoformat(),
                            },
                            keep=("employer_id", "spoc_name", "holder"),
                        ),
                    }
                },
                *self.table.audit_items(event, receipt.acknowledged_at),
            ],
            link_index=0,
        )

    def latest_receipts_from(self, employer_id: str, found: dict[str, Any] | None) -> list[HandbookReceipt]:
        """Each SPOC's latest receipt from the RECEIPTS item a batch read found. Without one (receipts recorded
        before it was kept, or none yet), every receipt, and the item is written from them."""
        if found is not None:
            return [HandbookReceipt.model_validate(v) for k, v in sorted(found.items()) if k.startswith(_SIGNED)]
        receipts = self.receipts(employer_id)
        latest = {r.holder: r for r in sorted(receipts, key=lambda r: r.version)}
        names = {"#done": "summarised", **{f"#h{n}": f"{_SIGNED}{h}" for n, h in enumerate(latest)}}
        values = {":yes": True, **{f":r{n}": r.model_dump(mode="json") for n, r in enumerate(latest.values())}}
        # if_not_exists throughout: a receipt recorded meanwhile is newer than anything read here.
        sets = [
            "#done = if_not_exists(#done, :yes)",
            *(f"#h{n} = if_not_exists(#h{n}, :r{n})" for n in range(len(latest))),
        ]
        self.table.call(
            "update_item",
            TableName=self.table.name,
            Key=to_item(latest_receipts_key(employer_id)),
            UpdateExpression="SET " + ", ".join(sets),
            ExpressionAttributeNames=names,
            ExpressionAttributeValues=to_item(values),
        )
        return receipts

    def receipts(self, employer_id: str) -> list[HandbookReceipt]:
        """The employer's receipts, one per version and SPOC, oldest first."""
        return [
            HandbookReceipt.model_validate(item["receipt"])
            for item in self.table.query(
                KeyConditionExpression="PK = :pk AND begins_with(SK, :receipt)",
                ExpressionAttributeValues={":pk": {"S": employer_pk(employer_id)}, ":receipt": {"S": _RECEIPTS}},
                ConsistentRead=True,
            )
        ]

    def save_handbook_copy(self, copy: HandbookCopy) -> None:
        """Recorded once: a second rendering of the same copy is refused, so its hash never changes."""
        self.table.call(
            "put_item",
            TableName=self.table.name,
            Item=to_item({**_copy(copy.employer_id, copy.version, copy.holder), "copy": copy.model_dump(mode="json")}),
            ConditionExpression="attribute_not_exists(PK)",
        )

    # -- where each SPOC's delivery of a version stands

    def record_delivered(self, number: int, standing: SpocStanding) -> None:
        values = standing.model_dump(mode="json", exclude={"reminded_at", "escalated_at", "signed_at"})
        self.table.call(
            "update_item",
            TableName=self.table.name,
            Key=to_item(_standing(number, standing.employer_id, standing.holder)),
            **_sets(values, keep=("reminders",)),
        )

    def _record_chase(self, number: int, employer_id: str, holder: str, values: dict[str, Any]) -> None:
        # Only on a delivery the list has: one sent before it was kept stays out of it until it is signed.
        with contextlib.suppress(Conflict):
            self.table.call(
                "update_item",
                TableName=self.table.name,
                Key=to_item(_standing(number, employer_id, holder)),
                ConditionExpression="attribute_exists(PK)",
                **_sets(values),
            )

    def record_reminder(self, number: int, employer_id: str, holder: str, reminders: int, at: datetime) -> None:
        self._record_chase(number, employer_id, holder, {"reminders": reminders, "reminded_at": at.isoformat()})

    def record_escalation(self, number: int, employer_id: str, holder: str, at: datetime) -> None:
        self._record_chase(number, employer_id, holder, {"escalated_at": at.isoformat()})

    def standings(self, number: int, *, cursor: str | None, limit: int) -> Page[SpocStanding]:
        """One page of a version's SPOCs, by employer reference: one Query, whatever their number."""
        found = self.table.page(TABLE, _standing_pk(number), prefix=_SPOC, ascending=True, limit=limit, cursor=cursor)
        return Page[SpocStanding](
            items=[SpocStanding.model_validate({k: i[k] for k in _STANDING if k in i}) for i in found.items],
            next_cursor=found.next_cursor,
            previous_cursor=found.previous_cursor,
        )
