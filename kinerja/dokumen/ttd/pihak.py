"""Who fills each signature slot of an issued document (docs/rules.md §29.5).

The signer of a slot is the person printed in that block of the document as issued: the pegawai and the
Pejabat Penilai Kinerja of the SKP revision, the pegawai and the penilai of the evaluation, the head of the
unit the penetapan names. A module that issues another kind of document registers its own function
(``daftarkan``), e.g. the keberatan decision.
"""

from __future__ import annotations

from collections.abc import Callable

from kinerja.dokumen.models import Dokumen
from kinerja.organisasi.models import User
from kinerja.penilaian.models import Evaluasi
from kinerja.perencanaan.models import Skp, SkpVersi
from kinerja.rules.ttd import Peran

Penanda = Callable[[Dokumen], dict[Peran, User | None]]

_PENANDA: dict[str, Penanda] = {}


def daftarkan(jenis: str, fungsi: Penanda) -> None:
    """Register who signs documents of kind ``jenis`` (a ``Dokumen.Jenis`` value)."""
    _PENANDA[jenis] = fungsi


def _user_pegawai(pegawai_id: int | None) -> User | None:
    if pegawai_id is None:
        return None
    return User.objects.filter(pegawai_id=pegawai_id, is_active=True).first()


def _user_nip(instansi_id: int, nip: str) -> User | None:
    if not nip:
        return None
    return User.objects.filter(pegawai__nip=nip, pegawai__instansi_id=instansi_id, is_active=True).first()


def _skp(dok: Dokumen) -> dict[Peran, User | None]:
    skp = Skp.objects.filter(pk=dok.objek_id).only("pegawai_id", "penilai_nip", "revisi").first()
    if skp is None:
        return {Peran.PEGAWAI: None, Peran.PENILAI: None}
    # The penilai printed on that revision (an approved revision keeps its own snapshot).
    data = SkpVersi.objects.filter(skp_id=skp.pk, revisi=dok.revisi).values_list("data", flat=True).first()
    nip = data.get("penilai", {}).get("nip", "") if data else skp.penilai_nip
    return {
        Peran.PEGAWAI: _user_pegawai(skp.pegawai_id),
        Peran.PENILAI: _user_nip(dok.instansi_id, nip or ""),
    }


def _evaluasi(dok: Dokumen) -> dict[Peran, User | None]:
    ev = Evaluasi.objects.filter(pk=dok.objek_id).only("pegawai_id", "penilai_id").first()
    if ev is None:
        return {Peran.PENILAI: None, Peran.PEGAWAI: None}
    return {Peran.PENILAI: _user_pegawai(ev.penilai_id), Peran.PEGAWAI: _user_pegawai(ev.pegawai_id)}


def _penetapan(dok: Dokumen) -> dict[Peran, User | None]:
    # The penetapan is issued naming the head of the unit who signs it (evaluasi.services.issue_penetapan).
    return {Peran.PENETAP: _user_nip(dok.instansi_id, dok.pegawai_nip)}


daftarkan(Dokumen.Jenis.SKP, _skp)
daftarkan(Dokumen.Jenis.EVALUASI, _evaluasi)
daftarkan(Dokumen.Jenis.PREDIKAT, _evaluasi)
daftarkan(Dokumen.Jenis.PENETAPAN, _penetapan)


def penanda_slot(dok: Dokumen) -> dict[Peran, User | None]:
    """Slot role → the user who signs it (None when that person has no account); empty for a kind of
    document nobody signs electronically."""
    fungsi = _PENANDA.get(dok.jenis)
    return fungsi(dok) if fungsi is not None else {}


def peran_pengguna(user: User, dok: Dokumen) -> Peran | None:
    """The slot ``user`` fills on ``dok``, if any."""
    if not getattr(user, "is_authenticated", False):
        return None
    for peran, orang in penanda_slot(dok).items():
        if orang is not None and orang.pk == user.pk:
            return peran
    return None
