"""The local runtime's start: seconds to its first answer and to ready (with and without demo data), against a
bare moto server's start, and the memory of all its processes once ready."""

import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import requests

from safeplace_local.client import RuntimeProcess, free_port


def _bare_moto_seconds() -> float:
    port = free_port()
    started = time.perf_counter()
    server = subprocess.Popen(  # noqa: S603 - our own interpreter running moto's server
        [sys.executable, "-m", "moto.server", "-p", str(port)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    try:
        while True:
            try:
                requests.get(f"http://127.0.0.1:{port}/moto-api/", timeout=1)
                return time.perf_counter() - started
            except requests.ConnectionError:
                time.sleep(0.02)
    finally:
        server.terminate()
        server.wait(10)


def _runtime(demo: bool) -> tuple[float, float, dict[str, float]]:
    log = Path(tempfile.mkdtemp()) / "bench-runtime.log"
    with RuntimeProcess(log, demo=demo) as runtime:
        memory = runtime.memory()
        return runtime.first_answer_seconds, runtime.startup_seconds, memory


def measure(runs: int = 3) -> dict[str, Any]:
    bare: list[float] = []
    first: list[float] = []
    ready: list[float] = []
    ready_without_demo: list[float] = []
    memory: dict[str, float] = {}
    for _ in range(runs):  # in turn, so that a busy machine slows each alike
        bare.append(_bare_moto_seconds())
        answered, started, memory = _runtime(demo=True)
        first.append(answered)
        ready.append(started)
        ready_without_demo.append(_runtime(demo=False)[1])
    moto = statistics.median(bare)
    return {
        "bare moto server, first answer (s)": round(moto, 2),
        "runtime with demo data, first answer (s)": round(statistics.median(first), 2),
        "runtime with demo data, ready (s)": round(statistics.median(ready), 2),
        "runtime without demo data, ready (s)": round(statistics.median(ready_without_demo), 2),
        "ready with demo data / bare moto": f"{statistics.median(ready) / moto:.1f}x",
        **{f"memory once ready, {name} (MiB)": round(value) for name, value in memory.items()},
    }


if __name__ == "__main__":
    for name, value in measure().items():
        print(f"{name}: {value}")
