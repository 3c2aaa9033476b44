from collections.abc import Callable
from typing import Any

from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from kinerja.common import cache
from kinerja.permissions import allowed


def peran(request: HttpRequest) -> dict[str, Any]:
    """What the navigation needs to know about the user: admin of which instansi, linked pegawai, and the
    facts of `fakta_peran` (lazy: a page that does not render them pays nothing; cached per user)."""
    user = request.user
    if not user.is_authenticated:
        return {}
    fakta = SimpleLazyObject(lambda: fakta_peran(user))
    return {
        "is_admin_kepegawaian": allowed(user, "organisasi.view_org"),
        "pegawai_saya": SimpleLazyObject(lambda: user.pegawai) if user.pegawai_id else None,
        # Shows the "Bawahan" menu and the rating entries of the "Penilaian" menu.
        "is_penilai": SimpleLazyObject(lambda: fakta["penilai"]),
        # Heads a unit today (definitif, Plt. or Plh.): the unit reports of the tindak lanjut menu.
        "is_pimpinan_unit": SimpleLazyObject(lambda: fakta["pimpinan_unit"]),
    }


def scopes_peran(user: Any) -> list[str]:
    """The cache scopes of a user's role facts: the user, their pegawai, the pegawai's instansi (any change
    to its units, jabatan or placements may change who is penilai or heads a unit) and the SKP of which
    they are penilai (`kinerja.dashboard.invalidasi`)."""
    return [
        cache.user(user.pk),
        cache.pegawai(user.pegawai_id),
        cache.instansi(user.pegawai.instansi_id),
        cache.scope("skp-penilai", user.pegawai_id),
    ]


def navigasi_html(user: Any, nav: str, render: Callable[[], str]) -> str:
    """The signed-in navigation of base.html for `user` on a page of section `nav` (`{% navigasi %}`): cached
    per user, section and day in the scopes of everything it shows: the role facts' (`scopes_peran`: who is
    penilai or heads a unit, the pegawai's name), the badge counts' (umpan balik: user and pegawai;
    notifications: user) and the admin role's (the user)."""
    from kinerja.organisasi.selectors import today

    scopes = scopes_peran(user) if user.pegawai_id else [cache.user(user.pk)]
    return cache.cached(f"navigasi:{today().isoformat()}:{nav}", scopes, render)


def fakta_peran(user: Any) -> dict[str, bool]:
    """{"penilai": …, "pimpinan_unit": …} of the user today: one query, or none when cached."""
    if not user.pegawai_id:
        return {"penilai": False, "pimpinan_unit": False}
    from kinerja.organisasi.selectors import today

    hari = today()
    return cache.cached(f"peran:{hari.isoformat()}", scopes_peran(user), lambda: _fakta_peran(user, hari))


def _fakta_peran(user: Any, hari: Any) -> dict[str, bool]:
    """Holds a jabatan with jabatan below it today, or is the recorded penilai of an SKP still waiting
    (penilai); holds a pimpinan-unit jabatan today (pimpinan unit). One query."""
    from django.db.models import Exists, OuterRef, Q

    from kinerja.organisasi.models import Jabatan, Pegawai, Penempatan
    from kinerja.perencanaan.models import Skp

    bawahan = Jabatan.objects.filter(parent_id=OuterRef("jabatan_id"))
    menunggu = Skp.objects.filter(penilai_id=OuterRef("pegawai_id"), status="diajukan")
    aktif = Penempatan.objects.aktif_pada(hari).filter(pegawai_id=OuterRef("pk"))
    row = (
        Pegawai.objects.filter(pk=user.pegawai_id)
        .annotate(
            penilai=Exists(aktif.filter(Exists(bawahan) | Exists(menunggu))),
            pimpinan=Exists(aktif.filter(Q(jabatan__pimpinan_unit=True))),
        )
        .values("penilai", "pimpinan")
        .first()
    )
    if row is None:
        return {"penilai": False, "pimpinan_unit": False}
    return {"penilai": bool(row["penilai"]), "pimpinan_unit": bool(row["pimpinan"])}
