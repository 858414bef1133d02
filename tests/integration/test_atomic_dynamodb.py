"""The local runtime's DynamoDB: transactions keep moto's all-or-nothing outcome without copying the table, and
requests on other threads can neither undo a transaction's neighbour nor see half of one.

Another thread's request is made to arrive at the worst moment, inside a transaction, and given a moment to
finish there: moto alone would let it, the local runtime makes it wait for the transaction."""

import threading
from collections.abc import Callable
from typing import Any

import boto3
import pytest
from botocore.exceptions import ClientError
from moto.dynamodb.models import DynamoDBBackend

from safeplace_local.atomic_dynamodb import atomic_dynamodb
from tests.support.project import REGION


def s(value: str) -> dict[str, str]:
    return {"S": value}


def test_a_cancelled_transaction_changes_nothing_and_a_good_one_changes_everything(store):
    client = boto3.client("dynamodb", region_name=REGION)
    table = store.table.name
    client.put_item(TableName=table, Item={"PK": s("B"), "SK": s("1"), "v": s("before")})
    client.put_item(TableName=table, Item={"PK": s("D"), "SK": s("1"), "v": s("kept")})
    with atomic_dynamodb():
        # When one condition in a transaction fails
        with pytest.raises(ClientError) as cancelled:
            client.transact_write_items(
                TransactItems=[
                    {"Put": {"TableName": table, "Item": {"PK": s("A"), "SK": s("1")}}},
                    {
                        "Update": {
                            "TableName": table,
                            "Key": {"PK": s("B"), "SK": s("1")},
                            "UpdateExpression": "SET v = :v",
                            "ExpressionAttributeValues": {":v": s("after")},
                        }
                    },
                    {"Delete": {"TableName": table, "Key": {"PK": s("D"), "SK": s("1")}}},
                    {
                        "ConditionCheck": {
                            "TableName": table,
                            "Key": {"PK": s("C"), "SK": s("1")},
                            "ConditionExpression": "attribute_exists(PK)",
                        }
                    },
                ]
            )
        assert cancelled.value.response["Error"]["Code"] == "TransactionCanceledException"
        # Then nothing of it happened
        assert "Item" not in client.get_item(TableName=table, Key={"PK": s("A"), "SK": s("1")})
        assert client.get_item(TableName=table, Key={"PK": s("B"), "SK": s("1")})["Item"]["v"] == s("before")
        assert client.get_item(TableName=table, Key={"PK": s("D"), "SK": s("1")})["Item"]["v"] == s("kept")
        # And a transaction whose conditions hold does all of it
        client.transact_write_items(
            TransactItems=[
                {"Put": {"TableName": table, "Item": {"PK": s("A"), "SK": s("1")}}},
                {"Delete": {"TableName": table, "Key": {"PK": s("D"), "SK": s("1")}}},
            ]
        )
        assert "Item" in client.get_item(TableName=table, Key={"PK": s("A"), "SK": s("1")})
        assert "Item" not in client.get_item(TableName=table, Key={"PK": s("D"), "SK": s("1")})


# Long enough for a request moto lets in to finish many times over; the lock keeps it waiting past it.
A_MOMENT = 0.5


def meanwhile(request: Callable[[], Any]) -> threading.Thread:
    """Another thread's request, started now and given a moment to finish before this thread goes on."""
    other = threading.Thread(target=request)
    other.start()
    other.join(timeout=A_MOMENT)
    return other


def test_a_commit_made_while_a_transaction_is_cancelled_is_not_undone_by_it(store, monkeypatch):
    client = boto3.client("dynamodb", region_name=REGION)
    table = store.table.name
    key = {"PK": s("LINK"), "SK": s("1")}
    client.put_item(TableName=table, Item={**key, "v": s("unused")})
    # Given another request commits to an item while a transaction that names it is under way
    others: list[threading.Thread] = []
    moto_transaction = DynamoDBBackend.transact_write_items

    def another_commit_in_the_middle(backend: DynamoDBBackend, items: list[dict[str, Any]]) -> None:
        others.append(meanwhile(lambda: client.put_item(TableName=table, Item={**key, "v": s("used by another")})))
        moto_transaction(backend, items)

    monkeypatch.setattr(DynamoDBBackend, "transact_write_items", another_commit_in_the_middle)
    with atomic_dynamodb():
        # When the transaction is cancelled
        with pytest.raises(ClientError):
            client.transact_write_items(
                TransactItems=[
                    {
                        "Update": {
                            "TableName": table,
                            "Key": key,
                            "UpdateExpression": "SET v = :v",
                            "ExpressionAttributeValues": {":v": s("used by us")},
                        }
                    },
                    {
                        "ConditionCheck": {
                            "TableName": table,
                            "Key": {"PK": s("C"), "SK": s("1")},
                            "ConditionExpression": "attribute_exists(PK)",
                        }
                    },
                ]
            )
        others[0].join()
    # Then putting back what it touched does not undo the other commit
    assert client.get_item(TableName=table, Key=key)["Item"]["v"] == s("used by another")


def test_no_reader_sees_half_a_transaction(store, monkeypatch):
    client = boto3.client("dynamodb", region_name=REGION)
    table = store.table.name
    keys = [{"PK": s("A"), "SK": s("1")}, {"PK": s("B"), "SK": s("1")}]
    seen: list[list[dict[str, Any]]] = []

    def read_both() -> None:
        answer = client.transact_get_items(TransactItems=[{"Get": {"TableName": table, "Key": k}} for k in keys])
        seen.append([r.get("Item", {}) for r in answer["Responses"]])

    # Given a reader arrives when a transaction has written the first of its two items
    others: list[threading.Thread] = []
    moto_put = DynamoDBBackend.put_item

    def a_reader_after_the_first_put(backend: DynamoDBBackend, *args: Any, **kwargs: Any) -> Any:
        written = moto_put(backend, *args, **kwargs)
        if not others:
            others.append(meanwhile(read_both))
        return written

    monkeypatch.setattr(DynamoDBBackend, "put_item", a_reader_after_the_first_put)
    with atomic_dynamodb():
        # When the transaction writes both
        client.transact_write_items(
            TransactItems=[{"Put": {"TableName": table, "Item": {**k, "v": s("new")}}} for k in keys]
        )
        others[0].join()
    # Then the reader saw all of it, not half
    assert [item.get("v") for item in seen[0]] == [s("new"), s("new")]
