"""Handler import time (what a cold start pays before the first event) per function, against the floor that
every handler pays whatever it does: `import boto3, pydantic`. `import pydantic` alone loads almost nothing of
pydantic, so a second floor is what every handler must load to do anything: boto3, pydantic's BaseModel and
Powertools' Logger. Each probe is a fresh interpreter, and the floors and the handlers are run in turn, so a busy
machine slows them alike. Every module is compiled first, and the probes may read the compiled files whatever
PYTHONDONTWRITEBYTECODE says: the figures are of importing the code, not of compiling it."""

import compileall
import json
import os
import statistics
import subprocess
import sys
from pathlib import Path

from cfnlint.decode import cfn_yaml

ROOT = Path(__file__).resolve().parent.parent
FLOOR = "floor: import boto3, pydantic"
LIBRARIES = "libraries: boto3, pydantic.BaseModel, Logger"
_LIBRARIES = "import boto3; from pydantic import BaseModel; from aws_lambda_powertools import Logger"
_PROBE = "import time; t = time.perf_counter(); {}; print(time.perf_counter() - t)"


def _probe(statement: str, cwd: Path) -> float:
    env = {
        **os.environ,
        "PYTHONPATH": str(ROOT / "layers" / "shared"),
        "POWERTOOLS_METRICS_NAMESPACE": "Safeplace",
        "AWS_DEFAULT_REGION": "eu-west-2",
    }
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    answer = subprocess.run(  # noqa: S603 - our own interpreter running a fixed probe
        [sys.executable, "-c", _PROBE.format(statement)], cwd=cwd, env=env, capture_output=True, text=True, check=True
    )
    return float(answer.stdout)


def handler_import_seconds(runs: int = 7) -> dict[str, float]:
    """The median seconds of each handler's import, and first the floors'."""
    resources = cfn_yaml.load(str(ROOT / "template.yaml"))["Resources"]
    functions = {
        name: ROOT / resource["Properties"]["CodeUri"]
        for name, resource in sorted(resources.items())
        if resource["Type"] == "AWS::Serverless::Function"
    }
    compileall.compile_dir(ROOT / "layers" / "shared", quiet=1)
    compileall.compile_dir(ROOT / "functions", quiet=1)
    samples: dict[str, list[float]] = {FLOOR: [], LIBRARIES: [], **{name: [] for name in functions}}
    for _ in range(runs):
        samples[FLOOR].append(_probe("import boto3, pydantic", ROOT))
        samples[LIBRARIES].append(_probe(_LIBRARIES, ROOT))
        for name, code_dir in functions.items():
            samples[name].append(_probe("import app", code_dir))
    return {name: statistics.median(values) for name, values in samples.items()}


if __name__ == "__main__":
    print(json.dumps(handler_import_seconds(), indent=2))
