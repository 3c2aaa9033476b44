"""`{% saran_catatan skp periode as saran %}` then `{% with s=saran|saran_untuk:indikator.pk %}`: the sum of
the output logged in catatan kegiatan per indikator of the periode (one query per page), offered on the
realisasi page as the suggested realisasi."""

from __future__ import annotations

from typing import Any

from django import template

register = template.Library()


@register.simple_tag
def saran_catatan(skp: Any, periode: Any) -> dict[int, Any]:
    from kinerja.pelaksanaan.catatan.selectors import saran_realisasi

    if skp is None or periode is None:
        return {}
    return saran_realisasi(skp, periode)


@register.filter
def saran_untuk(saran: dict[int, Any] | None, indikator_id: int) -> Any:
    return (saran or {}).get(indikator_id)


@register.filter
def saran_sama(saran: Any, realisasi: Any) -> bool:
    """Whether the saved realisasi already equals the suggestion (no button then)."""
    return bool(saran and realisasi is not None and realisasi.nilai_angka == saran.jumlah)
