"""The fields of a model that pydantic would refuse, looked for once edi has failed on it.

The models validate what they are given and what is assigned to them (`validate_assignment`), so
the checks and writers trust their types. A caller can still go around pydantic:
`Claim.model_construct(...)`, `object.__setattr__(claim, "lines", None)` or
`claim.__dict__["lines"] = None`; such a value used to fail deep inside edi with a Python error
(`TypeError: 'NoneType' object is not iterable`). Validating every claim up front would cost every
claim, so the entry points (`check_claims`, `write_837`, `check_remittances`, `write_835`) only
call `unvalidated` when one fails with an error that is not edi's, to say which field is at fault
as pydantic says it; when it finds none, the error is edi's own and is raised as it was.
"""

from __future__ import annotations

from typing import Any, NamedTuple

from pydantic import BaseModel, ValidationError

from edi.errors import EdiError, _said, field_path

# What the problem says of the model, after what it is: `claim PCN1: not validated (...): lines: ...`.
NOT_VALIDATED = (
    "not validated (made with model_construct or model_copy(update=...), or changed in place: a "
    "list appended to, __dict__, object.__setattr__)"
)
# The faults said in one problem at most; a model made of text from elsewhere may have hundreds.
_SHOWN = 5


class Fault(NamedTuple):
    """A field pydantic refuses: its path from the model walked (`lines[0].charge`), and what
    pydantic expected there (its message, never the value: it may be PHI)."""

    path: str
    message: str

    def __str__(self) -> str:
        return f"{self.path}: {self.message}"


class Walk:
    """The faults of models, walked one level at a time; a model several of those walked share
    (the billing provider of a set's claims) is walked once."""

    def __init__(self) -> None:
        # By identity, each with its model (so that its id is not reused while kept).
        self._seen: dict[int, tuple[BaseModel, list[Fault]]] = {}

    def faults(self, model: BaseModel) -> list[Fault]:
        """What pydantic refuses in `model` and the models it holds, with paths from it."""
        hit = self._seen.get(id(model))
        if hit is not None and hit[0] is model:
            return hit[1]
        out: list[Fault] = []
        self._seen[id(model)] = (model, out)  # before walking: a model that holds itself ends
        cls = type(model)
        data = model.__dict__
        fields = cls.model_fields
        refused: set[Any] = set()
        try:
            # The values as given to the class: a model it holds is taken as it is (pydantic does
            # not validate an instance again), so the errors are this level's own.
            made = cls.model_validate({name: data[name] for name in fields if name in data})
        except ValidationError as exc:
            for err in exc.errors():
                loc = err["loc"]
                refused.add(loc[0] if loc else None)
                out.append(Fault(field_path(loc) or "(the model)", _said(err)))
        except Exception:  # a validator of this model failing on a value deeper down: found below
            pass
        else:
            # A value pydantic takes but would have made into another (the text "12.50" where a
            # Decimal goes, "2024-03-05" where a Period goes): edi is given the value as it is.
            for name, value in data.items():
                if name in fields and not _as_made(value, made.__dict__.get(name)):
                    refused.add(name)
                    path, given, kind = _unmade(name, value, made.__dict__.get(name))
                    said = f"{_a(type(given).__name__)}, where pydantic makes {_a(kind)} of it"
                    out.append(Fault(path, said))
        if cls.__private_attributes__ and getattr(model, "__pydantic_private__", None) is None:
            what = (
                "its private attributes are not set (__pydantic_private__ is None): make the model "
                "again, with model_validate or model_construct, which set them"
            )
            out.append(Fault("(the model)", what))
        for name in fields:
            if name in data and name not in refused:
                out += self._held(data[name], name)
        return out

    def _held(self, value: Any, path: str) -> list[Fault]:
        """The faults of the models `value` is or holds (in a list, tuple or dict), under `path`."""
        if isinstance(value, BaseModel):
            return [
                Fault(path if f.path == "(the model)" else _joined(path, f.path), f.message)
                for f in self.faults(value)
            ]
        if isinstance(value, (list, tuple)):
            return [f for n, item in enumerate(value) for f in self._held(item, f"{path}[{n}]")]
        if isinstance(value, dict):
            return [f for key, item in value.items() for f in self._held(item, f"{path}[{key!r}]")]
        return []


def _as_made(value: Any, made: Any) -> bool:
    """Whether `value` is of the kind pydantic made of it (`made`), in a list or dict too."""
    if value is made:
        return True
    if not isinstance(value, type(made)):
        return False
    if isinstance(value, (list, tuple)):
        return len(value) == len(made) and all(map(_as_made, value, made))
    if isinstance(value, dict):
        return value.keys() == made.keys() and all(_as_made(value[k], made[k]) for k in value)
    return True


def _unmade(path: str, value: Any, made: Any) -> tuple[str, Any, str]:
    """The innermost value in `value` not of the kind pydantic made of it, its path and the name of
    that kind: a dict appended to a list of models is `codes[2]`, a dict where a `HealthCode` goes,
    not the list."""
    if isinstance(value, (list, tuple)) and isinstance(made, (list, tuple)):
        if len(value) == len(made):
            for n, (item, item_made) in enumerate(zip(value, made, strict=True)):
                if not _as_made(item, item_made):
                    return _unmade(f"{path}[{n}]", item, item_made)
    elif isinstance(value, dict) and isinstance(made, dict) and value.keys() == made.keys():
        for key, item in value.items():
            if not _as_made(item, made[key]):
                return _unmade(f"{path}[{key!r}]", item, made[key])
    return path, value, type(made).__name__


def _a(noun: str) -> str:
    """`noun` with its article: a str, an int."""
    return f"{'an' if noun[:1].lower() in 'aeiou' else 'a'} {noun}"


def _joined(path: str, inner: str) -> str:
    return f"{path}{inner}" if inner.startswith("[") else f"{path}.{inner}"


def unvalidated(model: BaseModel, walk: Walk | None = None) -> str | None:
    """What a model edi failed on was not validated for: `not validated (made with ...): lines:
    Input should be a valid list`; None when pydantic refuses none of its fields (the failure is
    edi's own). `walk`: one shared by the models of one call (their shared parts walked once)."""
    found = (walk or Walk()).faults(model)
    if not found:
        return None
    said = "; ".join(str(f) for f in found[:_SHOWN])
    if len(found) > _SHOWN:
        said += f"; and {len(found) - _SHOWN} more"
    return f"{NOT_VALIDATED}: {said}"


def not_edis(exc: BaseException) -> bool:
    """Whether `exc` is a Python error, not one edi raises on purpose (an `EdiError`), nor one
    that stops the program (KeyboardInterrupt, MemoryError)."""
    return isinstance(exc, Exception) and not isinstance(exc, (EdiError, MemoryError))


__all__ = ["NOT_VALIDATED", "Fault", "Walk", "not_edis", "unvalidated"]
