"""Placements: each stored with its employer, with the gate decision it passed.

| pattern                              | operation        | key condition                                | index    |
| ------------------------------------ | ---------------- | -------------------------------------------- | -------- |
| placements in a status, newest first | Query            | GSI1PK=PLACEMENT_STATUS#<status>             | ByStatus |
| an employer's placements             | Query            | PK=EMPLOYER#<id>, SK begins_with PLACEMENT#  | table    |
"""

from collections.abc import Iterable
from typing import Any

from safeplace.adapters.dynamodb.employers import employer_unchanged
from safeplace.adapters.dynamodb.table import Table, employer_pk, to_item
from safeplace.core.audit import AuditEvent
from safeplace.onboarding.models import Employer
from safeplace.placements.models import Placement, PlacementStatus

_PLACEMENTS = "PLACEMENT#"


def _placement(employer_id: str, placement_id: str) -> dict[str, str]:
    return {"PK": employer_pk(employer_id), "SK": f"{_PLACEMENTS}{placement_id}"}


def _status_pk(status: PlacementStatus) -> str:
    return f"PLACEMENT_STATUS#{status}"


def _placement_item(placement: Placement) -> dict[str, Any]:
    return to_item(
        {
            **_placement(placement.employer_id, placement.id),
            "GSI1PK": _status_pk(placement.status),
            "GSI1SK": f"{placement.recorded_at.isoformat()}#{placement.id}",
            "placement": placement.model_dump(mode="json"),
        }
    )


class PlacementRepository:
    def __init__(self, table: Table) -> None:
        self.table = table

    def record_placement(self, placement: Placement, employer: Employer, event: AuditEvent) -> None:
        """Store a placement with the gate decision it passed, conditional on the employer being unchanged.

        A check approved, revoked or expired between reading the employer and writing the placement changes
        the employer's version, so the transaction fails rather than letting a stale decision through.
        """
        item = _placement_item(placement)
        self.table.transact(
            [
                employer_unchanged(self.table, employer),
                {
                    "Put": {
                        "TableName": self.table.name,
                        "Item": item,
                        "ConditionExpression": "attribute_not_exists(PK)",
                    }
                },
                *self.table.audit_items(event, placement.recorded_at),
            ]
        )

    def employer_placements(self, employer_id: str) -> list[Placement]:
        return [
            Placement.model_validate(item["placement"])
            for item in self.table.query(
                KeyConditionExpression="PK = :pk AND begins_with(SK, :placement)",
                ExpressionAttributeValues={":pk": {"S": employer_pk(employer_id)}, ":placement": {"S": _PLACEMENTS}},
                ConsistentRead=True,
            )
        ]

    def update_placement(self, before: Placement, after: Placement, employer: Employer, event: AuditEvent) -> None:
        """Change a placement's status, conditional on it and on the employer being as the gate read them."""
        self.table.transact(
            [
                employer_unchanged(self.table, employer),
                {
                    "Put": {
                        "TableName": self.table.name,
                        "Item": _placement_item(after),
                        "ConditionExpression": "GSI1PK = :was",
                        "ExpressionAttributeValues": {":was": {"S": _status_pk(before.status)}},
                    }
                },
                *self.table.audit_items(event, after.updated_at),
            ]
        )

    def list_placements(self, statuses: Iterable[PlacementStatus]) -> list[Placement]:
        found = [
            Placement.model_validate(item["placement"])
            for status in statuses
            for item in self.table.query(
                IndexName="ByStatus",
                KeyConditionExpression="GSI1PK = :s",
                ExpressionAttributeValues={":s": {"S": _status_pk(status)}},
                ScanIndexForward=False,
            )
        ]
        return sorted(found, key=lambda p: p.recorded_at, reverse=True)
