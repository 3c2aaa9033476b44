"""Who may see or change what: the one place that decides (django-rules predicates).

Views, the API and templates ask `user.has_perm("<perm>", obj)`; nothing else decides access.
Penilai / atasan rights come from the org tree (jabatan held today), never from flags.
"""

from __future__ import annotations

from typing import Any

import rules

from kinerja.organisasi.models import Instansi, Jabatan, Pegawai, Penempatan, Periode, UnitKerja


def _instansi_id_of(obj: Any) -> int | None:
    if hasattr(obj, "instansi_id"):
        return obj.instansi_id  # type: ignore[no-any-return]
    if isinstance(obj, Instansi):
        return obj.pk
    if isinstance(obj, (UnitKerja, Jabatan, Pegawai, Periode)):
        return obj.instansi_id
    if isinstance(obj, Penempatan):
        return obj.pegawai.instansi_id
    return getattr(obj, "instansi_id", None)


def _held_paths(user: Any) -> list[str]:
    """Paths of the jabatan the user's pegawai holds today (cached on the user for the request)."""
    cached = getattr(user, "_kinerja_held_paths", None)
    if cached is None:
        from kinerja.organisasi.selectors import jabatan_dipegang

        cached = [j.path for j in jabatan_dipegang(user.pegawai)] if user.pegawai_id else []
        user._kinerja_held_paths = cached
    return cached


@rules.predicate
def is_superuser(user: Any) -> bool:
    return bool(user.is_authenticated and user.is_superuser)


@rules.predicate
def is_admin_kepegawaian(user: Any) -> bool:
    return bool(user.is_authenticated and user.admin_instansi_id)


@rules.predicate
def is_admin_of(user: Any, obj: Any) -> bool:
    if not user.is_authenticated or obj is None or not user.admin_instansi_id:
        return False
    return bool(_instansi_id_of(obj) == user.admin_instansi_id)


@rules.predicate
def is_self(user: Any, pegawai: Pegawai | None) -> bool:
    return bool(user.is_authenticated and pegawai is not None and user.pegawai_id == pegawai.pk)


@rules.predicate
def is_atasan_of(user: Any, pegawai: Pegawai | None) -> bool:
    """True when the pegawai's definitif jabatan lies below a jabatan the user holds today (any depth)."""
    if not user.is_authenticated or pegawai is None or not user.pegawai_id or user.pegawai_id == pegawai.pk:
        return False
    paths = _held_paths(user)
    if not paths:
        return False
    from kinerja.organisasi.selectors import jabatan_utama

    utama = jabatan_utama(pegawai)
    if utama is None:
        return False
    return any(utama.jabatan.path.startswith(p) and utama.jabatan.path != p for p in paths)


@rules.predicate
def is_skp_owner(user: Any, skp: Any) -> bool:
    return bool(user.is_authenticated and skp is not None and user.pegawai_id == skp.pegawai_id)


@rules.predicate
def is_skp_penilai_chain(user: Any, skp: Any) -> bool:
    """The penilai and atasan penilai recorded on the SKP, or anyone above the pegawai in the tree today."""
    if not user.is_authenticated or skp is None or not user.pegawai_id:
        return False
    if user.pegawai_id in (skp.penilai_id, skp.atasan_penilai_id):
        return True
    return bool(is_atasan_of(user, skp.pegawai))


@rules.predicate
def is_same_instansi(user: Any, obj: Any) -> bool:
    if not user.is_authenticated or obj is None:
        return False
    instansi_id = user.admin_instansi_id or (user.pegawai.instansi_id if user.pegawai_id else None)
    return instansi_id is not None and instansi_id == _instansi_id_of(obj)


manages = is_superuser | is_admin_of

rules.add_perm("organisasi.manage_instansi", manages)
rules.add_perm("organisasi.view_org", is_superuser | is_admin_kepegawaian)
rules.add_perm("organisasi.view_pegawai", manages | is_self | is_atasan_of)
rules.add_perm("organisasi.change_pegawai", manages)
rules.add_perm("organisasi.change_unit", manages)
rules.add_perm("organisasi.change_jabatan", manages)
rules.add_perm("organisasi.change_periode", manages)
rules.add_perm("perencanaan.view_skp", manages | is_skp_owner | is_skp_penilai_chain)
# Perjanjian Kinerja, peta strategi and Manual IKU are the instansi's shared plan: every pegawai of the
# instansi may read them (their SKP cascades from them); writing is decided in the services.
rules.add_perm("perencanaan.view_rencana_organisasi", is_superuser | is_same_instansi)
rules.add_perm("perencanaan.view_progres", manages)


# --- Matriks Pembagian Peran dan Hasil of a unit ---------------------------------------------------------


@rules.predicate
def is_pimpinan_unit_or_above(user: Any, unit: UnitKerja | None) -> bool:
    """The head of the unit (definitif, PLT or PLH) or anyone holding a jabatan above the head's post."""
    if not user.is_authenticated or unit is None or not user.pegawai_id:
        return False
    paths = _held_paths(user)
    if not paths:
        return False
    heads = Jabatan.objects.filter(unit=unit, pimpinan_unit=True).values_list("path", flat=True)
    return any(head.startswith(p) for head in heads for p in paths)


@rules.predicate
def is_bawahan_langsung_pimpinan_unit(user: Any, unit: UnitKerja | None) -> bool:
    """The user's pejabat penilai today is the head of the unit: they are a column of its matriks."""
    if not user.is_authenticated or unit is None or not user.pegawai_id:
        return False
    from kinerja.organisasi.selectors import pimpinan_unit, rantai_penilai

    kepala = pimpinan_unit(unit)
    if kepala is None:
        return False
    penilai = rantai_penilai(user.pegawai).penilai
    return penilai is not None and penilai.pegawai.pk == kepala.pegawai.pk


rules.add_perm(
    "perencanaan.view_matriks", manages | is_pimpinan_unit_or_above | is_bawahan_langsung_pimpinan_unit
)

# The monitoring board of a unit: its head (definitif, PLT or PLH), anyone above, the instansi's admin.
rules.add_perm("pelaksanaan.view_papan_unit", manages | is_pimpinan_unit_or_above)

# --- penilaian -------------------------------------------------------------------------------------------


@rules.predicate
def is_evaluasi_owner(user: Any, evaluasi: Any) -> bool:
    return bool(evaluasi is not None and user.pegawai_id and user.pegawai_id == evaluasi.pegawai_id)


@rules.predicate
def has_peran_evaluasi(user: Any, evaluasi: Any) -> bool:
    """Penilai (or the admin standing in for a missing penilai), atasan penilai, or admin of its instansi."""
    from kinerja.penilaian.services import peran_evaluasi

    return evaluasi is not None and bool(peran_evaluasi(evaluasi, user))


# Reading an evaluation (page, document, API): the pegawai, the penilai, the atasan penilai, the admin.
rules.add_perm("penilaian.view_evaluasi", is_superuser | is_evaluasi_owner | has_peran_evaluasi)


# --- rating group (kelompok penilaian) -------------------------------------------------------------------
# The object is a `kinerja.penilaian.selectors.Kelompok`. Every predicate reads what the group already holds
# (its evaluations and the approved SKP not yet opened) or the org tree of today: a constant number of
# queries whatever the size of the group.


@rules.predicate
def is_admin_of_kelompok(user: Any, kel: Any) -> bool:
    return kel is not None and bool(is_admin_of(user, kel.periode))


@rules.predicate
def is_penilai_kelompok(user: Any, kel: Any) -> bool:
    """The group's pejabat penilai, or the penilai / atasan penilai of any member (evaluated or not yet
    opened), as recorded on the evaluation or the approved SKP."""
    if kel is None or not user.is_authenticated or not user.pegawai_id:
        return False
    saya = user.pegawai_id
    if kel.mode == "penilai" and kel.penilai is not None and kel.penilai.pk == saya:
        return True
    return any(saya in (e.penilai_id, e.atasan_penilai_id) for e in kel.evaluasi) or any(
        saya in (s.penilai_id, s.atasan_penilai_id) for s in kel.belum_dibuka
    )


@rules.predicate
def is_atasan_penilai_kelompok(user: Any, kel: Any) -> bool:
    """Anyone holding a jabatan above the group's penilai today (the calibration page lists their groups).
    "unit" groups have no single penilai: above them is above the head of the unit (next predicate)."""
    if kel is None or kel.mode != "penilai" or kel.penilai is None:
        return False
    return bool(is_atasan_of(user, kel.penilai))


@rules.predicate
def is_pimpinan_unit_kelompok_or_above(user: Any, kel: Any) -> bool:
    """The head of the group's unit (definitif, PLT or PLH) or anyone above the head's post: e.g. the head
    of the instansi reads the top group's penetapan he signs."""
    return kel is not None and bool(is_pimpinan_unit_or_above(user, kel.unit))


# Seeing a rating group (group page, what-if, calibration's "minta revisi", the penetapan predikat PDF and
# xlsx, the API): the admin of its instansi, its penilai and the penilai / atasan penilai of its members,
# anyone above the penilai, the head of its unit or anyone above. Membership alone grants nothing: a
# member reads their own evaluation (`penilaian.view_evaluasi`), not the group.
lihat_kelompok = (
    is_superuser
    | is_admin_of_kelompok
    | is_penilai_kelompok
    | is_pimpinan_unit_kelompok_or_above
    | is_atasan_penilai_kelompok
)
rules.add_perm("penilaian.view_kelompok", lihat_kelompok)


# --- the verification page of a document --------------------------------------------------------------


@rules.predicate
def may_read_dokumen_source(user: Any, dok: Any) -> bool:
    """The user may read the record a document was printed from, by that record's own read rule (SKP:
    `perencanaan.view_skp`; Perjanjian Kinerja: `perencanaan.view_rencana_organisasi`; matriks:
    `perencanaan.view_matriks`; evaluation documents: `penilaian.view_evaluasi`; penetapan:
    `penilaian.view_kelompok`). Only then does the verification page name the pegawai in full
    (docs/rules.md §25.2)."""
    if not user.is_authenticated or dok is None:
        return False
    from kinerja.dokumen.models import Dokumen
    from kinerja.penilaian.models import Evaluasi, FinalisasiKelompok
    from kinerja.perencanaan.models import PerjanjianKinerja, Skp

    jenis = Dokumen.Jenis
    if dok.jenis == jenis.SKP:
        perm, obj = "perencanaan.view_skp", Skp.objects.filter(pk=dok.objek_id).first()
    elif dok.jenis == jenis.PERJANJIAN_KINERJA:
        perm = "perencanaan.view_rencana_organisasi"
        obj = PerjanjianKinerja.objects.filter(pk=dok.objek_id).first()
    elif dok.jenis == jenis.MATRIKS:
        perm, obj = "perencanaan.view_matriks", UnitKerja.objects.filter(pk=dok.objek_id).first()
    elif dok.jenis in (jenis.EVALUASI, jenis.PREDIKAT):
        perm, obj = "penilaian.view_evaluasi", Evaluasi.objects.filter(pk=dok.objek_id).first()
    else:
        from kinerja.dokumen.evaluasi import kelompok_dari_finalisasi

        fin = FinalisasiKelompok.objects.filter(pk=dok.objek_id).first()
        from django.core.exceptions import ValidationError

        try:
            perm, obj = "penilaian.view_kelompok", kelompok_dari_finalisasi(fin) if fin else None
        except ValidationError:  # the group can no longer be rebuilt: show no more than the public page
            return False
    return obj is not None and bool(user.has_perm(perm, obj))


rules.add_perm("dokumen.view_identitas", may_read_dokumen_source)
