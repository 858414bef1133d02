"""The local runtime keeps moto's Batch backend (and EC2 with it) from loading at start, not from working."""

import subprocess
import sys

_PROBE = """
import sys
from safeplace_local.light_moto import defer_unused_backends
defer_unused_backends()
import moto.stepfunctions.parser.asl.parse.asl_parser
print("ec2 at start:", "moto.ec2" in sys.modules)
import moto.batch
print("backends:", type(moto.batch.batch_backends).__name__)
print("ec2 once asked for:", "moto.ec2" in sys.modules)
"""


def test_the_interpreter_starts_without_batch_and_ec2_yet_batch_loads_whole_when_asked_for():
    # A fresh interpreter: this one may have loaded either already.
    probe = [sys.executable, "-c", _PROBE]
    answer = subprocess.run(probe, capture_output=True, text=True, check=True, timeout=120)  # noqa: S603 - our probe
    assert answer.stdout.splitlines() == ["ec2 at start: False", "backends: BackendDict", "ec2 once asked for: True"]


def test_a_definition_is_parsed_once_and_each_execution_gets_components_of_its_own():
    from moto.stepfunctions.parser.asl.parse.asl_parser import AmazonStateLanguageParser

    from safeplace_local.light_moto import parse_each_definition_once
    from tests.support.project import ROOT

    definition = (ROOT / "statemachines" / "handbook_rollout.asl.json").read_text().replace("${", "{")
    with parse_each_definition_once():
        first, first_tree = AmazonStateLanguageParser.parse(definition)
        second, second_tree = AmazonStateLanguageParser.parse(definition)
    assert first_tree is second_tree
    assert first is not second
    assert type(first) is type(second)
    # Afterwards the interpreter parses as it did
    _, third_tree = AmazonStateLanguageParser.parse(definition)
    assert third_tree is not first_tree
