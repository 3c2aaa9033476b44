"""Parameter and field types shared by every router, so the published contract and what is accepted agree.

- **Ids** (`Id` in a path, `IdQuery` in a query string, `IdIsian` in a body): integers 1 … 2⁶³−1, the range
  of the database's `bigint` keys, declared in the schema; anything else is a 422 naming the parameter,
  never a database overflow (500).
- **Dates and times**: only the forms the schema declares — a date `YYYY-MM-DD` (ISO 8601 calendar date), a
  time `hh:mm` or `hh:mm:ss` — instead of everything pydantic would coerce (a number of seconds since
  1970, `2026-01-05T00:00`, …).

See docs/rules.md §25.1.
"""

from __future__ import annotations

import datetime
import re
from enum import StrEnum
from typing import Annotated, Any

from ninja import Field, Path, Query
from pydantic import BeforeValidator
from pydantic_core import PydanticCustomError

#: The largest key the database holds (BigAutoField; SQLite INTEGER and PostgreSQL bigint).
MAX_ID = 2**63 - 1

Id = Path[int, {"ge": 1, "le": MAX_ID}]
IdQuery = Query[int, {"ge": 1, "le": MAX_ID}]
IdIsian = Annotated[int, Field(ge=1, le=MAX_ID)]

_TANGGAL = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
_JAM = re.compile(r"[0-9]{2}:[0-9]{2}(:[0-9]{2})?")


def _tanggal(value: Any) -> Any:
    if isinstance(value, datetime.date) and not isinstance(value, datetime.datetime):
        return value
    if isinstance(value, str) and _TANGGAL.fullmatch(value):
        return value  # pydantic checks that the day exists
    raise PydanticCustomError("date_parsing", "Tanggal tidak valid; gunakan format YYYY-MM-DD.")


def _jam(value: Any) -> Any:
    if isinstance(value, datetime.time):
        return value
    if isinstance(value, str) and _JAM.fullmatch(value):
        return value
    raise PydanticCustomError("time_parsing", "Jam tidak valid; gunakan format jj:mm atau jj:mm:dd.")


#: A calendar date, `YYYY-MM-DD` only (schema: `string`, format `date`).
Tanggal = Annotated[datetime.date, BeforeValidator(_tanggal)]
#: A time of day, `hh:mm` or `hh:mm:ss` only (schema: `string`, format `time`).
Jam = Annotated[datetime.time, BeforeValidator(_jam)]

#: An optional id in a query string (absent: not filtered).
IdQueryOpsional = Query[int | None, {"ge": 1, "le": MAX_ID}]
#: The number of a periode penilaian in a path (1 … 12: monthly is the finest schema).
NomorPeriode = Path[int, {"ge": 1, "le": 12}]


def _opsional(cek: Any) -> Any:
    return lambda value: value if value is None else cek(value)


#: `Tanggal` or absent/null.
TanggalOpsional = Annotated[datetime.date | None, BeforeValidator(_opsional(_tanggal))]
#: `Jam` or absent/null.
JamOpsional = Annotated[datetime.time | None, BeforeValidator(_opsional(_jam))]


def enum_api(nama: str, asal: type[StrEnum], module: str) -> type[StrEnum]:
    """The values of a regulation enum under another component name, for two enums of `kinerja.rules` that
    share a class name (`alur.Peran`, `evaluasi.Peran`): the document would merge them (see `kontrak`)."""
    return StrEnum(nama, {m.name: m.value for m in asal}, module=module)
