"""Every date or time a request body takes is strict (`kinerja/api/tipe.py`): `0` or a Unix time is no date.

Pydantic's plain `datetime.date` reads `0` as 1 January 1970 and `86400` as the day after; the published
schema declares `YYYY-MM-DD` only (docs/rules.md §25.1).
"""

from __future__ import annotations

import datetime
import importlib
import pkgutil
import typing

import pydantic
import pytest
from ninja import Schema

import kinerja.api

MODULES = [
    importlib.import_module(f"kinerja.api.{m.name}") for m in pkgutil.iter_modules(kinerja.api.__path__)
]


def _skema_masuk() -> list[type[Schema]]:
    found: dict[str, type[Schema]] = {}
    for module in MODULES:
        for name, obj in vars(module).items():
            if (
                isinstance(obj, type)
                and issubclass(obj, Schema)
                and name.endswith("In")
                and obj.__module__ == module.__name__
            ):
                found[f"{module.__name__}.{name}"] = obj
    return list(found.values())


def _jenis(annotation: object) -> set[type]:
    args = typing.get_args(annotation)
    if not args:
        return {annotation} if isinstance(annotation, type) else set()
    return set().union(*(_jenis(a) for a in args))


KASUS = [
    (schema, name, kind)
    for schema in _skema_masuk()
    for name, field in schema.model_fields.items()
    for kind in _jenis(field.annotation) & {datetime.date, datetime.time}
]


def test_the_request_schemas_have_dates_to_check():
    assert len(KASUS) >= 3, KASUS


@pytest.mark.parametrize("schema, name, kind", KASUS, ids=[f"{s.__name__}.{n}" for s, n, _ in KASUS])
@pytest.mark.parametrize("nilai", [0, 86400, 1.0])
def test_a_number_is_no_date_or_time(schema, name, kind, nilai):
    with pytest.raises(pydantic.ValidationError) as info:
        schema.model_validate({name: nilai})
    ours = [e for e in info.value.errors() if e["loc"] and e["loc"][0] == name]
    assert ours, info.value.errors()
    assert ours[0]["type"] == ("date_parsing" if kind is datetime.date else "time_parsing"), ours
