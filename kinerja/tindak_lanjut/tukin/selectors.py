"""Reads of the tunjangan kinerja table and the list "Daftar tunjangan kinerja" of a periode.

`daftar` lists every pegawai with a FINAL evaluation of the periode (periodic, or the annual one) with the
percentage of their predikat from the table version in force on the periode's last day; pegawai expected
to be evaluated (an approved SKP covering the periode, or an evaluation of it) without a final evaluation
are listed apart as "belum final", without a percentage. Two queries (evaluations, SKP) whatever the
size.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal

from kinerja.organisasi.models import Instansi
from kinerja.penilaian.models import Evaluasi
from kinerja.perencanaan.models import Skp
from kinerja.rules import tukin
from kinerja.rules.evaluasi import Status
from kinerja.rules.types import Predikat
from kinerja.tindak_lanjut.models import TabelTunjanganKinerja
from kinerja.tindak_lanjut.rekap.selectors import Pilihan, evaluasi_periode, skp_periode


def riwayat(instansi: Instansi) -> list[TabelTunjanganKinerja]:
    """Every version, newest first, with who saved it."""
    return list(
        TabelTunjanganKinerja.objects.filter(instansi=instansi)
        .select_related("dibuat_oleh__pegawai")
        .order_by("-versi")
    )


def berlaku(versi: list[TabelTunjanganKinerja], tanggal: datetime.date) -> TabelTunjanganKinerja | None:
    return tukin.versi_berlaku(versi, tanggal)


def nilai(row: TabelTunjanganKinerja) -> list[tuple[Predikat, str]]:
    """(predikat, "62,5") best first, for display."""
    return [(p, tukin.teks_persen(row.persen(p))) for p in Predikat]


def peringatan(row: TabelTunjanganKinerja) -> tuple[str, ...]:
    return tukin.validasi({p: row.persen(p) for p in Predikat}).peringatan


@dataclass(frozen=True)
class BarisTukin:
    nip: str
    nama: str
    jabatan: str
    unit: str
    predikat: Predikat
    persen: Decimal


@dataclass(frozen=True)
class BarisBelumFinal:
    nip: str
    nama: str
    jabatan: str
    unit: str
    status: str  # "Belum dibuka", or the evaluation's status label


@dataclass(frozen=True)
class DaftarTukin:
    pilihan: Pilihan
    tanggal: datetime.date  # the periode's last day: the table version is the one in force then
    tabel: TabelTunjanganKinerja
    baris: list[BarisTukin]
    belum_final: list[BarisBelumFinal]


def daftar(instansi: Instansi, pilihan: Pilihan, tabel: TabelTunjanganKinerja) -> DaftarTukin:
    evs = list(
        Evaluasi.objects.filter(evaluasi_periode(instansi, pilihan))
        .order_by("unit__path", "pegawai_nama", "pk")
        .values_list(
            "pegawai_id",
            "status",
            "predikat",
            "pegawai_nip",
            "pegawai_nama",
            "pegawai_jabatan",
            "pegawai_unit",
        )
    )
    final = Status.FINAL.value
    baris = [
        BarisTukin(nip, nama, jabatan, unit, Predikat(predikat), tabel.persen(predikat))
        for _, status, predikat, nip, nama, jabatan, unit in evs
        if status == final and predikat
    ]
    sudah = {pid for pid, status, predikat, *_ in evs if status == final and predikat}
    belum: dict[int, BarisBelumFinal] = {}
    for pid, status, _, nip, nama, jabatan, unit in evs:
        if pid not in sudah and pid not in belum:
            belum[pid] = BarisBelumFinal(nip, nama, jabatan, unit, Status(status).label)
    for pid, nip, nama, jabatan, unit in (
        Skp.objects.filter(skp_periode(instansi, pilihan))
        .order_by("unit__path", "pegawai_nama", "-mulai")
        .values_list("pegawai_id", "pegawai_nip", "pegawai_nama", "pegawai_jabatan", "pegawai_unit")
    ):
        if pid not in sudah and pid not in belum:
            belum[pid] = BarisBelumFinal(nip, nama, jabatan, unit, "Belum dibuka")
    return DaftarTukin(
        pilihan, pilihan.tanggal, tabel, baris, sorted(belum.values(), key=lambda b: (b.unit, b.nama))
    )
