"""Amounts of money in whole pounds, as people write them: £5,000,000, 5000000, 5m, £5m, 5 million, 5.5m, £250k."""

import re
from decimal import Decimal
from typing import Any, ClassVar

from safeplace.web.forms.fields import Field, Invalid, Raw, Shown, capitalised

_AMOUNT = re.compile(r"£?\s*(?P<number>[0-9]{1,3}(?:,[0-9]{3})+|[0-9]+)(?:\.(?P<fraction>[0-9]+))?\s*(?P<unit>[a-z]+)?")
_UNITS = {
    None: 1,
    "k": 1_000,
    "thousand": 1_000,
    "m": 1_000_000,
    "mn": 1_000_000,
    "million": 1_000_000,
    "bn": 1_000_000_000,
    "billion": 1_000_000_000,
}


class NotWholePounds(ValueError):
    pass


def pounds(text: str) -> int | None:
    """The amount in pounds, or None if it is not an amount of money; raises NotWholePounds for pence."""
    found = _AMOUNT.fullmatch(text.strip().lower())
    if found is None or found["unit"] not in _UNITS:
        return None
    amount = Decimal(f"{found['number'].replace(',', '')}.{found['fraction'] or 0}") * _UNITS[found["unit"]]
    if amount != amount.to_integral_value():
        raise NotWholePounds(text)
    return int(amount)


class MoneyField(Field):
    domain_messages: ClassVar[bool] = False

    def __init__(
        self, name: str, label: str, thing: str, *, minimum: int, maximum: int, example: str, **options: Any
    ) -> None:
        options.setdefault("invalid_message", f"Enter {thing}, like {example}")
        super().__init__(name, label, thing, **options)
        self.minimum = minimum
        self.maximum = maximum
        self.whole_pounds_message = f"Enter {thing} in whole pounds, like {example}"

    @property
    def range_message(self) -> str:
        return f"{capitalised(self.thing)} must be between £{self.minimum:,} and £{self.maximum:,}"

    def read(self, raw: Raw) -> int | None:
        text = self.text(raw)
        if not text:
            if self.required:
                raise Invalid(self.required_message)
            return None
        try:
            amount = pounds(text)
        except NotWholePounds:
            raise Invalid(self.whole_pounds_message) from None
        if amount is None:
            raise Invalid(self.invalid_message)
        if not self.minimum <= amount <= self.maximum:
            raise Invalid(self.range_message)
        return amount

    def show(self, value: Any) -> Shown:
        return {self.name: f"{value:,}"} if isinstance(value, int) else {}

    def message_for(self, kind: str, message: str) -> str:
        if kind in ("greater_than_equal", "less_than_equal", "greater_than", "less_than"):
            return self.range_message
        return super().message_for(kind, message)
