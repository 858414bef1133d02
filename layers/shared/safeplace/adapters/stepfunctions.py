"""Starts workflows and completes the tasks that wait for people."""

import json
from functools import cached_property
from typing import Any

import boto3
from botocore.exceptions import ClientError

from safeplace.errors import TemporaryFailure

_TEMPORARY = {"ThrottlingException", "ServiceUnavailable", "InternalServerError"}


class Workflows:
    def __init__(self, client: Any = None) -> None:
        self._client = client

    @cached_property
    def client(self) -> Any:
        return self._client or boto3.client("stepfunctions")

    def start(self, state_machine_arn: str, name: str, payload: dict[str, Any]) -> bool:
        """Start an execution named from its business key; False when it was already running."""
        try:
            self.client.start_execution(stateMachineArn=state_machine_arn, name=name, input=json.dumps(payload))
        except ClientError as error:
            code = error.response["Error"]["Code"]
            if code == "ExecutionAlreadyExists":
                return False
            if code in _TEMPORARY:
                raise TemporaryFailure(f"Step Functions is busy ({code}); try again") from error
            raise
        return True

    def stop(self, state_machine_arn: str, name: str, cause: str) -> bool:
        """Stop the execution named `name`; False when it had already finished or never ran."""
        machine = state_machine_arn.split(":stateMachine:", 1)
        execution_arn = f"{machine[0]}:execution:{machine[1]}:{name}"
        try:
            status = self.client.describe_execution(executionArn=execution_arn)["status"]
            if status != "RUNNING":
                return False
            self.client.stop_execution(executionArn=execution_arn, error="Withdrawn", cause=cause)
        except ClientError as error:
            code = error.response["Error"]["Code"]
            if code == "ExecutionDoesNotExist":
                return False
            if code in _TEMPORARY:
                raise TemporaryFailure(f"Step Functions is busy ({code}); try again") from error
            raise
        return True

    def complete(self, task_token: str, output: dict[str, Any]) -> bool:
        """Resume a waiting task; False when the task had already finished or timed out."""
        try:
            self.client.send_task_success(taskToken=task_token, output=json.dumps(output))
        except ClientError as error:
            code = error.response["Error"]["Code"]
            if code in ("TaskDoesNotExist", "TaskTimedOut", "InvalidToken"):
                return False
            if code in _TEMPORARY:
                raise TemporaryFailure(f"Step Functions is busy ({code}); try again") from error
            raise
        return True
