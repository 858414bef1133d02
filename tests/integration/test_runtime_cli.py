"""`python -m safeplace_local` as a person runs it: what it prints, a taken port, a clean stop."""

import contextlib
import re
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
import requests

pytestmark = pytest.mark.integration

FIXTURE_TEMPLATE = Path(__file__).parent / "fixtures" / "template.yaml"
COMMAND = [sys.executable, "-m", "safeplace_local"]


def test_a_taken_port_is_explained_in_one_line():
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        result = subprocess.run(  # noqa: S603 - our own interpreter and module
            [*COMMAND, "--port", str(port), "--no-demo", "--template", str(FIXTURE_TEMPLATE)],
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
        )
    assert result.returncode == 2
    assert result.stderr.strip().splitlines() == [
        f"Port {port} is already in use. Stop whatever is using it, or pick another port: PORT={port + 1} make run"
    ]


def test_a_template_it_cannot_run_is_explained(tmp_path):
    broken = tmp_path / "template.yaml"
    broken.write_text("Resources:\n  Fn:\n    Type: AWS::Serverless::Function\n    Properties: {Handler: app.h}\n")
    result = subprocess.run(  # noqa: S603 - our own interpreter and module
        [*COMMAND, "--port", "0", "--no-demo", "--template", str(broken)],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 1
    assert "runs zip functions with a CodeUri folder only" in result.stderr
    assert "Traceback" not in result.stderr


def _children(pid: int) -> set[int]:
    # Each thread's children are listed under that thread: workers are started from the runtime's other threads.
    children: set[int] = set()
    for task in Path(f"/proc/{pid}/task").iterdir():
        with contextlib.suppress(FileNotFoundError):  # a thread that ended while we looked
            children.update(int(p) for p in (task / "children").read_text().split())
    return children


def _workers(pid: int) -> set[int]:
    """The runtime's workers: they are forked by its fork server, a child of the runtime's own."""
    return {worker for child in _children(pid) for worker in _children(child)}


def _gone(pid: int) -> bool:
    stat = Path(f"/proc/{pid}/stat")
    return not stat.exists() or stat.read_text().split(")")[-1].split()[0] == "Z"


@pytest.mark.skipif(not Path("/proc/self/task").exists(), reason="reads child processes from /proc")
def test_it_prints_where_it_serves_and_stops_cleanly_on_ctrl_c(tmp_path):
    log = tmp_path / "runtime.log"
    with log.open("w") as out:
        process = subprocess.Popen(  # noqa: S603 - our own interpreter and module
            [*COMMAND, "--port", "0", "--no-demo", "--template", str(FIXTURE_TEMPLATE)],
            stdout=out,
            stderr=subprocess.STDOUT,
            text=True,
        )
        try:
            deadline = time.monotonic() + 60
            while "Press Ctrl-C" not in log.read_text() and time.monotonic() < deadline:
                assert process.poll() is None, log.read_text()
                time.sleep(0.1)
            printed = log.read_text()
            base_url = re.search(r"Staff console\s+(http://127\.0\.0\.1:\d+)/staff", printed).group(1)
            pages = ("/_local/sign-in", "/_local/outbox", "/_local/clock", "/_local/schedules", "/api/openapi.json")
            assert all(f"{base_url}{page}" in printed for page in pages)
            assert requests.get(f"{base_url}/echo/open", timeout=10).status_code == 200
            workers = _workers(process.pid)
            assert workers, "the function that answered runs in a worker process"
            helpers = _children(process.pid)
            process.send_signal(signal.SIGINT)
            assert process.wait(timeout=30) == 0
        finally:
            if process.poll() is None:
                process.kill()
    assert log.read_text().rstrip().endswith("Stopped.")
    # The fork server leaves once the runtime has gone: it reads the end of the runtime's pipe.
    deadline = time.monotonic() + 10
    while not all(_gone(pid) for pid in workers | helpers) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert all(_gone(pid) for pid in workers | helpers)
    with pytest.raises(requests.ConnectionError):
        requests.get(f"{base_url}/_local/", timeout=5)
