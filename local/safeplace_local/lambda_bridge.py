"""Replaces the one step moto needs Docker for: running a Lambda function's code.

Everything that invokes a function through the Lambda API (moto's Step Functions interpreter, a handler,
a test with boto3) reaches LambdaBackend.invoke; for the template's functions this runs the handler in
the runtime's warm workers instead. A handler's exception comes back as AWS reports it, a FunctionError
with {errorType, errorMessage}, so the ASL's Retry and Catch match the error name exactly as on AWS.
"""

import json
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from typing import Any

from moto.awslambda.models import LambdaBackend

from safeplace_local.workers import HandlerError


def _function_name(name_or_arn: str) -> str:
    name = name_or_arn.split(":function:", 1)[-1]
    return name.split(":", 1)[0]


@contextmanager
def route_invocations(functions: set[str], invoke: Callable[[str, Any], Any]) -> Iterator[None]:
    original = LambdaBackend.invoke

    def run_in_worker(
        self: LambdaBackend,
        function_name: str,
        qualifier: str | None,
        body: Any,
        headers: Any,
        response_headers: Any,
    ) -> bytes:
        name = _function_name(function_name)
        if name not in functions:
            return original(self, function_name, qualifier, body, headers, response_headers)  # type: ignore[return-value]
        self.get_function(name, qualifier)  # an unknown version or alias fails as it does on AWS
        event = json.loads(body) if body else {}
        invocation_type = headers.get("X-Amz-Invocation-Type", "RequestResponse")
        if invocation_type == "DryRun":
            return b""
        if invocation_type == "Event":
            # Lambda queues an asynchronous invocation and answers 202 at once; its result goes nowhere.
            threading.Thread(target=_quietly, args=(invoke, name, event), daemon=True).start()
            return b""
        try:
            payload = json.dumps(invoke(name, event)).encode()
        except HandlerError as error:
            response_headers["x-amz-function-error"] = "Unhandled"
            payload = json.dumps(error.payload).encode()
        response_headers["Content-Length"] = str(len(payload))
        return payload

    LambdaBackend.invoke = run_in_worker  # type: ignore[method-assign]
    try:
        yield
    finally:
        LambdaBackend.invoke = original  # type: ignore[method-assign]


def _quietly(invoke: Callable[[str, Any], Any], name: str, event: Any) -> None:
    # The worker has logged the traceback; an asynchronous caller never sees the error.
    with suppress(HandlerError):
        invoke(name, event)
