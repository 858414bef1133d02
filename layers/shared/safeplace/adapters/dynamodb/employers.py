"""Employers: the profile, the answers as last sent, the draft, and the check milestones the daily sweep acts on.

| pattern                             | operation        | key condition                                | index        |
| ----------------------------------- | ---------------- | -------------------------------------------- | ------------ |
| employer by id                      | GetItem          | PK=EMPLOYER#<id>, SK=PROFILE                 | table        |
| a page of employers, newest first   | Query, Limit     | GSI3PK=EMPLOYERS, GSI3SK descending          | Lists        |
| a page in a status, newest first    | Query, Limit     | GSI1PK=STATUS#<status>, GSI1SK descending    | ByStatus     |
| a page whose name starts so, A to Z | Query, Limit     | GSI4PK=EMPLOYER_NAMES, GSI4SK begins_with    | ByName       |
| the same in one status (placement-  | Query, Limit     | GSI5PK=EMPLOYER_NAMES#<status>,              | ByStatusName |
|   ready employers for a placement)  |                  |   GSI5SK begins_with <name_key(prefix)>      |              |
| every employer in some statuses     | Query per status | GSI1PK=STATUS#<status>, every page           | ByStatus     |
| a page of ids in some statuses      | Query, PK only   | GSI1PK=STATUS#<status>, after a cursor       | ByStatus     |
| how many employers in some statuses | Query, COUNT     | GSI1PK=STATUS#<status>, per status           | ByStatus     |
| employer's answers as last sent     | GetItem          | PK=EMPLOYER#<id>, SK=SUBMISSION              | table        |

GSI1SK and GSI3SK are `<updated_at>#<id>`, GSI4SK and GSI5SK `<name_key(name)>#<id>` (a name search is a
begins_with on the normalised name). The lists project only `summary` (about 150 bytes): a page of 50 reads about
8 KB, whatever the number of employers. Every save writes every key and the summary again.

The list partitions are not sharded (EMPLOYERS and EMPLOYER_NAMES hold every employer), so that "all employers,
newest first" and "names starting so" are one Query each, not a Query per shard and a merge. The price: every
employer write also writes these index partitions, each taking about 1,000 writes a second before DynamoDB
throttles. Employers change at the pace of people and the daily sweep (a rollout writes receipts, not profiles);
a write rate near that limit would call for sharding by a hash of the id.

Items stored before these lists lack GSI3 to GSI5 and `summary` until their next save; a backfill (put each PROFILE
again through `employer_item`, conditional on its `version`) lists them at once.

The check milestones' keys and queries are in milestones.py, the drafts' in drafts.py.
"""

import base64
import contextlib
import json
from collections.abc import Iterable, Sequence
from datetime import date, datetime
from typing import Any

from safeplace.adapters.dynamodb import milestones
from safeplace.adapters.dynamodb.drafts import DraftSections, draft_key
from safeplace.adapters.dynamodb.links import consume
from safeplace.adapters.dynamodb.table import Table, employer_pk, to_item, to_plain
from safeplace.core.audit import AuditEvent
from safeplace.core.errors import Conflict, InvalidRequest, NotFound
from safeplace.core.links import Link
from safeplace.core.paging import Page, name_key
from safeplace.onboarding.answers import Answers
from safeplace.onboarding.models import CheckType, Due, DueState, Employer, EmployerStatus, EmployerSummary

# -- keys -------------------------------------------------------------------------------------------


def _profile(employer_id: str) -> dict[str, str]:
    return {"PK": employer_pk(employer_id), "SK": "PROFILE"}


def _status_pk(status: EmployerStatus) -> str:
    return f"STATUS#{status}"


_EMPLOYERS = "EMPLOYERS"
_NAMES = "EMPLOYER_NAMES"


def _names_in(status: EmployerStatus) -> str:
    return f"{_NAMES}#{status}"


def _list_keys(status: EmployerStatus, name: str, updated_at: datetime, employer_id: str) -> dict[str, str]:
    newest = f"{updated_at.isoformat()}#{employer_id}"
    by_name = f"{name_key(name)}#{employer_id}"
    return {
        "GSI1PK": _status_pk(status),
        "GSI1SK": newest,
        "GSI3PK": _EMPLOYERS,
        "GSI3SK": newest,
        "GSI4PK": _NAMES,
        "GSI4SK": by_name,
        "GSI5PK": _names_in(status),
        "GSI5SK": by_name,
    }


def _submission(employer_id: str) -> dict[str, str]:
    return {"PK": employer_pk(employer_id), "SK": "SUBMISSION"}


def profile_key(employer_id: str) -> dict[str, str]:
    """For a read of other aggregates' items with the employer's (the placement gate's)."""
    return _profile(employer_id)


def submission_key(employer_id: str) -> dict[str, str]:
    return _submission(employer_id)


def employer_from(item: dict[str, Any]) -> Employer:
    return Employer.model_validate(item["employer"])


def answers_from(item: dict[str, Any]) -> Answers:
    return Answers.model_validate(item["answers"])


def _id_cursor(status: EmployerStatus, after: dict[str, Any] | None) -> str:
    """Where a page of ids in several statuses stopped: the status partition, and the last key read in it."""
    position = {"status": status.value, "after": to_plain(after) if after else None}
    return base64.urlsafe_b64encode(json.dumps(position, separators=(",", ":")).encode()).decode()


def _read_id_cursor(cursor: str, statuses: Sequence[EmployerStatus]) -> tuple[int, dict[str, Any] | None]:
    try:
        position = json.loads(base64.urlsafe_b64decode(cursor.encode()))
        index = [s.value for s in statuses].index(position["status"])
        after = position["after"]
    except (ValueError, KeyError, TypeError) as error:  # not base64, not JSON, not ours
        raise InvalidRequest("That cursor was not handed out for these statuses") from error
    return index, to_item(after) if after else None


# -- items, and what the transactions of other aggregates need of an employer -----------------------


def employer_item(employer: Employer) -> dict[str, Any]:
    return to_item(
        {
            **_profile(employer.id),
            **_list_keys(employer.status, employer.name, employer.updated_at, employer.id),
            "summary": employer.summary().model_dump(mode="json"),
            "version": employer.version,
            "employer": employer.model_dump(mode="json"),
        }
    )


def employer_unchanged(table: Table, employer: Employer) -> dict[str, Any]:
    """A transaction's condition that the employer is still the version the caller read."""
    return {
        "ConditionCheck": {
            "TableName": table.name,
            "Key": to_item(_profile(employer.id)),
            "ConditionExpression": "version = :v",
            "ExpressionAttributeValues": {":v": {"N": str(employer.version)}},
        }
    }


class EmployerRepository(DraftSections):
    def __init__(self, table: Table) -> None:
        self.table = table

    def create_employer(self, employer: Employer, event: AuditEvent) -> None:
        self.table.transact(
            [
                {
                    "Put": {
                        "TableName": self.table.name,
                        "Item": employer_item(employer),
                        "ConditionExpression": "attribute_not_exists(PK)",
                    }
                },
                *self.table.audit_items(event, employer.updated_at),
            ]
        )

    def get_employer(self, employer_id: str) -> Employer:
        found = self.table.get(_profile(employer_id))
        if not found:
            raise NotFound("No employer has that reference")
        return employer_from(found)

    def employer_page(
        self, status: EmployerStatus | None, name_prefix: str, *, cursor: str | None, limit: int
    ) -> Page[EmployerSummary]:
        """One page of employers: newest change first, or A to Z by name when searching; one Query either way."""
        prefix = name_key(name_prefix)
        if prefix:
            index, partition = ("ByStatusName", _names_in(status)) if status else ("ByName", _NAMES)
            found = self.table.page(index, partition, prefix=prefix, ascending=True, limit=limit, cursor=cursor)
        else:
            index, partition = ("ByStatus", _status_pk(status)) if status else ("Lists", _EMPLOYERS)
            found = self.table.page(index, partition, ascending=False, limit=limit, cursor=cursor)
        return Page[EmployerSummary](
            items=[EmployerSummary.model_validate(item["summary"]) for item in found.items],
            next_cursor=found.next_cursor,
            previous_cursor=found.previous_cursor,
        )

    def employer_ids_in(
        self, statuses: Sequence[EmployerStatus], *, after: str | None, limit: int
    ) -> tuple[list[str], str | None]:
        """Up to `limit` ids of employers in `statuses`, one status partition after another, oldest change first,
        and the cursor to the next page: one Query of the keys alone, whatever the number of employers.

        A partition's end hands the next partition's start on as the cursor, so a page never holds two statuses.
        An employer that changes while a rollout pages moves to its new partition's end (GSI1SK starts with the time
        of its last change), so it is read again rather than missed where that partition is still to come."""
        index, start = _read_id_cursor(after, statuses) if after else (0, None)
        status = statuses[index]
        found = self.table.call(
            "query",
            TableName=self.table.name,
            IndexName="ByStatus",
            KeyConditionExpression="GSI1PK = :s",
            ExpressionAttributeValues={":s": {"S": _status_pk(status)}},
            # The table's keys are in every index projection, whatever the console's lists need projected.
            ProjectionExpression="PK",
            Limit=limit,
            **({"ExclusiveStartKey": start} if start else {}),
        )
        ids = [item["PK"]["S"].removeprefix(employer_pk("")) for item in found["Items"]]
        if "LastEvaluatedKey" in found:
            return ids, _id_cursor(status, found["LastEvaluatedKey"])
        if index + 1 < len(statuses):
            return ids, _id_cursor(statuses[index + 1], None)
        return ids, None

    def count_employers_in(self, statuses: Sequence[EmployerStatus]) -> int:
        """How many employers are in `statuses`: a Query per status that returns only the count, a page per 1 MB of
        index entries (about 4,000 employers). Each entry is still read: 50,000 cost about 1,500 read units."""
        total, pages = 0, [(status, None) for status in statuses]
        while pages:
            status, start = pages.pop()
            found = self.table.call(
                "query", TableName=self.table.name, IndexName="ByStatus", KeyConditionExpression="GSI1PK = :s",
                ExpressionAttributeValues={":s": {"S": _status_pk(status)}}, Select="COUNT",
                **({"ExclusiveStartKey": start} if start else {}),
            )  # fmt: skip
            total += found["Count"]
            pages += [(status, found["LastEvaluatedKey"])] if "LastEvaluatedKey" in found else []
        return total

    def _employer_update(self, before: Employer, after: Employer) -> dict[str, Any]:
        # Whole-record put, conditional on the version the caller read: a concurrent change loses cleanly.
        return {
            "Put": {
                "TableName": self.table.name,
                "Item": employer_item(after),
                "ConditionExpression": "version = :v",
                "ExpressionAttributeValues": {":v": {"N": str(before.version)}},
            }
        }

    def note_invitation_link(self, employer_id: str, expires_at: datetime) -> None:
        # Not a new version: a reminder's link must not make a reviewer's or the gate's read of the employer stale.
        # An item saved before the lists had no summary: it gains one, and this, on its next save.
        with contextlib.suppress(Conflict):
            self.table.call(
                "update_item", TableName=self.table.name, Key=to_item(_profile(employer_id)),
                UpdateExpression="SET employer.invitation_expires_at = :at, summary.invitation_expires_at = :at",
                ConditionExpression="attribute_exists(summary)",
                ExpressionAttributeValues={":at": {"S": expires_at.isoformat()}},
            )  # fmt: skip

    def save_employer(self, before: Employer, after: Employer, event: AuditEvent, *, due: Iterable[Due] = ()) -> None:
        """Save the next version of an employer with its audit entry and any check milestones it schedules."""
        if after.version != before.version + 1:
            raise ValueError("a saved employer moves on exactly one version")
        self.table.transact(
            [
                self._employer_update(before, after),
                *self.table.audit_items(event, after.updated_at),
                *({"Put": {"TableName": self.table.name, "Item": milestones.due_item(d)}} for d in due),
            ]
        )

    # -- check milestones: what the daily sweep acts on (keys and queries in milestones.py) -----------

    def due_on(self, day: date) -> list[Due]:
        return milestones.due_on(self.table, day)

    def lapses_between(self, first: date, last: date) -> list[Due]:
        return milestones.lapses_between(self.table, first, last)

    def sweep_progress(self) -> date | None:
        return milestones.sweep_progress(self.table)

    def save_sweep_progress(self, day: date) -> None:
        milestones.save_sweep_progress(self.table, day)

    def advance_due(
        self, due: Due, to: DueState, *, event: AuditEvent | None = None, now: datetime | None = None
    ) -> Due:
        """Move a milestone on, with the audit entry of what was done for it when there is one."""
        recorded = self.table.audit_items(event, now) if event and now else []
        self.table.transact([milestones.due_moves_on(self.table, due, to), *recorded])
        return due.model_copy(update={"state": to})

    def act_on_due(self, due: Due, before: Employer, after: Employer, event: AuditEvent) -> Due:
        """The milestone's change to the employer, its audit entry and the milestone marked acted: all or nothing."""
        self.table.transact(
            [
                milestones.due_moves_on(self.table, due, DueState.ACTED),
                self._employer_update(before, after),
                *self.table.audit_items(event, after.updated_at),
            ]
        )
        return due.model_copy(update={"state": DueState.ACTED})

    # -- the answers as last sent ---------------------------------------------------------------

    def _submission_put(self, employer_id: str, answers: Answers, now: datetime) -> dict[str, Any]:
        item = {**_submission(employer_id), "answers": answers.model_dump(mode="json"), "at": now.isoformat()}
        return {"Put": {"TableName": self.table.name, "Item": to_item(item)}}

    def record_submission(
        self,
        before: Employer,
        after: Employer,
        answers: Answers,
        consumed: Link,
        event: AuditEvent,
        now: datetime,
    ) -> None:
        self.table.transact(
            [
                consume(self.table, consumed, now),
                self._submission_put(after.id, answers, now),
                self._employer_update(before, after),
                *self.table.audit_items(event, now),
            ],
            link_index=0,
        )

    def change_spoc(
        self, before: Employer, after: Employer, answers: Answers, event: AuditEvent, now: datetime
    ) -> None:
        """A new SPOC in the answers sent and in the draft; the last SPOC's training is gone from both."""
        spoc = answers.spoc.model_dump(mode="json") if answers.spoc else None
        self.table.transact(
            [
                self._employer_update(before, after),
                self._submission_put(after.id, answers, now),
                {
                    "Put": {
                        "TableName": self.table.name,
                        "Item": to_item(
                            {**draft_key(after.id, "SECTION", CheckType.SPOC), "section": spoc, "at": now.isoformat()}
                        ),
                    }
                },
                *(
                    {
                        "Delete": {
                            "TableName": self.table.name,
                            "Key": to_item(draft_key(after.id, kind, CheckType.SPOC_TRAINING)),
                        }
                    }
                    for kind in ("SECTION", "UPLOAD")
                ),
                *self.table.audit_items(event, now),
            ]
        )

    def get_submission(self, employer_id: str) -> Answers | None:
        found = self.table.get(_submission(employer_id))
        return answers_from(found) if found else None
