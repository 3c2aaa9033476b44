"""Filters of `catatan/_saran.html`: the sum of the output logged in catatan kegiatan per indikator of the
periode, offered on the realisasi page as the suggested realisasi (read once per page by the view,
`catatan.selectors.saran_realisasi`)."""

from __future__ import annotations

from typing import Any

from django import template

register = template.Library()


@register.filter
def saran_sama(saran: Any, realisasi: Any) -> bool:
    """Whether the saved realisasi already equals the suggestion (no button then)."""
    return bool(saran and realisasi is not None and realisasi.nilai_angka == saran.jumlah)
