"""The local runtime's and the tests' DynamoDB answers item requests with json.dumps: boto3 reads exactly what
moto's own serialiser would have written."""

from typing import Any
from unittest.mock import patch

import boto3
import pytest
from botocore.exceptions import ClientError
from moto.core.responses import BaseResponse
from moto.dynamodb.responses import DynamoHandler

from safeplace_local.fast_dynamodb import fast_dynamodb_responses
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
    answers.append(client.scan(TableName=table))
    answers.append(client.batch_get_item(RequestItems={table: {"Keys": [KEY]}}))
    answers.append(client.transact_get_items(TransactItems=[{"Get": {"TableName": table, "Key": KEY}}]))
    answers.append(client.delete_item(TableName=table, Key=KEY, ReturnValues="ALL_OLD"))
    for answer in answers:
        answer.pop("ResponseMetadata")
    return answers


def test_item_requests_read_back_exactly_as_through_motos_serialiser(aws):
    client = boto3.client("dynamodb", region_name=REGION)
    # The tests' moto already answers fast: this test puts moto's own serialiser back for its first half
    with patch.object(DynamoHandler, "serialized", BaseResponse.serialized):
        # Given the answers moto's serialiser writes
        client.create_table(TableName="employers", **table_properties())
        with_motos = every_item_request(client, "employers")
        client.delete_table(TableName="employers")
        # When the same requests are answered by json.dumps
        client.create_table(TableName="employers", **table_properties())
        with fast_dynamodb_responses():
            fast = every_item_request(client, "employers")
    # Then boto3 reads the same
    assert fast == with_motos
    assert with_motos[1]["Item"] == ITEM


def test_a_failed_condition_is_still_the_error_dynamodb_gives(aws):
    client = boto3.client("dynamodb", region_name=REGION)
    client.create_table(TableName="fast", **table_properties())
    client.put_item(TableName="fast", Item=ITEM)
    with fast_dynamodb_responses(), pytest.raises(ClientError) as refused:
        client.put_item(TableName="fast", Item=ITEM, ConditionExpression="attribute_not_exists(PK)")
    assert refused.value.response["Error"]["Code"] == "ConditionalCheckFailedException"
