"""One warm Lambda execution environment: imports a handler once and runs it for each event it is sent.

Started by workers.WorkerPool with the function's code directory as its working directory (as /var/task
is on Lambda, and as `python -m` puts the working directory first on sys.path) and the function's own
environment. It reads one JSON request per line on stdin and writes one JSON answer per line on the
protocol pipe, a copy of the original stdout; the handler's own output (logs) goes to stderr so it
cannot corrupt the protocol.
"""

import importlib
import json
import os
import signal
import sys
import time
import traceback
import uuid
from datetime import datetime
from typing import IO, Any


class Context:
    def __init__(self, request_id: str, arn: str, timeout_seconds: float) -> None:
        self.function_name = os.environ["AWS_LAMBDA_FUNCTION_NAME"]
        self.function_version = os.environ.get("AWS_LAMBDA_FUNCTION_VERSION", "$LATEST")
        self.invoked_function_arn = arn
        self.memory_limit_in_mb = int(os.environ.get("AWS_LAMBDA_FUNCTION_MEMORY_SIZE", "128"))
        self.aws_request_id = request_id
        self.log_group_name = os.environ.get("AWS_LAMBDA_LOG_GROUP_NAME", "")
        self.log_stream_name = os.environ.get("AWS_LAMBDA_LOG_STREAM_NAME", "")
        self.identity = None
        self.client_context = None
        self._deadline = time.monotonic() + timeout_seconds

    def get_remaining_time_in_millis(self) -> int:
        return max(0, int((self._deadline - time.monotonic()) * 1000))


def _error(error: BaseException) -> dict[str, str]:
    traceback.print_exception(error, file=sys.stderr)
    return {"errorType": type(error).__name__, "errorMessage": str(error)}


def _init_error(error: BaseException, module_name: str) -> dict[str, str]:
    # The names and wording the Python runtime uses for a handler that cannot be loaded.
    if isinstance(error, SyntaxError):
        traceback.print_exception(error, file=sys.stderr)
        return {"errorType": "Runtime.UserCodeSyntaxError", "errorMessage": f"Syntax error in module '{module_name}'"}
    if isinstance(error, ImportError):
        traceback.print_exception(error, file=sys.stderr)
        return {"errorType": "Runtime.ImportModuleError", "errorMessage": f"Unable to import module '{module_name}'"}
    return _error(error)


def _send(protocol: IO[str], answer: dict[str, Any]) -> None:
    try:
        line = json.dumps(answer)
    except (TypeError, ValueError) as error:
        line = json.dumps(
            {"error": {"errorType": "Runtime.MarshalError", "errorMessage": f"Unable to marshal response: {error}"}}
        )
    protocol.write(line + "\n")
    protocol.flush()


def main() -> None:
    # Ctrl-C in a terminal reaches the whole process group; the runtime stops its workers itself.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    protocol = os.fdopen(os.dup(sys.stdout.fileno()), "w")
    os.dup2(sys.stderr.fileno(), sys.stdout.fileno())
    module_name, function_name = os.environ["_HANDLER"].rsplit(".", 1)
    try:
        handler = getattr(importlib.import_module(module_name), function_name)
    # Anything the handler's module raises while loading is the function's init error, reported as Lambda does.
    except Exception as error:  # noqa: BLE001
        _send(protocol, {"init_error": _init_error(error, module_name)})
        return
    from safeplace.core import clock

    _send(protocol, {"ready": True})
    for line in sys.stdin:
        request = json.loads(line)
        context = Context(request.get("request_id") or str(uuid.uuid4()), request["arn"], request["timeout"])
        answer: dict[str, Any]
        try:
            with clock.simulate(datetime.fromisoformat(request["now"])):
                answer = {"result": handler(request["event"], context)}
        # A Lambda runtime reports any exception the handler raises as the invocation's error; so do we.
        except Exception as error:  # noqa: BLE001
            answer = {"error": _error(error)}
        _send(protocol, answer)


if __name__ == "__main__":
    main()
