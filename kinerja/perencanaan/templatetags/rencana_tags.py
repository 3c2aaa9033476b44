"""Display helpers of the organisation planning pages (Perjanjian Kinerja, Manual IKU, pohon, matriks)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import template

from kinerja.rules.nip import format_nip

register = template.Library()

STATUS_BADGE = {
    "draft": "text-bg-secondary",
    "diajukan": "text-bg-info",
    "dikembalikan": "text-bg-warning",
    "disetujui": "text-bg-success",
}


@register.filter
def angka(value: Any) -> str:
    """A stored decimal without trailing zeros ("100.0000" → "100", "12.5000" → "12.5"); "–" when empty."""
    if value in (None, ""):
        return "–"
    if not isinstance(value, Decimal):
        value = Decimal(str(value))
    return f"{value.normalize():f}"


@register.filter
def status_badge(status: str) -> str:
    """Bootstrap badge class of a workflow status."""
    return STATUS_BADGE.get(str(status), "text-bg-light")


@register.filter
def nip(value: str) -> str:
    """A NIP as printed on documents ("19720514 199803 1 003"); unchanged when it is not a valid NIP."""
    try:
        return format_nip(value)
    except ValueError:
        return value
