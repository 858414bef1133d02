"""Drives a local runtime started as its own process: what the tests, benchmarks and scripts use.

A separate process keeps the runtime's moto backends apart from any in-process `mock_aws` in the same
test session, and is how a person runs it too.
"""

import socket
import subprocess
import sys
import time
from contextlib import suppress
from datetime import datetime
from pathlib import Path
from types import TracebackType
from typing import IO, Any

import requests

from safeplace_local.aws import LocalService, local_client


def _answers(base_url: str) -> bool:
    try:
        requests.get(f"{base_url}/_local/", timeout=1)
    except requests.RequestException:  # not listening yet, or listening but not yet serving
        return False
    return True


def _processes(pid: int) -> list[int]:
    """The process and every process it started, and those they started (Linux: read from /proc)."""
    found, children = [pid], set[int]()
    for task in Path(f"/proc/{pid}/task").glob("*"):
        with suppress(FileNotFoundError):
            children.update(int(p) for p in (task / "children").read_text().split())
    for child in children:
        found += _processes(child)
    return found


def _kib(pid: int, field: str) -> int:
    with suppress(FileNotFoundError):
        for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
            if line.startswith(f"{field}:"):
                return int(line.split()[1])
    return 0


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


class RuntimeProcess:
    def __init__(self, log: Path, *, demo: bool = False, port: int | None = None) -> None:
        self.port = port or free_port()
        self.base_url = f"http://127.0.0.1:{self.port}"
        self.log_path = log
        self.demo = demo
        self.endpoint_url = ""
        self.resources: dict[str, str] = {}
        self.startup_seconds = 0.0
        self.first_answer_seconds = 0.0
        self._process: subprocess.Popen[bytes] | None = None
        self._log: IO[bytes] | None = None

    def start(self, timeout: float = 90.0) -> "RuntimeProcess":
        self.log_path.parent.mkdir(parents=True, exist_ok=True)
        self._log = self.log_path.open("wb")
        command = [sys.executable, "-m", "safeplace_local", "--port", str(self.port)]
        started = time.perf_counter()
        self._process = subprocess.Popen(  # noqa: S603 - our own interpreter and module
            [*command, *([] if self.demo else ["--no-demo"])], stdout=self._log, stderr=subprocess.STDOUT
        )
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self._process.poll() is not None:
                raise RuntimeError(f"the local runtime exited; see {self.log_path}")
            if "Press Ctrl-C" in self.log_path.read_text(errors="replace"):
                break
            if not self.first_answer_seconds and _answers(self.base_url):
                self.first_answer_seconds = time.perf_counter() - started
            time.sleep(0.1)
        else:
            raise RuntimeError(f"the local runtime did not start in {timeout} s; see {self.log_path}")
        self.startup_seconds = time.perf_counter() - started
        self.first_answer_seconds = self.first_answer_seconds or self.startup_seconds
        info = requests.get(f"{self.base_url}/_local/runtime.json", timeout=10).json()
        self.endpoint_url, self.resources = info["endpoint_url"], info["resources"]
        return self

    def stop(self) -> None:
        if self._process and self._process.poll() is None:
            self._process.terminate()
            try:
                self._process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self._process.kill()
        if self._log:
            self._log.close()

    def __enter__(self) -> "RuntimeProcess":
        return self.start()

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None, tb: TracebackType | None) -> None:
        self.stop()

    def memory(self) -> dict[str, float]:
        """MiB held by the runtime and every process it started: resident, and proportional (each page shared
        by n processes counted 1/n in each, so that the sum is what they hold together)."""
        assert self._process is not None, "start() the runtime first"
        processes = _processes(self._process.pid)
        return {
            "processes": len(processes),
            "resident": sum(_kib(p, "Rss") for p in processes) / 1024,
            "proportional": sum(_kib(p, "Pss") for p in processes) / 1024,
        }

    def client(self, service: LocalService) -> Any:
        return local_client(service, self.endpoint_url)

    def resource_name(self, logical_id: str) -> str:
        return self.resources[logical_id]

    def state_machine_arn(self, logical_id: str) -> str:
        return self.resources[logical_id]

    def outbox(self) -> list[dict[str, Any]]:
        return list(requests.get(f"{self.base_url}/_local/outbox.json", timeout=10).json())

    def wait_for_link(self, to: str, *, nth: int = 1, timeout: float = 20.0) -> str:
        """The emailed link in the `nth` email to `to` that carries one, once it has been sent."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            received = [m for m in self.outbox() if to in m["to"] and any("/link/" in link for link in m["links"])]
            if len(received) >= nth:
                return next(link for link in received[nth - 1]["links"] if "/link/" in link)
            time.sleep(0.1)
        raise TimeoutError(f"email {nth} to {to} did not arrive in {timeout} s")

    def wait_for_email(self, to: str, subject: str, *, timeout: float = 30.0) -> dict[str, Any]:
        """The latest email to `to` whose subject contains `subject`, once one has been sent."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            found = [m for m in self.outbox() if to in m["to"] and subject in m["subject"]]
            if found:
                return found[-1]
            time.sleep(0.1)
        raise TimeoutError(f"no email to {to} about {subject!r} arrived in {timeout} s")

    def set_clock(self, moment: datetime) -> datetime:
        # A move forward wakes every workflow's wait it passes, one after another: it can take a while.
        answer = requests.post(f"{self.base_url}/_local/clock", json={"now": moment.isoformat()}, timeout=120)
        answer.raise_for_status()
        return datetime.fromisoformat(answer.json()["now"])

    def advance_clock(self, seconds: float) -> datetime:
        """The clock moved `seconds` on: the workflows' waits it passes have ended, in order, and what they
        started has settled by the time this returns."""
        answer = requests.post(f"{self.base_url}/_local/clock", json={"advance_seconds": seconds}, timeout=120)
        answer.raise_for_status()
        return datetime.fromisoformat(answer.json()["now"])

    def fire_schedules(self) -> list[dict[str, Any]]:
        answer = requests.post(f"{self.base_url}/_local/schedules/fire", json={}, timeout=120)
        answer.raise_for_status()
        return list(answer.json())

    def inject_fault(self, function: str, error_type: str, count: int = 1) -> None:
        requests.post(
            f"{self.base_url}/_local/faults",
            json={"function": function, "error_type": error_type, "count": count},
            timeout=10,
        ).raise_for_status()
