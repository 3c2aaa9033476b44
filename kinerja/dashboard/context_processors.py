from typing import Any

from django.http import HttpRequest

from kinerja.permissions import allowed


def peran(request: HttpRequest) -> dict[str, Any]:
    """What the navigation needs to know about the user: admin of which instansi, linked pegawai."""
    user = request.user
    if not user.is_authenticated:
        return {}
    return {
        "is_admin_kepegawaian": allowed(user, "organisasi.view_org"),
        "pegawai_saya": user.pegawai if user.pegawai_id else None,
        # Evaluated only when a template asks (one query): shows the "Persetujuan SKP" menu.
        "is_penilai": lambda: _is_penilai(user),
        # Heads a unit today (definitif, Plt. or Plh.): the unit reports of the tindak lanjut menu.
        "is_pimpinan_unit": lambda: _is_pimpinan_unit(user),
    }


def _is_pimpinan_unit(user: Any) -> bool:
    if not user.pegawai_id:
        return False
    from kinerja.organisasi.models import Penempatan
    from kinerja.organisasi.selectors import today

    return bool(
        Penempatan.objects.aktif_pada(today())
        .filter(pegawai_id=user.pegawai_id, jabatan__pimpinan_unit=True)
        .exists()
    )


def _is_penilai(user: Any) -> bool:
    """Holds a jabatan with jabatan below it today, or is the recorded penilai of an SKP still waiting."""
    if not user.pegawai_id:
        return False
    from django.db.models import Exists, OuterRef

    from kinerja.organisasi.models import Jabatan, Penempatan
    from kinerja.organisasi.selectors import today
    from kinerja.perencanaan.models import Skp

    bawahan = Jabatan.objects.filter(parent_id=OuterRef("jabatan_id"))
    menunggu = Skp.objects.filter(penilai_id=user.pegawai_id, status="diajukan")
    return bool(
        Penempatan.objects.aktif_pada(today())
        .filter(pegawai_id=user.pegawai_id)
        .filter(Exists(bawahan) | Exists(menunggu))
        .exists()
    )
