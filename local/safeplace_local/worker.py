"""One warm Lambda execution environment: imports a handler once and runs it for each event it is sent.

Forked by workers.WorkerPool from a fork server that has already imported what every handler imports
(safeplace_local.preload), so a new environment costs its handler's own import, not the libraries'. It
takes the function's code directory as its working directory and first entry on sys.path (as /var/task is on
Lambda) and exactly the function's environment, then answers one JSON request at a time on its connection.
The handler's own output (logs) goes to stderr.
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
from multiprocessing.connection import Connection
from typing import Any


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


def _send(connection: Connection, answer: dict[str, Any]) -> None:
    try:
        line = json.dumps(answer)
    except (TypeError, ValueError) as error:
        line = json.dumps(
            {"error": {"errorType": "Runtime.MarshalError", "errorMessage": f"Unable to marshal response: {error}"}}
        )
    connection.send_bytes(line.encode())


def _become(code_dir: str, environment: dict[str, str]) -> None:
    """This process as Lambda starts the function: its code directory, its environment and nothing else."""
    os.chdir(code_dir)
    sys.path.insert(0, code_dir)
    os.environ.clear()
    os.environ.update(environment)
    os.dup2(sys.stderr.fileno(), sys.stdout.fileno())
    if "TZ" in environment:
        time.tzset()


def serve(connection: Connection, code_dir: str, environment: dict[str, str]) -> None:
    # Ctrl-C in a terminal reaches the whole process group; the runtime stops its workers itself.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    _become(code_dir, environment)
    module_name, function_name = environment["_HANDLER"].rsplit(".", 1)
    try:
        handler = getattr(importlib.import_module(module_name), function_name)
    # Anything the handler's module raises while loading is the function's init error, reported as Lambda does.
    except Exception as error:  # noqa: BLE001
        _send(connection, {"init_error": _init_error(error, module_name)})
        return
    from safeplace.core import clock

    try:
        _send(connection, {"ready": True})
    except OSError:
        return  # the runtime stopped while this environment was starting
    while True:
        try:
            request = json.loads(connection.recv_bytes())
        except (EOFError, OSError):
            return  # the runtime has gone
        context = Context(request.get("request_id") or str(uuid.uuid4()), request["arn"], request["timeout"])
        answer: dict[str, Any]
        try:
            with clock.simulate(datetime.fromisoformat(request["now"])):
                answer = {"result": handler(request["event"], context)}
        # A Lambda runtime reports any exception the handler raises as the invocation's error; so do we.
        except Exception as error:  # noqa: BLE001
            answer = {"error": _error(error)}
        _send(connection, answer)
