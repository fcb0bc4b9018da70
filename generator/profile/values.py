"""The kinds of value a profile holds, and the strict model every section is built on.

Numbers and yes/no are what YAML wrote (true is not a number); every number and date that feeds
arithmetic has a range; names and texts have a length; time limits are Durations.
"""
from __future__ import annotations

import datetime as dt
from typing import Annotated

from pydantic import AfterValidator, BaseModel, BeforeValidator, ConfigDict, Field, Strict
from pydantic_core import PydanticCustomError

from generator.profile import creditcode
from generator.text.literal import Duration


def _credit_code(value: str) -> str:
    message = creditcode.problem(value)
    if message:
        raise ValueError(message)
    return value


def _no_bool(kind: str):
    """A check before pydantic's own, which (lax) reads true as 1 and false as 0: `employees: true`
    would be one employee. `kind` is pydantic's error type for the field's type, so that the message
    is the same as for any other value of the wrong type."""
    def check(value):
        if isinstance(value, bool):
            raise PydanticCustomError(kind, "not a boolean")
        return value
    return BeforeValidator(check)


CreditCode = Annotated[str, AfterValidator(_credit_code)]
# Numbers and yes/no are what YAML wrote: true is not a number, and 1 or "yes" is not true.
Int = Annotated[int, _no_bool("int_type")]
Float = Annotated[float, _no_bool("float_type")]
Bool = Annotated[bool, Strict()]
Text = Annotated[str, Field(min_length=1, max_length=2000)]
Name = Annotated[str, Field(min_length=1, max_length=200)]
# Every number and date that feeds arithmetic has a range: beyond it a value is a typo, and date
# arithmetic, ZIP timestamps (1980–2107) and float sums would fail or mislead.
MAX_COUNT = 10_000_000  # people, outlets, samples, months …
Count = Annotated[Int, Field(ge=0, le=MAX_COUNT)]
Positive = Annotated[Int, Field(ge=1, le=MAX_COUNT)]
Hours = Annotated[Float, Field(gt=0, le=8760), AfterValidator(Duration)]  # a time limit: at most a year, shown rounded up
Money = Annotated[Float, Field(ge=0, le=100_000_000)]  # 万元
Date = Annotated[dt.date, Field(ge=dt.date(1900, 1, 1), le=dt.date(2100, 12, 31))]
DocumentDate = Annotated[dt.date, Field(ge=dt.date(1990, 1, 1), le=dt.date(2100, 12, 31))]  # issued, applied …


class Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, use_attribute_docstrings=True,
                              coerce_numbers_to_str=True, str_strip_whitespace=True, allow_inf_nan=False)
