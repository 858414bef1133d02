"""What the project's own files say: where they are, the events in events/, the table as template.yaml declares it."""

import json
from pathlib import Path
from typing import Any

from cfnlint.decode import cfn_yaml

ROOT = Path(__file__).resolve().parents[2]

EVENTS = ROOT / "events"

REGION = "eu-west-2"


def load_event(name: str) -> dict[str, Any]:
    return json.loads((EVENTS / name).read_text())


def table_properties() -> dict[str, Any]:
    """The table exactly as template.yaml declares it: the tests never restate the key design."""
    props = cfn_yaml.load(str(ROOT / "template.yaml"))["Resources"]["Table"]["Properties"]
    keep = ("AttributeDefinitions", "KeySchema", "GlobalSecondaryIndexes", "BillingMode")
    return json.loads(json.dumps({k: props[k] for k in keep}))
