"""Warm worker processes per function, scaled like Lambda: a busy function gets another environment."""

import json
import os
import subprocess
import sys
import threading
from collections.abc import Callable
from datetime import datetime
from typing import IO, Any

from safeplace_local.template import Function


class HandlerError(Exception):
    def __init__(self, error_type: str, message: str) -> None:
        super().__init__(message)
        self.error_type = error_type
        self.message = message

    @property
    def payload(self) -> dict[str, str]:
        return {"errorType": self.error_type, "errorMessage": self.message}


class _Worker:
    def __init__(self, function: Function, base_env: dict[str, str]) -> None:
        env = {
            **base_env,
            **function.environment,
            "_HANDLER": function.handler,
            "AWS_LAMBDA_FUNCTION_NAME": function.name,
            "AWS_LAMBDA_FUNCTION_MEMORY_SIZE": "512",
            "PYTHONUNBUFFERED": "1",
        }
        self.process = subprocess.Popen(
            [sys.executable, "-m", "safeplace_local.worker"],
            cwd=function.code_dir,
            env=env,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=None,
            text=True,
        )
        self.function = function
        ready = self._read()
        if not ready.get("ready"):
            raise RuntimeError(f"worker for {function.name} failed to start")

    def _read(self) -> dict[str, Any]:
        stdout: IO[str] = self.process.stdout  # type: ignore[assignment]
        line = stdout.readline()
        if not line:
            raise HandlerError("Runtime.ExitError", f"the {self.function.name} worker exited")
        return dict(json.loads(line))

    def invoke(self, event: Any, now: datetime, timeout: float) -> Any:
        stdin: IO[str] = self.process.stdin  # type: ignore[assignment]
        request = {"event": event, "now": now.isoformat(), "arn": self.function.arn, "timeout": timeout}
        stdin.write(json.dumps(request) + "\n")
        stdin.flush()
        answer = self._read()
        if "error" in answer:
            raise HandlerError(answer["error"]["errorType"], answer["error"]["errorMessage"])
        return answer["result"]

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=5)
            except subprocess.TimeoutExpired:
                self.process.kill()


class WorkerPool:
    def __init__(self, functions: dict[str, Function], base_env: dict[str, str], now: Callable[[], datetime]) -> None:
        self.functions = functions
        self.base_env = base_env
        self.now = now
        self._idle: dict[str, list[_Worker]] = {name: [] for name in functions}
        self._all: list[_Worker] = []
        self._faults: dict[str, list[str]] = {}
        self._lock = threading.Lock()
        self.invocations: dict[str, int] = dict.fromkeys(functions, 0)

    def inject_fault(self, function_name: str, error_type: str, count: int = 1) -> None:
        with self._lock:
            self._faults.setdefault(function_name, []).extend([error_type] * count)

    def _take(self, name: str) -> _Worker:
        with self._lock:
            if self._idle[name]:
                return self._idle[name].pop()
        worker = _Worker(self.functions[name], self.base_env)
        with self._lock:
            self._all.append(worker)
        return worker

    def warm(self, name: str) -> None:
        worker = self._take(name)
        with self._lock:
            self._idle[name].append(worker)

    def invoke(self, name: str, event: Any, timeout: float = 30.0) -> Any:
        if name not in self.functions:
            raise KeyError(name)
        with self._lock:
            self.invocations[name] += 1
            faults = self._faults.get(name)
            fault = faults.pop(0) if faults else None
        if fault:
            raise HandlerError(fault, f"injected fault: {fault}")
        worker = self._take(name)
        try:
            result = worker.invoke(event, self.now(), timeout)
        except HandlerError as error:
            if error.error_type == "Runtime.ExitError":
                worker.stop()
                raise
            with self._lock:
                self._idle[name].append(worker)
            raise
        with self._lock:
            self._idle[name].append(worker)
        return result

    def stop(self) -> None:
        with self._lock:
            workers, self._all = self._all, []
            for idle in self._idle.values():
                idle.clear()
        for worker in workers:
            worker.stop()


def base_environment(endpoint_url: str, region: str) -> dict[str, str]:
    keep = ("PATH", "HOME", "LANG", "SYSTEMROOT", "TMPDIR", "VIRTUAL_ENV")
    return {
        **{k: os.environ[k] for k in keep if k in os.environ},
        "AWS_ENDPOINT_URL": endpoint_url,
        "AWS_REGION": region,
        "AWS_DEFAULT_REGION": region,
        # moto accepts any credentials; these are placeholders, never real ones.
        "AWS_ACCESS_KEY_ID": "local",
        "AWS_SECRET_ACCESS_KEY": "local",
        "AWS_LAMBDA_RUNTIME_API": "local",
    }
