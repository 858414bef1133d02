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


# -- verified from a checkpoint ------------------------------------------------------------------------------

LONG = [("check.approved", str(i)) for i in range(8)]


def checked_at(entries: list[AuditEntry], seq: int) -> audit.AuditCheckpoint:
    """The checkpoint a check leaves after verifying the trail up to entry `seq`."""
    entry = entries[seq - 1]
    return audit.AuditCheckpoint(subject=SUBJECT, seq=seq, hash=entry.hash, at=entry.at, checked_at=entry.at)


def rehashed_from(
    entries: list[AuditEntry], index: int, edited: AuditEntry
) -> tuple[list[AuditEntry], audit.AuditHead]:
    """The trail as someone who knows the chain would leave it: one entry edited and every later hash recomputed."""
    head = audit.head_after(entries[index - 1]) if index else audit.AuditHead(subject=SUBJECT)
    rewritten = list(entries[:index])
    for original in [edited, *entries[index + 1 :]]:
        event = AuditEvent(subject=SUBJECT, action=original.action, actor=original.actor, details=original.details)
        entry = audit.next_entry(head, event, original.at)
        rewritten.append(entry)
        head = audit.head_after(entry)
    return rewritten, head


@given(actions, st.data())
def test_a_trail_verified_from_any_checkpoint_is_intact_and_the_checkpoint_moves_to_its_head(events, data):
    # Given a trail checked up to some entry, and entries written since
    entries, head = chain(events)
    seq = data.draw(st.integers(1, len(entries)))
    checkpoint = checked_at(entries, seq)
    # When the entries from the checkpoint's on are verified
    moved = audit.verify_since(checkpoint, entries[seq - 1 :], head, now=START, retention=RETENTION)
    # Then nothing is wrong and the checkpoint names the head
    assert moved.breaks == [] and (moved.seq, moved.hash, moved.checked_at) == (head.seq, head.hash, START)


@given(st.data())
def test_any_edit_delete_or_reorder_after_the_checkpoint_is_detected(data):
    entries, head = chain(LONG)
    seq = data.draw(st.integers(1, len(entries) - 2))
    since = entries[seq - 1 :]
    victim = data.draw(st.integers(1, len(since) - 1))
    tampering = data.draw(st.sampled_from(["edit", "delete", "reorder"]))
    if tampering == "edit":
        since[victim] = since[victim].model_copy(update={"actor": "someone.else@example.org"})
    elif tampering == "delete":
        del since[victim]
    else:
        other = victim + 1 if victim + 1 < len(since) else victim - 1
        since[victim], since[other] = (
            since[other].model_copy(update={"seq": since[victim].seq}),
            since[victim].model_copy(update={"seq": since[other].seq}),
        )
    assert audit.verify_since(checked_at(entries, seq), since, head, now=START, retention=RETENTION).breaks


def test_an_edit_to_the_checkpoints_own_entry_is_detected_when_it_is_read_again():
    entries, head = chain(LONG)
    since = entries[3:]
    since[0] = since[0].model_copy(update={"details": {"note": "changed"}})
    moved = audit.verify_since(checked_at(entries, 4), since, head, now=START, retention=RETENTION)
    assert [(b.seq, b.problem) for b in moved.breaks] == [(4, "entry was altered")]


def test_an_edit_behind_the_checkpoint_hashed_forward_to_a_new_head_changes_the_checkpoints_entry():
    # Given someone edits entry 2 and recomputes every later hash and the head, as only the chain's code could
    entries, _ = chain(LONG)
    edited = entries[1].model_copy(update={"actor": "someone.else@example.org"})
    rewritten, head = rehashed_from(entries, 1, edited)
    # When the trail is verified from a checkpoint at entry 5, Then entry 5 is not the one that was verified
    moved = audit.verify_since(checked_at(entries, 5), rewritten[4:], head, now=START, retention=RETENTION)
    assert (5, "entry was altered") in [(b.seq, b.problem) for b in moved.breaks]


def test_a_crude_edit_or_deletion_behind_the_checkpoint_is_left_to_the_whole_trail_check():
    # Given a trail checked up to entry 6, then entry 2 edited in place and entry 3 deleted
    entries, head = chain(LONG)
    checkpoint = checked_at(entries, 6)
    tampered = [entries[0], entries[1].model_copy(update={"actor": "x"}), *entries[3:]]
    # When only the entries from the checkpoint's on are read, Then this is what incremental checking cannot see
    assert audit.verify_since(checkpoint, tampered[4:], head, now=START, retention=RETENTION).breaks == []
    # But the whole-trail check, which the daily check runs on each trail every cycle, finds both
    whole = audit.verify_whole(checkpoint, tampered, head, now=START, retention=RETENTION)
    assert [(b.seq, b.problem) for b in whole.breaks] == [(2, "entry was altered"), (3, "entry is missing")]


def test_the_whole_trail_check_does_not_trust_a_forged_checkpoint():
    entries, head = chain(LONG)
    forged = audit.AuditCheckpoint(subject=SUBJECT, seq=head.seq, hash=head.hash, at=head.at, checked_at=START)
    tampered = [*entries[:2], entries[2].model_copy(update={"actor": "x"}), *entries[3:]]
    assert audit.verify_whole(forged, tampered, head, now=START, retention=RETENTION).breaks


def test_a_deleted_checkpoint_entry_and_newest_entries_removed_with_the_head_unchanged_are_detected():
    entries, head = chain(LONG)
    checkpoint = checked_at(entries, 5)
    missing_anchor = audit.verify_since(checkpoint, entries[5:], head, now=START, retention=RETENTION)
    assert [(b.seq, b.problem) for b in missing_anchor.breaks] == [(5, "entry is missing")]
    missing_tail = audit.verify_since(checkpoint, entries[4:6], head, now=START, retention=RETENTION)
    assert [(b.seq, b.problem) for b in missing_tail.breaks] == [(7, "latest entries are missing")]


def test_a_break_stays_recorded_after_the_checkpoint_moves_past_it():
    entries, head = chain(LONG)
    since = entries[3:6]
    since[1] = since[1].model_copy(update={"actor": "x"})
    first = audit.verify_since(
        checked_at(entries, 4), since, audit.head_after(entries[5]), now=START, retention=RETENTION
    )
    # When the next check reads only the (untouched) entries after it
    later = START + timedelta(days=1)
    second = audit.verify_since(first, entries[5:], head, now=later, retention=RETENTION)
    assert second.breaks == first.breaks == [audit.ChainBreak(seq=5, problem="entry was altered")]
    assert not second.intact and second.seq == head.seq


def test_a_checkpoint_entry_purged_after_retention_is_not_a_break():
    entries, head = chain(LONG)
    later = START + RETENTION + timedelta(days=1)
    moved = audit.verify_since(checked_at(entries, 4), entries[4:], head, now=later, retention=RETENTION)
    assert moved.breaks == []
    # But the same entry gone before the retention period ends was deleted
    assert audit.verify_since(checked_at(entries, 4), entries[4:], head, now=START, retention=RETENTION).breaks


# -- what a page says -----------------------------------------------------------------------------------------


def test_a_page_shows_the_last_check_when_nothing_was_added_since():
    entries, head = chain(LONG)
    status = audit.trail_status(checked_at(entries, 8), entries[-3:], head, now=START, retention=RETENTION)
    assert (status.checked_at, status.intact, status.verified_since, status.awaiting_check) == (
        entries[-1].at,
        True,
        0,
        0,
    )


def test_a_page_verifies_the_few_entries_added_since_the_check_and_finds_an_edit_among_them():
    entries, head = chain(LONG)
    shown = entries[-4:]
    assert audit.trail_status(checked_at(entries, 6), shown, head, now=START, retention=RETENTION).verified_since == 2
    shown[-1] = shown[-1].model_copy(update={"actor": "x"})
    status = audit.trail_status(checked_at(entries, 6), shown, head, now=START, retention=RETENTION)
    assert status.breaks == [audit.ChainBreak(seq=8, problem="entry was altered")]


def test_a_page_leaves_more_entries_than_it_shows_to_the_next_check():
    entries, head = chain(LONG)
    status = audit.trail_status(checked_at(entries, 2), entries[-3:], head, now=START, retention=RETENTION)
    assert (status.awaiting_check, status.verified_since, status.intact) == (6, 0, True)
    never_checked = audit.trail_status(
        audit.AuditCheckpoint(subject=SUBJECT), entries[-3:], head, now=START, retention=RETENTION
    )
    assert (never_checked.checked_at, never_checked.awaiting_check) == (None, 8)


def test_a_page_holding_a_whole_unchecked_trail_verifies_it():
    entries, head = chain(LONG)
    tampered = [*entries[:3], entries[3].model_copy(update={"actor": "x"}), *entries[4:]]
    status = audit.trail_status(audit.AuditCheckpoint(subject=SUBJECT), tampered, head, now=START, retention=RETENTION)
    assert status.verified_since == 8 and status.breaks == [audit.ChainBreak(seq=4, problem="entry was altered")]


# -- the whole-trail cycle ------------------------------------------------------------------------------------


def test_every_subject_is_verified_whole_once_in_any_cycle_of_days_and_the_slices_are_even():
    subjects = [f"employer/emp-{n:012x}" for n in range(3000)]
    cycle = audit.FULL_CHECK_CYCLE_DAYS
    days = [START.date() + timedelta(days=d) for d in range(17, 17 + cycle)]
    slices = [{s for s in subjects if audit.full_check_slot(s) == audit.slot_of_day(day)} for day in days]
    assert sorted(s for one in slices for s in one) == sorted(subjects)
    assert max(len(one) for one in slices) <= 1.5 * len(subjects) / cycle
