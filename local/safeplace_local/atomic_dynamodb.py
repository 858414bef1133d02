"""moto's DynamoDB made as atomic under concurrency as DynamoDB: one request at a time, transactions all or nothing.

moto's server answers each request on a thread of its own, and its DynamoDB has no locking: two conditional writes
can both pass their condition before either writes, a reader can see half a transaction, and a reader iterating a
table while another thread writes fails with "dictionary changed size during iteration". So one lock is held around
every DynamoDB request moto serves, from parsing to the serialised answer. It is taken per request rather than per
backend method because moto builds BatchGetItem, BatchWriteItem, TransactGetItems and the ReturnValues of a write
in its responses layer, out of several backend calls.

moto also backs up a transaction by deep-copying the whole table once per item in it, so every write costs as much
as the table is large; the runtime keeps one table for everything, so it grows all session long. This keeps moto's
own transaction logic and its all-or-nothing outcome: it copies only the items the transaction names, and puts
exactly those back when moto cancels it. That is safe only because of the lock: nobody can commit to those items
between the copy and the putting back.
"""

import copy
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from moto.dynamodb.exceptions import (
    MockValidationException,
    MultipleTransactionsException,
    TransactionCanceledException,
)
from moto.dynamodb.models import DynamoDBBackend
from moto.dynamodb.models.dynamo_type import DynamoType
from moto.dynamodb.models.table import Table
from moto.dynamodb.responses import DynamoHandler

# Re-entrant: should moto ever serve one DynamoDB request inside another on the same thread, it waits for nobody.
_ONE_REQUEST_AT_A_TIME = threading.RLock()

_Saved = tuple[Table, DynamoType, DynamoType | None, Any]


def _touched(backend: DynamoDBBackend, transact_items: list[dict[str, Any]]) -> list[_Saved]:
    saved: list[_Saved] = []
    for entry in transact_items:
        op = next(iter(entry.values()))
        table = backend.tables.get(op.get("TableName", ""))
        attributes = op.get("Key") or op.get("Item")
        if table is None or not attributes or table.hash_key_attr not in attributes:
            continue
        hash_value = DynamoType(attributes[table.hash_key_attr])
        range_value = (
            DynamoType(attributes[table.range_key_attr])
            if table.range_key_attr and table.range_key_attr in attributes
            else None
        )
        saved.append((table, hash_value, range_value, copy.deepcopy(table.get_item(hash_value, range_value))))
    return saved


def _restore(saved: list[_Saved]) -> None:
    for table, hash_value, range_value, item in reversed(saved):
        if range_value is None:
            if item is None:
                table.items.pop(hash_value, None)
            else:
                table.items[hash_value] = item
        elif item is None:
            table.items.get(hash_value, {}).pop(range_value, None)
        else:
            table.items[hash_value][range_value] = item


# What moto raises after it has begun a transaction: each means "nothing of it happened".
_CANCELLED = (TransactionCanceledException, MultipleTransactionsException, MockValidationException)


@contextmanager
def _item_rollback() -> Iterator[None]:
    original: Callable[..., None] = DynamoDBBackend.transact_write_items
    copies: Any = Table.__dict__.get("__deepcopy__")  # set already when entered inside another

    def transact_write_items(self: DynamoDBBackend, transact_items: list[dict[str, Any]]) -> None:
        saved = _touched(self, transact_items)
        try:
            original(self, transact_items)
        except _CANCELLED:
            _restore(saved)
            raise

    # moto's own backup becomes the table itself, so its "restore" changes nothing; ours restores the items.
    Table.__deepcopy__ = lambda table, memo: table  # type: ignore[attr-defined]
    DynamoDBBackend.transact_write_items = transact_write_items  # type: ignore[method-assign]
    try:
        yield
    finally:
        DynamoDBBackend.transact_write_items = original  # type: ignore[method-assign]
        if copies is None:
            del Table.__deepcopy__  # type: ignore[attr-defined]
        else:
            Table.__deepcopy__ = copies  # type: ignore[attr-defined]


@contextmanager
def _one_request_at_a_time() -> Iterator[None]:
    original: Callable[[DynamoHandler], Any] = DynamoHandler.call_action

    def call_action(self: DynamoHandler) -> Any:
        with _ONE_REQUEST_AT_A_TIME:
            return original(self)

    DynamoHandler.call_action = call_action  # type: ignore[method-assign]
    try:
        yield
    finally:
        DynamoHandler.call_action = original  # type: ignore[method-assign]


@contextmanager
def atomic_dynamodb() -> Iterator[None]:
    with _one_request_at_a_time(), _item_rollback():
        yield
