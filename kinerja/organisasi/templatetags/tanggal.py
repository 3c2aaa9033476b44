"""``{{ value|tanggal }}``: the local date in the Indonesian long form, "31 Januari 2026" (see
`kinerja.organisasi.tanggal`; docs/rules.md §22)."""

from __future__ import annotations

from typing import Any

from django import template

from kinerja.organisasi.tanggal import tanggal_panjang

register = template.Library()


@register.filter(name="tanggal")
def tanggal(value: Any) -> str:
    return tanggal_panjang(value) if value else ""
