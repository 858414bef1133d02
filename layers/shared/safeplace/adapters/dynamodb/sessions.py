"""Staff sessions, each under the hash of its cookie and gone when it expires.

| pattern                              | operation        | key condition                                | index    |
| ------------------------------------ | ---------------- | -------------------------------------------- | -------- |
| staff session by cookie              | GetItem          | PK=SESSION#<sha256(cookie)>, SK=SESSION      | table    |
"""

from safeplace.adapters.dynamodb.table import Table, to_item
from safeplace.staff.models import StaffSession


def _session(id_hash: str) -> dict[str, str]:
    return {"PK": f"SESSION#{id_hash}", "SK": "SESSION"}


class SessionRepository:
    def __init__(self, table: Table) -> None:
        self.table = table

    def save_session(self, session: StaffSession) -> None:
        self.table.call(
            "put_item",
            TableName=self.table.name,
            Item=to_item(
                {
                    **_session(session.id_hash),
                    "session": session.model_dump(mode="json"),
                    "ttl": int(session.expires_at.timestamp()),
                }
            ),
            ConditionExpression="attribute_not_exists(PK)",
        )

    def get_session(self, id_hash: str) -> StaffSession | None:
        found = self.table.get(_session(id_hash))
        return StaffSession.model_validate(found["session"]) if found else None

    def delete_session(self, id_hash: str) -> None:
        self.table.call("delete_item", TableName=self.table.name, Key=to_item(_session(id_hash)))
