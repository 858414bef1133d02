from datetime import UTC, datetime, timedelta

import pytest

from safeplace.adapters.dynamodb import Store
from safeplace.core import links
from safeplace.core.audit import AuditEvent
from safeplace.core.errors import LinkNotUsable
from safeplace.core.links import LinkPurpose
from safeplace.onboarding.models import Employer, EmployerStatus
from tests.support.builders import a_submission, an_employer
from tests.support.fakes import InMemoryLinks
from tests.support.records import invite

NOW = datetime(2026, 3, 2, 10, 0, tzinfo=UTC)
WEEK = timedelta(days=7)
FORM = LinkPurpose.ONBOARDING_FORM


def an_invited_employer(store: Store) -> Employer:
    return invite(store, an_employer(NOW))


def submit(store: Store, employer: Employer, link, at: datetime) -> None:
    after = employer.model_copy(update={"version": employer.version + 1, "status": EmployerStatus.SUBMITTED})
    store.employers.record_submission(
        employer, after, a_submission(), link, AuditEvent(subject=employer.subject, action="x", actor="y"), at
    )


def test_a_token_has_256_bits_and_only_its_hash_is_stored(store: Store):
    employer = an_invited_employer(store)
    issued = links.issue(store.links, employer.id, FORM, now=NOW, valid_for=WEEK)
    assert len(issued.token) == 43  # 32 bytes, url-safe base64
    assert issued.link.token_hash == links.token_hash(issued.token) != issued.token
    stored = store.table.client.get_item(
        TableName=store.table.name, Key={"PK": {"S": f"LINK#{issued.link.token_hash}"}, "SK": {"S": "LINK"}}
    )["Item"]
    assert issued.token not in str(stored)


def test_looking_at_a_link_changes_nothing():
    stored, employer = InMemoryLinks(), an_employer(NOW)
    issued = links.issue(stored, employer.id, FORM, now=NOW, valid_for=WEEK)
    for _ in range(3):
        assert links.resolve(stored, issued.token, FORM, now=NOW).subject_id == employer.id
    assert stored.get_link(issued.link.token_hash).used_at is None


@pytest.mark.parametrize("token", ["", "short", "x" * 43, "../../etc/passwd" + "a" * 27])
def test_wrong_tokens_are_not_usable(token: str):
    with pytest.raises(LinkNotUsable):
        links.resolve(InMemoryLinks(), token, FORM, now=NOW)


def test_a_link_expires():
    stored, employer = InMemoryLinks(), an_employer(NOW)
    issued = links.issue(stored, employer.id, FORM, now=NOW, valid_for=WEEK)
    links.resolve(stored, issued.token, FORM, now=NOW + WEEK - timedelta(seconds=1))
    with pytest.raises(LinkNotUsable):
        links.resolve(stored, issued.token, FORM, now=NOW + WEEK)


def test_an_expired_link_cannot_be_consumed_even_if_resolved_just_before(store: Store):
    employer = an_invited_employer(store)
    issued = links.issue(store.links, employer.id, FORM, now=NOW, valid_for=WEEK)
    with pytest.raises(LinkNotUsable):
        submit(store, employer, issued.link, NOW + WEEK + timedelta(seconds=1))
    assert store.employers.get_submission(employer.id) is None


def test_reissuing_revokes_the_previous_link(store: Store):
    employer = an_invited_employer(store)
    first = links.issue(store.links, employer.id, FORM, now=NOW, valid_for=WEEK)
    second = links.issue(store.links, employer.id, FORM, now=NOW + timedelta(hours=1), valid_for=WEEK)
    with pytest.raises(LinkNotUsable):
        links.resolve(store.links, first.token, FORM, now=NOW + timedelta(hours=2))
    assert links.resolve(store.links, second.token, FORM, now=NOW + timedelta(hours=2))
    assert store.links.current_link_hash(employer.id, FORM) == second.link.token_hash


def test_a_link_is_used_once(store: Store):
    employer = an_invited_employer(store)
    issued = links.issue(store.links, employer.id, FORM, now=NOW, valid_for=WEEK)
    submit(store, employer, issued.link, NOW)
    with pytest.raises(LinkNotUsable):
        links.resolve(store.links, issued.token, FORM, now=NOW)
    with pytest.raises(LinkNotUsable):
        submit(store, store.employers.get_employer(employer.id), issued.link, NOW)


def test_two_clicks_that_both_saw_a_usable_link_record_once(store: Store):
    # Given two requests (a double click) that both read the link as usable before either acted.
    # The interleaving is made explicit rather than raced with threads: DynamoDB serialises transactions,
    # but moto's transactions are not atomic under threads, so a threaded test here would test moto.
    employer = an_invited_employer(store)
    issued = links.issue(store.links, employer.id, FORM, now=NOW, valid_for=WEEK)
    first = links.resolve(store.links, issued.token, FORM, now=NOW)
    second = links.resolve(store.links, issued.token, FORM, now=NOW)
    # When both act, Then the conditional write lets exactly one through
    submit(store, employer, first, NOW)
    with pytest.raises(LinkNotUsable):
        # with the employer's current version, so only the link's condition can refuse it
        submit(store, store.employers.get_employer(employer.id), second, NOW)
    assert store.employers.get_employer(employer.id).version == 2
    entries, _ = store.audit.audit_trail(employer.subject)
    assert [e.action for e in entries] == ["employer.invited", "x"]
