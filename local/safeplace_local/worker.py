"""One warm Lambda execution environment: imports a handler once and runs it for each event it is sent.

Started by workers.WorkerPool with the function's code directory as its working directory and first
import path (as /var/task is on Lambda) and the function's own environment. It reads one JSON request
per line on stdin and writes one JSON answer per line on the protocol pipe; the handler's own output
(logs) goes to stderr so it cannot corrupt the protocol.
"""

import importlib
import json
import os
import sys
import time
import traceback
import uuid
from datetime import datetime
from typing import Any


class Context:
    def __init__(self, function_name: str, arn: str, timeout_seconds: float) -> None:
        self.function_name = function_name
        self.function_version = "$LATEST"
        self.invoked_function_arn = arn
        self.memory_limit_in_mb = int(os.environ.get("AWS_LAMBDA_FUNCTION_MEMORY_SIZE", "512"))
        self.aws_request_id = str(uuid.uuid4())
        self.log_group_name = f"/aws/lambda/{function_name}"
        self.log_stream_name = "local"
        self._deadline = time.monotonic() + timeout_seconds

    def get_remaining_time_in_millis(self) -> int:
        return max(0, int((self._deadline - time.monotonic()) * 1000))


def main() -> None:
    protocol = os.fdopen(os.dup(sys.stdout.fileno()), "w", buffering=1)
    os.dup2(sys.stderr.fileno(), sys.stdout.fileno())
    sys.path.insert(0, os.getcwd())
    module_name, function_name = os.environ["_HANDLER"].rsplit(".", 1)
    handler = getattr(importlib.import_module(module_name), function_name)
    from safeplace import clock

    protocol.write(json.dumps({"ready": True}) + "\n")
    for line in sys.stdin:
        request = json.loads(line)
        context = Context(os.environ["AWS_LAMBDA_FUNCTION_NAME"], request["arn"], request["timeout"])
        answer: dict[str, Any]
        try:
            with clock.simulate(datetime.fromisoformat(request["now"])):
                answer = {"result": handler(request["event"], context)}
        # A Lambda runtime reports any exception the handler raises as the invocation's error; so do we.
        except Exception as error:  # noqa: BLE001
            traceback.print_exc(file=sys.stderr)
            answer = {"error": {"errorType": type(error).__name__, "errorMessage": str(error)}}
        protocol.write(json.dumps(answer, default=str) + "\n")


if __name__ == "__main__":
    main()
