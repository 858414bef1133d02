"""The house rules of the layout, checked from the code itself: short handlers, small modules, features that
never reach into the layers above them, and no folder that imports another which imports it back."""

import ast
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PACKAGE = ROOT / "layers/shared/safeplace"
FEATURES = ("onboarding", "placements", "handbook", "speakers", "oversight", "staff", "core")


def _modules() -> list[Path]:
    return sorted(PACKAGE.rglob("*.py"))


def _folder(path: Path) -> str:
    parts = path.relative_to(PACKAGE).parts
    return parts[0] if len(parts) > 1 else "(top)"


def _imported_folders(path: Path) -> set[str]:
    found = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("safeplace"):
            parts = node.module.split(".")
            names = [parts[1]] if len(parts) > 1 else [alias.name for alias in node.names]
            for name in names:
                found.add(name if (PACKAGE / name).is_dir() else "(top)")
    return found


def _folder_imports() -> dict[str, set[str]]:
    edges: dict[str, set[str]] = defaultdict(set)
    for path in _modules():
        source = _folder(path)
        edges[source] |= _imported_folders(path) - {source}
    return edges


def _cycles(edges: dict[str, set[str]]) -> list[list[str]]:
    found = []

    def walk(node: str, trail: list[str]) -> None:
        for following in sorted(edges.get(node, ())):
            if following == trail[0]:
                found.append([*trail, following])
            elif following not in trail and following > trail[0]:
                walk(following, [*trail, following])

    for start in sorted(edges):
        walk(start, [start])
    return found


def test_every_handler_is_short() -> None:
    # Given every function's handler
    handlers = sorted((ROOT / "functions").glob("*/app.py"))
    # Then each is a resolver, its routers, the error map and lambda_handler: no more than 150 lines
    assert handlers
    assert {str(h.relative_to(ROOT)): n for h in handlers if (n := len(h.read_text().splitlines())) > 150} == {}


def test_no_module_of_the_shared_package_is_over_400_lines() -> None:
    sizes = {str(m.relative_to(PACKAGE)): len(m.read_text().splitlines()) for m in _modules()}
    assert {name: n for name, n in sizes.items() if n > 400} == {}


def test_no_folder_imports_one_that_imports_it_back() -> None:
    assert _cycles(_folder_imports()) == []


def test_the_cycle_finder_finds_a_cycle_of_three() -> None:
    # Given folders a -> b -> c -> a, and d -> a
    edges = {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}
    # Then the one cycle is found once
    assert _cycles(edges) == [["a", "b", "c", "a"]]


def test_features_never_import_the_adapters_or_the_web_layer() -> None:
    # Features name the ports they need; the wiring hands them the adapters.
    edges = _folder_imports()
    assert {
        feature: edges[feature] & {"adapters", "web"} for feature in FEATURES if edges[feature] & {"adapters", "web"}
    } == {}
