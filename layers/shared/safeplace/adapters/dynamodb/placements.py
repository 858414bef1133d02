"""Placements: each stored with its employer, with the gate decision it passed.

| pattern                              | operation        | key condition                                | index    |
| ------------------------------------ | ---------------- | -------------------------------------------- | -------- |
| a page of placements, newest first   | Query, Limit     | GSI3PK=PLACEMENTS, GSI3SK descending         | Lists    |
| a page in a status, newest first     | Query, Limit     | GSI1PK=PLACEMENT_STATUS#<status>, descending | ByStatus |
| every placement in some statuses     | Query per status | GSI1PK=PLACEMENT_STATUS#<status>, every page | ByStatus |
| an employer's placements             | Query            | PK=EMPLOYER#<id>, SK begins_with PLACEMENT#  | table    |
| a page of flagged placements, newest | Query, Limit     | GSI5PK=PLACEMENTS_FLAGGED, descending        | ByStatus-|
|                                      |                  |                                              | Name     |
| what the gate reads of an employer   | BatchGetItem     | PK=EMPLOYER#<id>: SK=PROFILE, SUBMISSION and | table    |
|                                      |                  | RECEIPTS; PK=HANDBOOK, SK=CURRENT unless held|          |

One gate decision is that one read and one TransactWriteItems: the placement, its first audit entry and head (a
new placement has no trail to read), and the condition that the employer is unchanged. How long the current
handbook version is held, and what happens for data written before these items existed: see handbook.py.
Each placement carries `ttl`: it goes, with the audit entries about it, RecordKind.PLACEMENT after it last changed.

GSI1SK and GSI3SK are `<recorded_at>#<id>`. The indexes project only `summary` (the PlacementSummary a list shows,
without the learner's date of birth). PLACEMENTS holds every placement, in one index partition, written once when
a placement is recorded and again when its status or flags change: people's pace, far below what one partition
takes. Placements stored before the lists had no GSI3 or `summary`: they gain them when next updated (or by the
backfill described for employers).
"""

from typing import Any

from safeplace.adapters.dynamodb.employers import (
    answers_from,
    employer_from,
    employer_unchanged,
    profile_key,
    submission_key,
)
from safeplace.adapters.dynamodb.handbook import CURRENT_MATERIAL, HandbookRepository, latest_receipts_key
from safeplace.adapters.dynamodb.table import Table, employer_pk, key_of, to_item
from safeplace.core.audit import AuditEvent
from safeplace.core.errors import NotFound
from safeplace.core.paging import Page
from safeplace.core.retention import RecordKind
from safeplace.onboarding.models import Employer
from safeplace.placements.models import Placement, PlacementStatus, PlacementSummary
from safeplace.placements.ports import GateReading

_PLACEMENTS = "PLACEMENT#"
_ALL = "PLACEMENTS"
# A sparse partition of the placements that carry a flag (a check of their employer lapsed or was revoked): the
# console's home lists them for the DSL in one Query, however many placements there are.
_FLAGGED = "PLACEMENTS_FLAGGED"


def _placement(employer_id: str, placement_id: str) -> dict[str, str]:
    return {"PK": employer_pk(employer_id), "SK": f"{_PLACEMENTS}{placement_id}"}


def _status_pk(status: PlacementStatus) -> str:
    return f"PLACEMENT_STATUS#{status}"


def _placement_item(table: Table, placement: Placement) -> dict[str, Any]:
    newest = f"{placement.recorded_at.isoformat()}#{placement.id}"
    return to_item(
        {
            **_placement(placement.employer_id, placement.id),
            "GSI1PK": _status_pk(placement.status),
            "GSI1SK": newest,
            "GSI3PK": _ALL,
            "GSI3SK": newest,
            **({"GSI5PK": _FLAGGED, "GSI5SK": newest} if placement.flags else {}),
            "summary": placement.summary().model_dump(mode="json"),
            "placement": placement.model_dump(mode="json"),
            "ttl": table.retention.ttl(RecordKind.PLACEMENT, placement.updated_at),
        }
    )


class PlacementRepository:
    def __init__(self, table: Table, handbook: HandbookRepository | None = None) -> None:
        self.table = table
        self.handbook = handbook or HandbookRepository(table)

    def gate_reading(self, employer_id: str, *, fresh: bool = False) -> GateReading:
        """The employer, its answers and each SPOC's latest receipt, and the current material handbook version
        unless one read in the last CURRENT_HELD_SECONDS is held: one BatchGetItem."""
        held = self.handbook.current_held
        ask_handbook = fresh or not held.fresh
        profile, answers, receipts = (
            profile_key(employer_id),
            submission_key(employer_id),
            latest_receipts_key(employer_id),
        )
        found = self.table.batch_get([profile, answers, receipts, *([CURRENT_MATERIAL] if ask_handbook else [])])
        employer = found.get(key_of(profile))
        if employer is None:
            raise NotFound("No employer has that reference")
        sent = found.get(key_of(answers))
        return GateReading(
            employer=employer_from(employer),
            answers=answers_from(sent) if sent else None,
            receipts=self.handbook.latest_receipts_from(employer_id, found.get(key_of(receipts))),
            handbook=self.handbook.current_material_from(found.get(key_of(CURRENT_MATERIAL)))
            if ask_handbook
            else held.value,
        )

    def record_placement(self, placement: Placement, employer: Employer, event: AuditEvent) -> None:
        """Store a placement with the gate decision it passed, conditional on the employer being unchanged.

        A check approved, revoked or expired between reading the employer and writing the placement changes
        the employer's version, so the transaction fails rather than letting a stale decision through.
        """
        item = _placement_item(self.table, placement)
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
                *self.table.first_audit_items(event, placement.recorded_at),
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
                        "Item": _placement_item(self.table, after),
                        "ConditionExpression": "GSI1PK = :was",
                        "ExpressionAttributeValues": {":was": {"S": _status_pk(before.status)}},
                    }
                },
                *self.table.audit_items(event, after.updated_at),
            ]
        )

    def flagged_page(self, *, cursor: str | None, limit: int) -> Page[PlacementSummary]:
        """One page of the placements that carry a flag, newest first: one Query."""
        found = self.table.page("ByStatusName", _FLAGGED, ascending=False, limit=limit, cursor=cursor)
        return Page[PlacementSummary](
            items=[PlacementSummary.model_validate(item["summary"]) for item in found.items],
            next_cursor=found.next_cursor,
            previous_cursor=found.previous_cursor,
        )

    def placement_page(
        self, status: PlacementStatus | None, *, cursor: str | None, limit: int
    ) -> Page[PlacementSummary]:
        """One page of placements, newest first, in one status or all: one Query."""
        index, partition = ("ByStatus", _status_pk(status)) if status else ("Lists", _ALL)
        found = self.table.page(index, partition, ascending=False, limit=limit, cursor=cursor)
        return Page[PlacementSummary](
            items=[PlacementSummary.model_validate(item["summary"]) for item in found.items],
            next_cursor=found.next_cursor,
            previous_cursor=found.previous_cursor,
        )
