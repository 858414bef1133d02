"""Workflow tasks waiting on a person, stored with the employer or the speaker booking they wait on.

| pattern                              | operation        | key condition                                | index    |
| ------------------------------------ | ---------------- | -------------------------------------------- | -------- |
| workflow task waiting on a person    | GetItem          | PK=EMPLOYER#<id>, SK=WAIT#<step>             | table    |
| booking's workflow task waiting      | GetItem          | PK=BOOKING#<id>, SK=WAIT#<step>              | table    |
"""

import contextlib
from datetime import datetime

from safeplace.adapters.dynamodb.table import Table, to_item, wait_pk
from safeplace.core.errors import Conflict
from safeplace.core.retention import RecordKind


def _wait(subject_id: str, step: str) -> dict[str, str]:
    return {"PK": wait_pk(subject_id), "SK": f"WAIT#{step}"}


class WaitRepository:
    def __init__(self, table: Table) -> None:
        self.table = table

    def save_wait(self, employer_id: str, step: str, task_token: str, now: datetime) -> None:
        # The task token stays here, server-side; emails carry our own link token instead.
        self.table.call(
            "put_item",
            TableName=self.table.name,
            Item=to_item(
                {
                    **_wait(employer_id, step),
                    "task_token": task_token,
                    "since": now.isoformat(),
                    "ttl": self.table.retention.ttl(RecordKind.WORKFLOW_WAIT, now),
                }
            ),
        )

    def get_wait(self, employer_id: str, step: str) -> str | None:
        found = self.table.get(_wait(employer_id, step))
        return found["task_token"] if found else None

    def clear_wait(self, employer_id: str, step: str, task_token: str) -> None:
        # A newer wait may have replaced this one; that one is not ours to clear.
        with contextlib.suppress(Conflict):
            self.table.call(
                "delete_item",
                TableName=self.table.name,
                Key=to_item(_wait(employer_id, step)),
                ConditionExpression="task_token = :t",
                ExpressionAttributeValues={":t": {"S": task_token}},
            )
