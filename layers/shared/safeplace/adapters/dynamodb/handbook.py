"""The employer handbook: its published versions, each SPOC's rendered copy, and their receipts.

| pattern                              | operation        | key condition                                | index    |
| ------------------------------------ | ---------------- | -------------------------------------------- | -------- |
| handbook versions, newest first      | Query            | PK=HANDBOOK, SK begins_with VERSION#         | table    |
| a handbook version                   | GetItem          | PK=HANDBOOK, SK=VERSION#<number>             | table    |
| a SPOC's copy of a handbook version  | GetItem          | PK=EMPLOYER#<id>, SK=HANDBOOK#<n>#<holder>   | table    |
| employer's handbook receipts         | Query            | PK=EMPLOYER#<id>, SK begins_with RECEIPT#    | table    |
"""

from safeplace.adapters.dynamodb.links import consume
from safeplace.adapters.dynamodb.table import Table, employer_pk, to_item, to_plain
from safeplace.core.audit import AuditEvent
from safeplace.core.links import Link
from safeplace.handbook.models import HandbookCopy, HandbookReceipt, HandbookVersion

_HANDBOOK = "HANDBOOK"
_VERSIONS = "VERSION#"
_RECEIPTS = "RECEIPT#"


def _version(number: int) -> dict[str, str]:
    return {"PK": _HANDBOOK, "SK": f"{_VERSIONS}{number:06d}"}


def _copy(employer_id: str, number: int, holder: str) -> dict[str, str]:
    return {"PK": employer_pk(employer_id), "SK": f"HANDBOOK#{number:06d}#{holder}"}


def _receipt(employer_id: str, number: int, holder: str) -> dict[str, str]:
    return {"PK": employer_pk(employer_id), "SK": f"{_RECEIPTS}{number:06d}#{holder}"}


class HandbookRepository:
    def __init__(self, table: Table) -> None:
        self.table = table

    def publish_handbook_version(self, version: HandbookVersion, event: AuditEvent) -> None:
        """The next version; two admins publishing at once cannot both take the same number."""
        self.table.transact(
            [
                {
                    "Put": {
                        "TableName": self.table.name,
                        "Item": to_item({**_version(version.number), "version": version.model_dump(mode="json")}),
                        "ConditionExpression": "attribute_not_exists(PK)",
                    }
                },
                *self.table.audit_items(event, version.published_at),
            ]
        )

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

    def get_handbook_copy(self, employer_id: str, number: int, holder: str) -> HandbookCopy | None:
        found = self.table.get(_copy(employer_id, number, holder))
        return HandbookCopy.model_validate(found["copy"]) if found else None

    def record_receipt(self, receipt: HandbookReceipt, consumed: Link, event: AuditEvent) -> None:
        """The SPOC's receipt, the link used up and the audit entry: all or nothing, and only once."""
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
                *self.table.audit_items(event, receipt.acknowledged_at),
            ],
            link_index=0,
        )

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
