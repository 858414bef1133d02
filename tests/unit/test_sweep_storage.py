"""What the daily sweep reads and what the table keeps: milestones read in batches, lapses indexed by month, and
records that go once their retention is over."""

from collections import Counter
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

import pytest

from safeplace.adapters.dynamodb import Store, Table
from safeplace.adapters.dynamodb.employers import EmployerRepository
from safeplace.adapters.dynamodb.milestones import due_item
from safeplace.core.audit import AuditEvent
from safeplace.core.errors import TemporaryFailure
from safeplace.core.retention import RecordKind
from safeplace.onboarding.models import CheckType, Due, DueState, Milestone
from safeplace.placements.models import Placement, PlacementStatus
from tests.support.aws import requests_to
from tests.support.builders import an_employer
from tests.support.records import invite

DAY = date(2027, 3, 30)
NOW = datetime(2027, 3, 30, 5, 15, tzinfo=UTC)


def a_due(n: int, due_on: date = DAY, milestone: Milestone = Milestone.REMINDER) -> Due:
    return Due(
        employer_id=f"emp-{n:012x}",
        employer_name=f"Employer {n}",
        check=CheckType.SPOC_TRAINING,
        milestone=milestone,
        due_on=due_on,
        valid_until=due_on + timedelta(days=60 if milestone is Milestone.REMINDER else -1),
    )


def stored(store: Store, *dues: Due) -> None:
    """Milestones as an approval leaves them (save_employer writes these items in its transaction)."""
    for due in dues:
        store.table.call("put_item", TableName=store.table.name, Item=due_item(due))


def raw(store: Store, due: Due) -> dict[str, Any]:
    found = store.table.get({"PK": f"DUE#{due.employer_id}", "SK": due.key})
    assert found is not None
    return found


def test_the_milestones_of_a_day_are_read_a_hundred_at_a_time(store):
    # Given 250 milestones falling on one day, and one on the next
    dues = [a_due(n) for n in range(250)]
    stored(store, *dues, a_due(999, DAY + timedelta(days=1)))
    # When the sweep asks for the day's milestones
    with requests_to(store.table.client) as requests:
        found = store.employers.due_on(DAY)
    # Then it has every one of that day's, from one Query of the day's index and three BatchGetItems
    assert sorted(d.employer_id for d in found) == sorted(d.employer_id for d in dues)
    assert requests == Counter({"Query": 1, "BatchGetItem": 3})


class LeavesKeysUnprocessed:
    """The table's client, except that its first `times` BatchGetItems answer `answered` keys and leave the rest
    unprocessed, as DynamoDB does when a request meets its limits."""

    def __init__(self, client: Any, times: int, answered: int = 2) -> None:
        self.client = client
        self.times = times
        self.answered = answered
        self.asked: list[int] = []

    def __getattr__(self, name: str) -> Any:
        return getattr(self.client, name)

    def batch_get_item(self, RequestItems: dict[str, Any]) -> dict[str, Any]:
        [(table, wanted)] = RequestItems.items()
        self.asked.append(len(wanted["Keys"]))
        if not self.times:
            return self.client.batch_get_item(RequestItems=RequestItems)
        self.times -= 1
        keys, left = wanted["Keys"][: self.answered], wanted["Keys"][self.answered :]
        answer = self.client.batch_get_item(RequestItems={table: {**wanted, "Keys": keys}}) if keys else {}
        return {**answer, "UnprocessedKeys": {table: {**wanted, "Keys": left}}}


def test_keys_left_unprocessed_are_asked_for_again_after_a_pause(store):
    # Given five milestones due today, and DynamoDB answering only two keys of the first two requests
    dues = [a_due(n) for n in range(5)]
    stored(store, *dues)
    client = LeavesKeysUnprocessed(store.table.client, times=2)
    pauses: list[float] = []
    employers = EmployerRepository(Table(store.table.name, store.table.retention, client, pause=pauses.append))
    # When the sweep asks for them
    found = employers.due_on(DAY)
    # Then it has all five: the keys left over were asked for again, after a pause that grew
    assert sorted(d.employer_id for d in found) == sorted(d.employer_id for d in dues)
    assert client.asked == [5, 3, 1]
    assert len(pauses) == 2 and pauses[0] < pauses[1]


def test_keys_that_stay_unprocessed_are_a_temporary_failure_not_a_silent_gap(store):
    stored(store, *(a_due(n) for n in range(5)))
    # Given milestones due today that DynamoDB keeps leaving unprocessed
    client = LeavesKeysUnprocessed(store.table.client, times=100, answered=0)
    employers = EmployerRepository(Table(store.table.name, store.table.retention, client, pause=lambda _: None))
    # Then the sweep fails (and runs again on the next schedule) rather than skip them
    with pytest.raises(TemporaryFailure):
        employers.due_on(DAY)
    assert len(client.asked) == 5


def test_lapses_are_indexed_by_month_and_listed_across_a_month_boundary(store):
    # Given checks lapsing at the end of March, early in April and in May
    march, april, may = (a_due(n, day, Milestone.LAPSE) for n, day in enumerate(
        [date(2027, 3, 31), date(2027, 4, 2), date(2027, 5, 10)]
    ))  # fmt: skip
    stored(store, may, april, march)
    # When the console lists those lapsing from 29 March to 28 April
    with requests_to(store.table.client) as requests:
        listed = store.employers.lapses_between(date(2027, 3, 29), date(2027, 4, 28))
    # Then it has March's and April's, soonest first, from one Query per month and one of the old partition
    assert listed == [march, april]
    assert requests == Counter({"Query": 3})
    assert [raw(store, d)["GSI1PK"] for d in (march, april, may)] == [
        "LAPSES#2027-03",
        "LAPSES#2027-04",
        "LAPSES#2027-05",
    ]


def test_a_lapse_indexed_before_the_months_were_spread_is_still_listed(store):
    # Given a lapse stored in the one LAPSES partition, as before
    old = a_due(7, date(2027, 4, 1), Milestone.LAPSE)
    item = due_item(old)
    item["GSI1PK"] = {"S": "LAPSES"}
    store.table.call("put_item", TableName=store.table.name, Item=item)
    new = a_due(8, date(2027, 4, 3), Milestone.LAPSE)
    stored(store, new)
    # Then both are listed, in order
    assert store.employers.lapses_between(date(2027, 3, 29), date(2027, 4, 28)) == [old, new]


def test_a_milestone_carries_a_ttl_once_the_sweep_is_done_with_it(store):
    # Given a reminder due today
    due = a_due(1)
    stored(store, due)
    assert "ttl" not in raw(store, due)
    # When the sweep has changed the record but not yet sent the emails, it is kept as it is
    acted = store.employers.advance_due(due, DueState.ACTED)
    assert "ttl" not in raw(store, due)
    # And once it is done, it goes after its retention, counted from its day
    store.employers.advance_due(acted, DueState.DONE)
    retention = store.table.retention
    fell_due = datetime.combine(DAY, time(), tzinfo=UTC)
    assert raw(store, due)["ttl"] == retention.ttl(RecordKind.MILESTONE, fell_due)
    assert retention.period(RecordKind.MILESTONE) == timedelta(days=retention.link_days)


def test_a_placement_keeps_its_ttl_a_retention_period_after_it_last_changed(store):
    # Given a placement recorded, then released a month later
    employer = invite(store, an_employer(NOW))
    placement = Placement(
        learner_reference="L-0001", date_of_birth=date(2010, 3, 4), employer_id=employer.id, site="Mill Lane",
        start_date=date(2027, 5, 1), assessor="Pat", id="plc-000000000001", employer_name=employer.name,
        status=PlacementStatus.BLOCKED, unmet=["Not yet approved: x"], policy_version="2027-01",
        learner_16_to_18=True, recorded_by="sam@example.org", recorded_at=NOW, updated_at=NOW,
    )  # fmt: skip
    store.placements.record_placement(placement, employer, AuditEvent(subject=placement.subject, action="a", actor="b"))
    later = NOW + timedelta(days=30)
    released = placement.model_copy(update={"status": PlacementStatus.ACTIVE, "unmet": [], "updated_at": later})
    store.placements.update_placement(
        placement, released, employer, AuditEvent(subject=placement.subject, action="c", actor="d")
    )
    # Then it is kept for the placement retention from the release
    found = store.table.get({"PK": f"EMPLOYER#{employer.id}", "SK": f"PLACEMENT#{placement.id}"})
    assert found is not None
    assert found["ttl"] == store.table.retention.ttl(RecordKind.PLACEMENT, later)
