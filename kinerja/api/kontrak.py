"""Checks of the published contract that django-ninja does not make itself.

django-ninja names an OpenAPI component after the schema class; two classes of one name (e.g. two
`UnitOut` in two routers) silently become one component, and the document then describes one of them
wrongly. `nama_ganda` finds such names; `kinerja.api` refuses to start with one (docs/rules.md §25.1).
"""

from __future__ import annotations

import enum
import typing
from collections import defaultdict
from typing import Any

from ninja import NinjaAPI
from pydantic import BaseModel


def _kelas(tipe: Any, seen: set[Any]) -> typing.Iterator[type]:
    """Every schema class and enum reachable from a type annotation (fields, lists, unions, Annotated)."""
    if tipe in seen:
        return
    seen.add(tipe)
    if isinstance(tipe, type) and issubclass(tipe, BaseModel):
        yield tipe
        for field in tipe.model_fields.values():
            yield from _kelas(field.annotation, seen)
    elif isinstance(tipe, type) and issubclass(tipe, enum.Enum):
        yield tipe
    for arg in typing.get_args(tipe):
        yield from _kelas(arg, seen)


def nama_ganda(api: NinjaAPI) -> dict[str, list[str]]:
    """Component name → the different classes of the project carrying it (only names with two or more)."""
    kelas: dict[str, set[str]] = defaultdict(set)
    seen: set[Any] = set()
    for _prefix, router in api._routers:
        for view in router.path_operations.values():
            for op in view.operations:
                models = [*op.response_models.values(), *op.models]
                for model in models:
                    for k in _kelas(model, seen):
                        if k.__module__.startswith("kinerja."):
                            kelas[k.__name__].add(f"{k.__module__}.{k.__qualname__}")
    return {nama: sorted(asal) for nama, asal in kelas.items() if len(asal) > 1}


def periksa(api: NinjaAPI) -> None:
    """Refuse an API whose document would merge two schemas under one name."""
    ganda = nama_ganda(api)
    if ganda:
        daftar = "; ".join(f"{nama}: {', '.join(asal)}" for nama, asal in sorted(ganda.items()))
        raise TypeError(f"Two API schemas share a component name (rename one): {daftar}")
