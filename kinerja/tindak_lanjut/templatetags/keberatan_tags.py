"""``{% keberatan_evaluasi ev %}``: the keberatan box of an evaluation page (the pegawai's "Ajukan
keberatan" button while the window is open, with its last day; the keberatan filed against it)."""

from __future__ import annotations

from typing import Any

from django import template

from kinerja.tindak_lanjut.keberatan import selectors as sel

register = template.Library()


@register.inclusion_tag("tindak_lanjut/keberatan/_evaluasi.html", takes_context=True)
def keberatan_evaluasi(context: dict[str, Any], ev: Any) -> dict[str, Any]:
    request = context.get("request")
    user = getattr(request, "user", None)
    info = sel.untuk_evaluasi(ev, user) if user is not None and user.is_authenticated else None
    return {"info": info, "ev": ev}
