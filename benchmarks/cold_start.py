"""Handler import time (what a cold start pays before the first event) per function, against the floor that
every handler pays whatever it does: `import boto3, pydantic`. Each probe is a fresh interpreter, and the
floor and the handlers are run in turn, so a busy machine slows them alike."""

import json
import os
import statistics
import subprocess
import sys
from pathlib import Path

from cfnlint.decode import cfn_yaml

ROOT = Path(__file__).resolve().parent.parent
FLOOR = "floor: import boto3, pydantic"
_PROBE = "import time; t = time.perf_counter(); {}; print(time.perf_counter() - t)"


def _probe(statement: str, cwd: Path) -> float:
    env = {
        **os.environ,
        "PYTHONPATH": str(ROOT / "layers" / "shared"),
        "POWERTOOLS_METRICS_NAMESPACE": "Safeplace",
        "AWS_DEFAULT_REGION": "eu-west-2",
    }
    answer = subprocess.run(  # noqa: S603 - our own interpreter running a fixed probe
        [sys.executable, "-c", _PROBE.format(statement)], cwd=cwd, env=env, capture_output=True, text=True, check=True
    )
    return float(answer.stdout)


def handler_import_seconds(runs: int = 7) -> dict[str, float]:
    """The median seconds of each handler's import, and first the floor's."""
    resources = cfn_yaml.load(str(ROOT / "template.yaml"))["Resources"]
    functions = {
        name: ROOT / resource["Properties"]["CodeUri"]
        for name, resource in sorted(resources.items())
        if resource["Type"] == "AWS::Serverless::Function"
    }
    samples: dict[str, list[float]] = {FLOOR: [], **{name: [] for name in functions}}
    for _ in range(runs):
        samples[FLOOR].append(_probe("import boto3, pydantic", ROOT))
        for name, code_dir in functions.items():
            samples[name].append(_probe("import app", code_dir))
    return {name: statistics.median(values) for name, values in samples.items()}


if __name__ == "__main__":
    print(json.dumps(handler_import_seconds(), indent=2))
