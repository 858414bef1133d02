"""One page of each list at 1,000, 10,000 and 100,000 employers: the DynamoDB requests and the items they read.

The table holds N employers (in every status), a placement at each and a speaker booking for every ten, put
straight into moto's store. Each list's first page and the page after it are read through the repositories and
every request is counted at boto3, with the items each Query read (its ScannedCount). moto answers an index Query
by going through the whole table, where DynamoDB reads only the partition and range asked for, so only requests
and items are figures here, never time. The last row reads every employer through the status index, page after
page, as the list did before it paged: that one grows with the table.
"""

import json
import os
import time
from collections import Counter, defaultdict
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any
from unittest.mock import patch

import boto3
from moto import mock_aws
from moto.core import DEFAULT_ACCOUNT_ID
from moto.dynamodb.models import dynamodb_backends
from moto.dynamodb.models.dynamo_type import LimitedSizeDict

from safeplace.adapters.dynamodb import Store
from safeplace.adapters.dynamodb.bookings import _booking_item, _organisation_write
from safeplace.adapters.dynamodb.employers import employer_item
from safeplace.adapters.dynamodb.placements import _placement_item
from safeplace.adapters.dynamodb.table import INDEX_KEYS
from safeplace.core.retention import Retention
from safeplace.onboarding.models import Employer, EmployerStatus
from safeplace.placements.models import Placement, PlacementStatus
from safeplace.speakers.booking import Booking, BookingStatus
from safeplace.speakers.models import SpeakerBookingRequest
from safeplace.speakers.risk import RiskLevel, RiskRating, Route
from safeplace.staff.models import Role
from safeplace_local.template import REGION, load

ROOT = Path(__file__).resolve().parent.parent
NOW = datetime(2026, 6, 1, 9, 0, tzinfo=UTC)
STATUSES = list(EmployerStatus)
PAGE = 50


def _employer(n: int) -> Employer:
    at = NOW - timedelta(minutes=n)
    # Built without validation (the values are known good): checking 100,000 email addresses is seeding time.
    return Employer.model_construct(
        id=f"emp-{n:012x}",
        name=f"Employer {n:06d}",
        contact_name=f"Contact {n}",
        contact_email=f"contact{n}@employer.example",
        status=STATUSES[n % len(STATUSES)],
        invited_by="bench",
        invited_at=at,
        updated_at=at,
        version=2,
        # The lists never read the checks, and without them the items seed faster.
        checks=[],
    )


def _placement(employer: Employer, n: int) -> Placement:
    return Placement.model_construct(
        id=f"plc-{n:012x}",
        learner_reference=f"L-{n:06d}",
        date_of_birth=date(2000, 1, 1),
        employer_id=employer.id,
        site="Main site",
        start_date=date(2026, 9, 7),
        assessor="Pat Assessor",
        employer_name=employer.name,
        status=PlacementStatus.BLOCKED if n % 3 == 0 else PlacementStatus.ACTIVE,
        unmet=["Not yet approved: the employer's organisation details"] if n % 3 == 0 else [],
        policy_version="1",
        learner_16_to_18=False,
        recorded_by="bench",
        recorded_at=employer.updated_at,
        updated_at=employer.updated_at,
        flags=[],
    )


def _booking(request: dict[str, Any], n: int) -> Booking:
    asked = json.loads(json.dumps(request))
    asked["speaker"].update({"name": f"Speaker {n:06d}", "organisation": f"Organisation {n:06d}"})
    asked["event"]["on"] = (date(2026, 9, 1) + timedelta(days=n % 365)).isoformat()
    return Booking(
        id=f"bkg-{n:012x}",
        request=SpeakerBookingRequest.model_validate({**asked, "requested_by": "sam.staff@example.org"}),
        requested_at=NOW,
        status=BookingStatus.AWAITING_DECISION,
        checks=[],
        rating=RiskRating(level=RiskLevel.LOW, reasons=("Nothing raised a flag",), flags=(), policy_version="1"),
        route=Route(approver_role=Role.REVIEWER, reason="Low risk"),
        updated_at=NOW,
    )


def _items(table: str, employers: int) -> Iterator[dict[str, Any]]:
    event = json.loads((ROOT / "events" / "staff_api_request_speaker_booking.json").read_text())
    request = json.loads(event["body"])
    bookings = Store(table, Retention(link_days=90, audit_years=7)).table
    for n in range(employers):
        employer = _employer(n)
        yield employer_item(employer)
        yield _placement_item(bookings, _placement(employer, n))
        if n % 10 == 0:
            booking = _booking(request, n)
            yield _booking_item(booking)
            yield _organisation_write(bookings, booking)["Put"]["Item"]


def _seed(table: str, employers: int) -> None:
    # Straight into moto's store: through boto3 and moto's parser, 100,000 employers took minutes to seed. moto
    # also checks an item's 400 KB limit by summing the size of every attribute again as each one is set, which
    # made seeding alone take five minutes; these items are a few KB, so the check is off while they go in.
    backend = dynamodb_backends[DEFAULT_ACCOUNT_ID][REGION]
    with patch.object(LimitedSizeDict, "__setitem__", dict.__setitem__):
        for item in _items(table, employers):
            backend.put_item(table, item)


@contextmanager
def _index_partitions(client: Any, table_name: str) -> Iterator[None]:
    """moto answers an index Query by going through every item in the table (at 100,000 employers, seconds a
    Query); here it goes through the partition asked for, which is what DynamoDB reads. What a request returns and
    what is counted stay as they were. Nothing is written while this is on, so the partitions are found once."""
    table = dynamodb_backends[DEFAULT_ACCOUNT_ID][REGION].get_table(table_name)
    partitions: defaultdict[tuple[str, str], list[Any]] = defaultdict(list)
    for item in table.all_items():
        for attribute, _ in INDEX_KEYS.values():
            if attribute in item.attrs:
                partitions[(attribute, item.attrs[attribute].value)].append(item)

    def only_the_partition(params: dict[str, Any], **_: Any) -> None:
        if "IndexName" in params:
            attribute = INDEX_KEYS[params["IndexName"]][0]
            value = next(iter(params["ExpressionAttributeValues"].values()))["S"]
            table.all_items = lambda: partitions[(attribute, value)]  # type: ignore[method-assign]

    def as_before(**_: Any) -> None:
        vars(table).pop("all_items", None)

    client.meta.events.register("before-parameter-build.dynamodb.Query", only_the_partition)
    client.meta.events.register("after-call.dynamodb.Query", as_before)
    try:
        yield
    finally:
        client.meta.events.unregister("before-parameter-build.dynamodb.Query", only_the_partition)
        client.meta.events.unregister("after-call.dynamodb.Query", as_before)
        as_before()


@contextmanager
def _counted(client: Any) -> Iterator[Counter[str]]:
    seen: Counter[str] = Counter()

    def before(model: Any, **_: Any) -> None:
        seen["requests"] += 1
        seen[model.name] += 1

    def after(model: Any, parsed: dict[str, Any], **_: Any) -> None:
        batch = sum(len(found) for found in parsed.get("Responses", {}).values())
        seen["items read"] += parsed.get("ScannedCount", 0) + batch

    client.meta.events.register("before-call.dynamodb.*", before)
    client.meta.events.register("after-call.dynamodb.*", after)
    try:
        yield seen
    finally:
        client.meta.events.unregister("before-call.dynamodb.*", before)
        client.meta.events.unregister("after-call.dynamodb.*", after)


def _lists(store: Store) -> dict[str, Callable[[str | None], str | None]]:
    employers, placements, bookings = store.employers, store.placements, store.bookings
    return {
        "employers, all": lambda c: employers.employer_page(None, "", cursor=c, limit=PAGE).next_cursor,
        "employers, by status": lambda c: (
            employers.employer_page(EmployerStatus.CHECKS_PASSED, "", cursor=c, limit=PAGE).next_cursor
        ),
        "employer search (name prefix)": lambda c: (
            employers.employer_page(None, "employer 00", cursor=c, limit=PAGE).next_cursor
        ),
        "placement-ready search": lambda c: (
            employers.employer_page(EmployerStatus.CHECKS_PASSED, "employer 0", cursor=c, limit=PAGE).next_cursor
        ),
        "placements, all": lambda c: placements.placement_page(None, cursor=c, limit=PAGE).next_cursor,
        "placements, blocked": lambda c: (
            placements.placement_page(PlacementStatus.BLOCKED, cursor=c, limit=PAGE).next_cursor
        ),
        "bookings (register)": lambda c: bookings.booking_page("", cursor=c, limit=PAGE).next_cursor,
        "register search": lambda c: bookings.booking_page("speaker 00", cursor=c, limit=PAGE).next_cursor,
        "register CSV, 100 whole bookings": lambda c: bookings.register_page(cursor=c, limit=100)[1],
    }


def _one_size(employers: int) -> list[dict[str, Any]]:
    with mock_aws():
        table = load(ROOT / "template.yaml", {"PublicBaseUrl": "https://safeplace.example.org/v1"}).tables[0]
        client = boto3.client("dynamodb", region_name=REGION)
        client.create_table(TableName=table.name, **table.create_arguments)
        began = time.perf_counter()
        _seed(table.name, employers)
        seeding = round(time.perf_counter() - began, 1)
        store = Store(table.name, Retention(link_days=90, audit_years=7), client=client)
        rows = []
        with _index_partitions(client, table.name):
            for name, read in _lists(store).items():
                with _counted(client) as first:
                    following = read(None)
                with _counted(client) as second:
                    read(following)
                rows.append({"list": name, "first page": dict(first), "next page": dict(second)})
            with _counted(client) as everything:
                _every_employer(store, STATUSES)
        rows.append({"list": "every employer, page after page (as before)", "first page": dict(everything)})
        return [{"employers": employers, "next page": {}, **row, "seeding_seconds": seeding} for row in rows]


def _every_employer(store: Store, statuses: Any) -> list[Any]:
    """How the employer list read before it was paged: every item of each status's partition, page after page."""
    return [
        item["summary"]
        for status in statuses
        for item in store.table.query(
            IndexName="ByStatus",
            KeyConditionExpression="GSI1PK = :s",
            ExpressionAttributeValues={":s": {"S": f"STATUS#{status}"}},
            ScanIndexForward=False,
        )
    ]


def list_page_costs(sizes: tuple[int, ...] = (1_000, 10_000, 100_000)) -> list[dict[str, Any]]:
    os.environ.update({"AWS_ACCESS_KEY_ID": "bench", "AWS_SECRET_ACCESS_KEY": "bench", "AWS_DEFAULT_REGION": REGION})
    os.environ.pop("AWS_ENDPOINT_URL", None)
    return [row for employers in sizes for row in _one_size(employers)]


if __name__ == "__main__":
    for row in list_page_costs():
        print(row)
