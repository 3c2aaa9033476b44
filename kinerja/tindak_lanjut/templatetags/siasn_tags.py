"""``{% siasn_evaluasi ev %}``: the SIASN mark on an evaluation page (penilaian's page; this later stage adds
to it, like the keberatan box): "Terkirim ke SIASN pada …" for everyone who may read the evaluation; while
queued or after a failure, the admin of the instansi sees it with a link to the sync page."""

from __future__ import annotations

from typing import Any

from django import template

from kinerja.permissions import allowed
from kinerja.tindak_lanjut.siasn.kirim import selectors as sel

register = template.Library()


@register.inclusion_tag("tindak_lanjut/siasn/_evaluasi.html", takes_context=True)
def siasn_evaluasi(context: dict[str, Any], ev: Any) -> dict[str, Any]:
    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated or not ev.is_final:
        return {"kirim": None}
    return {
        "kirim": sel.kirim_evaluasi(ev),
        "admin": allowed(user, "tindak_lanjut.view_kirim_siasn", ev.instansi_id),
        "ev": ev,
    }
