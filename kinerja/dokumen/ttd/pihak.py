"""Who fills each signature slot of an issued document (docs/rules.md §29.5).

The signer of a slot is the person printed in that block of the document as issued: the pegawai and the
Pejabat Penilai Kinerja of the SKP revision, the pegawai and the penilai of the evaluation, the head of the
unit the penetapan names. A module that issues another kind of document registers its own function
(``daftarkan``), e.g. the keberatan decision.
"""

from __future__ import annotations

import json
from collections.abc import Callable

from django.db.models import OuterRef, Q, Subquery

from kinerja.dokumen.models import Dokumen, PengaturanTtd, TandaTangan
from kinerja.dokumen.ttd import layanan
from kinerja.organisasi.models import User
from kinerja.penilaian.models import Evaluasi
from kinerja.perencanaan.models import Skp, SkpVersi
from kinerja.rules.ttd import Peran

Penanda = Callable[[Dokumen], dict[Peran, User | None]]

_PENANDA: dict[str, Penanda] = {}


def daftarkan(jenis: str, fungsi: Penanda) -> None:
    """Register who signs documents of kind ``jenis`` (a ``Dokumen.Jenis`` value)."""
    _PENANDA[jenis] = fungsi


def _pengguna(
    instansi_id: int, pegawai_id: dict[Peran, int | None], nip: dict[Peran, str]
) -> dict[Peran, User | None]:
    """The active accounts of the signers, named by pegawai or by NIP, in one query."""
    saring = Q(pk__in=[])
    if any(pegawai_id.values()):
        saring |= Q(pegawai_id__in=[v for v in pegawai_id.values() if v])
    if any(nip.values()):
        saring |= Q(pegawai__nip__in=[v for v in nip.values() if v], pegawai__instansi_id=instansi_id)
    akun = list(User.objects.filter(saring, is_active=True).select_related("pegawai"))
    hasil: dict[Peran, User | None] = {}
    for peran, pid in pegawai_id.items():
        hasil[peran] = next((u for u in akun if pid and u.pegawai_id == pid), None)
    for peran, n in nip.items():
        hasil[peran] = next((u for u in akun if n and u.pegawai is not None and u.pegawai.nip == n), None)
    return hasil


def _skp(dok: Dokumen) -> dict[Peran, User | None]:
    versi = SkpVersi.objects.filter(skp_id=OuterRef("pk"), revisi=dok.revisi).values("data")[:1]
    skp = (
        Skp.objects.filter(pk=dok.objek_id)
        .annotate(data_versi=Subquery(versi))
        .values("pegawai_id", "penilai_nip", "data_versi")
        .first()
    )
    if skp is None:
        return {Peran.PEGAWAI: None, Peran.PENILAI: None}
    # The penilai printed on that revision (an approved revision keeps its own snapshot).
    data = skp["data_versi"]
    if isinstance(data, str):  # a JSON subquery comes back undecoded on some backends
        data = json.loads(data)
    nip = data.get("penilai", {}).get("nip", "") if data else skp["penilai_nip"]
    return _pengguna(dok.instansi_id, {Peran.PEGAWAI: skp["pegawai_id"]}, {Peran.PENILAI: nip or ""})


def _evaluasi(dok: Dokumen) -> dict[Peran, User | None]:
    ev = Evaluasi.objects.filter(pk=dok.objek_id).values("pegawai_id", "penilai_id").first()
    if ev is None:
        return {Peran.PENILAI: None, Peran.PEGAWAI: None}
    return _pengguna(dok.instansi_id, {Peran.PENILAI: ev["penilai_id"], Peran.PEGAWAI: ev["pegawai_id"]}, {})


def _penetapan(dok: Dokumen) -> dict[Peran, User | None]:
    # The penetapan is issued naming the head of the unit who signs it (evaluasi.services.issue_penetapan).
    return _pengguna(dok.instansi_id, {}, {Peran.PENETAP: dok.pegawai_nip})


daftarkan(Dokumen.Jenis.SKP, _skp)
daftarkan(Dokumen.Jenis.EVALUASI, _evaluasi)
daftarkan(Dokumen.Jenis.PREDIKAT, _evaluasi)
daftarkan(Dokumen.Jenis.RINGKAS, _evaluasi)
daftarkan(Dokumen.Jenis.PENETAPAN, _penetapan)


def penanda_slot(dok: Dokumen) -> dict[Peran, User | None]:
    """Slot role → the user who signs it (None when that person has no account); empty for a kind of
    document nobody signs electronically. Kept on ``dok`` for the request (the page and its permission
    ask it both)."""
    simpan = dok.__dict__.get("_penanda_slot")
    if simpan is None:
        fungsi = _PENANDA.get(dok.jenis)
        simpan = fungsi(dok) if fungsi is not None else {}
        dok.__dict__["_penanda_slot"] = simpan
    return simpan  # type: ignore[no-any-return]


def tanda_tangan(dok: Dokumen) -> list[TandaTangan]:
    """The signatures on ``dok`` (kept on it for the request; none on an unsaved candidate)."""
    simpan = dok.__dict__.get("_tanda_tangan")
    if simpan is None:
        simpan = list(TandaTangan.objects.filter(dokumen=dok).select_related(None)) if dok.pk else []
        dok.__dict__["_tanda_tangan"] = simpan
    return simpan  # type: ignore[no-any-return]


def pengaturan(dok: Dokumen) -> PengaturanTtd | None:
    """The signing settings of the document's instansi (kept on it for the request)."""
    if "_pengaturan_ttd" not in dok.__dict__:
        dok.__dict__["_pengaturan_ttd"] = PengaturanTtd.objects.filter(instansi_id=dok.instansi_id).first()
    return dok.__dict__["_pengaturan_ttd"]  # type: ignore[no-any-return]


def ttd_aktif(dok: Dokumen) -> bool:
    return layanan.aktif(dok.instansi_id)


def peran_pengguna(user: User, dok: Dokumen) -> Peran | None:
    """The slot ``user`` fills on ``dok``, if any."""
    if not getattr(user, "is_authenticated", False):
        return None
    for peran, orang in penanda_slot(dok).items():
        if orang is not None and orang.pk == user.pk:
            return peran
    return None
