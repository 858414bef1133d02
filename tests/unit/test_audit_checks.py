"""The daily audit check against moto: each trail read from its checkpoint, the request count following the day's
entries, tampering found before and after the checkpoint, and the history pages showing the last check."""

from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, date, datetime, timedelta
from itertools import count, islice
from typing import Any

import pytest

from safeplace.adapters.dynamodb import Store
from safeplace.core import audit, clock
from safeplace.core.audit import AuditEvent
from safeplace.core.retention import RecordKind
from safeplace.core.verify_audit_trails import AuditVerification, verify_audit_trails
from tests.support.aws import sent_emails, text_of
from tests.support.builders import COMPLIANCE, an_employer
from tests.support.records import invite
from tests.unit.staff_api_support import RAE, call, console_get, signed_in_as, staff_api_dependencies

HISTORY_DAY = datetime(2026, 2, 2, 10, 0, tzinfo=UTC)
YESTERDAY = datetime(2026, 3, 1, 15, 0, tzinfo=UTC)
TODAY = YESTERDAY + timedelta(hours=16)
CHECKED = HISTORY_DAY + timedelta(days=1)


def subjects_outside_the_slices(*days: date, number: int) -> list[str]:
    """Employer subjects whose whole-trail day is none of these, so a check on them reads only what is new."""
    slots = {audit.slot_of_day(d) for d in days}
    found = (f"employer/emp-{n:012x}" for n in count())
    return list(islice((s for s in found if audit.full_check_slot(s) not in slots), number))


def write(store: Store, subject: str, entries: int, at: datetime) -> None:
    for i in range(entries):
        store.table.append_audit(AuditEvent(subject=subject, action=f"step.{i}", actor="sam"), at)


def check(deps: Any, now: datetime) -> AuditVerification:
    return verify_audit_trails(audit=deps.store.audit, mailer=deps.mailer, compliance_team=COMPLIANCE, now=now)


@contextmanager
def dynamodb_reads(store: Store) -> Iterator[Counter[str]]:
    """DynamoDB requests by operation, and the items they returned under "items read", counted at botocore."""
    counted: Counter[str] = Counter()

    def after(model: Any, parsed: dict[str, Any], **_: Any) -> None:
        counted[model.name] += 1
        counted["items read"] += len(parsed.get("Items", [])) + sum(
            len(found) for found in parsed.get("Responses", {}).values()
        )
        counted["items read"] += 1 if "Item" in parsed else 0

    events = store.table.client.meta.events
    events.register("after-call.dynamodb", after)
    try:
        yield counted
    finally:
        events.unregister("after-call.dynamodb", after)


def history(deps: Any, subjects: list[str], entries: int) -> None:
    """Each subject's long history, already verified by the check of the day after it was written."""
    for subject in subjects:
        write(deps.store, subject, entries, HISTORY_DAY)
    assert check(deps, CHECKED).broken == {}


def entry_key(subject: str, seq: int) -> dict[str, Any]:
    return {"PK": {"S": f"AUDIT#{subject}"}, "SK": {"S": f"ENTRY#{seq:010d}"}}


def edit(store: Store, subject: str, seq: int, actor: str = "nobody") -> None:
    store.table.client.update_item(
        TableName=store.table.name,
        Key=entry_key(subject, seq),
        UpdateExpression="SET #e.actor = :who",
        ExpressionAttributeNames={"#e": "entry"},
        ExpressionAttributeValues={":who": {"S": actor}},
    )


def swap(store: Store, subject: str, first: int, second: int) -> None:
    """Reorder two entries: each one's content stored under the other's key, its sequence number changed to fit."""
    client, name = store.table.client, store.table.name
    items = [client.get_item(TableName=name, Key=entry_key(subject, s))["Item"] for s in (first, second)]
    for item, seq in zip(items, (second, first), strict=True):
        item["SK"] = {"S": f"ENTRY#{seq:010d}"}
        item["entry"]["M"]["seq"] = {"N": str(seq)}
        client.put_item(TableName=name, Item=item)


def delete(store: Store, subject: str, seq: int) -> None:
    store.table.client.delete_item(TableName=store.table.name, Key=entry_key(subject, seq))


# -- the repository ----------------------------------------------------------------------------------------


def test_the_day_index_gives_each_subjects_entries_of_the_day(store):
    [one, two] = subjects_outside_the_slices(number=2)
    write(store, one, 2, HISTORY_DAY)
    write(store, one, 3, YESTERDAY)
    write(store, two, 1, YESTERDAY)
    assert store.audit.audit_written_on(YESTERDAY.date().isoformat()) == {one: [3, 4, 5], two: [1]}


def test_a_trail_is_read_from_its_checkpoints_entry_in_one_batch(sweep_deps):
    [subject] = subjects_outside_the_slices(CHECKED.date(), number=1)
    history(sweep_deps, [subject], 20)
    write(sweep_deps.store, subject, 2, YESTERDAY)
    with dynamodb_reads(sweep_deps.store) as reads:
        spans = sweep_deps.store.audit.audit_spans_since({subject: [21, 22]})
    span = spans[subject]
    assert [e.seq for e in span.entries] == [20, 21, 22]
    assert (span.checkpoint.seq, span.checkpoint.checked_at, span.head.seq) == (20, CHECKED, 22)
    assert reads == Counter({"BatchGetItem": 1, "items read": 5})


def test_a_checkpoint_further_back_than_the_day_is_read_from(sweep_deps):
    # Given a trail checked at entry 20, whose entries 21 and 22 were written on a day that was never checked
    [subject] = subjects_outside_the_slices(CHECKED.date(), number=1)
    history(sweep_deps, [subject], 20)
    write(sweep_deps.store, subject, 2, YESTERDAY - timedelta(days=3))
    write(sweep_deps.store, subject, 1, YESTERDAY)
    # When yesterday's entry is read, Then the trail is read from the checkpoint's entry, not from yesterday's
    with dynamodb_reads(sweep_deps.store) as reads:
        span = sweep_deps.store.audit.audit_spans_since({subject: [23]})[subject]
    assert [e.seq for e in span.entries] == [20, 21, 22, 23]
    assert (reads["BatchGetItem"], reads["Query"]) == (1, 1)


def test_two_checks_do_not_overwrite_each_others_checkpoint(sweep_deps):
    [subject] = subjects_outside_the_slices(CHECKED.date(), number=1)
    history(sweep_deps, [subject], 3)
    write(sweep_deps.store, subject, 1, YESTERDAY)
    span = sweep_deps.store.audit.audit_spans_since({subject: [4]})[subject]
    retention = sweep_deps.store.table.retention.period(RecordKind.AUDIT)
    first = audit.verify_since(span.checkpoint, span.entries, span.head, now=TODAY, retention=retention)
    second = first.model_copy(update={"checked_at": TODAY + timedelta(minutes=1)})
    # Given one check moved the checkpoint on from what both read
    assert sweep_deps.store.audit.move_audit_checkpoints([(span.checkpoint, first)]) == []
    # When the other tries to, Then it is told and the first one's checkpoint stands
    assert sweep_deps.store.audit.move_audit_checkpoints([(span.checkpoint, second)]) == [subject]
    assert sweep_deps.store.audit.audit_latest(subject, 1).checkpoint == first


def test_the_latest_page_its_head_and_checkpoint_are_one_request(sweep_deps):
    [subject] = subjects_outside_the_slices(CHECKED.date(), number=1)
    history(sweep_deps, [subject], 30)
    write(sweep_deps.store, subject, 2, YESTERDAY)
    with dynamodb_reads(sweep_deps.store) as reads:
        latest = sweep_deps.store.audit.audit_latest(subject, 5)
    assert [e.seq for e in latest.entries] == [28, 29, 30, 31, 32]
    assert (latest.checkpoint.seq, latest.head.seq) == (30, 32)
    assert reads == Counter({"Query": 1, "items read": 7})
    assert [e.seq for e in sweep_deps.store.audit.audit_before(subject, 28, 5)] == [23, 24, 25, 26, 27]


# -- the daily check ----------------------------------------------------------------------------------------


@pytest.mark.parametrize("earlier_entries", [5, 40])
def test_the_daily_checks_requests_and_reads_follow_the_days_entries_not_the_history(sweep_deps, earlier_entries):
    # Given three trails with a verified history of any length, and one, two and three entries written yesterday
    subjects = subjects_outside_the_slices(CHECKED.date(), TODAY.date(), number=3)
    history(sweep_deps, subjects, earlier_entries)
    for n, subject in enumerate(subjects, start=1):
        write(sweep_deps.store, subject, n, YESTERDAY)
    # When the daily check runs
    with dynamodb_reads(sweep_deps.store) as reads:
        result = check(sweep_deps, TODAY)
    # Then it reads the day's 6 entries, the checkpoint's entry, head and checkpoint of each trail, in one batch
    assert (result.subjects_checked, result.broken, result.entries_read) == (3, {}, 9)
    assert reads == Counter(
        {
            "Query": 2,  # the cycle's slice of the day, and the day's entries, by index
            "BatchGetItem": 1,
            "TransactWriteItems": 1,  # the three checkpoints moved on
            "items read": 6 + 3 * 3 + 6,
        }
    )
    latest = sweep_deps.store.audit.audit_latest(subjects[2], 1).checkpoint
    assert (latest.seq, latest.checked_at, latest.intact) == (earlier_entries + 3, TODAY, True)


def test_the_daily_checks_reads_grow_with_the_days_entries(sweep_deps):
    subjects = subjects_outside_the_slices(CHECKED.date(), TODAY.date(), number=6)
    history(sweep_deps, subjects, 3)
    for subject in subjects[:2]:
        write(sweep_deps.store, subject, 1, YESTERDAY)
    with dynamodb_reads(sweep_deps.store) as fewer:
        check(sweep_deps, TODAY)
    for subject in subjects:
        write(sweep_deps.store, subject, 1, TODAY)
    with dynamodb_reads(sweep_deps.store) as more:
        check(sweep_deps, TODAY + timedelta(days=1))
    assert fewer["items read"] == 2 + 2 * 4 and more["items read"] == 6 + 6 * 4


def test_a_trail_due_its_whole_check_is_read_whole_and_tampering_behind_the_checkpoint_is_found(sweep_deps):
    # Given a trail whose entry 2 was edited in place after the check that covered it
    [subject] = subjects_outside_the_slices(CHECKED.date(), TODAY.date(), number=1)
    history(sweep_deps, [subject], 6)
    edit(sweep_deps.store, subject, 2)
    write(sweep_deps.store, subject, 1, YESTERDAY)
    # When the daily check reads from the checkpoint, Then it cannot see the edit
    assert check(sweep_deps, TODAY).broken == {}
    # But on the trail's day of the cycle it is read whole and the edit is found
    on = TODAY + timedelta(days=1)
    while audit.slot_of_day(on.date()) != audit.full_check_slot(subject):
        on += timedelta(days=1)
    assert on - TODAY <= timedelta(days=audit.FULL_CHECK_CYCLE_DAYS)
    result = check(sweep_deps, on)
    assert result.trails_verified_whole == 1
    assert result.broken == {subject: [audit.ChainBreak(seq=2, problem="entry was altered")]}
    assert "entry 2: entry was altered" in text_of(sent_emails()[-1])


@pytest.mark.parametrize(
    ("tamper", "found"),
    [
        (lambda store, s: edit(store, s, 8), (8, "entry was altered")),
        (lambda store, s: delete(store, s, 8), (8, "entry is missing")),
        (lambda store, s: swap(store, s, 7, 8), (7, "entry was altered")),
        (lambda store, s: edit(store, s, 6), (6, "entry was altered")),  # the checkpoint's own entry
    ],
    ids=["edited after", "deleted after", "reordered after", "checkpoint entry edited"],
)
def test_tampering_from_the_checkpoint_on_raises_the_alarm(sweep_deps, tamper, found):
    # Given trails checked up to entry 6, with three entries written yesterday
    subjects = subjects_outside_the_slices(CHECKED.date(), TODAY.date(), number=2)
    history(sweep_deps, subjects, 6)
    for subject in subjects:
        write(sweep_deps.store, subject, 3, YESTERDAY)
    # When someone with table access tampers with one of them
    tamper(sweep_deps.store, subjects[1])
    result = check(sweep_deps, TODAY)
    # Then that trail is reported broken, and stays so at its checkpoint
    assert list(result.broken) == [subjects[1]]
    assert found in [(b.seq, b.problem) for b in result.broken[subjects[1]]]
    [message] = sent_emails()
    assert message["To"] == COMPLIANCE and f"entry {found[0]}: {found[1]}" in text_of(message)
    stored = sweep_deps.store.audit.audit_latest(subjects[1], 1).checkpoint
    assert (stored.seq, stored.intact) == (9, False)


# -- the history pages --------------------------------------------------------------------------------------


@pytest.fixture
def staff(store, state_machine_arn, rollout_arn, speaker_arn, sesv2):
    return staff_api_dependencies(store, state_machine_arn, rollout_arn, speaker_arn)


def employer_with_history(staff: Any, entries: int) -> Any:
    employer = invite(staff.store, an_employer(HISTORY_DAY, contact_email="kim@hollins.example"))
    if audit.full_check_slot(employer.subject) == audit.slot_of_day(CHECKED.date()):
        pytest.fail("the builder's employer falls in the check's whole-trail slice; pick another day")
    write(staff.store, employer.subject, entries - 1, HISTORY_DAY)
    return employer


def page_of(staff: Any, path: str, **query: str) -> str:
    event = console_get(path)
    if query:
        event["queryStringParameters"] = query
        event["multiValueQueryStringParameters"] = {k: [v] for k, v in query.items()}
    with clock.simulate(TODAY):
        response = call(event, staff, session=signed_in_as(RAE, staff))
    assert response["statusCode"] == 200
    return response["body"]


def test_the_employer_page_shows_the_last_check_and_verifies_the_entry_added_since(staff):
    employer = employer_with_history(staff, 10)
    verify_audit_trails(audit=staff.store.audit, mailer=staff.mailer, compliance_team=COMPLIANCE, now=CHECKED)
    write(staff.store, employer.subject, 1, YESTERDAY)
    with dynamodb_reads(staff.store) as reads:
        body = page_of(staff, f"/staff/employers/{employer.id}")
    assert "Checked on 3 February 2026, and the 1 entry added since on this page: intact." in body
    assert 'id="audit-warning"' not in body and "Entries 1 to 11 of 11" in body
    # The trail is read by one Query of its latest entries, whatever its length
    queries_of_the_trail = reads["Query"]
    write(staff.store, employer.subject, 60, YESTERDAY)
    with dynamodb_reads(staff.store) as longer:
        page_of(staff, f"/staff/employers/{employer.id}")
    assert longer["Query"] == queries_of_the_trail


def test_the_employer_page_shows_a_break_the_check_found(staff):
    employer = employer_with_history(staff, 10)
    edit(staff.store, employer.subject, 7)
    verify_audit_trails(audit=staff.store.audit, mailer=staff.mailer, compliance_team=COMPLIANCE, now=CHECKED)
    body = page_of(staff, f"/staff/employers/{employer.id}")
    assert "Checked on 3 February 2026: broken at entry 7 (entry was altered)." in body
    assert 'id="audit-warning"' in body


def test_a_long_history_is_paged_and_entries_past_a_page_await_the_next_check(staff):
    employer = employer_with_history(staff, 10)
    verify_audit_trails(audit=staff.store.audit, mailer=staff.mailer, compliance_team=COMPLIANCE, now=CHECKED)
    write(staff.store, employer.subject, 70, YESTERDAY)
    body = page_of(staff, f"/staff/employers/{employer.id}")
    assert "Checked on 3 February 2026: intact. 70 entries added since await the next daily check." in body
    assert "Entries 31 to 80 of 80" in body and 'start="80"' in body
    assert f"/staff/employers/{employer.id}?history_before=31#audit-trail" in body
    older = page_of(staff, f"/staff/employers/{employer.id}", history_before="31")
    assert "Entries 1 to 30 of 80" in older and "Earlier entries" not in older and "Newer entries" in older
    assert "Entries 31 to 80 of 80" in page_of(staff, f"/staff/employers/{employer.id}", history_before="oops")
