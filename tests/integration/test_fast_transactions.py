"""The local runtime's TransactWriteItems keeps moto's all-or-nothing outcome without copying the table."""

import boto3
import pytest
from botocore.exceptions import ClientError

from safeplace_local.fast_transactions import fast_transactions
from tests.support.project import REGION


def s(value: str) -> dict[str, str]:
    return {"S": value}


def test_a_cancelled_transaction_changes_nothing_and_a_good_one_changes_everything(store):
    client = boto3.client("dynamodb", region_name=REGION)
    table = store.table.name
    client.put_item(TableName=table, Item={"PK": s("B"), "SK": s("1"), "v": s("before")})
    client.put_item(TableName=table, Item={"PK": s("D"), "SK": s("1"), "v": s("kept")})
    with fast_transactions():
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
