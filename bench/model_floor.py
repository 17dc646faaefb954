"""What pydantic alone costs: creating the objects a read produced, with every value already converted.

Used by the 835 and 837 benchmarks to show how much of a read into models is the models themselves.
Each object is made again from its own field values, nested models reused (so each step creates
exactly one object), two ways: with `model_construct` (pydantic's fastest public way, no validation),
and bare, as edi's generated builders do it (`__new__` and the four attributes pydantic keeps, nothing
else): the least any reader that returns these models has to spend on them.
"""

from __future__ import annotations

import gc
import time
from collections.abc import Callable

from pydantic import BaseModel


def all_models(roots: list[BaseModel]) -> list[BaseModel]:
    """Every model reachable from `roots` through fields, lists, tuples and dicts, once each (claims of
    one subscriber may share its objects)."""
    found: list[BaseModel] = []
    seen: set[int] = set()
    stack: list[object] = list(reversed(roots))
    while stack:
        value = stack.pop()
        if isinstance(value, BaseModel):
            if id(value) in seen:
                continue
            seen.add(id(value))
            found.append(value)
            stack.extend(getattr(value, name) for name in type(value).model_fields)
        elif isinstance(value, (list, tuple)):
            stack.extend(value)
        elif isinstance(value, dict):
            stack.extend(value.values())
    return found


def construct_seconds(roots: list[BaseModel], runs: int) -> tuple[float, float, int]:
    """Best times (collector paused) to make every model of `roots` again, with `model_construct` and
    bare, and how many models that is."""
    specs = [(type(m), dict(m.__dict__), m.__pydantic_private__) for m in all_models(roots)]
    new, set_ = object.__new__, object.__setattr__

    def construct() -> list[BaseModel]:
        return [cls.model_construct(**values) for cls, values, _ in specs]

    def bare() -> list[BaseModel]:
        made = []
        for cls, values, private in specs:
            inst = new(cls)
            set_(inst, "__dict__", values.copy())
            set_(inst, "__pydantic_fields_set__", set(values))
            set_(inst, "__pydantic_extra__", None)
            set_(inst, "__pydantic_private__", private)
            made.append(inst)
        return made

    return _best(construct, runs), _best(bare, runs), len(specs)


def _best(make: Callable[[], list[BaseModel]], runs: int) -> float:
    best = float("inf")
    for _ in range(runs):
        gc.disable()
        start = time.perf_counter()
        made = make()
        took = time.perf_counter() - start
        gc.enable()
        del made
        best = min(best, took)
    return best
