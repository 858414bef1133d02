"""The store is a table and one repository per aggregate over it, and nothing more."""

from datetime import UTC, datetime
from unittest import mock

from safeplace.adapters.dynamodb import (
    Store,
    Table,
)
from safeplace.core.retention import Retention
from tests.support.builders import an_employer
from tests.support.records import invite

RETENTION = Retention(link_days=90, audit_years=7)
NOW = datetime(2026, 3, 2, 10, 0, tzinfo=UTC)

REPOSITORIES = ("audit", "employers", "links", "placements", "handbook", "bookings", "sessions", "waits")


def test_the_repositories_share_one_table_and_make_no_client_until_one_is_needed(monkeypatch):
    made: list[str] = []

    def client(service: str) -> object:
        made.append(service)
        return mock.sentinel.client

    monkeypatch.setattr("boto3.client", client)
    store = Store("safeplace-test", RETENTION)
    assert all(getattr(store, attribute).table is store.table for attribute in REPOSITORIES)
    assert made == []
    assert store.table.client is store.table.client is mock.sentinel.client
    assert made == ["dynamodb"]


def test_what_one_store_writes_another_over_the_same_table_reads(store: Store):
    employer = invite(store, an_employer(NOW))
    again = Store(store.table.name, RETENTION, client=store.table.client)
    assert again.employers.get_employer(employer.id) == employer
    assert isinstance(again.table, Table) and again.table.name == "safeplace-test"


def test_the_store_offers_only_its_repositories_and_the_table():
    store = Store("safeplace-test", RETENTION, client=object())
    assert {name for name in vars(store)} == {*REPOSITORIES, "table"}
    assert not [name for name in dir(Store) if not name.startswith("_")]
