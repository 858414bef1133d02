"""Handler import time: what a cold start pays before the first event, per function."""

import json
import os
import statistics
import subprocess
import sys
from pathlib import Path

from cfnlint.decode import cfn_yaml

ROOT = Path(__file__).resolve().parent.parent
_PROBE = "import time; t = time.perf_counter(); import app; print(time.perf_counter() - t)"


def handler_import_seconds(runs: int = 5) -> dict[str, float]:
    resources = cfn_yaml.load(str(ROOT / "template.yaml"))["Resources"]
    figures: dict[str, float] = {}
    for name, resource in sorted(resources.items()):
        if resource["Type"] != "AWS::Serverless::Function":
            continue
        code_dir = ROOT / resource["Properties"]["CodeUri"]
        env = {**os.environ, "POWERTOOLS_METRICS_NAMESPACE": "Safeplace", "AWS_DEFAULT_REGION": "eu-west-2"}
        samples = [
            float(
                subprocess.run(  # noqa: S603 - our own interpreter running a fixed probe
                    [sys.executable, "-c", _PROBE], cwd=code_dir, env=env, capture_output=True, text=True, check=True
                ).stdout
            )
            for _ in range(runs)
        ]
        figures[name] = statistics.median(samples)
    return figures


if __name__ == "__main__":
    print(json.dumps(handler_import_seconds(), indent=2))
