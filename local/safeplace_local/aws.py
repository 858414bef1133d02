"""boto3 clients for the runtime's own moto server."""

from typing import Any

import boto3

from safeplace_local.template import REGION


def local_client(service: str, endpoint_url: str) -> Any:
    return boto3.client(
        service,
        endpoint_url=endpoint_url,
        region_name=REGION,
        aws_access_key_id="local",
        aws_secret_access_key="local",  # noqa: S106 - moto takes any credentials; never real ones
    )
