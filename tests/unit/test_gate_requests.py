"""What one placement decision costs in DynamoDB requests, counted at the boto3 client against moto.

The gate reads the employer, its answers, each SPOC's latest receipt and (unless it holds one read in the last
minute) the current material handbook version in one BatchGetItem, and writes in one TransactWriteItems.
"""

from collections import Counter
from datetime import UTC, date, datetime, timedelta

import pytest

from safeplace.adapters.dynamodb import Store
from safeplace.adapters.dynamodb.handbook import (
    CURRENT_HELD_SECONDS,
    CURRENT_MATERIAL,
    HandbookRepository,
    latest_receipts_key,
)
from safeplace.adapters.dynamodb.placements import PlacementRepository
from safeplace.adapters.dynamodb.table import to_item
from safeplace.core import audit
from safeplace.core.audit import AuditEvent
from safeplace.core.retention import RecordKind
from safeplace.onboarding.models import Check, CheckStatus, CheckType, Employer, EmployerStatus, new_employer_id
from safeplace.placements.models import PlacementRequest, PlacementStatus
from safeplace.placements.record_placement import record_placement
from safeplace.placements.release_placements import release_placements
from safeplace.staff.models import Role, StaffUser
from tests.support.aws import requests_to
from tests.support.builders import a_submission, an_employer
from tests.support.fakes import RecordingMailer
from tests.support.records import a_published_version, a_stored_submission, invite, signed_for

NOW = datetime(2027, 8, 1, 9, 0, tzinfo=UTC)
SAM = StaffUser(username="sam", email="sam.staff@example.org", roles=frozenset({Role.STAFF}))
HANDBOOK_UNMET = "the SPOC's receipt of the current employer handbook"
# Signed, not approved: the receipt is the SPOC's act, which no reviewer approves.
HANDBOOK_UNSIGNED = "Not yet signed by the SPOC: the current employer handbook"


class Ticks:
    """The function's own clock, moved by hand."""

    def __init__(self) -> None:
        self.seconds = 1000.0

    def __call__(self) -> float:
        return self.seconds


def an_employer_whose_checks_passed(store: Store) -> Employer:
    invited = invite(store, an_employer(NOW, id=new_employer_id()))
    employer = a_stored_submission(store, invited, a_submission(NOW.date(), invited.id), NOW)
    passed = employer.moved_to(
        EmployerStatus.CHECKS_PASSED,
        NOW,
        checks=[Check(type=t, status=CheckStatus.APPROVED, updated_at=NOW) for t in CheckType],
    )
    store.employers.save_employer(employer, passed, AuditEvent(subject=employer.subject, action="x", actor="y"))
    return passed


def a_request(employer_id: str, start: date = date(2027, 9, 6)) -> PlacementRequest:
    return PlacementRequest(
        learner_reference="L-2027-0042",
        date_of_birth=date(2010, 3, 4),
        employer_id=employer_id,
        site="Mill Lane bakery",
        start_date=start,
        assessor="Pat Assessor",
    )


def a_gate(store: Store, ticks: Ticks) -> PlacementRepository:
    """The placement records of another function over the same table, with its own clock and nothing held."""
    return PlacementRepository(store.table, HandbookRepository(store.table, clock=ticks))


def an_employer_with_history(store: Store, versions: int) -> Employer:
    """An employer whose SPOC signed every one of `versions` material versions as each came out."""
    employer = an_employer_whose_checks_passed(store)
    for number in range(1, versions + 1):
        published = NOW - timedelta(days=10 * (versions - number) + 60)
        a_published_version(store, published, summary=f"Version {number}")
        signed_for(store, employer.id, number, published + timedelta(days=1))
    return employer


@pytest.mark.parametrize("versions", [1, 12])
def test_one_gate_decision_is_one_read_and_one_transaction_however_many_versions_and_receipts(store, versions):
    # Given an employer whose SPOC signed each of `versions` handbook versions, and a function that holds none
    employer = an_employer_with_history(store, versions)
    ticks = Ticks()
    gate = a_gate(store, ticks)
    # When it places a learner (reading the handbook version), then another a moment later (holding it)
    with requests_to(store.table.client) as first:
        placed = record_placement(a_request(employer.id), SAM, placements=gate, now=NOW)
    ticks.seconds += 1
    with requests_to(store.table.client) as second:
        again = record_placement(a_request(employer.id), SAM, placements=gate, now=NOW)
    # Then each decision is one BatchGetItem and one TransactWriteItems, whatever the employer's history
    assert first == second == Counter({"BatchGetItem": 1, "TransactWriteItems": 1})
    assert placed.status is again.status is PlacementStatus.ACTIVE, placed.unmet


def test_the_cost_of_a_decision_does_not_depend_on_the_other_employers(store):
    # Given one employer, then forty more with their own handbook receipts
    employer = an_employer_with_history(store, 1)
    gate = a_gate(store, Ticks())
    with requests_to(store.table.client) as alone:
        record_placement(a_request(employer.id), SAM, placements=gate, now=NOW)
    for _ in range(40):
        other = an_employer_whose_checks_passed(store)
        signed_for(store, other.id, 1, NOW)
    # When the first is gated again, from a function that must read the handbook version afresh
    with requests_to(store.table.client) as among_many:
        record_placement(a_request(employer.id), SAM, placements=a_gate(store, Ticks()), now=NOW)
    # Then it costs what it cost alone
    assert among_many == alone == Counter({"BatchGetItem": 1, "TransactWriteItems": 1})


def test_a_version_published_elsewhere_reaches_the_gate_once_the_one_it_holds_is_a_minute_old(store):
    # Given an employer that signed version 1, and a function whose gate has read version 1
    employer = an_employer_with_history(store, 1)
    ticks = Ticks()
    gate = a_gate(store, ticks)
    assert record_placement(a_request(employer.id), SAM, placements=gate, now=NOW).unmet == []
    # When another function publishes a material version 2 (with 30 days' grace) and a learner starts after it
    a_published_version(store, NOW, summary="New absence rules")
    later = a_request(employer.id, start=date(2027, 10, 1))
    # Then within the minute the gate still decides on version 1...
    ticks.seconds += CURRENT_HELD_SECONDS - 1
    assert record_placement(later, SAM, placements=gate, now=NOW).unmet == []
    # ...and after it, on version 2
    ticks.seconds += 2
    assert record_placement(later, SAM, placements=gate, now=NOW).unmet == [
        f"Expires before the start date: {HANDBOOK_UNMET}"
    ]


def test_releasing_learners_reads_the_current_version_even_while_one_is_held(store):
    # Given a gate holding version 1, and a learner blocked for want of the SPOC's receipt of version 2
    employer = an_employer_with_history(store, 1)
    gate = a_gate(store, Ticks())
    record_placement(a_request(employer.id), SAM, placements=gate, now=NOW)
    a_published_version(store, NOW - timedelta(days=40), summary="Version 2")
    blocked = record_placement(a_request(employer.id), SAM, placements=store.placements, now=NOW)
    assert blocked.status is PlacementStatus.BLOCKED
    # When the gate of the function that held version 1 runs again for the employer
    released = release_placements(employer.id, placements=gate, mailer=RecordingMailer(), now=NOW)
    # Then it decides on version 2: nothing is released
    assert released == []


def test_a_function_that_publishes_a_version_gates_on_it_at_once(store):
    # Given an employer that signed version 1, gated once by this function
    employer = an_employer_with_history(store, 1)
    assert record_placement(a_request(employer.id), SAM, placements=store.placements, now=NOW).unmet == []
    # When this function publishes a material version 2 whose grace has passed
    a_published_version(store, NOW - timedelta(days=40), summary="Version 2")
    # Then its very next decision asks for the receipt of version 2
    placed = record_placement(a_request(employer.id), SAM, placements=store.placements, now=NOW)
    assert placed.unmet == [f"Expires before the start date: {HANDBOOK_UNMET}"]


def test_receipts_and_versions_stored_before_the_gates_own_items_still_count_and_are_read_once(store):
    # Given an employer that signed version 1 and then version 2, stored as before this change: neither the
    # employer's RECEIPTS item nor the handbook's CURRENT item exists
    employer = an_employer_with_history(store, 2)
    for key in (latest_receipts_key(employer.id), CURRENT_MATERIAL):
        store.table.call("delete_item", TableName=store.table.name, Key=to_item(key))
    gate = a_gate(store, Ticks())
    # When a learner is placed, and another from a function that holds nothing
    with requests_to(store.table.client) as first:
        placed = record_placement(a_request(employer.id), SAM, placements=gate, now=NOW)
    with requests_to(store.table.client) as next_time:
        again = record_placement(a_request(employer.id), SAM, placements=a_gate(store, Ticks()), now=NOW)
    # Then the first reads the versions and the receipts as before and writes both items...
    assert first == Counter({"BatchGetItem": 1, "Query": 2, "PutItem": 1, "UpdateItem": 1, "TransactWriteItems": 1})
    assert placed.status is PlacementStatus.ACTIVE, placed.unmet
    # ...and the next one is one read and one transaction, deciding the same
    assert next_time == Counter({"BatchGetItem": 1, "TransactWriteItems": 1})
    assert again.status is PlacementStatus.ACTIVE, again.unmet
    # And an employer whose SPOC never signed is read once the same way, and then blocked in two requests
    unsigned = an_employer_whose_checks_passed(store)
    record_placement(a_request(unsigned.id), SAM, placements=gate, now=NOW)
    with requests_to(store.table.client) as unsigned_again:
        blocked = record_placement(a_request(unsigned.id), SAM, placements=gate, now=NOW)
    assert unsigned_again == Counter({"BatchGetItem": 1, "TransactWriteItems": 1})
    assert blocked.unmet == [HANDBOOK_UNSIGNED]


def test_a_new_placement_starts_its_own_audit_trail_and_carries_the_ttl_of_its_retention(store):
    # Given an employer whose checks passed
    employer = an_employer_with_history(store, 1)
    # When a learner is placed
    placed = record_placement(a_request(employer.id), SAM, placements=store.placements, now=NOW)
    # Then its trail starts at one and verifies
    entries, head = store.audit.audit_trail(placed.subject)
    assert [e.seq for e in entries] == [head.seq] == [1]
    retention = store.table.retention
    assert audit.verify(entries, head, now=NOW, retention=retention.period(RecordKind.AUDIT)) == []
    # And the placement goes when its audit entries go
    [item] = store.table.query(
        KeyConditionExpression="PK = :pk AND SK = :sk",
        ExpressionAttributeValues={":pk": {"S": f"EMPLOYER#{employer.id}"}, ":sk": {"S": f"PLACEMENT#{placed.id}"}},
    )
    assert item["ttl"] == retention.ttl(RecordKind.PLACEMENT, NOW) == retention.ttl(RecordKind.AUDIT, NOW)
