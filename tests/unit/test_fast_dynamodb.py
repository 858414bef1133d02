"""The local runtime's and the tests' DynamoDB answers item requests with json.dumps: boto3 reads exactly what
moto would have answered on its own, and a query sees only its partition."""

from typing import Any

import boto3
import pytest
from botocore.exceptions import ClientError
from moto import mock_aws

from safeplace_local.fast_dynamodb import fast_dynamodb
from tests.support.project import REGION, table_properties

ITEM = {
    "PK": {"S": "EMPLOYER#emp-1"},
    "SK": {"S": "PROFILE"},
    "name": {"S": "Hollins Bakery"},
    "version": {"N": "3"},
    "cover": {"N": "10000000.5"},
    "active": {"BOOL": True},
    "nothing": {"NULL": True},
    "sites": {"L": [{"M": {"name": {"S": "Mill Lane"}, "staff": {"N": "12"}}}]},
    "tags": {"SS": ["food", "retail"]},
}
KEY = {"PK": ITEM["PK"], "SK": ITEM["SK"]}
ANOTHER = {"PK": {"S": "EMPLOYER#emp-2"}, "SK": {"S": "PROFILE"}}  # a partition the queries must not see


def every_item_request(client: Any, table: str) -> list[Any]:
    answers: list[Any] = [client.put_item(TableName=table, Item=ITEM, ReturnConsumedCapacity="TOTAL")]
    answers.append(client.get_item(TableName=table, Key=KEY, ConsistentRead=True))
    answers.append(
        client.update_item(
            TableName=table,
            Key=KEY,
            UpdateExpression="SET version = version + :one",
            ExpressionAttributeValues={":one": {"N": "1"}},
            ReturnValues="ALL_NEW",
        )
    )
    answers.append(
        client.query(
            TableName=table, KeyConditionExpression="PK = :pk", ExpressionAttributeValues={":pk": ITEM["PK"]}, Limit=1
        )
    )
    for page in range(2):  # one partition, newest first, a page at a time
        client.put_item(TableName=table, Item={"PK": ITEM["PK"], "SK": {"S": f"AUDIT#{page}"}, "n": {"N": str(page)}})
    paged = {
        "TableName": table,
        "KeyConditionExpression": "PK = :pk AND begins_with(SK, :audit)",
        "ExpressionAttributeValues": {":pk": ITEM["PK"], ":audit": {"S": "AUDIT#"}},
        "ScanIndexForward": False,
        "Limit": 1,
    }
    first = client.query(**paged)
    answers += [first, client.query(**paged, ExclusiveStartKey=first["LastEvaluatedKey"])]
    answers.append(
        client.query(
            TableName=table, KeyConditionExpression="PK = :pk", ExpressionAttributeValues={":pk": {"S": "none"}}
        )
    )
    answers.append(client.scan(TableName=table))
    answers.append(client.batch_get_item(RequestItems={table: {"Keys": [KEY]}}))
    answers.append(client.transact_get_items(TransactItems=[{"Get": {"TableName": table, "Key": KEY}}]))
    answers.append(client.delete_item(TableName=table, Key=KEY, ReturnValues="ALL_OLD"))
    for answer in answers:
        answer.pop("ResponseMetadata")
    return answers


def test_item_requests_read_back_exactly_as_moto_answers_them():
    with mock_aws():
        client = boto3.client("dynamodb", region_name=REGION)
        # Given the answers moto gives on its own
        client.create_table(TableName="employers", **table_properties())
        client.put_item(TableName="employers", Item=ANOTHER)
        with_motos = every_item_request(client, "employers")
        client.delete_table(TableName="employers")
        # When the same requests are answered as DynamoDB JSON, each query seeing only its partition
        client.create_table(TableName="employers", **table_properties())
        client.put_item(TableName="employers", Item=ANOTHER)
        with fast_dynamodb():
            fast = every_item_request(client, "employers")
    # Then boto3 reads the same
    assert fast == with_motos
    assert with_motos[1]["Item"] == ITEM
    assert [a["Items"][0]["SK"]["S"] for a in with_motos[4:6]] == ["AUDIT#1", "AUDIT#0"]


def test_a_failed_condition_is_still_the_error_dynamodb_gives():
    with mock_aws(), fast_dynamodb():
        client = boto3.client("dynamodb", region_name=REGION)
        client.create_table(TableName="fast", **table_properties())
        client.put_item(TableName="fast", Item=ITEM)
        with pytest.raises(ClientError) as refused:
            client.put_item(TableName="fast", Item=ITEM, ConditionExpression="attribute_not_exists(PK)")
    assert refused.value.response["Error"]["Code"] == "ConditionalCheckFailedException"
