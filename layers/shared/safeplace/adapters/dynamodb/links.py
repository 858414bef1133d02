"""Emailed links: each stored under the hash of its token, and a pointer to its subject's current one.

| pattern                              | operation        | key condition                                | index    |
| ------------------------------------ | ---------------- | -------------------------------------------- | -------- |
| link by token                        | GetItem          | PK=LINK#<sha256(token)>, SK=LINK             | table    |
| subject's current link for a purpose | GetItem          | PK=EMPLOYER#<id>, SK=LINKPTR#<purpose>       | table    |

A link is used up by `consume`, in the transaction of whatever it was used for, which the repository of
that aggregate builds.
"""

from datetime import datetime
from typing import Any

from safeplace.adapters.dynamodb.table import Table, employer_pk, to_item
from safeplace.core.links import Link, LinkPurpose
from safeplace.core.retention import RecordKind


def _link_key(token_hash: str) -> dict[str, str]:
    return {"PK": f"LINK#{token_hash}", "SK": "LINK"}


def _pointer_key(subject_id: str, purpose: LinkPurpose) -> dict[str, str]:
    return {"PK": employer_pk(subject_id), "SK": f"LINKPTR#{purpose}"}


def consume(table: Table, link: Link, now: datetime) -> dict[str, Any]:
    """Use a link up, in the same transaction as what it was used for: a second use finds it used."""
    return {
        "Update": {
            "TableName": table.name,
            "Key": to_item(_link_key(link.token_hash)),
            "UpdateExpression": "SET #l.used_at = :now",
            "ConditionExpression": "attribute_exists(PK) AND attribute_not_exists(#l.used_at) "
            "AND attribute_not_exists(#l.revoked_at) AND #l.purpose = :purpose AND expires_epoch > :epoch",
            "ExpressionAttributeNames": {"#l": "link"},
            "ExpressionAttributeValues": {
                ":now": {"S": now.isoformat()},
                ":purpose": {"S": link.purpose.value},
                ":epoch": {"N": str(int(now.timestamp()))},
            },
        }
    }


class LinkRepository:
    def __init__(self, table: Table) -> None:
        self.table = table

    def save_link(self, link: Link) -> None:
        """Store a new link and make it the subject's current one for its purpose, revoking the previous."""
        pointer_key = _pointer_key(link.subject_id, link.purpose)
        found = self.table.get(pointer_key)
        previous = found["token_hash"] if found else None
        items: list[dict[str, Any]] = [
            {
                "Put": {
                    "TableName": self.table.name,
                    "ConditionExpression": "attribute_not_exists(PK)",
                    "Item": to_item(
                        {
                            **_link_key(link.token_hash),
                            "link": link.model_dump(mode="json", exclude_none=True),
                            "expires_epoch": int(link.expires_at.timestamp()),
                            "ttl": self.table.retention.ttl(RecordKind.LINK, link.expires_at),
                        }
                    ),
                }
            },
        ]
        pointer: dict[str, Any] = {
            "TableName": self.table.name,
            "Item": to_item({**pointer_key, "token_hash": link.token_hash}),
        }
        if previous:
            pointer["ConditionExpression"] = "token_hash = :previous"
            pointer["ExpressionAttributeValues"] = {":previous": {"S": previous}}
            items.append(
                {
                    "Update": {
                        "TableName": self.table.name,
                        "Key": to_item(_link_key(previous)),
                        "UpdateExpression": "SET #l.revoked_at = :now",
                        "ConditionExpression": "attribute_exists(PK)",
                        "ExpressionAttributeNames": {"#l": "link"},
                        "ExpressionAttributeValues": {":now": {"S": link.issued_at.isoformat()}},
                    }
                }
            )
        else:
            pointer["ConditionExpression"] = "attribute_not_exists(PK)"
        items.append({"Put": pointer})
        self.table.transact(items)

    def revoke_current_link(self, subject_id: str, purpose: LinkPurpose, now: datetime) -> None:
        current = self.current_link_hash(subject_id, purpose)
        if current is None:
            return
        self.table.call(
            "update_item",
            TableName=self.table.name,
            Key=to_item(_link_key(current)),
            UpdateExpression="SET #l.revoked_at = :now",
            ConditionExpression="attribute_exists(PK)",
            ExpressionAttributeNames={"#l": "link"},
            ExpressionAttributeValues={":now": {"S": now.isoformat()}},
        )

    def get_link(self, token_hash: str) -> Link | None:
        found = self.table.get(_link_key(token_hash))
        return Link.model_validate(found["link"]) if found else None

    def current_link(self, subject_id: str, purpose: LinkPurpose) -> Link | None:
        """The link last sent to the subject for the purpose, whatever its state: two GetItems."""
        current = self.current_link_hash(subject_id, purpose)
        return self.get_link(current) if current else None

    def current_link_hash(self, subject_id: str, purpose: LinkPurpose) -> str | None:
        found = self.table.get(_pointer_key(subject_id, purpose))
        return found["token_hash"] if found else None
