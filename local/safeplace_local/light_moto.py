"""moto made lighter where the local runtime pays for it over and over, without changing what it answers.

A part of moto the local runtime never uses is kept from loading until something does: moto's Step Functions
interpreter imports its Batch task when it first parses a definition, and that imports
moto's Batch backend and with it EC2, whose region data means reading EC2's whole service model: more than a
second of every start, the largest single cost of it. No Safeplace workflow runs a Batch task. The package is
put in place unexecuted, so that its `utils` module (all the interpreter needs of it) loads on its own; should
anything ask the package itself for more, the rest of it loads then, as it would have at first.

And each state machine's definition is parsed once, not at every execution's start: the interpreter parses the
definition's text (about 50 ms for onboarding's) and then builds the execution's own components from the parse
tree. The tree, which nothing changes, is kept per definition; the components are built afresh each time.
"""

import importlib
import importlib.util
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from functools import lru_cache
from types import ModuleType
from typing import Any

_UNUSED = ("moto.batch",)


class _Deferred(ModuleType):
    def __getattr__(self, name: str) -> Any:
        spec = self.__spec__
        assert spec is not None and spec.loader is not None
        object.__setattr__(self, "__class__", ModuleType)  # load once: from here on it is the package as written
        spec.loader.exec_module(self)
        return getattr(self, name)


def defer_unused_backends() -> None:
    for name in _UNUSED:
        if name in sys.modules:
            continue
        spec = importlib.util.find_spec(name)
        if spec is None:
            continue
        module = importlib.util.module_from_spec(spec)
        module.__class__ = _Deferred
        sys.modules[name] = module
        parent, _, child = name.rpartition(".")
        setattr(importlib.import_module(parent), child, module)


@contextmanager
def parse_each_definition_once() -> Iterator[None]:
    from moto.stepfunctions.parser.asl.parse.asl_parser import AmazonStateLanguageParser
    from moto.stepfunctions.parser.asl.parse.preprocessor import Preprocessor

    original = AmazonStateLanguageParser.parse

    @lru_cache(maxsize=64)
    def tree_of(definition: str) -> Any:
        return original(definition)[1]  # a definition that does not parse raises, and is not kept

    def parse(definition: str) -> tuple[Any, Any]:
        tree = tree_of(definition)
        return Preprocessor().visit(tree), tree

    AmazonStateLanguageParser.parse = staticmethod(parse)  # type: ignore[method-assign,assignment]
    try:
        yield
    finally:
        AmazonStateLanguageParser.parse = staticmethod(original)  # type: ignore[method-assign,assignment]
