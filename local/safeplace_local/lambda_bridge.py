"""Replaces the one step moto needs Docker for: running a Lambda function's code.

moto's Step Functions interpreter invokes Lambda through the Lambda API; this sends those invocations
to the runtime's warm workers. A handler's exception comes back as AWS reports it, a FunctionError with
{errorType, errorMessage}, so the ASL's Retry and Catch match the error name exactly as on AWS.
"""

import json
from collections.abc import Callable, Iterator
from contextlib import contextmanager
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
    ) -> Any:
        name = _function_name(function_name)
        if name not in functions:
            return original(self, function_name, qualifier, body, headers, response_headers)
        event = json.loads(body) if body else {}
        try:
            result = invoke(name, event)
        except HandlerError as error:
            response_headers["x-amz-function-error"] = "Unhandled"
            return json.dumps(error.payload).encode()
        return json.dumps(result).encode()

    LambdaBackend.invoke = run_in_worker  # type: ignore[method-assign]
    try:
        yield
    finally:
        LambdaBackend.invoke = original  # type: ignore[method-assign]
