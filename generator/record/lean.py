"""Records as the build holds them: validated models turned into small, read-only objects.

A validated record (generator.record.models) costs about 18 KB of memory: each of its
twenty-odd pydantic models carries a dict of its fields and a set of the fields given.
The build holds every record while it makes the hubs and the search index, so at
100,000 determinations the models alone took 1.7 GB. :func:`lean` copies a validated
model into instances of slotted classes with the same field names and properties
(about a third of the memory), sharing equal short strings and dates between records;
:func:`dump` gives the same JSON data as the model's ``model_dump(mode="json")``.

The page builders read records by attribute, so they take either kind.
"""

from __future__ import annotations

import datetime as dt
import sys
from typing import Any

from pydantic import BaseModel

from generator.record import models

_SHARE_BELOW = 80  # strings shorter than this are shared (vocabulary, services, keys)


class Lean:
    """A read-only record part: the fields of its model class, in the model's order."""

    __slots__ = ()
    _fields: tuple[str, ...] = ()

    def __setattr__(self, name: str, value: Any) -> None:
        raise AttributeError(f"{type(self).__name__} is read-only")

    def _values(self) -> tuple:
        return tuple(getattr(self, f) for f in self._fields)

    def __eq__(self, other: object) -> bool:
        if type(other) is not type(self):
            return NotImplemented
        return self._values() == other._values()  # type: ignore[attr-defined]

    def __hash__(self) -> int:  # like a frozen model: unhashable when it holds a list
        return hash((type(self).__name__, self._values()))

    def __repr__(self) -> str:
        inner = ", ".join(f"{f}={getattr(self, f)!r}" for f in self._fields)
        return f"{type(self).__name__}({inner})"

    def __reduce__(self):
        return (_rebuild, (type(self).__name__, self._values()))


def _rebuild(name: str, values: tuple) -> Lean:
    obj = object.__new__(_CLASSES[name])
    for field, value in zip(obj._fields, values, strict=True):
        object.__setattr__(obj, field, value)
    return obj


def _lean_class(model: type[BaseModel]) -> type[Lean]:
    fields = tuple(model.model_fields)
    namespace: dict[str, Any] = {"__slots__": fields, "_fields": fields, "__module__": __name__,
                                 "__doc__": f"A lean {model.__name__} (see the module)."}
    for name, attr in vars(model).items():  # the model's properties (Item.citations, ...)
        if isinstance(attr, property):
            namespace[name] = attr
    return type(model.__name__, (Lean,), namespace)


_MODELS = (models.Source, models.Dates, models.Patient, models.Reviewer, models.Citation,
           models.ClaimsAdministratorGuideline, models.ReviewerGuideline, models.Item,
           models.Determination)
_CLASSES: dict[str, type[Lean]] = {m.__name__: _lean_class(m) for m in _MODELS}
_OF_MODEL: dict[type, type[Lean]] = {m: _CLASSES[m.__name__] for m in _MODELS}


class _Shared:
    """Equal short strings and dates, one object each (for one load of records)."""

    def __init__(self) -> None:
        self.dates: dict[dt.date, dt.date] = {}

    def value(self, v: Any) -> Any:
        if isinstance(v, str):
            return sys.intern(v) if len(v) < _SHARE_BELOW else v
        if isinstance(v, dt.date):
            return self.dates.setdefault(v, v)
        return v


def lean(model: BaseModel, shared: _Shared | None = None) -> Lean:
    """The lean copy of a validated model (a record or any part of one)."""
    shared = shared or _Shared()
    cls = _OF_MODEL[type(model)]
    obj = object.__new__(cls)
    for field in cls._fields:
        object.__setattr__(obj, field, _convert(getattr(model, field), shared))
    return obj


def _convert(value: Any, shared: _Shared) -> Any:
    if isinstance(value, BaseModel):
        return lean(value, shared)
    if isinstance(value, list):
        return [_convert(v, shared) for v in value]
    if isinstance(value, tuple):
        return tuple(_convert(v, shared) for v in value)
    return shared.value(value)


def sharing() -> _Shared:
    """What lean() shares between the records of one load (pass it to each call)."""
    return _Shared()


def dump(record: Lean | BaseModel) -> dict:
    """The record's JSON data, as ``model_dump(mode="json")`` gives it."""
    if isinstance(record, BaseModel):
        return record.model_dump(mode="json")
    return {f: _json(getattr(record, f)) for f in record._fields}


def _json(value: Any) -> Any:
    if isinstance(value, Lean):
        return dump(value)
    if isinstance(value, (list, tuple)):
        return [_json(v) for v in value]
    if isinstance(value, dt.date):
        return value.isoformat()
    return value
