"""`{% bantuan %}`: the Bantuan link of base.html's navigation bar, pointing at the guide's section for the
current page (`kinerja.dashboard.panduan.isi.BANTUAN`, docs/rules.md §36). Outside `{% navigasi %}`'s
cache, which is per section, not per page."""

from __future__ import annotations

from typing import Any

from django import template
from django.utils.html import format_html
from django.utils.safestring import SafeString

from kinerja.dashboard.panduan.isi import tautan_bantuan

register = template.Library()


def _peran(context: Any) -> list[str]:
    """The user's guide roles, from the navigation's context (`dashboard.context_processors.peran`)."""
    peran = []
    if context.get("is_admin_kepegawaian"):
        peran.append("admin")
    if context.get("pegawai_saya") is not None:
        if context.get("is_pimpinan_unit"):
            peran.append("pimpinan")
        if context.get("is_penilai"):
            peran.append("penilai")
        peran.append("pegawai")
    return peran


@register.simple_tag(takes_context=True)
def bantuan(context: Any) -> SafeString | str:
    user = context.get("user")
    request = context.get("request")
    if user is None or not user.is_authenticated or request is None:
        return ""
    cocok = getattr(request, "resolver_match", None)
    href = tautan_bantuan(cocok.view_name if cocok else "", lambda: _peran(context))
    return format_html(
        '<a class="nav-link text-white ms-auto me-2 order-xl-last ps-xl-2" id="tautan-bantuan" href="{}" '
        'title="Bantuan untuk halaman ini" aria-label="Bantuan">'
        '<i class="bi bi-question-circle" aria-hidden="true"></i>'
        '<span class="d-none d-sm-inline d-xl-none" aria-hidden="true"> Bantuan</span></a>',
        href,
    )
