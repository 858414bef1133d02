"""moto's DynamoDB at the cost of the request, not of the table: what the local runtime and the tests run.

- moto 5.2 serialises every response by walking botocore's output shape value by value, after copying the result
  into plain values attribute by attribute. An item is already DynamoDB JSON (`{"name": {"S": "Hollins"}}`), so
  for the item operations those two walks are the whole cost of a request. These are answered with moto's own
  DynamoDB JSON encoder over the result as it is; errors and every other operation keep moto's serialiser.
- moto finds a base-table Query's items by sorting every item in the table and keeping one partition's. Here
  the query sees only its partition, which is what DynamoDB reads; moto's own logic does the rest.
- moto refuses a transaction of more than 25 items, DynamoDB's limit until 2022; it is 100 now, and the audit
  check moves its checkpoints in transactions of that size.
"""

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from moto.core.responses import ActionResult
from moto.dynamodb import responses as dynamodb_responses
from moto.dynamodb.models.dynamo_type import DynamoType, Item
from moto.dynamodb.models.table import Table
from moto.dynamodb.models.utilities import dynamo_json_dump, dynamo_to_dict
from moto.dynamodb.responses import DynamoHandler

_ITEM_ACTIONS = frozenset(
    {
        "GetItem",
        "PutItem",
        "UpdateItem",
        "DeleteItem",
        "Query",
        "Scan",
        "BatchGetItem",
        "BatchWriteItem",
        "TransactGetItems",
        "TransactWriteItems",
    }
)


def _partition(table: Table, hash_key: DynamoType) -> list[Item]:
    """The partition's items in any order: moto's query sorts them by range key itself."""
    found: Any = table.items.get(hash_key)
    if found is None:
        return []
    return list(found.values()) if table.range_key_attr else [found]


@contextmanager
def _partition_queries() -> Iterator[None]:
    original: Callable[..., Any] = Table.query

    # moto's backend passes hash_key and index_name (the eighth argument) by position.
    def query(self: Table, hash_key: DynamoType | None, *args: Any, **kwargs: Any) -> Any:
        index_name = args[6] if len(args) > 6 else kwargs.get("index_name")
        if index_name or hash_key is None:
            return original(self, hash_key, *args, **kwargs)
        partition = _partition(self, hash_key)
        # Safe to set on the shared table: atomic_dynamodb serves one request at a time.
        self.all_items = lambda: partition  # type: ignore[method-assign]
        try:
            return original(self, hash_key, *args, **kwargs)
        finally:
            del self.all_items

    Table.query = query  # type: ignore[method-assign]
    try:
        yield
    finally:
        Table.query = original  # type: ignore[method-assign]


@contextmanager
def fast_dynamodb() -> Iterator[None]:
    with _json_answers(), _partition_queries(), _transactions_of_100():
        yield


@contextmanager
def _transactions_of_100() -> Iterator[None]:
    original = dynamodb_responses.TRANSACTION_MAX_ITEMS
    dynamodb_responses.TRANSACTION_MAX_ITEMS = 100
    try:
        yield
    finally:
        dynamodb_responses.TRANSACTION_MAX_ITEMS = original


class _Unconverted(ActionResult):
    """A handler's result as it made it (moto's decorators add to it, as they do to a converted one): copied into
    plain values only when moto's own serialiser answers."""


@contextmanager
def _json_answers() -> Iterator[None]:
    original: Callable[..., Any] = DynamoHandler.serialized
    converted = dynamodb_responses.DynamoResult

    def serialized(self: DynamoHandler, action_result: ActionResult) -> Any:
        made = action_result.result
        if isinstance(made, dict) and self._get_action() in _ITEM_ACTIONS:
            headers = {"Content-Type": "application/x-amz-json-1.0", **self.response_headers}
            return 200, headers, dynamo_json_dump(made)
        if isinstance(action_result, _Unconverted):
            action_result = ActionResult(dynamo_to_dict(made))
        return original(self, action_result)

    DynamoHandler.serialized = serialized  # type: ignore[method-assign, assignment]
    dynamodb_responses.DynamoResult = _Unconverted  # type: ignore[misc, assignment]
    try:
        yield
    finally:
        DynamoHandler.serialized = original  # type: ignore[method-assign]
        dynamodb_responses.DynamoResult = converted  # type: ignore[misc]
