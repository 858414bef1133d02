"""Warm worker processes per function, scaled like Lambda: a busy function gets another environment.

That matters: a handler that starts an execution can have the state machine invoke the same function
while the first invocation is still running.
"""

import json
import multiprocessing
import multiprocessing.context
import multiprocessing.forkserver
import os
import threading
import time
import uuid
from collections.abc import Callable
from datetime import datetime
from typing import Any

from safeplace_local.template import Function
from safeplace_local.worker import serve


class HandlerError(Exception):
    """An invocation that failed, with the errorType and errorMessage Lambda would report."""

    def __init__(self, error_type: str, message: str) -> None:
        super().__init__(f"{error_type}: {message}")
        self.error_type = error_type
        self.message = message

    @property
    def payload(self) -> dict[str, str]:
        return {"errorType": self.error_type, "errorMessage": self.message}


def _fork_server() -> multiprocessing.context.ForkServerContext:
    """Workers fork from one server process that imported the libraries first: a worker starts in a fraction of
    the time and shares those pages with the others, instead of each importing its own copy."""
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload(["safeplace_local.preload"])
    return context


def start_fork_server() -> None:
    """The fork server up and its libraries imported (about a second), so that the first worker need not wait."""
    _fork_server()
    multiprocessing.forkserver.ensure_running()


class _Worker:
    def __init__(self, function: Function, base_env: dict[str, str]) -> None:
        self.function = function
        env = {
            **base_env,
            **function.environment,
            "_HANDLER": function.handler,
            "LAMBDA_TASK_ROOT": str(function.code_dir),
            "AWS_EXECUTION_ENV": f"AWS_Lambda_{function.runtime}",
            "AWS_LAMBDA_FUNCTION_NAME": function.name,
            "AWS_LAMBDA_FUNCTION_VERSION": "$LATEST",
            "AWS_LAMBDA_FUNCTION_MEMORY_SIZE": str(function.memory_size),
            "AWS_LAMBDA_LOG_GROUP_NAME": f"/aws/lambda/{function.name}",
            "AWS_LAMBDA_LOG_STREAM_NAME": f"local/{uuid.uuid4().hex}",
        }
        self.idle_since = time.monotonic()
        self._connection, theirs = multiprocessing.Pipe()
        self.process = _fork_server().Process(
            target=serve, args=(theirs, str(function.code_dir), env), name=function.name, daemon=True
        )
        self.process.start()
        theirs.close()
        ready = self._answer(timeout=max(function.timeout, 10.0))  # Lambda allows 10 s of init
        if "init_error" in ready:
            self.stop()
            raise HandlerError(ready["init_error"]["errorType"], ready["init_error"]["errorMessage"])

    @property
    def pid(self) -> int | None:
        return self.process.pid

    def _answer(self, timeout: float) -> dict[str, Any]:
        try:
            if not self._connection.poll(timeout):
                # Lambda stops an environment whose invocation runs out of time, and starts a new one next time.
                self.stop()
                raise HandlerError("Sandbox.Timedout", f"Task timed out after {timeout:.2f} seconds")
            answer: dict[str, Any] = json.loads(self._connection.recv_bytes())
        except (EOFError, OSError):
            raise HandlerError("Runtime.ExitError", f"the {self.function.name} execution environment exited") from None
        return answer

    def invoke(self, event: Any, now: datetime) -> Any:
        request = {"event": event, "now": now.isoformat(), "arn": self.function.arn, "timeout": self.function.timeout}
        try:
            self._connection.send_bytes(json.dumps(request).encode())
        except (BrokenPipeError, OSError):
            raise HandlerError("Runtime.ExitError", f"the {self.function.name} execution environment exited") from None
        answer = self._answer(timeout=self.function.timeout)
        if "error" in answer:
            raise HandlerError(answer["error"]["errorType"], answer["error"]["errorMessage"])
        return answer["result"]

    @property
    def alive(self) -> bool:
        return self.process.is_alive()

    def stop(self) -> None:
        if self.process.is_alive():
            self.process.terminate()
            self.process.join(timeout=5)
            if self.process.is_alive():
                self.process.kill()
                self.process.join()
        self._connection.close()


class WorkerPool:
    """Idle workers beyond each function's first are stopped after `idle_seconds`, as Lambda retires the
    environments a burst of load made once the burst is over."""

    def __init__(
        self,
        functions: dict[str, Function],
        base_env: dict[str, str],
        now: Callable[[], datetime],
        idle_seconds: float = 30.0,
    ) -> None:
        self.functions = functions
        self.idle_seconds = idle_seconds
        self.base_env = base_env
        self.now = now
        self._idle: dict[str, list[_Worker]] = {name: [] for name in functions}
        self._all: list[_Worker] = []
        self._faults: dict[str, list[str]] = {}
        self._lock = threading.Lock()
        self._stopped = False
        self._reaping = threading.Event()
        threading.Thread(target=self._reap_idle, daemon=True).start()
        self.invocations: dict[str, int] = dict.fromkeys(functions, 0)

    def inject_fault(self, function_name: str, error_type: str, count: int = 1) -> None:
        """The next `count` invocations of the function fail with `error_type`, without running it."""
        if function_name not in self.functions:
            raise KeyError(f"no function {function_name} in the template")
        with self._lock:
            self._faults.setdefault(function_name, []).extend([error_type] * count)

    def _take(self, name: str) -> _Worker:
        with self._lock:
            if self._stopped:
                raise HandlerError("Runtime.ExitError", "the local runtime is stopping")
            while self._idle[name]:
                worker = self._idle[name].pop()
                if worker.alive:
                    return worker
        worker = _Worker(self.functions[name], self.base_env)  # outside the lock: start-ups run in parallel
        with self._lock:
            self._all.append(worker)
            if self._stopped:
                worker.stop()
                raise HandlerError("Runtime.ExitError", "the local runtime is stopping")
        return worker

    def _give_back(self, name: str, worker: _Worker) -> None:
        with self._lock:
            if worker.alive and not self._stopped:
                worker.idle_since = time.monotonic()
                self._idle[name].append(worker)

    def _reap_idle(self) -> None:
        while not self._reaping.wait(min(self.idle_seconds, 5.0)):
            self.reap(time.monotonic() - self.idle_seconds)

    def reap(self, idle_before: float) -> int:
        """Stop the idle workers, all but each function's most recently used, that have been idle since before
        `idle_before` (a time.monotonic()); how many were stopped."""
        with self._lock:
            retired = []
            for name, idle in self._idle.items():
                # The list is in the order workers came back: the last is the one to keep warm.
                keep, spare = idle[-1:], idle[:-1]
                retired += [w for w in spare if w.idle_since < idle_before]
                self._idle[name] = [w for w in spare if w.idle_since >= idle_before] + keep
            self._all = [w for w in self._all if w not in retired]
        for worker in retired:
            worker.stop()
        return len(retired)

    def invoke(self, name: str, event: Any) -> Any:
        if name not in self.functions:
            raise KeyError(f"no function {name} in the template")
        with self._lock:
            self.invocations[name] += 1
            faults = self._faults.get(name)
            fault = faults.pop(0) if faults else None
        if fault:
            raise HandlerError(fault, f"Injected fault: {fault}")
        worker = self._take(name)
        try:
            return worker.invoke(event, self.now())
        finally:
            self._give_back(name, worker)

    def size(self, name: str) -> int:
        with self._lock:
            return sum(1 for w in self._all if w.function.name == name and w.alive)

    def pids(self) -> list[int]:
        with self._lock:
            return [w.pid for w in self._all if w.alive and w.pid is not None]

    def stop(self) -> None:
        self._reaping.set()
        with self._lock:
            self._stopped = True
            workers, self._all = self._all, []
            for idle in self._idle.values():
                idle.clear()
        for worker in workers:
            worker.stop()


def base_environment(endpoint_url: str, region: str, template_cache: str = "") -> dict[str, str]:
    """What every worker gets before its function's own environment: no credentials of this machine's."""
    keep = ("PATH", "HOME", "LANG", "LC_ALL", "SYSTEMROOT", "TMPDIR", "VIRTUAL_ENV", "PYTHONPATH")
    return {
        **{k: os.environ[k] for k in keep if k in os.environ},
        "AWS_ENDPOINT_URL": endpoint_url,
        "AWS_REGION": region,
        "AWS_DEFAULT_REGION": region,
        # moto accepts any credentials; these are placeholders, never real ones.
        "AWS_ACCESS_KEY_ID": "testing",
        "AWS_SECRET_ACCESS_KEY": "testing",
        "AWS_SESSION_TOKEN": "testing",
        "NO_PROXY": "127.0.0.1,localhost",
        "TZ": "UTC",
        "PYTHONUNBUFFERED": "1",
        **({"SAFEPLACE_TEMPLATE_CACHE": template_cache} if template_cache else {}),
    }
