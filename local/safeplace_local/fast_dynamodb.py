"""moto's DynamoDB answers, written as DynamoDB's JSON protocol writes them.

moto 5.2 serialises every response by walking botocore's output shape value by value. An item is already
DynamoDB JSON (`{"name": {"S": "Hollins"}}`), so for the item operations that walk is the whole cost of a
request. This answers those with `json.dumps` of the same result; errors and every other operation keep
moto's serialiser.
"""

import json
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from moto.core.responses import ActionResult
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


@contextmanager
def fast_dynamodb_responses() -> Iterator[None]:
    original: Callable[..., Any] = DynamoHandler.serialized

    def serialized(self: DynamoHandler, action_result: ActionResult) -> Any:
        result = action_result.result
        if isinstance(result, dict) and self._get_action() in _ITEM_ACTIONS:
            headers = {"Content-Type": "application/x-amz-json-1.0", **self.response_headers}
            return 200, headers, json.dumps(result)
        return original(self, action_result)

    DynamoHandler.serialized = serialized  # type: ignore[method-assign, assignment]
    try:
        yield
    finally:
        DynamoHandler.serialized = original  # type: ignore[method-assign]
