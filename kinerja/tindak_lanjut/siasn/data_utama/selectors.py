"""The mismatch report: Kinerja's unit and jabatan of every pegawai against what SIASN held when last read
(docs/rules.md §21.11). Four queries whatever the number of pegawai (pegawai with their snapshot, the
definitif penempatan, the unit heads, the units); the comparison itself is `rules.siasn_data_utama`.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.db.models import Max, QuerySet
from django.utils import timezone

from kinerja.common.xlsx import cetak_lanskap, kepala, tulis_judul
from kinerja.organisasi.models import Instansi, Pegawai, Penempatan, UnitKerja
from kinerja.organisasi.selectors import today
from kinerja.rules import JenisPenempatan
from kinerja.rules.siasn_data_utama import DataKinerja, DataUtama, Pihak, Selisih, compare, normalise_nama
from kinerja.tindak_lanjut.models import DataUtamaSiasn, PenyegaranDataUtama, StatusPenyegaran


@dataclass
class BarisSelisih:
    """A pegawai whose unit or jabatan differs between Kinerja and SIASN."""

    pegawai: Pegawai
    data: DataUtamaSiasn
    unit_nama: str
    jabatan_nama: str
    tmt: datetime.date | None
    selisih: list[Selisih]
    #: The head of the pegawai's unit in Kinerja, and of the unit SIASN names (when it is one of ours):
    #: the atasan each side implies; both empty when the unit agrees.
    atasan_kinerja: str = ""
    atasan_siasn: str = ""

    @property
    def pihak(self) -> Pihak:
        return self.selisih[0].pihak

    @property
    def alasan(self) -> str:
        return self.selisih[0].alasan


@dataclass
class Laporan:
    berbeda: list[BarisSelisih] = field(default_factory=list)
    belum_dibaca: list[tuple[Pegawai, str, str]] = field(default_factory=list)  # pegawai, unit, jabatan
    jumlah_pegawai: int = 0
    jumlah_sesuai: int = 0

    @property
    def jumlah_dibaca(self) -> int:
        return self.jumlah_pegawai - len(self.belum_dibaca)

    @property
    def perbaikan_kinerja(self) -> int:
        return sum(1 for b in self.berbeda if b.pihak is Pihak.KINERJA)

    @property
    def perbaikan_siasn(self) -> int:
        return sum(1 for b in self.berbeda if b.pihak is Pihak.SIASN)


def _data_utama(d: DataUtamaSiasn, nip: str) -> DataUtama:
    return DataUtama(
        pns_id=d.pns_id,
        nip=nip,
        nama="",
        unor_id=d.unor_id,
        unor_nama=d.unor_nama,
        unor_induk_id=d.unor_induk_id,
        unor_induk_nama=d.unor_induk_nama,
        jabatan_id=d.jabatan_id,
        jabatan_nama=d.jabatan_nama,
        jenis_jabatan_id=d.jenis_jabatan_id,
        jenis_jabatan=d.jenis_jabatan,
        tmt_jabatan=d.tmt_jabatan,
        golongan=d.golongan,
        eselon=d.eselon,
    )


def _pegawai(instansi: Instansi, unit: UnitKerja | None, tanggal: datetime.date) -> QuerySet[Pegawai]:
    qs = Pegawai.objects.filter(instansi=instansi, aktif=True)
    if unit is not None:
        di_unit = Penempatan.objects.aktif_pada(tanggal).filter(
            jenis=JenisPenempatan.DEFINITIF.value, jabatan__unit__path__startswith=unit.path
        )
        qs = qs.filter(pk__in=di_unit.values("pegawai_id"))
    return qs.select_related("data_utama_siasn").order_by("nama", "nip")


class _Atasan:
    """The head of a unit (walking up while a unit has none, or the pegawai heads it himself)."""

    def __init__(self, instansi: Instansi, tanggal: datetime.date):
        self.units = {u.pk: u for u in UnitKerja.objects.filter(instansi=instansi)}
        self.by_nama = {normalise_nama(u.nama): u for u in self.units.values()}
        self.by_siasn = {u.siasn_id: u for u in self.units.values() if u.siasn_id}
        self.kepala: dict[int, Penempatan] = {}
        pimpinan = (
            Penempatan.objects.aktif_pada(tanggal)
            .filter(jabatan__instansi=instansi, jabatan__pimpinan_unit=True)
            .select_related("pegawai", "jabatan")
            .order_by("jenis", "-mulai")  # "definitif" before "plh"/"plt": the definitif head first
        )
        for p in pimpinan:
            self.kepala.setdefault(p.jabatan.unit_id, p)

    def of(self, unit_id: int | None, pegawai_id: int) -> str:
        while unit_id is not None:
            p = self.kepala.get(unit_id)
            if p is not None and p.pegawai_id != pegawai_id:
                return f"{p.pegawai.nama_lengkap} ({p.jabatan.nama})"
            unit_id = self.units[unit_id].parent_id if unit_id in self.units else None
        return ""

    def unit_siasn(self, unor_id: str, nama: str) -> UnitKerja | None:
        """Our unit for SIASN's unor: by the unor id stored on it (§21.12), else by normalised name."""
        return (
            self.by_siasn.get(unor_id) if unor_id in self.by_siasn else self.by_nama.get(normalise_nama(nama))
        )


def laporan_selisih(instansi: Instansi, unit: UnitKerja | None = None) -> Laporan:
    """Every active pegawai of the instansi (of ``unit`` and the units below it): those never read from
    SIASN, and those whose unit or jabatan differs, with the side that must be fixed."""
    tanggal = today()
    pegawai = list(_pegawai(instansi, unit, tanggal))
    definitif: dict[int, Penempatan] = {}
    for p in (
        Penempatan.objects.aktif_pada(tanggal)
        .filter(pegawai__instansi=instansi, jenis=JenisPenempatan.DEFINITIF.value)
        .select_related("jabatan__unit")
        .order_by("mulai", "pk")  # the latest definitif wins when two overlap
    ):
        definitif[p.pegawai_id] = p
    atasan = _Atasan(instansi, tanggal)
    hasil = Laporan(jumlah_pegawai=len(pegawai))
    tidak_dikenal = _tidak_dikenal(instansi)
    for peg in pegawai:
        pen = definitif.get(peg.pk)
        unit_nama = pen.jabatan.unit.nama if pen else ""
        jabatan_nama = pen.jabatan.nama if pen else ""
        data = getattr(peg, "data_utama_siasn", None)
        if data is not None and peg.nip in tidak_dikenal and data.dibaca_pada < tidak_dikenal[peg.nip][0]:
            # SIASN answered "not found" at the last refresh: the older snapshot is not its record any more.
            peg.gagal_siasn = tidak_dikenal[peg.nip][1]  # type: ignore[attr-defined]
            data = None
        if data is None:
            hasil.belum_dibaca.append((peg, unit_nama, jabatan_nama))
            continue
        kita = DataKinerja(
            unit_nama, jabatan_nama, pen.mulai if pen else None, pen.jabatan.unit.siasn_id if pen else ""
        )
        selisih = compare(kita, _data_utama(data, peg.nip))
        if not selisih:
            hasil.jumlah_sesuai += 1
            continue
        baris = BarisSelisih(peg, data, unit_nama, jabatan_nama, kita.tmt, selisih)
        if any(s.bidang == "unit" for s in selisih):
            baris.atasan_kinerja = atasan.of(pen.jabatan.unit_id if pen else None, peg.pk)
            lain = atasan.unit_siasn(data.unor_id, data.unor_nama)
            baris.atasan_siasn = atasan.of(lain.pk, peg.pk) if lain else "unit SIASN ini tidak ada di Kinerja"
        hasil.berbeda.append(baris)
    return hasil


def _tidak_dikenal(instansi: Instansi) -> dict[str, tuple[datetime.datetime, str]]:
    """NIP → (when, SIASN's answer) for the pegawai SIASN did not know (404) at the last finished refresh."""
    p = (
        PenyegaranDataUtama.objects.filter(instansi=instansi, status=StatusPenyegaran.SELESAI)
        .order_by("-dibuat_pada", "-pk")
        .first()
    )
    if p is None:
        return {}
    return {g["nip"]: (p.dibuat_pada, str(g["alasan"])) for g in p.kegagalan if g.get("tidak_dikenal")}


def penyegaran_terakhir(instansi: Instansi) -> PenyegaranDataUtama | None:
    return (
        PenyegaranDataUtama.objects.filter(instansi=instansi)
        .select_related("dimulai_oleh", "pekerjaan")
        .order_by("-dibuat_pada", "-pk")
        .first()
    )


def terakhir_dibaca(instansi: Instansi) -> datetime.datetime | None:
    hasil: datetime.datetime | None = DataUtamaSiasn.objects.filter(pegawai__instansi=instansi).aggregate(
        m=Max("dibaca_pada")
    )["m"]
    return hasil


KOLOM = [
    ("NIP", 21),
    ("Nama", 30),
    ("Data", 12),
    ("Kinerja", 40),
    ("SIASN", 40),
    ("TMT di Kinerja", 14),
    ("TMT jabatan di SIASN", 14),
    ("Yang harus diperbaiki", 18),
    ("Alasan", 60),
    ("Atasan menurut Kinerja", 36),
    ("Atasan menurut unit di SIASN", 36),
    ("Dibaca dari SIASN", 18),
]


def xlsx_selisih(laporan: Laporan, judul: str, sub: str) -> bytes:
    """The report as a workbook: sheet "Selisih" (one row per difference) and "Belum dibaca"."""
    from openpyxl import Workbook

    from kinerja.common.spreadsheet import save_xlsx

    wb = Workbook()
    ws = wb.active
    ws.title = "Selisih"
    tulis_judul(ws, judul, sub)
    kepala(ws, 4, KOLOM)
    cetak_lanskap(ws, 4)
    r = 5
    for b in laporan.berbeda:
        for s in b.selisih:
            nilai = [
                b.pegawai.nip,
                b.pegawai.nama_lengkap,
                s.label,
                s.kinerja,
                s.siasn,
                b.tmt,
                b.data.tmt_jabatan,
                s.pihak.label,
                s.alasan,
                b.atasan_kinerja,
                b.atasan_siasn,
                timezone.localtime(b.data.dibaca_pada).replace(tzinfo=None),
            ]
            for j, v in enumerate(nilai, start=1):
                c = ws.cell(r, j, v)
                if isinstance(v, datetime.date):
                    c.number_format = "dd-mm-yyyy"
            ws.cell(r, 1).number_format = "@"
            r += 1
    ws2 = wb.create_sheet("Belum dibaca")
    tulis_judul(ws2, "Pegawai yang belum pernah dibaca dari SIASN", sub)
    kepala(ws2, 4, [("NIP", 21), ("Nama", 30), ("Unit kerja di Kinerja", 40), ("Jabatan di Kinerja", 40)])
    for i, (peg, unit_nama, jabatan_nama) in enumerate(laporan.belum_dibaca, start=5):
        for j, v in enumerate([peg.nip, peg.nama_lengkap, unit_nama, jabatan_nama], start=1):
            ws2.cell(i, j, v)
        ws2.cell(i, 1).number_format = "@"
    return save_xlsx(wb)
