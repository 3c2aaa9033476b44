"""`{% notifikasi_belum_dibaca as n %}`: the unread notification count for the bell (one COUNT, cached)."""

from __future__ import annotations

from typing import Any

from django import template

register = template.Library()


@register.simple_tag(takes_context=True)
def notifikasi_belum_dibaca(context: dict[str, Any]) -> int:
    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return 0
    cached = getattr(request, "_notifikasi_belum", None)
    if cached is None:
        from kinerja.notifikasi.services import jumlah_belum_dibaca_cached

        cached = request._notifikasi_belum = jumlah_belum_dibaca_cached(user)
    return cached
