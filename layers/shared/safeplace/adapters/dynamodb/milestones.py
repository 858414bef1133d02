"""Check milestones: what the daily sweep acts on, each an item keyed by its employer, listed by the day it falls due.

The employers' repository offers these to the use cases (a milestone's change to an employer is one transaction
with it); the keys and queries are here.

| pattern                              | operation        | key condition                                | index    |
| ------------------------------------ | ---------------- | -------------------------------------------- | -------- |
| check milestones due on a day        | Query, keys only | GSI2PK=DUEDAY#<yyyy-mm-dd>                   | ByDate   |
|   ... and the milestones themselves  | BatchGetItem     | PK=DUE#<employer id>, SK=<due key>, 100 a go | table    |
| checks lapsing between two days      | Query per month  | GSI1PK=LAPSES#<yyyy-mm>, GSI1SK between days | ByStatus |
| how far the daily sweep has got      | GetItem          | PK=SWEEP, SK=PROGRESS                        | table    |

Lapses are spread over a partition per month, so no index key collects every lapse there ever was. Those written
before (under GSI1PK=LAPSES) are still read by `lapses_between`, one more Query of the same days, until they have
all passed. A milestone the sweep has finished with (DONE) carries `ttl` (RecordKind.MILESTONE) from its day.
"""

from collections.abc import Iterator
from datetime import UTC, date, datetime, time
from typing import Any

from safeplace.adapters.dynamodb.table import Table, to_item
from safeplace.core.retention import RecordKind
from safeplace.onboarding.models import Due, DueState, Milestone


def _due(employer_id: str, key: str) -> dict[str, str]:
    return {"PK": f"DUE#{employer_id}", "SK": key}


def _due_day(day: date) -> str:
    return f"DUEDAY#{day.isoformat()}"


_LAPSES = "LAPSES"


def _lapse_month(day: date) -> str:
    return f"{_LAPSES}#{day:%Y-%m}"


def _months(first: date, last: date) -> Iterator[date]:
    month = first.replace(day=1)
    while month <= last:
        yield month
        month = month.replace(year=month.year + month.month // 12, month=month.month % 12 + 1)


def _lapse_keys(due: Due) -> dict[str, str]:
    return {"GSI1PK": _lapse_month(due.due_on), "GSI1SK": f"{due.due_on.isoformat()}#{due.employer_id}#{due.key}"}


_SWEEP = {"PK": "SWEEP", "SK": "PROGRESS"}


def due_item(due: Due) -> dict[str, Any]:
    return to_item(
        {
            **_due(due.employer_id, due.key),
            "GSI2PK": _due_day(due.due_on),
            "GSI2SK": f"{due.employer_id}#{due.key}",
            # Lapses are also listed by date, so the console can show what runs out soon in one query.
            **(_lapse_keys(due) if due.milestone is Milestone.LAPSE else {}),
            "due": due.model_dump(mode="json"),
        }
    )


def due_on(table: Table, day: date) -> list[Due]:
    """The milestones falling on `day`, found through the index of that day (never a scan) and read a
    hundred at a time, in the index's order."""
    keys = [
        {"PK": key["PK"], "SK": key["SK"]}
        for key in table.query(
            IndexName="ByDate",
            KeyConditionExpression="GSI2PK = :day",
            ExpressionAttributeValues={":day": {"S": _due_day(day)}},
        )
    ]
    found = table.batch_get(keys)
    # A milestone removed (by its ttl) since the index listed it is no longer there to act on.
    return [Due.model_validate(found[k]["due"]) for k in ((k["PK"], k["SK"]) for k in keys) if k in found]


def lapses_between(table: Table, first: date, last: date) -> list[Due]:
    """Checks that lapse on a day from `first` to `last`, soonest first, not yet acted on: one Query for each
    month the days span, and one of the partition lapses were kept in before they were spread by month."""
    partitions = [*(_lapse_month(m) for m in _months(first, last)), _LAPSES]
    found = [
        Due.model_validate(item["due"])
        for partition in partitions
        for item in table.query(
            IndexName="ByStatus",
            KeyConditionExpression="GSI1PK = :lapses AND GSI1SK BETWEEN :first AND :last",
            ExpressionAttributeValues={
                ":lapses": {"S": partition},
                ":first": {"S": first.isoformat()},
                ":last": {"S": f"{last.isoformat()}#~"},
            },
        )
    ]
    return sorted((d for d in found if d.state is DueState.PENDING), key=lambda d: _lapse_keys(d)["GSI1SK"])


def due_moves_on(table: Table, due: Due, to: DueState) -> dict[str, Any]:
    """A transaction's update of a milestone to its next state, conditional on the state it was read in."""
    update: dict[str, Any] = {
        "TableName": table.name,
        "Key": to_item(_due(due.employer_id, due.key)),
        "UpdateExpression": "SET #d.#s = :to",
        "ConditionExpression": "#d.#s = :was",
        "ExpressionAttributeNames": {"#d": "due", "#s": "state"},
        "ExpressionAttributeValues": {":to": {"S": to.value}, ":was": {"S": due.state.value}},
    }
    if to is DueState.DONE:
        # Nothing reads a finished milestone again: the audit trail says what was done for it.
        fell_due = datetime.combine(due.due_on, time(), tzinfo=UTC)
        update["UpdateExpression"] += ", #ttl = :ttl"
        update["ExpressionAttributeNames"]["#ttl"] = "ttl"
        update["ExpressionAttributeValues"][":ttl"] = {"N": str(table.retention.ttl(RecordKind.MILESTONE, fell_due))}
    return {"Update": update}


def sweep_progress(table: Table) -> date | None:
    found = table.get(_SWEEP)
    return date.fromisoformat(found["day"]) if found else None


def save_sweep_progress(table: Table, day: date) -> None:
    table.call("put_item", TableName=table.name, Item=to_item({**_SWEEP, "day": day.isoformat()}))
