"""External speaker bookings, and the speaker register that what was decided about them adds to.

| pattern                              | operation        | key condition                                | index    |
| ------------------------------------ | ---------------- | -------------------------------------------- | -------- |
| speaker booking                      | GetItem          | PK=BOOKING#<id>, SK=BOOKING                  | table    |
| a page of bookings, by event date    | Query, Limit     | GSI3PK=BOOKINGS, GSI3SK ascending            | Lists    |
| the bookings waiting for a decision, | Query, Limit     | GSI1PK=BOOKING_STATUS#awaiting_decision,     | ByStatus |
|   soonest first                      |                  |   GSI1SK ascending                           |          |
| a page whose speaker or organisation | Query, Limit     | GSI4PK=BOOKING_NAMES,                        | ByName   |
|   name starts so                     |                  |   GSI4SK begins_with <name_key(prefix)>      |          |
| the bookings of a register export    | Query, Limit and | GSI3PK=BOOKINGS, then the bookings by key    | Lists,   |
|   page                               | BatchGetItem     |                                              | table    |
| register entries for a speaker       | Query            | PK=REGISTER#SPEAKER#<register_key(name)>     | table    |
| register entries for an organisation | Query            | PK=REGISTER#ORG#<register_key(name)>         | table    |

GSI3SK is `<event date>#<starts at>#<id>`; GSI4SK is `<name_key(name)>#<id>`. A booking is found by its speaker's
name through the booking item's GSI4 keys, and by its organisation's through a second small item beside it
(SK=ORGANISATION, also in BOOKING_NAMES), so that one Query searches both names. Both carry `summary` (the
BookingSummary a list shows), the only attribute the list indexes project; both are written with every save. A
booking whose speaker and organisation both start with what was searched is listed once on a page (and, rarely,
once more on a neighbouring page).

BOOKINGS and BOOKING_NAMES each hold every booking in one index partition: bookings change at the pace of
people, far below the 1,000 writes a second one partition takes. Bookings stored before the lists gain their keys,
summary and organisation item on their next save (or by the backfill described for employers).
"""

from collections.abc import Iterable
from typing import Any

from safeplace.adapters.dynamodb.links import consume
from safeplace.adapters.dynamodb.table import Table, booking_pk, to_item, to_plain
from safeplace.core.audit import AuditEvent
from safeplace.core.errors import NotFound, TemporaryFailure
from safeplace.core.links import Link
from safeplace.core.paging import Page, name_key
from safeplace.speakers.booking import Booking, BookingStatus, BookingSummary
from safeplace.speakers.models import RegisterEntry, register_key


def _booking(booking_id: str) -> dict[str, str]:
    return {"PK": booking_pk(booking_id), "SK": "BOOKING"}


def _status_pk(status: BookingStatus) -> str:
    return f"BOOKING_STATUS#{status}"


_ALL = "BOOKINGS"
_NAMES = "BOOKING_NAMES"


def _organisation(booking_id: str) -> dict[str, str]:
    return {"PK": booking_pk(booking_id), "SK": "ORGANISATION"}


def _register_pks(speaker_name: str, organisation: str) -> list[str]:
    """The speaker's register partition, and their organisation's when they name one."""
    names = [f"SPEAKER#{register_key(speaker_name)}"]
    if register_key(organisation):
        names.append(f"ORG#{register_key(organisation)}")
    return [f"REGISTER#{name}" for name in names]


def _booking_item(booking: Booking) -> dict[str, Any]:
    event = booking.request.event
    return to_item(
        {
            **_booking(booking.id),
            "booking": booking.model_dump(mode="json"),
            "version": booking.version,
            "GSI1PK": _status_pk(booking.status),
            "GSI1SK": f"{event.on.isoformat()}#{booking.id}",
            "GSI3PK": _ALL,
            "GSI3SK": f"{event.on.isoformat()}#{event.starts_at.isoformat()}#{booking.id}",
            "GSI4PK": _NAMES,
            "GSI4SK": f"{name_key(booking.request.speaker.name)}#{booking.id}",
            "summary": booking.summary().model_dump(mode="json"),
        }
    )


def _organisation_write(table: Table, booking: Booking) -> dict[str, Any]:
    """The item that finds the booking by its organisation's name, or its removal when it names none."""
    organisation = name_key(booking.request.speaker.organisation)
    if not organisation:
        return {"Delete": {"TableName": table.name, "Key": to_item(_organisation(booking.id))}}
    item = {
        **_organisation(booking.id),
        "GSI4PK": _NAMES,
        "GSI4SK": f"{organisation}#{booking.id}",
        "summary": booking.summary().model_dump(mode="json"),
    }
    return {"Put": {"TableName": table.name, "Item": to_item(item)}}


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
                _organisation_write(self.table, booking),
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
                _organisation_write(self.table, after),
                *self._register_items(after.id, register),
                *self.table.audit_items(event, after.updated_at),
            ],
            link_index=0 if consumed else None,
        )

    def booking_page(self, name_prefix: str, *, cursor: str | None, limit: int) -> Page[BookingSummary]:
        """One page of the register: by event date, or by the speaker's or organisation's name when searching."""
        prefix = name_key(name_prefix)
        if prefix:
            found = self.table.page("ByName", _NAMES, prefix=prefix, ascending=True, limit=limit, cursor=cursor)
        else:
            found = self.table.page("Lists", _ALL, ascending=True, limit=limit, cursor=cursor)
        summaries = {item["summary"]["id"]: BookingSummary.model_validate(item["summary"]) for item in found.items}
        return Page[BookingSummary](
            items=list(summaries.values()), next_cursor=found.next_cursor, previous_cursor=found.previous_cursor
        )

    def waiting_page(self, *, limit: int) -> Page[BookingSummary]:
        """The bookings waiting for a decision, soonest event first: one Query."""
        waiting = _status_pk(BookingStatus.AWAITING_DECISION)
        found = self.table.page("ByStatus", waiting, ascending=True, limit=limit, cursor=None)
        return Page[BookingSummary](
            items=[BookingSummary.model_validate(item["summary"]) for item in found.items],
            next_cursor=found.next_cursor,
        )

    def register_page(self, *, cursor: str | None, limit: int) -> tuple[list[Booking], str | None]:
        """Whole bookings for the register's export, by event date: the keys of a page (one Query), then the
        bookings (one BatchGetItem of at most 100)."""
        found = self.table.page("Lists", _ALL, ascending=True, limit=min(limit, 100), cursor=cursor)
        wanted = [to_item({"PK": item["PK"], "SK": item["SK"]}) for item in found.items]
        read: dict[str, Booking] = {}
        for _ in range(5):
            if not wanted:
                break
            answer = self.table.call("batch_get_item", RequestItems={self.table.name: {"Keys": wanted}})
            for item in answer["Responses"].get(self.table.name, []):
                booking = Booking.model_validate(to_plain(item)["booking"])
                read[booking.id] = booking
            wanted = answer.get("UnprocessedKeys", {}).get(self.table.name, {}).get("Keys", [])
        if wanted:
            raise TemporaryFailure("DynamoDB is busy; try again")
        ordered = [read[item["summary"]["id"]] for item in found.items if item["summary"]["id"] in read]
        return ordered, found.next_cursor

    def speaker_register(self, speaker_name: str, organisation: str) -> list[RegisterEntry]:
        """What the register holds on this speaker or their organisation, oldest first, each entry once."""
        found: dict[str, RegisterEntry] = {}
        for pk in _register_pks(speaker_name, organisation):
            for item in self.table.query(
                KeyConditionExpression="PK = :pk", ExpressionAttributeValues={":pk": {"S": pk}}
            ):
                found.setdefault(item["SK"], RegisterEntry.model_validate(item["entry"]))
        return [found[k] for k in sorted(found)]
