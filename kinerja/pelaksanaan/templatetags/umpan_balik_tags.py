"""`{% umpan_balik_belum_dibaca as n %}`: the unread feedback count for the navigation badge (one COUNT)."""

from __future__ import annotations

from typing import Any

from django import template

register = template.Library()


@register.simple_tag(takes_context=True)
def umpan_balik_belum_dibaca(context: dict[str, Any]) -> int:
    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated or not user.pegawai_id:
        return 0
    cached = getattr(request, "_umpan_balik_belum", None)
    if cached is None:
        from kinerja.pelaksanaan.umpan_balik.selectors import jumlah_belum_dibaca_cached

        cached = request._umpan_balik_belum = jumlah_belum_dibaca_cached(user)
    return cached
