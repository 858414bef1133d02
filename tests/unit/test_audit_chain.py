from datetime import UTC, datetime, timedelta

from hypothesis import given
from hypothesis import strategies as st

from safeplace.core import audit
from safeplace.core.audit import AuditEntry, AuditEvent

START = datetime(2026, 1, 5, 9, 0, tzinfo=UTC)
RETENTION = timedelta(days=365 * 7)
SUBJECT = "employer/emp-0123456789ab"

actions = st.lists(
    st.tuples(st.sampled_from(["employer.invited", "organisation.submitted", "check.approved"]), st.text(max_size=20)),
    min_size=1,
    max_size=12,
)


def chain(events: list[tuple[str, str]], start: datetime = START) -> tuple[list[AuditEntry], audit.AuditHead]:
    head = audit.AuditHead(subject=SUBJECT)
    entries = []
    for i, (action, note) in enumerate(events):
        entry = audit.next_entry(
            head,
            AuditEvent(subject=SUBJECT, action=action, actor="rae.reviewer@example.org", details={"note": note}),
            start + timedelta(minutes=i),
        )
        entries.append(entry)
        head = audit.head_after(entry)
    return entries, head


@given(actions)
def test_an_untouched_trail_verifies(events):
    # Given a trail written by the chain
    entries, head = chain(events)
    # When it is verified, Then nothing is wrong
    assert audit.verify(entries, head, now=START, retention=RETENTION) == []


@given(actions, st.data())
def test_any_edited_entry_is_detected(events, data):
    entries, head = chain(events)
    victim = data.draw(st.integers(0, len(entries) - 1))
    edited = entries[victim].model_copy(update={"actor": "someone.else@example.org"})
    tampered = [*entries[:victim], edited, *entries[victim + 1 :]]
    breaks = audit.verify(tampered, head, now=START, retention=RETENTION)
    assert any(b.seq == edited.seq and b.problem == "entry was altered" for b in breaks)


@given(actions, st.data())
def test_any_removed_entry_is_detected(events, data):
    entries, head = chain(events)
    victim = data.draw(st.integers(0, len(entries) - 1))
    assert audit.verify(entries[:victim] + entries[victim + 1 :], head, now=START, retention=RETENTION)


def test_reordered_entries_are_detected():
    entries, head = chain([("a", "1"), ("b", "2"), ("c", "3")])
    # Swap the contents of entries 2 and 3 but keep their sequence numbers: the hashes no longer match.
    swapped = [
        entries[0],
        entries[2].model_copy(update={"seq": 2}),
        entries[1].model_copy(update={"seq": 3}),
    ]
    assert audit.verify(swapped, head, now=START, retention=RETENTION)


def test_entries_returned_out_of_order_are_reported():
    entries, head = chain([("a", "1"), ("b", "2"), ("c", "3")])
    breaks = audit.verify([entries[1], entries[0], entries[2]], head, now=START, retention=RETENTION)
    assert [b.problem for b in breaks] == ["entries out of order"]


def test_a_rewritten_tail_with_fresh_hashes_is_caught_by_the_head():
    # Given someone removes the last entry and the head was not rewritten
    entries, head = chain([("a", "1"), ("b", "2"), ("c", "3")])
    breaks = audit.verify(entries[:-1], head, now=START, retention=RETENTION)
    assert [b.problem for b in breaks] == ["latest entries are missing"]


def test_entries_purged_after_the_retention_period_are_not_a_break():
    entries, head = chain([("a", "1"), ("b", "2"), ("c", "3")])
    later = START + RETENTION + timedelta(days=1)
    # Given TTL removed the oldest entry once it was past retention
    assert audit.verify(entries[1:], head, now=later, retention=RETENTION) == []
    # But the same gap before the retention period ends is a deletion
    assert [b.problem for b in audit.verify(entries[1:], head, now=START, retention=RETENTION)] == [
        "earlier entries are missing"
    ]


def test_a_trail_with_no_entries_and_no_head_is_intact():
    assert audit.verify([], audit.AuditHead(subject=SUBJECT), now=START, retention=RETENTION) == []


def test_a_trail_emptied_before_retention_is_broken():
    _, head = chain([("a", "1")])
    assert audit.verify([], head, now=START, retention=RETENTION)
