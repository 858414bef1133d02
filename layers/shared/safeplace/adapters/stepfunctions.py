"""Starts workflows and completes the tasks that wait for people."""

import json
from collections.abc import Callable
from functools import cached_property
from typing import Any

import boto3
from botocore.exceptions import ClientError

from safeplace.core.errors import TemporaryFailure

_TEMPORARY = {"ThrottlingException", "ServiceUnavailable", "InternalServerError"}


class Workflows:
    def __init__(self, client: Any = None) -> None:
        self._client = client

    @cached_property
    def client(self) -> Any:
        return self._client or boto3.client("stepfunctions")

    def _call(self, call: Callable[[], dict[str, Any]], *, nothing_to_do: set[str]) -> dict[str, Any] | None:
        """The call's answer, or None when Step Functions' error code says there is nothing left to do."""
        try:
            return call()
        except ClientError as error:
            code = error.response["Error"]["Code"]
            if code in nothing_to_do:
                return None
            if code in _TEMPORARY:
                raise TemporaryFailure(f"Step Functions is busy ({code}); try again") from error
            raise

    def start(self, state_machine_arn: str, name: str, payload: dict[str, Any]) -> bool:
        """Start an execution named from its business key; False when it was already running."""
        started = self._call(
            lambda: self.client.start_execution(
                stateMachineArn=state_machine_arn, name=name, input=json.dumps(payload)
            ),
            nothing_to_do={"ExecutionAlreadyExists"},
        )
        return started is not None

    def stop(self, state_machine_arn: str, name: str, cause: str) -> bool:
        """Stop the execution named `name`; False when it had already finished or never ran."""
        machine, _, machine_name = state_machine_arn.partition(":stateMachine:")
        arn = f"{machine}:execution:{machine_name}:{name}"
        gone = {"ExecutionDoesNotExist"}
        described = self._call(lambda: self.client.describe_execution(executionArn=arn), nothing_to_do=gone)
        if described is None or described["status"] != "RUNNING":
            return False
        stopped = self._call(
            lambda: self.client.stop_execution(executionArn=arn, error="Withdrawn", cause=cause), nothing_to_do=gone
        )
        return stopped is not None

    def complete(self, task_token: str, output: dict[str, Any]) -> bool:
        """Resume a waiting task; False when the task had already finished or timed out."""
        completed = self._call(
            lambda: self.client.send_task_success(taskToken=task_token, output=json.dumps(output)),
            nothing_to_do={"TaskDoesNotExist", "TaskTimedOut", "InvalidToken"},
        )
        return completed is not None
