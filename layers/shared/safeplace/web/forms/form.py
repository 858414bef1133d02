"""A form: its fields in page order, and how what a page posted becomes the model a use case takes, or problems.

Each field reads its own input first, with its own words for what is wrong. The model then validates
what the fields read, and any problem it finds is put on the field at that place in the model: a
model's own sentence (a postcode, a missing reason) is shown as it stands, anything else in the
field's words. A problem with the model as a whole goes to the field its opening words name.
"""

import itertools
import re
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Generic, Literal, TypeVar
from urllib.parse import parse_qs

from pydantic import BaseModel, ValidationError

from safeplace.web.forms import errors
from safeplace.web.forms.errors import Problem
from safeplace.web.forms.fields import Field, Invalid, Raw, Shown

M = TypeVar("M", bound=BaseModel)
# A urlencoded body, or field names with their value (or values, for checkboxes sharing a name).
Data = str | Mapping[str, str | Sequence[str]] | None
Path = tuple[str | int, ...]


def posted(data: Data) -> dict[str, list[str]]:
    if data is None or isinstance(data, str):
        return parse_qs(data or "", keep_blank_values=True)
    return {name: [value] if isinstance(value, str) else list(value) for name, value in data.items()}


class Repeat:
    """A group of fields the page repeats, posted as <name>.0.<field>, <name>.1.<field>... Blank copies are
    left out and the rest numbered again from 0, so the page shows them again without gaps."""

    def __init__(self, name: str, item: Callable[[int], Sequence[Field]], *, most: int) -> None:
        # `item` gives one copy's fields, named within the copy, for the copy numbered from 1 in messages.
        self.name = name
        self.item = item
        self.most = most

    def copies(self, count: int) -> list[Field]:
        return [
            f.copied(name=f"{self.name}.{i}.{f.name}", path=(self.name, i, *f.path))
            for i in range(max(1, min(count, self.most)))
            for f in self.item(i + 1)
        ]

    def gathered(self, raw: Raw) -> tuple[list[Field], dict[str, Sequence[str]]]:
        """The copies posted with something in them (always one, so the first is asked for), and what was
        posted, numbered as they now are."""
        pattern = re.compile(rf"{re.escape(self.name)}\.([0-9]+)\.(.+)")
        entries: dict[int, dict[str, Sequence[str]]] = {}
        rest: dict[str, Sequence[str]] = {}
        for name, values in raw.items():
            found = pattern.fullmatch(name)
            if found:
                entries.setdefault(int(found[1]), {})[found[2]] = values
            else:
                rest[name] = values
        kept = [e for _, e in sorted(entries.items()) if any(v.strip() for vs in e.values() for v in vs)]
        kept = kept[: self.most]
        for i, entry in enumerate(kept):
            rest.update({f"{self.name}.{i}.{name}": values for name, values in entry.items()})
        return self.copies(len(kept)), rest


@dataclass(frozen=True)
class Result(Generic[M]):
    """A form as a page shows it: the values to put in its inputs, any problems, and the model if it is right."""

    fields: tuple[Field, ...]
    values: Shown = field(default_factory=dict)
    # By field id, in page order.
    problems: dict[str, Problem] = field(default_factory=dict)
    model: M | None = None

    @property
    def ok(self) -> bool:
        return self.model is not None and not self.problems

    @property
    def errors(self) -> dict[str, str]:
        return {field_id: problem.message for field_id, problem in self.problems.items()}

    def value(self, name: str) -> str | list[str]:
        return self.values.get(name, "")

    def field(self, name: str) -> Field:
        for f in self.fields:
            if f.name == name:
                return f
        raise KeyError(name)

    def error_message(self, field_id: str) -> dict[str, str] | Literal[False]:
        return errors.error_message(self.problems, field_id)

    @property
    def error_list(self) -> list[dict[str, str]]:
        return errors.error_list(self.problems)

    def date_items(self, name: str) -> list[dict[str, str]]:
        return errors.date_items(name, self.values, self.problems.get(self.field(name).id))

    def with_problems(self, found: Mapping[str, str]) -> "Result[M]":
        """This form with problems a use case found, keyed by the model's field names ("spoc.email") or the
        page's; they join any already shown, in page order. The model no longer stands."""
        problems = dict(self.problems)
        for key, message in found.items():
            target = _named(self.fields, key)
            problems.setdefault(target.id, Problem(message, target.href()))
        return Result(self.fields, self.values, _in_page_order(self.fields, problems), None)


def _named(fields: Sequence[Field], key: str) -> Field:
    for f in fields:
        if key in (f.name, f.id, ".".join(str(p) for p in f.path)):
            return f
    # Shown somewhere rather than lost: a use case's problem with no field of its own.
    return fields[0]


def _in_page_order(fields: Sequence[Field], problems: Mapping[str, Problem]) -> dict[str, Problem]:
    order = {f.id: i for i, f in enumerate(fields)}
    return dict(sorted(problems.items(), key=lambda item: order.get(item[0], len(order))))


def _put(into: dict[str, Any], path: Path, value: Any) -> None:
    target: Any = into
    for here, after in itertools.pairwise(path):
        if isinstance(target, list):
            while len(target) <= int(here):
                target.append({})
            target = target[int(here)]
        else:
            target = target.setdefault(here, [] if isinstance(after, int) else {})
    target[path[-1]] = value


def _at(values: Any, path: Path) -> Any:
    for part in path:
        listed = isinstance(values, list) and isinstance(part, int) and part < len(values)
        if not (listed or (isinstance(values, Mapping) and part in values)):
            return None
        values = values[part]
    return values


class Form(Generic[M]):
    """One form of one page. `key` fills "{key}" in field ids, for a page with a form per check."""

    model: type[M]
    fields: tuple[Field | Repeat, ...] = ()
    # Problems with the model as a whole, by their opening words, and the field that puts each right.
    problems_go_to: tuple[tuple[str, str], ...] = ()

    def __init__(self, key: str = "") -> None:
        self.key = key

    def build(self, values: dict[str, Any]) -> M:
        """The model from what the fields read; raises ValidationError."""
        return self.model.model_validate(values)

    def further_problems(self, read: Mapping[str, Any]) -> Iterator[tuple[str, str]]:
        """Problems between fields that the model words as one: (field name, message). `read` has each
        field's value by name."""
        return iter(())

    def _keyed(self, fields: Sequence[Field]) -> tuple[Field, ...]:
        return tuple(f.copied(id=f.id.format(key=self.key)) if "{key}" in f.id else f for f in fields)

    def _fields(self, raw: Raw) -> tuple[tuple[Field, ...], Raw]:
        concrete: list[Field] = []
        for item in self.fields:
            if isinstance(item, Repeat):
                copies, raw = item.gathered(raw)
                concrete.extend(copies)
            else:
                concrete.append(item)
        return self._keyed(concrete), raw

    def parse(self, data: Data, **given: Any) -> Result[M]:
        """What the page posted as the model, or as problems. `given` has values the route knows by field
        name (the uploaded file, as file=)."""
        fields, raw = self._fields(posted(data))
        problems: dict[str, Problem] = {}
        read: dict[str, Any] = {}
        values: dict[str, Any] = {}
        for f in fields:
            try:
                read[f.name] = f.given(given[f.name]) if f.name in given else f.read(raw)
            except Invalid as invalid:
                problems[f.id] = Problem(invalid.message, f.href(invalid.parts), invalid.parts)
                continue
            if read[f.name] is not None:
                _put(values, f.path, read[f.name])
        for name, message in self.further_problems(read):
            target = _named(fields, name)
            problems.setdefault(target.id, Problem(message, target.href()))
        model: M | None = None
        try:
            model = self.build(values)
        except ValidationError as error:
            self._place(error, fields, problems)
        shown: Shown = {}
        for f in fields:
            shown.update(f.sent(raw))
        return Result(fields, shown, _in_page_order(fields, problems), None if problems else model)

    def _place(self, error: ValidationError, fields: Sequence[Field], problems: dict[str, Problem]) -> None:
        by_path = {f.path: f for f in fields}
        for found in error.errors():
            loc: Path = tuple(found["loc"])
            message = str(found["msg"]).removeprefix("Value error, ")
            target = next((by_path[loc[:n]] for n in range(len(loc), 0, -1) if loc[:n] in by_path), None)
            if target is not None:
                words = target.message_for(found["type"], message)
            else:
                under = [f for f in fields if f.path[: len(loc)] == loc] or list(fields)
                # A rule about the whole waits until the form's own problems with its parts are put right.
                if any(f.id in problems for f in under):
                    continue
                target = self._whole_model_target(message, fields, under[0])
                # The model's sentence about the whole, wherever it lands.
                words = message if found["type"] == "value_error" else target.message_for(found["type"], message)
            if target.id not in problems:
                problems[target.id] = Problem(words, target.href())

    def _whole_model_target(self, message: str, fields: Sequence[Field], otherwise: Field) -> Field:
        for opening, name in self.problems_go_to:
            if message.startswith(opening):
                return _named(fields, name)
        return otherwise

    def show(self, saved: BaseModel | Mapping[str, Any] | None = None) -> Result[M]:
        """The form for a page that has not been posted: empty, or filled in from a saved model or from
        values shaped like the model's input."""
        values = saved.model_dump() if isinstance(saved, BaseModel) else dict(saved or {})
        concrete: list[Field] = []
        for item in self.fields:
            if isinstance(item, Repeat):
                copies = values.get(item.name)
                concrete.extend(item.copies(len(copies) if isinstance(copies, list) else 1))
            else:
                concrete.append(item)
        fields = self._keyed(concrete)
        shown: Shown = {}
        for f in fields:
            shown.update(f.show(_at(values, f.path)))
        return Result(fields, shown)
