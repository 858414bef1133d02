"""Each Lambda handler loaded as Lambda loads it, and what its answers carry."""

from functools import cache
from typing import Any

from tests.support.project import ROOT


@cache
def load_handler(function: str) -> Any:
    """Import functions/<function>/app.py under a unique module name (every handler module is `app`).

    Once per process, as Lambda does: a handler's routers belong to the resolver of the one module that
    included them, so a second import would take them from the first.
    """
    import importlib.util

    path = ROOT / "functions" / function / "app.py"
    spec = importlib.util.spec_from_file_location(f"{function}_app", path)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def header(response: dict[str, Any], name: str) -> str:
    """A header of an API Gateway proxy response, whichever of the two header maps carries it."""
    for key, values in (response.get("multiValueHeaders") or {}).items():
        if key.lower() == name.lower():
            return str(values[-1])
    for key, value in (response.get("headers") or {}).items():
        if key.lower() == name.lower():
            return str(value)
    raise KeyError(name)


class FakeLambdaContext:
    function_name = "test"
    memory_limit_in_mb = 512
    invoked_function_arn = "arn:aws:lambda:eu-west-2:123456789012:function:test"
    aws_request_id = "52fdfc07-2182-454f-963f-5f0f9a621d72"

    @staticmethod
    def get_remaining_time_in_millis() -> int:
        return 20_000
