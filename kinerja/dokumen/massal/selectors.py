"""What goes into a unit's zip: one row per pegawai of the unit (optionally its sub-units) for a periode,
with the record its document is printed from, or the reason it has none.

The pegawai of a unit are those placed there (definitif) on the reference day — the end of the periode,
or today while it runs — together with everyone whose SKP (or evaluation) of the periode names the unit,
so a pegawai who moved during the year is not left out. Only an approved SKP and a final evaluation give a
document; the others are listed with their status. Query count: constant in the number of pegawai.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from kinerja.common.berkas import sanitise_nama
from kinerja.dokumen.evaluasi.selectors import RELASI_DOKUMEN, nama_berkas_pdf
from kinerja.organisasi import selectors as org
from kinerja.organisasi.models import Pegawai, Penempatan, Periode, PeriodePenilaian, UnitKerja
from kinerja.pekerjaan.models import Pekerjaan
from kinerja.penilaian.models import Evaluasi, JenisEvaluasi
from kinerja.perencanaan.models import Skp
from kinerja.rules import JenisPenempatan
from kinerja.rules.alur import Status

SKP = "skp"
JENIS_PEKERJAAN = "arsip_dokumen"
EVALUASI = "evaluasi"
JENIS = {SKP: "SKP", EVALUASI: "Evaluasi kinerja / predikat"}


@dataclass
class Baris:
    nip: str
    nama: str
    sumber: Skp | Evaluasi | None = None
    alasan: str = ""  # why there is no document (sumber is None)
    berkas: str = ""  # the file name inside the zip
    #: An evaluation's one-page Dokumen Evaluasi Kinerja Pegawai, beside its form (docs/rules.md §31).
    berkas_ringkas: str = ""


@dataclass
class RencanaArsip:
    unit: UnitKerja
    periode: Periode
    jenis: str
    periode_penilaian: PeriodePenilaian | None
    sub_unit: bool
    baris: list[Baris] = field(default_factory=list)

    @property
    def dokumen(self) -> list[Baris]:
        return [b for b in self.baris if b.sumber is not None]

    @property
    def nama_periode(self) -> str:
        if self.jenis == SKP:
            return f"Tahun {self.periode.tahun}"
        return (
            f"{self.periode_penilaian.nama} {self.periode.tahun}"
            if self.periode_penilaian
            else (f"Akhir (tahunan) {self.periode.tahun}")
        )

    @property
    def nama_zip(self) -> str:
        jenis = "SKP" if self.jenis == SKP else "Evaluasi"
        bagian = (
            ""
            if self.jenis == SKP
            else (f"-P{self.periode_penilaian.nomor}" if self.periode_penilaian else "-Akhir")
        )
        lingkup = "" if self.sub_unit else "-unit-saja"
        return sanitise_nama(f"Dokumen-{jenis}-{self.unit.kode}-{self.periode.tahun}{bagian}{lingkup}.zip")


def _hari_acuan(periode: Periode, pp: PeriodePenilaian | None) -> datetime.date:
    akhir = pp.selesai if pp is not None else datetime.date(periode.tahun, 12, 31)
    return min(akhir, org.today())


def _nama_berkas(nip: str, nama: str, jenis: str) -> str:
    return sanitise_nama(f"{nip}_{nama}_{jenis}.pdf")


def _jenis_berkas(sumber: Skp | Evaluasi) -> str:
    if isinstance(sumber, Skp):
        return f"SKP-{sumber.periode.tahun}-r{sumber.revisi}"
    # Evaluasi-<NIP>-<tahun>-P<n>.pdf → "Evaluasi-<tahun>-P<n>", the single download's own naming
    awalan, _, tahun, bagian = nama_berkas_pdf(sumber).removesuffix(".pdf").split("-")[:4]
    return f"{awalan}-{tahun}-{bagian}"


def units_lingkup(unit: UnitKerja, sub_unit: bool) -> list[int]:
    if not sub_unit:
        return [unit.pk]
    return list(UnitKerja.objects.filter(path__startswith=unit.path).values_list("pk", flat=True))


def rencana_arsip(
    unit: UnitKerja,
    periode: Periode,
    jenis: str,
    periode_penilaian: PeriodePenilaian | None = None,
    sub_unit: bool = True,
) -> RencanaArsip:
    """Every pegawai of the unit with the record of their document, sorted by NIP (4 queries)."""
    rencana = RencanaArsip(unit, periode, jenis, periode_penilaian if jenis == EVALUASI else None, sub_unit)
    unit_ids = units_lingkup(unit, sub_unit)
    hari = _hari_acuan(periode, rencana.periode_penilaian)
    pegawai: dict[int, Pegawai] = {}
    for p in (
        Penempatan.objects.aktif_pada(hari)
        .filter(jabatan__unit_id__in=unit_ids, jenis=JenisPenempatan.DEFINITIF.value)
        .select_related("pegawai")
    ):
        pegawai.setdefault(p.pegawai_id, p.pegawai)
    sumber: dict[int, Skp | Evaluasi] = {}
    if jenis == SKP:
        for skp in (
            Skp.objects.filter(periode=periode, unit_id__in=unit_ids)
            .select_related("instansi", "periode", "jabatan", "pegawai")
            .order_by("mulai", "pk")
        ):
            sumber[skp.pegawai_id] = skp  # the latest SKP of the year in the unit wins
            pegawai.setdefault(skp.pegawai_id, skp.pegawai)
    else:
        evaluasi = Evaluasi.objects.filter(periode=periode, unit_id__in=unit_ids)
        if rencana.periode_penilaian is None:
            evaluasi = evaluasi.filter(jenis=JenisEvaluasi.TAHUNAN)
        else:
            evaluasi = evaluasi.filter(periode_penilaian=rencana.periode_penilaian)
        for ev in evaluasi.select_related(*RELASI_DOKUMEN, "pegawai"):
            sumber[ev.pegawai_id] = ev
            pegawai.setdefault(ev.pegawai_id, ev.pegawai)
    for pk, p in sorted(pegawai.items(), key=lambda item: (item[1].nip, item[0])):
        rencana.baris.append(_baris(p, sumber.get(pk), rencana))
    return rencana


def _baris(pegawai: Pegawai, sumber: Skp | Evaluasi | None, rencana: RencanaArsip) -> Baris:
    baris = Baris(pegawai.nip, pegawai.nama_lengkap)
    if sumber is None:
        if rencana.jenis == SKP:
            baris.alasan = f"Belum memiliki SKP tahun {rencana.periode.tahun} di unit ini."
        else:
            baris.alasan = f"Belum ada evaluasi {rencana.nama_periode} di unit ini."
        return baris
    if isinstance(sumber, Skp) and sumber.status != Status.DISETUJUI.value:
        baris.alasan = f"SKP belum disetujui (status: {Status(sumber.status).label})."
        return baris
    if isinstance(sumber, Evaluasi) and not sumber.is_final:
        baris.alasan = f"Evaluasi belum final (status: {sumber.get_status_display()})."
        return baris
    baris.sumber = sumber
    baris.berkas = _nama_berkas(pegawai.nip, pegawai.nama, _jenis_berkas(sumber))
    if isinstance(sumber, Evaluasi):
        jenis = _jenis_berkas(sumber).split("-", 1)[1]
        baris.berkas_ringkas = _nama_berkas(pegawai.nip, pegawai.nama, f"Dokumen-Evaluasi-{jenis}")
    return baris


def arsip_terakhir(user: object, unit: UnitKerja, batas: int = 5) -> list[Pekerjaan]:
    """The user's latest zips of this unit, newest first (the page shows their progress or file)."""
    return list(
        Pekerjaan.objects.filter(
            pemilik_id=getattr(user, "pk", None),
            jenis=JENIS_PEKERJAAN,
            kunci__startswith=f"arsip-dokumen:{getattr(user, 'pk', None)}:{unit.pk}:",
        ).order_by("-dibuat_pada", "-pk")[:batas]
    )
