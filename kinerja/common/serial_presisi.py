"""Django's JSON serializer with times to the microsecond, for the backup (docs/rules.md §24.4).

`DjangoJSONEncoder` cuts datetimes and times to milliseconds, so a restored installation would differ from
the original in every time stamp, and two changes within one millisecond (a history row and the next) would
come back equal. The output is plain ISO 8601: Django's own "json" deserializer reads it (a `database.json`
written this way loads with `loaddata`, and older archives still load).
"""

from __future__ import annotations

import datetime
from typing import Any

from django.core.serializers.json import Deserializer as Deserializer  # noqa: F401  (the format's pair)
from django.core.serializers.json import DjangoJSONEncoder
from django.core.serializers.json import Serializer as _JsonSerializer


class EncoderPresisi(DjangoJSONEncoder):
    def default(self, o: Any) -> Any:
        if isinstance(o, datetime.datetime):
            teks = o.isoformat()
            return teks[:-6] + "Z" if teks.endswith("+00:00") else teks
        if isinstance(o, datetime.time) and o.utcoffset() is None:
            return o.isoformat()
        return super().default(o)


class Serializer(_JsonSerializer):
    def _init_options(self) -> None:
        super()._init_options()
        self.json_kwargs["cls"] = EncoderPresisi
