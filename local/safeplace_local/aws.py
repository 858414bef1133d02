"""boto3 clients for the runtime's own moto server."""

from typing import Any, Literal

import boto3

from safeplace_local.template import REGION

# The services the runtime provisions and its tests read back. boto3's stubs know a client only by a literal
# service name, and a name outside this list is one the local stack never creates anything in.
LocalService = Literal[
    "cognito-idp", "dynamodb", "events", "iam", "lambda", "s3", "scheduler", "sesv2", "stepfunctions"
]


def local_client(service: LocalService, endpoint_url: str) -> Any:
    return boto3.client(
        service,
        endpoint_url=endpoint_url,
        region_name=REGION,
        aws_access_key_id="local",
        aws_secret_access_key="local",  # noqa: S106 - moto takes any credentials; never real ones
    )
