"""The lists a page at a time over the table: each page one Query of at most a page and one more, whatever the
number of items; filters, name searches and cursors forward and back; a cursor that was changed is refused."""

from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest

from safeplace.adapters.dynamodb import Store
from safeplace.adapters.dynamodb.employers import employer_item
from safeplace.core.audit import AuditEvent
from safeplace.core.errors import InvalidRequest
from safeplace.onboarding.models import EmployerStatus
from safeplace.placements.models import Placement, PlacementStatus
from safeplace.speakers.booking import Booking, BookingStatus
from safeplace.speakers.export_register import register_file
from safeplace.speakers.request_booking import BookingTimings, request_booking
from tests.support.builders import EVENT, a_request, an_employer
from tests.support.fakes import StartsRecorded
from tests.unit.staff_api_support import SAM

NOW = datetime(2027, 6, 4, 10, 0, tzinfo=UTC)


@contextmanager
def counted(store: Store) -> Iterator[Counter[str]]:
    """DynamoDB requests by operation, and the items each Query read (`items read`), as the client sends them."""
    seen: Counter[str] = Counter()
    events = store.table.client.meta.events

    def before(model: Any, **_: Any) -> None:
        seen[model.name] += 1

    def after(model: Any, parsed: dict[str, Any], **_: Any) -> None:
        if model.name == "Query":
            seen["items read"] += parsed.get("ScannedCount", 0)

    events.register("before-call.dynamodb.*", before)
    events.register("after-call.dynamodb.*", after)
    try:
        yield seen
    finally:
        events.unregister("before-call.dynamodb.*", before)
        events.unregister("after-call.dynamodb.*", after)


def employers(
    store: Store, names: list[str], status: EmployerStatus = EmployerStatus.INVITED, first: int = 0
) -> list[str]:
    """Employers put straight into the table, the later in the list the more recently changed."""
    ids = []
    for n, name in enumerate(names, start=first):
        at = NOW + timedelta(minutes=n)
        employer = an_employer(at, id=f"emp-{n:012x}", name=name, status=status)
        store.table.client.put_item(TableName=store.table.name, Item=employer_item(employer))
        ids.append(employer.id)
    return ids


def every_page(read: Any) -> list[list[str]]:
    pages, cursor = [], None
    while True:
        page = read(cursor)
        pages.append([item.id for item in page.items])
        cursor = page.next_cursor
        if cursor is None:
            return pages


def test_all_employers_come_newest_first_a_page_at_a_time_and_back(store: Store):
    # Given seven employers
    ids = employers(store, [f"Employer {n}" for n in range(7)])
    # When they are read three at a time
    pages = every_page(lambda cursor: store.employers.employer_page(None, "", cursor=cursor, limit=3))
    # Then every employer comes once, newest change first, and the last page says there is no next one
    assert pages == [ids[6:3:-1], ids[3:0:-1], ids[0:1]]
    # And the previous cursor of a page leads back to the page before it, which is the first
    page = store.employers.employer_page
    second = page(None, "", cursor=page(None, "", cursor=None, limit=3).next_cursor, limit=3)
    third = page(None, "", cursor=second.next_cursor, limit=3)
    back = page(None, "", cursor=third.previous_cursor, limit=3)
    assert [e.id for e in back.items] == ids[3:0:-1] and back.previous_cursor is not None
    assert back.next_cursor == second.next_cursor
    first = page(None, "", cursor=back.previous_cursor, limit=3)
    assert [e.id for e in first.items] == ids[6:3:-1] and first.previous_cursor is None


def test_a_status_and_a_name_search_each_read_their_own_index(store: Store):
    # Given employers in two statuses, with names that differ in case and punctuation
    ready = employers(store, ["St. Mary's Bakery", "Hollins Bakery", "Harbour Cafe"], EmployerStatus.CHECKS_PASSED)
    invited = employers(store, ["Holly Farm"], EmployerStatus.INVITED, first=3)
    page = store.employers.employer_page
    # Then a status lists only its own employers, newest first
    assert [e.id for e in page(EmployerStatus.CHECKS_PASSED, "", cursor=None, limit=50).items] == ready[::-1]
    # And a search finds the names that start with what was typed, A to Z, whatever the case or punctuation
    assert [e.name for e in page(None, "HOLL", cursor=None, limit=50).items] == ["Hollins Bakery", "Holly Farm"]
    assert [e.name for e in page(None, "ST.  mary", cursor=None, limit=50).items] == ["St. Mary's Bakery"]
    assert page(None, "bakery", cursor=None, limit=50).items == []  # a prefix, not a word inside the name
    # And a search within a status finds only that status's employers
    assert [e.id for e in page(EmployerStatus.CHECKS_PASSED, "hol", cursor=None, limit=50).items] == [ready[1]]
    assert [e.id for e in page(EmployerStatus.INVITED, "hol", cursor=None, limit=50).items] == invited


@pytest.mark.parametrize("total", [5, 120])
def test_one_page_is_one_query_of_a_page_and_one_more_whatever_the_total(store: Store, total: int):
    # Given a few employers, or many
    employers(store, [f"Employer {n:03d}" for n in range(total)], EmployerStatus.CHECKS_PASSED)
    lists = {
        "all": lambda cursor: store.employers.employer_page(None, "", cursor=cursor, limit=4),
        "in a status": lambda cursor: store.employers.employer_page(
            EmployerStatus.CHECKS_PASSED, "", cursor=cursor, limit=4
        ),
        "searched": lambda cursor: store.employers.employer_page(None, "employer", cursor=cursor, limit=4),
        "searched in a status": lambda cursor: store.employers.employer_page(
            EmployerStatus.CHECKS_PASSED, "employer 0", cursor=cursor, limit=4
        ),
    }
    for name, read in lists.items():
        # When the first page and the next are read
        with counted(store) as first:
            cursor = read(None).next_cursor
        with counted(store) as second:
            read(cursor)
        # Then each is exactly one Query, reading at most a page and one more
        for seen in (first, second):
            assert seen["Query"] == 1 and sum(seen.values()) - seen["items read"] == 1, name
            assert seen["items read"] <= 5, name


def test_a_list_index_holds_the_summary_and_not_the_record(store: Store):
    # Given an employer
    employers(store, ["Hollins Bakery"])
    # When the list's indexes are read as they are
    for index, key, value in (("ByStatus", "GSI1PK", "STATUS#invited"), ("Lists", "GSI3PK", "EMPLOYERS")):
        [item] = store.table.client.query(
            TableName=store.table.name,
            IndexName=index,
            KeyConditionExpression="#k = :v",
            ExpressionAttributeNames={"#k": key},
            ExpressionAttributeValues={":v": {"S": value}},
        )["Items"]
        # Then they hold what the list shows, never the whole employer
        assert "summary" in item and "employer" not in item, index


@pytest.mark.parametrize(
    "cursor",
    ["not a cursor", "eyJkIjoibiJ9", "eyJkIjoibiIsImsiOnsiUEsiOiJFTVBMT1lFUiMxIn19", ""],
)
def test_a_cursor_that_was_changed_is_refused_as_a_bad_request(store: Store, cursor: str):
    employers(store, ["Hollins Bakery", "Harbour Cafe"])
    with pytest.raises(InvalidRequest, match="This page link is not valid"):
        store.employers.employer_page(None, "", cursor=cursor or "=" * 5, limit=1)


def test_a_cursor_of_one_list_is_refused_by_another(store: Store):
    employers(store, ["Hollins Bakery", "Harbour Cafe", "Holly Farm"], EmployerStatus.CHECKS_PASSED)
    of_all = store.employers.employer_page(None, "", cursor=None, limit=1).next_cursor
    of_a_search = store.employers.employer_page(None, "ho", cursor=None, limit=1).next_cursor
    with pytest.raises(InvalidRequest):
        store.employers.employer_page(EmployerStatus.CHECKS_PASSED, "", cursor=of_all, limit=1)
    with pytest.raises(InvalidRequest):
        store.employers.employer_page(None, "ha", cursor=of_a_search, limit=1)


def placed(store: Store, n: int, status: PlacementStatus) -> Placement:
    employer = an_employer(NOW, id=f"emp-{n:012x}", name=f"Employer {n}")
    store.table.client.put_item(TableName=store.table.name, Item=employer_item(employer))
    placement = Placement(
        id=f"plc-{n:012x}",
        learner_reference=f"L-{n:04d}",
        date_of_birth=date(2000, 1, 1),
        employer_id=employer.id,
        site="Mill Lane",
        start_date=date(2027, 9, 6),
        assessor="Pat Assessor",
        employer_name=employer.name,
        status=status,
        unmet=[] if status is PlacementStatus.ACTIVE else ["Not yet approved: the employer's organisation details"],
        policy_version="1",
        learner_16_to_18=False,
        recorded_by="sam",
        recorded_at=NOW + timedelta(minutes=n),
        updated_at=NOW + timedelta(minutes=n),
    )
    store.placements.record_placement(
        placement, employer, AuditEvent(subject=placement.subject, action="placement.recorded", actor="sam")
    )
    return placement


def test_placements_come_newest_first_a_page_at_a_time_in_one_status_or_all(store: Store):
    made = [placed(store, n, PlacementStatus.ACTIVE if n % 2 else PlacementStatus.BLOCKED) for n in range(5)]
    newest = [p.id for p in made[::-1]]
    assert every_page(lambda c: store.placements.placement_page(None, cursor=c, limit=2)) == [
        newest[:2],
        newest[2:4],
        newest[4:],
    ]
    blocked = store.placements.placement_page(PlacementStatus.BLOCKED, cursor=None, limit=50)
    assert [p.id for p in blocked.items] == [made[4].id, made[2].id, made[0].id]
    assert blocked.items[0] == made[4].summary() and blocked.next_cursor is None
    with counted(store) as seen:
        store.placements.placement_page(PlacementStatus.ACTIVE, cursor=None, limit=1)
    assert seen["Query"] == 1 and seen["items read"] == 2


def booked(store: Store, speaker: str, organisation: str, days: int) -> Booking:
    request = a_request(speaker={"name": speaker, "organisation": organisation}, event={"on": EVENT + timedelta(days)})
    return request_booking(
        request,
        SAM,
        bookings=store.bookings,
        workflows=StartsRecorded(),
        state_machine_arn="arn:aws:states:eu-west-2:123456789012:stateMachine:speaker",
        timings=BookingTimings(decision_wait_seconds=60, information_wait_seconds=60),
        now=NOW,
    )


def test_the_register_pages_by_event_date_and_finds_a_speaker_or_an_organisation_by_its_first_letters(store: Store):
    # Given bookings of speakers from organisations, and one who speaks for themselves
    priya = booked(store, "Priya Shah", "Northern Cyber Ltd", 3)
    sam = booked(store, "Sam Orator", "Quayside Drama", 1)
    lone = booked(store, "Nora Quinn", "", 2)
    # Then the register comes soonest event first, a page at a time
    pages = every_page(lambda c: store.bookings.booking_page("", cursor=c, limit=2))
    assert pages == [[sam.id, lone.id], [priya.id]]
    # And a search finds a speaker's or an organisation's name by its first letters, A to Z by the name found
    page = store.bookings.booking_page
    assert [b.id for b in page("QUAYSIDE", cursor=None, limit=50).items] == [sam.id]
    assert [b.id for b in page("priya", cursor=None, limit=50).items] == [priya.id]
    assert [b.id for b in page("n", cursor=None, limit=50).items] == [lone.id, priya.id]
    # And a booking shows once, with what the register lists
    [found] = page("northern cyber", cursor=None, limit=50).items
    assert (found.speaker_name, found.organisation, found.status) == (
        "Priya Shah",
        "Northern Cyber Ltd",
        BookingStatus.AWAITING_DECISION,
    )


def test_an_organisation_changed_or_dropped_is_searched_as_it_now_is(store: Store):
    booking = booked(store, "Priya Shah", "Northern Cyber Ltd", 3)
    changed = booking.model_copy(
        update={
            "request": a_request(speaker={"name": "Priya Shah", "organisation": ""}, event={"on": EVENT}),
            "version": booking.version + 1,
            "updated_at": NOW,
        }
    )
    store.bookings.save_booking(booking, changed, AuditEvent(subject=booking.subject, action="x", actor="sam"))
    assert store.bookings.booking_page("northern", cursor=None, limit=50).items == []
    assert [b.id for b in store.bookings.booking_page("priya", cursor=None, limit=50).items] == [booking.id]


def test_the_register_export_reads_whole_bookings_a_page_at_a_time_and_comes_in_parts(store: Store):
    # Given five bookings
    made = [booked(store, f"Speaker {n}", "", n) for n in range(5)]
    # When the register is exported in files of two, reading pages of two
    with counted(store) as seen:
        first = register_file(bookings=store.bookings, per_file=2, read_page=2)
    # Then the first file holds the two soonest, read in one Query and one BatchGetItem
    assert [line.split(",")[0] for line in first.csv.splitlines()[1:]] == [made[0].id, made[1].id]
    assert (seen["Query"], seen["BatchGetItem"]) == (1, 1)
    # And the next parts follow from the cursor, to the last, which says there is no more
    second = register_file(bookings=store.bookings, cursor=first.next_cursor, per_file=2, read_page=2)
    third = register_file(bookings=store.bookings, cursor=second.next_cursor, per_file=2, read_page=2)
    assert [line.split(",")[0] for line in third.csv.splitlines()[1:]] == [made[4].id]
    assert third.next_cursor is None
