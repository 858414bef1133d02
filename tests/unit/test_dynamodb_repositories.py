"""The store is a table and one repository per aggregate over it, and nothing more."""

import subprocess
import sys
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
    assert {name for name in dir(Store) if not name.startswith("_")} == set(REPOSITORIES)
    assert all(getattr(store, name) is getattr(store, name) for name in REPOSITORIES)  # one of each per store
    assert {name for name in vars(store)} == {*REPOSITORIES, "table"}


def test_a_repository_is_loaded_only_when_a_use_case_first_asks_for_it():
    # Given a fresh interpreter, as a cold start is
    probe = (
        "import sys; from safeplace.adapters.dynamodb import Store; from safeplace.core.retention import Retention; "
        "store = Store('t', Retention(link_days=90, audit_years=7), client=object()); store.employers; "
        "print(sorted(m for m in sys.modules if m.startswith('safeplace.adapters.dynamodb.')))"
    )
    # When it uses the employers' repository only
    loaded = subprocess.run(  # noqa: S603 - our own interpreter running a fixed probe
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True
    ).stdout
    # Then the speaker bookings' module (and the speaker models it brings) was never imported
    assert "safeplace.adapters.dynamodb.employers" in loaded
    assert "safeplace.adapters.dynamodb.bookings" not in loaded
