"""`{% if skp|iiaa_struktural %}`: whether an SKP gets a laporan capaian IIAA (a structural jabatan)."""

from __future__ import annotations

from django import template

from kinerja.pelaksanaan.iiaa.services import is_struktural
from kinerja.perencanaan.models import Skp

register = template.Library()


@register.filter
def iiaa_struktural(skp: Skp | None) -> bool:
    return skp is not None and is_struktural(skp)
