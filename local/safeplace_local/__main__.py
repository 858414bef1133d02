"""`make run`: the product on this machine, with demo data, at http://127.0.0.1:3000 (PORT overrides)."""

import argparse
import os
import signal
import sys
import time
from pathlib import Path

from safeplace_local.demo import seed_users
from safeplace_local.runtime import LocalRuntime, PortInUse
from safeplace_local.template import TemplateError

TEMPLATE = Path(__file__).resolve().parents[2] / "template.yaml"


def _interrupt(signum: int, frame: object) -> None:
    # Further signals while stopping would leave workers behind: the first one is enough.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_IGN)
    raise KeyboardInterrupt


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m safeplace_local", description=__doc__)
    parser.add_argument("--port", type=int, default=int(os.environ.get("PORT", "3000")))
    parser.add_argument("--no-demo", action="store_true", help="staff users only, no demo employers")
    parser.add_argument("--template", type=Path, default=TEMPLATE)
    args = parser.parse_args(argv)

    started = time.perf_counter()
    making = "" if args.no_demo else " and making its demo data"
    print(f"Starting Safeplace on port {args.port}{making}: pages say so until it is ready.", flush=True)
    runtime = LocalRuntime(args.template, port=args.port, demo=not args.no_demo)
    # Ctrl-C and SIGTERM (as from a test or a process manager) both stop it cleanly.
    signal.signal(signal.SIGINT, _interrupt)
    signal.signal(signal.SIGTERM, _interrupt)
    try:
        runtime.start()
    except PortInUse:
        print(
            f"Port {args.port} is already in use. Stop whatever is using it, or pick another port: "
            f"PORT={args.port + 1} make run",
            file=sys.stderr,
        )
        return 2
    except TemplateError as error:
        print(f"Cannot run {args.template}: {error}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 0  # start() stops what it had started when it is interrupted
    try:
        if args.no_demo:
            seed_users(runtime)
        if runtime.demo_problem:
            print(f"Warning: {runtime.demo_problem}", file=sys.stderr)
        url = runtime.base_url
        print(f"Safeplace is running locally (ready in {time.perf_counter() - started:.1f} s).")
        print(f"  Staff console     {url}/staff")
        print(f"  Dev sign-in       {url}/_local/sign-in   (one user per role, no passwords)")
        print(f"  Outbox            {url}/_local/outbox    ({url}/_local/outbox.json)")
        print(f"  Clock             {url}/_local/clock")
        print(f"  Schedules         {url}/_local/schedules")
        print(f"  OpenAPI           {url}/api/openapi.json")
        print(f"  AWS (moto)        {runtime.endpoint_url}")
        print("Press Ctrl-C to stop.", flush=True)
        while True:
            time.sleep(3600)
    except KeyboardInterrupt:
        pass
    finally:
        # A second Ctrl-C or SIGTERM while stopping would leave workers behind: finish stopping first.
        signal.signal(signal.SIGINT, signal.SIG_IGN)
        signal.signal(signal.SIGTERM, signal.SIG_IGN)
        runtime.stop()
        print("Stopped.", flush=True)
    return 0


if __name__ == "__main__":
    code = main()
    sys.stdout.flush()
    # moto's interpreter runs each execution on a thread of its own, and one in a Wait state of days would
    # keep the process alive after everything else stopped: leave without waiting for them.
    os._exit(code)
