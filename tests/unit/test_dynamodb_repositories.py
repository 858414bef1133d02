"""The store split into a table and repositories: `Store` still offers everything, and only hands it on."""

import inspect
from datetime import UTC, datetime
from unittest import mock

import pytest

from safeplace.adapters.dynamodb import (
    BookingRepository,
    EmployerRepository,
    HandbookRepository,
    LinkRepository,
    PlacementRepository,
    SessionRepository,
    Store,
    Table,
    WaitRepository,
)
from safeplace.core.retention import Retention
from tests.conftest import an_employer, invite

RETENTION = Retention(link_days=90, audit_years=7)
NOW = datetime(2026, 3, 2, 10, 0, tzinfo=UTC)

# Every public method of Store before it was split: the use cases and tests still call each of them on it.
BEFORE_THE_SPLIT = {
    "act_on_due", "advance_due", "append_audit", "audit_head", "audit_subjects_changed_on", "audit_trail",
    "change_spoc", "clear_wait", "create_booking", "create_employer", "current_link_hash", "delete_session",
    "due_on", "employer_placements", "get_booking", "get_draft", "get_employer", "get_handbook_copy", "get_link",
    "get_session", "get_submission", "get_wait", "handbook_version", "handbook_versions", "lapses_between",
    "latest_handbook_version", "list_bookings", "list_employers", "list_placements", "publish_handbook_version",
    "receipts", "record_placement", "record_receipt", "record_submission", "revoke_current_link", "save_booking",
    "save_draft_section", "save_employer", "save_handbook_copy", "save_link", "save_session", "save_sweep_progress",
    "save_upload", "save_wait", "speaker_register", "sweep_progress", "update_placement",
}  # fmt: skip

REPOSITORIES = {
    "employers": EmployerRepository,
    "links": LinkRepository,
    "placements": PlacementRepository,
    "handbook": HandbookRepository,
    "bookings": BookingRepository,
    "sessions": SessionRepository,
    "waits": WaitRepository,
}
# The table's own mechanics stay behind the repositories; only the audit trail is read and written directly.
TABLE_METHODS = {"audit_head", "audit_trail", "audit_subjects_changed_on", "append_audit"}


def _public(cls: type) -> set[str]:
    return {name for name, member in vars(cls).items() if inspect.isfunction(member) and not name.startswith("_")}


DELEGATED = sorted(
    [(attribute, name) for attribute, cls in REPOSITORIES.items() for name in _public(cls)]
    + [("table", name) for name in TABLE_METHODS]
)


def test_the_store_still_has_every_method_it_had():
    assert _public(Store) == BEFORE_THE_SPLIT


def test_each_method_of_the_store_belongs_to_exactly_one_repository():
    owners = [name for _, name in DELEGATED]
    assert sorted(owners) == sorted(BEFORE_THE_SPLIT)


@pytest.mark.parametrize(("attribute", "name"), DELEGATED)
def test_the_store_hands_each_call_to_its_repository_unchanged(attribute: str, name: str):
    store = Store("safeplace-test", RETENTION, client=object())
    owner = getattr(type(store.table) if attribute == "table" else REPOSITORIES[attribute], name)
    assert inspect.signature(getattr(Store, name)) == inspect.signature(owner)
    repository = mock.Mock()
    setattr(store, attribute, repository)
    args, kwargs = [], {}
    for parameter in list(inspect.signature(owner).parameters.values())[1:]:
        value = getattr(mock.sentinel, parameter.name)
        if parameter.kind is parameter.KEYWORD_ONLY:
            kwargs[parameter.name] = value
        else:
            args.append(value)
    result = getattr(store, name)(*args, **kwargs)
    getattr(repository, name).assert_called_once_with(*args, **kwargs)
    returns = inspect.signature(owner).return_annotation
    assert result is (None if returns is None else getattr(repository, name).return_value)


def test_the_repositories_share_one_table_and_make_no_client_until_one_is_needed(monkeypatch):
    made: list[str] = []

    def client(service: str) -> object:
        made.append(service)
        return mock.sentinel.client

    monkeypatch.setattr("boto3.client", client)
    store = Store("safeplace-test", RETENTION)
    assert all(getattr(store, attribute).table is store.table for attribute in REPOSITORIES)
    assert made == []
    assert store.client is store.table.client is mock.sentinel.client
    assert made == ["dynamodb"]


def test_what_the_store_writes_its_repositories_read(store: Store):
    employer = invite(store, an_employer(NOW))
    assert store.employers.get_employer(employer.id) == store.get_employer(employer.id) == employer
    assert isinstance(store.table, Table) and store.table_name == store.table.name == "safeplace-test"
