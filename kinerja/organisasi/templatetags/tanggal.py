"""``{{ value|tanggal }}``: the local date in the Indonesian long form, "31 Januari 2026" (see
`kinerja.common.tanggal`; docs/rules.md §22). A builtin of the project's templates (settings)."""

from __future__ import annotations

import datetime
from typing import Any

from django import template

from kinerja.common.tanggal import tanggal_panjang

register = template.Library()


@register.filter(name="tanggal")
def tanggal(value: Any) -> str:
    """Like Django's ``date`` filter, anything that is not a date (or an ISO date string) gives ""."""
    if isinstance(value, str) and value:
        try:
            value = datetime.datetime.fromisoformat(value)
        except ValueError:
            return ""
    if not isinstance(value, datetime.date):
        return ""
    return tanggal_panjang(value)
