"""External speaker bookings, and the speaker register that what was decided about them adds to.

| pattern                              | operation        | key condition                                | index    |
| ------------------------------------ | ---------------- | -------------------------------------------- | -------- |
| speaker booking                      | GetItem          | PK=BOOKING#<id>, SK=BOOKING                  | table    |
| bookings in a status, by event date  | Query            | GSI1PK=BOOKING_STATUS#<status>               | ByStatus |
| register entries for a speaker       | Query            | PK=REGISTER#SPEAKER#<register_key(name)>     | table    |
| register entries for an organisation | Query            | PK=REGISTER#ORG#<register_key(name)>         | table    |
"""

from collections.abc import Iterable
from typing import Any

from safeplace.adapters.dynamodb.links import consume
from safeplace.adapters.dynamodb.table import Table, booking_pk, to_item
from safeplace.core.audit import AuditEvent
from safeplace.core.errors import NotFound
from safeplace.core.links import Link
from safeplace.speakers.booking import Booking, BookingStatus
from safeplace.speakers.models import RegisterEntry, register_key


def _booking(booking_id: str) -> dict[str, str]:
    return {"PK": booking_pk(booking_id), "SK": "BOOKING"}


def _status_pk(status: BookingStatus) -> str:
    return f"BOOKING_STATUS#{status}"


def _register_pks(speaker_name: str, organisation: str) -> list[str]:
    """The speaker's register partition, and their organisation's when they name one."""
    names = [f"SPEAKER#{register_key(speaker_name)}"]
    if register_key(organisation):
        names.append(f"ORG#{register_key(organisation)}")
    return [f"REGISTER#{name}" for name in names]


def _booking_item(booking: Booking) -> dict[str, Any]:
    return to_item(
        {
            **_booking(booking.id),
            "booking": booking.model_dump(mode="json"),
            "version": booking.version,
            "GSI1PK": _status_pk(booking.status),
            "GSI1SK": f"{booking.request.event.on.isoformat()}#{booking.id}",
        }
    )


class BookingRepository:
    def __init__(self, table: Table) -> None:
        self.table = table

    def _register_items(self, booking_id: str, entries: Iterable[RegisterEntry]) -> list[dict[str, Any]]:
        items = []
        for entry in entries:
            sk = f"{entry.on.isoformat()}#{booking_id}#{entry.outcome}"
            for pk in _register_pks(entry.speaker_name, entry.organisation):
                item = {"PK": pk, "SK": sk, "entry": entry.model_dump(mode="json")}
                items.append({"Put": {"TableName": self.table.name, "Item": to_item(item)}})
        return items

    def create_booking(self, booking: Booking, event: AuditEvent) -> None:
        self.table.transact(
            [
                {
                    "Put": {
                        "TableName": self.table.name,
                        "Item": _booking_item(booking),
                        "ConditionExpression": "attribute_not_exists(PK)",
                    }
                },
                *self.table.audit_items(event, booking.requested_at),
            ]
        )

    def get_booking(self, booking_id: str) -> Booking:
        found = self.table.get(_booking(booking_id))
        if found is None:
            raise NotFound("There is no such speaker booking")
        return Booking.model_validate(found["booking"])

    def save_booking(
        self,
        before: Booking,
        after: Booking,
        event: AuditEvent,
        *,
        register: Iterable[RegisterEntry] = (),
        consumed: Link | None = None,
    ) -> None:
        """The booking's next version, what the register learns from it, and its audit entry, together; a
        decision link it used up is consumed in the same transaction, so a second click decides nothing."""
        if after.version != before.version + 1:
            raise ValueError("a saved booking moves on exactly one version")
        items = [consume(self.table, consumed, after.updated_at)] if consumed else []
        self.table.transact(
            [
                *items,
                {
                    "Put": {
                        "TableName": self.table.name,
                        "Item": _booking_item(after),
                        "ConditionExpression": "version = :v",
                        "ExpressionAttributeValues": {":v": {"N": str(before.version)}},
                    }
                },
                *self._register_items(after.id, register),
                *self.table.audit_items(event, after.updated_at),
            ],
            link_index=0 if consumed else None,
        )

    def list_bookings(self, statuses: Iterable[BookingStatus]) -> list[Booking]:
        """Bookings in these statuses, soonest event first."""
        found = [
            Booking.model_validate(item["booking"])
            for status in statuses
            for item in self.table.query(
                IndexName="ByStatus",
                KeyConditionExpression="GSI1PK = :s",
                ExpressionAttributeValues={":s": {"S": _status_pk(status)}},
            )
        ]
        return sorted(found, key=lambda b: (b.request.event.on, b.request.event.starts_at, b.id))

    def speaker_register(self, speaker_name: str, organisation: str) -> list[RegisterEntry]:
        """What the register holds on this speaker or their organisation, oldest first, each entry once."""
        found: dict[str, RegisterEntry] = {}
        for pk in _register_pks(speaker_name, organisation):
            for item in self.table.query(
                KeyConditionExpression="PK = :pk", ExpressionAttributeValues={":pk": {"S": pk}}
            ):
                found.setdefault(item["SK"], RegisterEntry.model_validate(item["entry"]))
        return [found[k] for k in sorted(found)]
