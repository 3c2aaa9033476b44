"""The month's Tambahan Penghasilan Pegawai (TPP): an instansi's rule set and the computation that turns
a month of days, events and kinerja into an explained gross amount (docs/rules.md §28).

Pemda cut TPP differently (each Perkada), so every number is data in an :class:`AturanTpp`; the
presets are starting points an admin copies and edits. Money is ``Decimal``; the gross is rounded to
whole rupiah once, after every segment's cuts are summed.

The computation, per segment (a pagu over a date range inside the month):

- ``jumlah`` = pagu × the segment's working days ÷ the month's working days (pro rata);
- split (``PISAH``): kinerja part = ``jumlah`` × ``bagian_kinerja`` %, disiplin part = the rest; the
  kinerja part is paid × the kinerja factor, the disiplin part minus the cuts;
  multiply (``KALI_KINERJA``): (``jumlah`` − cuts) × the kinerja factor (the disiplin part is all of it);
- each cut line is a % of its base: the segment's ``jumlah`` (``PAGU``), its disiplin part
  (``DISIPLIN``), or the day's amount = pagu ÷ the month's working days (``HARIAN``; monthly lines such
  as hukuman disiplin then apply to ``jumlah``); a per-day line may instead be a % of the day's amount;
- the summed cuts are capped (100 % of the base, or the disiplin part); nothing goes below 0.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from decimal import ROUND_DOWN, ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any, Final

from kinerja.rules.jadwal import NAMA_BULAN
from kinerja.rules.jenis_hari import KETIDAKHADIRAN, JenisHari, StatusHari
from kinerja.rules.tukin import teks_persen
from kinerja.rules.types import LabeledEnum, Predikat

__all__ = [
    "PRESET",
    "SKEMA_VERSI",
    "AturanHukuman",
    "AturanTpp",
    "Batas",
    "Braket",
    "DasarPotongan",
    "HasilSegmen",
    "HasilTpp",
    "HukumanDisiplin",
    "JenisPeristiwa",
    "JenisPotongan",
    "KinerjaBulan",
    "Pembagian",
    "Pembulatan",
    "Peristiwa",
    "PotonganHarian",
    "Rincian",
    "Segmen",
    "SumberKinerja",
    "SatuanHarian",
    "TingkatHukuman",
    "EvaluasiFinal",
    "PREDIKAT_TANPA_EVALUASI",
    "dari_dict",
    "hitung_tpp",
    "pilih_predikat",
    "ke_dict",
    "teks_tanggal",
    "validasi",
]

SKEMA_VERSI: Final = 1
SERATUS: Final = Decimal(100)
NOL: Final = Decimal(0)


def teks_tanggal(tanggal: datetime.date) -> str:
    """``date(2026, 3, 7)`` -> ``"7 Maret"``."""
    return f"{tanggal.day} {NAMA_BULAN[tanggal.month - 1]}"


def _rp(x: Decimal) -> str:
    """``Decimal("1340000")`` -> ``"Rp1.340.000"`` (whole rupiah, for explanations)."""
    bulat = int(x.quantize(Decimal(1), ROUND_HALF_UP))
    return "Rp" + f"{bulat:,}".replace(",", ".")


class Pembagian(LabeledEnum):
    """How kinerja and disiplin share the TPP."""

    PISAH = "pisah", "Dibagi bagian kinerja dan bagian disiplin"
    KALI_KINERJA = "kali_kinerja", "Seluruh TPP dikalikan capaian kinerja"


class DasarPotongan(LabeledEnum):
    """What a cut percentage is a percentage of."""

    PAGU = "pagu", "Pagu TPP"
    DISIPLIN = "disiplin", "Bagian disiplin"
    HARIAN = "harian", "TPP per hari kerja"


class SatuanHarian(LabeledEnum):
    """What a per-day cut (TK, izin, other absences, tugas belajar) is a percentage of."""

    DASAR = "dasar", "Persen dari dasar potongan"
    HARI = "hari", "Persen dari TPP hari itu"


class Batas(LabeledEnum):
    """The cap of the summed cuts."""

    DASAR = "dasar", "100 % dari dasar potongan"
    BAGIAN_DISIPLIN = "bagian_disiplin", "Sebesar bagian disiplin"


class SumberKinerja(LabeledEnum):
    """Where the kinerja factor comes from."""

    CAPAIAN = "capaian", "Capaian kinerja bulan itu (paling tinggi 100 %)"
    PREDIKAT = "predikat", "Tabel predikat"
    PENUH = "penuh", "Penuh, kecuali pengisian terlambat"


class Pembulatan(LabeledEnum):
    """Rounding of the gross to whole rupiah."""

    TERDEKAT = "terdekat", "Ke rupiah terdekat"
    KE_BAWAH = "ke_bawah", "Ke bawah"


class TingkatHukuman(LabeledEnum):
    """Hukuman disiplin levels (PP 94/2021)."""

    RINGAN = "ringan", "Ringan"
    SEDANG = "sedang", "Sedang"
    BERAT = "berat", "Berat"


class JenisPeristiwa(LabeledEnum):
    """Per-occurrence events outside the attendance taps."""

    APEL = "apel", "Tidak mengikuti apel/upacara"
    ATRIBUT = "atribut", "Pelanggaran atribut"


class JenisPotongan(LabeledEnum):
    """The kind of a cut line (the payroll export's columns)."""

    TL = "tl", "TL"
    PSW = "psw", "PSW"
    TANPA_REKAM = "tanpa_rekam", "Tanpa rekam masuk/pulang"
    TK = "tk", "TK"
    IZIN = "izin", "Izin"
    TUGAS_BELAJAR = "tugas_belajar", "Tugas belajar"
    ABSEN_LAIN = "absen_lain", "Ketidakhadiran lain"
    APEL = "apel", "Apel"
    ATRIBUT = "atribut", "Atribut"
    HUKUMAN = "hukuman", "Hukuman disiplin"


@dataclass(frozen=True)
class Braket:
    """Minutes ``dari``..``sampai`` (inclusive; ``sampai`` None: and above) cut ``persen``."""

    dari: int
    sampai: int | None
    persen: Decimal

    def teks(self) -> str:
        return f"≥ {self.dari} menit" if self.sampai is None else f"{self.dari}–{self.sampai} menit"


@dataclass(frozen=True)
class PotonganHarian:
    """A per-day cut: ``persen`` of the cut base (``DASAR``) or of the day's amount (``HARI``)."""

    persen: Decimal
    satuan: SatuanHarian = SatuanHarian.DASAR


@dataclass(frozen=True)
class AturanHukuman:
    """A hukuman disiplin level's cut and how many months it lasts."""

    persen: Decimal
    bulan: int


def _hukuman_default() -> Mapping[TingkatHukuman, AturanHukuman]:
    return {t: AturanHukuman(NOL, 0) for t in TingkatHukuman}


@dataclass(frozen=True)
class AturanTpp:
    """One instansi's TPP rule set. Percentages are Decimal in 0..100; see docs/rules.md §28."""

    nama: str
    pembagian: Pembagian = Pembagian.KALI_KINERJA
    bagian_kinerja: Decimal = NOL  # % of the pagu (PISAH only)
    dasar: DasarPotongan = DasarPotongan.PAGU
    braket_tl: tuple[Braket, ...] = ()
    braket_psw: tuple[Braket, ...] = ()
    tanpa_masuk: Decimal = NOL
    tanpa_pulang: Decimal = NOL
    tk: PotonganHarian = PotonganHarian(NOL)
    izin: PotonganHarian = PotonganHarian(NOL)
    tugas_belajar: PotonganHarian = PotonganHarian(NOL)
    dibayar: frozenset[JenisHari] = frozenset({JenisHari.CUTI_TAHUNAN, JenisHari.DINAS_LUAR})
    absen_lain: PotonganHarian = PotonganHarian(NOL)
    apel: Decimal = NOL
    atribut: Decimal = NOL
    hukuman: Mapping[TingkatHukuman, AturanHukuman] = field(default_factory=_hukuman_default)
    hukuman_mulai_bulan_berikut: bool = False
    batas: Batas = Batas.DASAR
    sumber_kinerja: SumberKinerja = SumberKinerja.PENUH
    tabel_predikat: Mapping[Predikat, Decimal] = field(default_factory=dict)
    terlambat_isi: Decimal = NOL  # % of the kinerja factor lost when the entry was late (PENUH)
    pembulatan: Pembulatan = Pembulatan.TERDEKAT


# --- inputs and outputs -------------------------------------------------------------------------


@dataclass(frozen=True)
class Segmen:
    """The pagu in force from ``mulai`` to ``selesai`` (inclusive) inside the month."""

    mulai: datetime.date
    selesai: datetime.date
    pagu: Decimal


@dataclass(frozen=True)
class Peristiwa:
    """An apel missed or an atribut violation on a date."""

    tanggal: datetime.date
    jenis: JenisPeristiwa


@dataclass(frozen=True)
class HukumanDisiplin:
    """A hukuman disiplin decision."""

    tanggal: datetime.date
    tingkat: TingkatHukuman


@dataclass(frozen=True)
class KinerjaBulan:
    """The month's kinerja: capaian % (realisasi ÷ target), predikat, and whether the entry was late."""

    capaian: Decimal | None = None
    predikat: Predikat | None = None
    terlambat: bool = False
    #: Where the predikat comes from, e.g. "evaluasi Triwulan III 2026" (`pilih_predikat`).
    asal_predikat: str = ""


@dataclass(frozen=True)
class Rincian:
    """One explained cut: ``persen`` of ``dasar`` (rupiah, unrounded) = ``rupiah``."""

    tanggal: datetime.date | None
    teks: str
    persen: Decimal
    dasar: Decimal
    jenis: JenisPotongan = JenisPotongan.ABSEN_LAIN

    @property
    def rupiah(self) -> Decimal:
        return self.persen * self.dasar / SERATUS


@dataclass(frozen=True)
class HasilSegmen:
    """One segment's amounts (unrounded) and explanation."""

    segmen: Segmen
    hari_kerja: int
    jumlah: Decimal  # pagu pro rata
    bagian_kinerja: Decimal
    bagian_disiplin: Decimal
    dasar: Decimal  # the cut base for % of ``DASAR`` lines (month-level base in HARIAN mode)
    rincian: tuple[Rincian, ...]
    potongan_sebelum_batas: Decimal
    batas: Decimal
    potongan: Decimal
    kena_batas: bool
    kinerja_dibayar: Decimal
    disiplin_dibayar: Decimal
    dibayar: Decimal

    @property
    def persen_potongan(self) -> Decimal:
        """The summed cut as a % of the segment's base (before the cap)."""
        return NOL if not self.dasar else self.potongan_sebelum_batas * SERATUS / self.dasar


@dataclass(frozen=True)
class HasilTpp:
    """The month's result: per segment, the kinerja factor and its source, and the gross (whole rupiah)."""

    segmen: tuple[HasilSegmen, ...]
    hari_kerja_bulan: int
    faktor_kinerja: Decimal  # in %
    sumber_kinerja: str
    pagu_bulan: Decimal  # Σ pro rata amounts before cuts (unrounded)
    potongan: Decimal  # Σ capped cuts (unrounded)
    bruto: Decimal  # whole rupiah, ≥ 0
    keterangan: tuple[str, ...]


# --- validation ----------------------------------------------------------------------------------


def _cek_persen(galat: dict[str, str], lokasi: str, nama: str, x: object) -> None:
    if not isinstance(x, Decimal) or not x.is_finite():
        galat[lokasi] = f"{nama} harus berupa angka."
    elif x < NOL or x > SERATUS:
        galat[lokasi] = f"{nama} harus antara 0 dan 100 %."
    elif x != x.quantize(Decimal("0.01"), ROUND_HALF_UP):
        galat[lokasi] = f"{nama} paling banyak dua angka di belakang koma."


def _cek_braket(galat: dict[str, str], lokasi: str, nama: str, daftar: Sequence[Braket]) -> None:
    harap = 1
    for i, b in enumerate(daftar):
        tempat = f"{lokasi}[{i + 1}]"
        _cek_persen(galat, f"{tempat}.persen", f"{nama} baris {i + 1}: persentase", b.persen)
        if b.dari != harap:
            galat[f"{tempat}.dari"] = f"{nama} baris {i + 1}: harus mulai dari menit ke-{harap}."
            return
        if b.sampai is None:
            if i != len(daftar) - 1:
                galat[f"{tempat}.sampai"] = (
                    f"{nama} baris {i + 1}: hanya baris terakhir yang boleh tanpa batas."
                )
            return
        if b.sampai < b.dari:
            galat[f"{tempat}.sampai"] = f"{nama} baris {i + 1}: menit akhir lebih kecil dari menit awal."
            return
        harap = b.sampai + 1
    if daftar:
        galat[f"{lokasi}[{len(daftar)}].sampai"] = (
            f"{nama} baris {len(daftar)}: baris terakhir harus tanpa batas atas (dan seterusnya)."
        )


def validasi(aturan: AturanTpp) -> dict[str, str]:
    """Field path -> why it is refused (Indonesian); empty: the rule set may be saved."""
    galat: dict[str, str] = {}
    if not aturan.nama.strip():
        galat["nama"] = "Nama aturan wajib diisi."
    _cek_persen(galat, "bagian_kinerja", "Bagian kinerja", aturan.bagian_kinerja)
    if aturan.pembagian is Pembagian.KALI_KINERJA and aturan.bagian_kinerja != NOL:
        galat["bagian_kinerja"] = "Bagian kinerja hanya diisi bila TPP dibagi kinerja dan disiplin."
    tanpa_disiplin = aturan.pembagian is Pembagian.PISAH and aturan.bagian_kinerja == SERATUS
    if tanpa_disiplin and (aturan.dasar is DasarPotongan.DISIPLIN or aturan.batas is Batas.BAGIAN_DISIPLIN):
        galat["bagian_kinerja"] = "Bagian kinerja 100 % tidak menyisakan bagian disiplin untuk dipotong."
    _cek_braket(galat, "braket_tl", "Terlambat (TL)", aturan.braket_tl)
    _cek_braket(galat, "braket_psw", "Pulang sebelum waktu (PSW)", aturan.braket_psw)
    for lokasi, nama, x in (
        ("tanpa_masuk", "Tidak ada rekam masuk", aturan.tanpa_masuk),
        ("tanpa_pulang", "Tidak ada rekam pulang", aturan.tanpa_pulang),
        ("tk.persen", "Tanpa keterangan (TK)", aturan.tk.persen),
        ("izin.persen", "Izin", aturan.izin.persen),
        ("tugas_belajar.persen", "Tugas belajar", aturan.tugas_belajar.persen),
        ("absen_lain.persen", "Ketidakhadiran lain yang tidak dibayar", aturan.absen_lain.persen),
        ("apel", "Tidak mengikuti apel", aturan.apel),
        ("atribut", "Pelanggaran atribut", aturan.atribut),
        ("terlambat_isi", "Pengisian kinerja terlambat", aturan.terlambat_isi),
    ):
        _cek_persen(galat, lokasi, nama, x)
    asing = aturan.dibayar - KETIDAKHADIRAN
    if asing:
        nama_asing = ", ".join(sorted(j.label for j in asing))
        galat["dibayar"] = f"Hanya jenis ketidakhadiran yang dapat dibayar penuh (bukan: {nama_asing})."
    for t in TingkatHukuman:
        h = aturan.hukuman.get(t)
        if h is None:
            galat[f"hukuman.{t.value}"] = f"Hukuman disiplin {t.label.lower()} wajib diisi."
            continue
        _cek_persen(galat, f"hukuman.{t.value}.persen", f"Hukuman disiplin {t.label.lower()}", h.persen)
        if h.bulan < 0 or h.bulan > 36:
            galat[f"hukuman.{t.value}.bulan"] = (
                f"Lama potongan hukuman disiplin {t.label.lower()} harus antara 0 dan 36 bulan."
            )
    if aturan.sumber_kinerja is SumberKinerja.PREDIKAT:
        for p in Predikat:
            xp = aturan.tabel_predikat.get(p)
            if xp is None:
                galat[f"tabel_predikat.{p.value}"] = f"Persentase untuk predikat {p.label} wajib diisi."
            else:
                _cek_persen(galat, f"tabel_predikat.{p.value}", f"Persentase untuk predikat {p.label}", xp)
    return galat


# --- the computation -----------------------------------------------------------------------------


def _braket(daftar: Sequence[Braket], menit: int) -> Braket | None:
    for b in daftar:
        if b.dari <= menit and (b.sampai is None or menit <= b.sampai):
            return b
    return None


def _faktor(aturan: AturanTpp, kinerja: KinerjaBulan) -> tuple[Decimal, str]:
    sumber = aturan.sumber_kinerja
    asal = f" ({kinerja.asal_predikat})" if kinerja.asal_predikat else ""
    if sumber is SumberKinerja.CAPAIAN:
        if kinerja.capaian is None and kinerja.predikat is not None:
            # No monthly capaian is computed: the evaluation's predikat through the table (§28.3).
            p = kinerja.predikat
            if p not in aturan.tabel_predikat:
                return NOL, f"Predikat {p.label}{asal} tidak ada di tabel predikat aturan → 0 %"
            f = aturan.tabel_predikat[p]
            return f, f"Predikat {p.label}{asal} → {teks_persen(f)} %"
        if kinerja.capaian is None:
            return NOL, "Capaian kinerja belum ada → 0 %"
        f = min(max(kinerja.capaian, NOL), SERATUS)
        return f, f"Capaian kinerja {teks_persen(kinerja.capaian)} % → {teks_persen(f)} %"
    if sumber is SumberKinerja.PREDIKAT:
        if kinerja.predikat is None:
            return NOL, "Predikat kinerja belum ada → 0 %"
        f = aturan.tabel_predikat.get(kinerja.predikat, NOL)
        return f, f"Predikat {kinerja.predikat.label}{asal} → {teks_persen(f)} %"
    if kinerja.terlambat:
        f = SERATUS - aturan.terlambat_isi
        return f, f"Pengisian kinerja terlambat → {teks_persen(f)} %"
    return SERATUS, "Kinerja dibayar penuh → 100 %"


#: The predikat assumed when a pegawai has no final evaluation at all (docs/rules.md §28.3, UNSURE).
PREDIKAT_TANPA_EVALUASI: Final = Predikat.BAIK


@dataclass(frozen=True)
class EvaluasiFinal:
    """A final evaluation as the TPP reads it: its periode (an annual one: the year), the date it became
    final, its predikat, whether it is the annual one, and the periode's name ("Triwulan III 2026")."""

    mulai: datetime.date
    selesai: datetime.date
    final: datetime.date
    predikat: Predikat
    tahunan: bool
    nama: str


def pilih_predikat(
    evaluasi: Iterable[EvaluasiFinal],
    awal: datetime.date,
    akhir: datetime.date,
    bawaan: Predikat = PREDIKAT_TANPA_EVALUASI,
) -> tuple[Predikat, str]:
    """The predikat that pays the month ``awal``..``akhir`` and where it comes from (docs/rules.md §28.3):
    the final periodic evaluation whose periode contains the month; else a final annual one of the month's
    year; else the latest final evaluation whose periode ended before the month ("the last predikat
    already decided"); else ``bawaan``."""
    semua = list(evaluasi)

    def terbaru(daftar: Sequence[EvaluasiFinal]) -> EvaluasiFinal:
        return max(daftar, key=lambda e: (e.selesai, not e.tahunan, e.final))

    for tahunan in (False, True):
        berisi = [e for e in semua if e.tahunan is tahunan and e.mulai <= akhir and e.selesai >= awal]
        if berisi:
            e = terbaru(berisi)
            return e.predikat, f"evaluasi {e.nama}"
    sebelum = [e for e in semua if e.selesai < awal]
    if sebelum:
        e = terbaru(sebelum)
        return e.predikat, f"evaluasi {e.nama}, evaluasi final terakhir"
    return bawaan, "anggapan: belum ada evaluasi final"


def hukuman_berlaku(aturan: AturanTpp, h: HukumanDisiplin, bulan: datetime.date) -> bool:
    """Whether decision ``h`` cuts the month of ``bulan``: ``bulan`` calendar months from the decision's
    month (or the month after, ``hukuman_mulai_bulan_berikut``)."""
    a = aturan.hukuman.get(h.tingkat)
    if a is None or a.bulan <= 0:
        return False
    mulai = h.tanggal.year * 12 + h.tanggal.month - 1 + (1 if aturan.hukuman_mulai_bulan_berikut else 0)
    ini = bulan.year * 12 + bulan.month - 1
    return mulai <= ini < mulai + a.bulan


def hari_perkiraan(hari: Iterable[StatusHari], hari_ini: datetime.date) -> list[StatusHari]:
    """The days of a month not over yet, as an estimate reads them (docs/rules.md §28): a working day
    after today, or today without any tap yet, counts as present without cuts; today's missing pulang tap
    is not missing yet. Days already over are kept as they are."""
    hasil: list[StatusHari] = []
    for h in hari:
        if h.tanggal >= hari_ini and h.jenis is JenisHari.TK:
            h = StatusHari(h.tanggal, JenisHari.HADIR, hari_kerja=True, alasan=("Belum berlangsung",))
        elif h.tanggal == hari_ini and h.jenis is JenisHari.HADIR and h.tanpa_pulang:
            h = replace(h, tanpa_pulang=False, menit_psw=0)
        hasil.append(h)
    return hasil


def hitung_tpp(
    aturan: AturanTpp,
    segmen: Sequence[Segmen],
    hari: Iterable[StatusHari],
    peristiwa: Iterable[Peristiwa | HukumanDisiplin],
    kinerja: KinerjaBulan,
) -> HasilTpp:
    """The month's gross TPP, every line explained. ``hari``: the month's days (working days count for
    the pro rata); days outside every segment are neither paid nor cut. Raises ``ValueError`` when the
    month has no working day or segments overlap."""
    semua = sorted(hari, key=lambda h: h.tanggal)
    kerja = [h for h in semua if h.hari_kerja]
    if not kerja:
        raise ValueError("Bulan ini tidak memiliki hari kerja.")
    n_bulan = Decimal(len(kerja))
    urut = sorted(segmen, key=lambda s: s.mulai)
    for a, b in zip(urut, urut[1:], strict=False):
        if b.mulai <= a.selesai:
            raise ValueError(f"Segmen pagu tumpang tindih pada {teks_tanggal(b.mulai)}.")
    daftar = list(peristiwa)
    acuan = semua[0].tanggal
    faktor, teks_faktor = _faktor(aturan, kinerja)
    hasil: list[HasilSegmen] = []
    for s in urut:
        hasil.append(_hitung_segmen(aturan, s, semua, n_bulan, daftar, acuan, faktor))
    pagu_bulan = sum((h.jumlah for h in hasil), NOL)
    potongan = sum((h.potongan for h in hasil), NOL)
    kotor = sum((h.dibayar for h in hasil), NOL)
    cara = ROUND_HALF_UP if aturan.pembulatan is Pembulatan.TERDEKAT else ROUND_DOWN
    bruto = min(max(kotor, NOL), pagu_bulan).quantize(Decimal(1), cara)
    keterangan = [teks_faktor]
    for h in hasil:
        keterangan.append(
            f"Segmen {teks_tanggal(h.segmen.mulai)}–{teks_tanggal(h.segmen.selesai)}:"
            f" pagu {_rp(h.segmen.pagu)}"
            f" × {h.hari_kerja}/{len(kerja)} hari kerja = {_rp(h.jumlah)}"
        )
        keterangan.extend(f"  {r.teks} → {teks_persen(r.persen)} %" for r in h.rincian)
        if h.kena_batas:
            keterangan.append(f"  Potongan dibatasi {_rp(h.batas)} ({aturan.batas.label})")
    keterangan.append(f"TPP bruto {_rp(bruto)}")
    return HasilTpp(
        segmen=tuple(hasil),
        hari_kerja_bulan=len(kerja),
        faktor_kinerja=faktor,
        sumber_kinerja=teks_faktor,
        pagu_bulan=pagu_bulan,
        potongan=potongan,
        bruto=bruto,
        keterangan=tuple(keterangan),
    )


def _hitung_segmen(
    aturan: AturanTpp,
    s: Segmen,
    semua: Sequence[StatusHari],
    n_bulan: Decimal,
    peristiwa: Sequence[Peristiwa | HukumanDisiplin],
    acuan: datetime.date,
    faktor: Decimal,
) -> HasilSegmen:
    di_dalam = [h for h in semua if s.mulai <= h.tanggal <= s.selesai]
    n = sum(1 for h in di_dalam if h.hari_kerja)
    harian = s.pagu / n_bulan
    jumlah = s.pagu * n / n_bulan
    pisah = aturan.pembagian is Pembagian.PISAH
    bagian_kinerja = jumlah * aturan.bagian_kinerja / SERATUS if pisah else NOL
    bagian_disiplin = jumlah - bagian_kinerja
    dasar_bulan = bagian_disiplin if aturan.dasar is DasarPotongan.DISIPLIN else jumlah
    dasar_kejadian = harian if aturan.dasar is DasarPotongan.HARIAN else dasar_bulan

    rincian: list[Rincian] = []

    def per_hari(tanggal: datetime.date, nama: str, p: PotonganHarian, jenis: JenisPotongan) -> None:
        if p.persen == NOL:
            return
        if p.satuan is SatuanHarian.HARI:
            rincian.append(
                Rincian(tanggal, f"{nama} ({teks_tanggal(tanggal)}, TPP hari itu)", p.persen, harian, jenis)
            )
        else:
            rincian.append(
                Rincian(tanggal, f"{nama} ({teks_tanggal(tanggal)})", p.persen, dasar_kejadian, jenis)
            )

    for h in di_dalam:
        if not h.hari_kerja:
            continue
        t = h.tanggal
        if h.jenis is JenisHari.HADIR:
            if h.tanpa_masuk:
                if aturan.tanpa_masuk:
                    rincian.append(
                        Rincian(
                            t,
                            f"Tidak ada rekam masuk ({teks_tanggal(t)})",
                            aturan.tanpa_masuk,
                            dasar_kejadian,
                            JenisPotongan.TANPA_REKAM,
                        )
                    )
            elif h.menit_tl > 0:
                b = _braket(aturan.braket_tl, h.menit_tl)
                if b is not None and b.persen:
                    rincian.append(
                        Rincian(
                            t,
                            f"TL {h.menit_tl} menit ({teks_tanggal(t)})",
                            b.persen,
                            dasar_kejadian,
                            JenisPotongan.TL,
                        )
                    )
            if h.tanpa_pulang:
                if aturan.tanpa_pulang:
                    rincian.append(
                        Rincian(
                            t,
                            f"Tidak ada rekam pulang ({teks_tanggal(t)})",
                            aturan.tanpa_pulang,
                            dasar_kejadian,
                            JenisPotongan.TANPA_REKAM,
                        )
                    )
            elif h.menit_psw > 0:
                b = _braket(aturan.braket_psw, h.menit_psw)
                if b is not None and b.persen:
                    rincian.append(
                        Rincian(
                            t,
                            f"PSW {h.menit_psw} menit ({teks_tanggal(t)})",
                            b.persen,
                            dasar_kejadian,
                            JenisPotongan.PSW,
                        )
                    )
        elif h.jenis is JenisHari.TK:
            per_hari(t, "TK", aturan.tk, JenisPotongan.TK)
        elif h.jenis in aturan.dibayar:
            continue
        elif h.jenis is JenisHari.IZIN:
            per_hari(t, "Izin", aturan.izin, JenisPotongan.IZIN)
        elif h.jenis is JenisHari.TUGAS_BELAJAR:
            per_hari(t, "Tugas belajar", aturan.tugas_belajar, JenisPotongan.TUGAS_BELAJAR)
        elif h.jenis in KETIDAKHADIRAN:
            per_hari(t, h.jenis.label, aturan.absen_lain, JenisPotongan.ABSEN_LAIN)

    for p in peristiwa:
        if isinstance(p, Peristiwa):
            if not s.mulai <= p.tanggal <= s.selesai:
                continue
            apel = p.jenis is JenisPeristiwa.APEL
            persen = aturan.apel if apel else aturan.atribut
            if persen:
                rincian.append(
                    Rincian(
                        p.tanggal,
                        f"{p.jenis.label} ({teks_tanggal(p.tanggal)})",
                        persen,
                        dasar_kejadian,
                        JenisPotongan.APEL if apel else JenisPotongan.ATRIBUT,
                    )
                )
        elif hukuman_berlaku(aturan, p, acuan):
            a = aturan.hukuman[p.tingkat]
            if a.persen and n:
                rincian.append(
                    Rincian(
                        p.tanggal,
                        f"Hukuman disiplin {p.tingkat.label.lower()} (keputusan {teks_tanggal(p.tanggal)}"
                        f" {p.tanggal.year}, {a.bulan} bulan)",
                        a.persen,
                        dasar_bulan,
                        JenisPotongan.HUKUMAN,
                    )
                )

    rincian.sort(key=lambda r: (r.tanggal or datetime.date.min, r.teks))
    sebelum = sum((r.rupiah for r in rincian), NOL)
    batas = bagian_disiplin if aturan.batas is Batas.BAGIAN_DISIPLIN else dasar_bulan
    potongan = min(sebelum, batas)
    f = faktor / SERATUS
    if aturan.pembagian is Pembagian.PISAH:
        kinerja_dibayar = bagian_kinerja * f
        disiplin_dibayar = bagian_disiplin - potongan
        dibayar = max(kinerja_dibayar + disiplin_dibayar, NOL)
    else:
        disiplin_dibayar = max(jumlah - potongan, NOL)
        dibayar = disiplin_dibayar * f
        kinerja_dibayar = dibayar - disiplin_dibayar
    return HasilSegmen(
        segmen=s,
        hari_kerja=n,
        jumlah=jumlah,
        bagian_kinerja=bagian_kinerja,
        bagian_disiplin=bagian_disiplin,
        dasar=dasar_bulan,
        rincian=tuple(rincian),
        potongan_sebelum_batas=sebelum,
        batas=batas,
        potongan=potongan,
        kena_batas=sebelum > batas,
        kinerja_dibayar=kinerja_dibayar,
        disiplin_dibayar=disiplin_dibayar,
        dibayar=dibayar,
    )


# --- to and from a plain dict --------------------------------------------------------------------


def _d(x: Decimal) -> str:
    return format(x, "f")


def _harian_ke(p: PotonganHarian) -> dict[str, str]:
    return {"persen": _d(p.persen), "satuan": p.satuan.value}


def _braket_ke(daftar: Sequence[Braket]) -> list[dict[str, Any]]:
    return [{"dari": b.dari, "sampai": b.sampai, "persen": _d(b.persen)} for b in daftar]


def ke_dict(aturan: AturanTpp) -> dict[str, Any]:
    """A JSON-storable dict (Decimals as strings) with ``versi_skema``."""
    return {
        "versi_skema": SKEMA_VERSI,
        "nama": aturan.nama,
        "pembagian": aturan.pembagian.value,
        "bagian_kinerja": _d(aturan.bagian_kinerja),
        "dasar": aturan.dasar.value,
        "braket_tl": _braket_ke(aturan.braket_tl),
        "braket_psw": _braket_ke(aturan.braket_psw),
        "tanpa_masuk": _d(aturan.tanpa_masuk),
        "tanpa_pulang": _d(aturan.tanpa_pulang),
        "tk": _harian_ke(aturan.tk),
        "izin": _harian_ke(aturan.izin),
        "tugas_belajar": _harian_ke(aturan.tugas_belajar),
        "dibayar": sorted(j.value for j in aturan.dibayar),
        "absen_lain": _harian_ke(aturan.absen_lain),
        "apel": _d(aturan.apel),
        "atribut": _d(aturan.atribut),
        "hukuman": {t.value: {"persen": _d(h.persen), "bulan": h.bulan} for t, h in aturan.hukuman.items()},
        "hukuman_mulai_bulan_berikut": aturan.hukuman_mulai_bulan_berikut,
        "batas": aturan.batas.value,
        "sumber_kinerja": aturan.sumber_kinerja.value,
        "tabel_predikat": {p.value: _d(x) for p, x in aturan.tabel_predikat.items()},
        "terlambat_isi": _d(aturan.terlambat_isi),
        "pembulatan": aturan.pembulatan.value,
    }


def _dec(x: object, lokasi: str) -> Decimal:
    try:
        nilai = Decimal(str(x))
    except InvalidOperation:
        raise ValueError(f"{lokasi}: harus berupa angka.") from None
    return nilai


def _harian_dari(d: Mapping[str, Any], lokasi: str) -> PotonganHarian:
    return PotonganHarian(_dec(d["persen"], lokasi), SatuanHarian(d["satuan"]))


def _braket_dari(daftar: Sequence[Mapping[str, Any]], lokasi: str) -> tuple[Braket, ...]:
    return tuple(
        Braket(int(b["dari"]), None if b["sampai"] is None else int(b["sampai"]), _dec(b["persen"], lokasi))
        for b in daftar
    )


def dari_dict(d: Mapping[str, Any]) -> AturanTpp:
    """The inverse of :func:`ke_dict`. Raises ``ValueError`` (Indonesian) on an unknown schema version or
    a malformed dict; the result still needs :func:`validasi`."""
    versi = d.get("versi_skema")
    if versi != SKEMA_VERSI:
        raise ValueError(f"Versi skema aturan TPP {versi!r} tidak dikenal (harus {SKEMA_VERSI}).")
    try:
        return AturanTpp(
            nama=str(d["nama"]),
            pembagian=Pembagian(d["pembagian"]),
            bagian_kinerja=_dec(d["bagian_kinerja"], "bagian_kinerja"),
            dasar=DasarPotongan(d["dasar"]),
            braket_tl=_braket_dari(d["braket_tl"], "braket_tl"),
            braket_psw=_braket_dari(d["braket_psw"], "braket_psw"),
            tanpa_masuk=_dec(d["tanpa_masuk"], "tanpa_masuk"),
            tanpa_pulang=_dec(d["tanpa_pulang"], "tanpa_pulang"),
            tk=_harian_dari(d["tk"], "tk"),
            izin=_harian_dari(d["izin"], "izin"),
            tugas_belajar=_harian_dari(d["tugas_belajar"], "tugas_belajar"),
            dibayar=frozenset(JenisHari(j) for j in d["dibayar"]),
            absen_lain=_harian_dari(d["absen_lain"], "absen_lain"),
            apel=_dec(d["apel"], "apel"),
            atribut=_dec(d["atribut"], "atribut"),
            hukuman={
                TingkatHukuman(k): AturanHukuman(_dec(v["persen"], f"hukuman.{k}"), int(v["bulan"]))
                for k, v in d["hukuman"].items()
            },
            hukuman_mulai_bulan_berikut=bool(d["hukuman_mulai_bulan_berikut"]),
            batas=Batas(d["batas"]),
            sumber_kinerja=SumberKinerja(d["sumber_kinerja"]),
            tabel_predikat={
                Predikat(k): _dec(v, f"tabel_predikat.{k}") for k, v in d["tabel_predikat"].items()
            },
            terlambat_isi=_dec(d["terlambat_isi"], "terlambat_isi"),
            pembulatan=Pembulatan(d["pembulatan"]),
        )
    except KeyError as e:
        raise ValueError(f"Aturan TPP tidak lengkap: {e.args[0]} tidak ada.") from None
    except (TypeError, AttributeError):
        raise ValueError("Aturan TPP tidak berbentuk yang benar.") from None


# --- presets -------------------------------------------------------------------------------------

D = Decimal
KLASIK: Final = (
    Braket(1, 30, D("0.5")),
    Braket(31, 60, D(1)),
    Braket(61, 90, D("1.25")),
    Braket(91, None, D("1.5")),
)
PER_TITIK: Final = (Braket(1, 15, D(1)), Braket(16, 30, D(2)), Braket(31, None, D("2.5")))
_HUKUMAN: Final = {
    TingkatHukuman.RINGAN: AturanHukuman(D(0), 0),
    TingkatHukuman.SEDANG: AturanHukuman(D(0), 0),
    TingkatHukuman.BERAT: AturanHukuman(D(0), 0),
}
_DIBAYAR: Final = frozenset(
    {
        JenisHari.CUTI_TAHUNAN,
        JenisHari.DINAS_LUAR,
        JenisHari.CUTI_SAKIT,
        JenisHari.CUTI_MELAHIRKAN,
        JenisHari.CUTI_ALASAN_PENTING,
    }
)

PRESET: Final[Mapping[str, AturanTpp]] = {
    "kementerian": AturanTpp(
        nama="Braket klasik atas pagu (gaya kementerian)",
        pembagian=Pembagian.KALI_KINERJA,
        dasar=DasarPotongan.PAGU,
        braket_tl=KLASIK,
        braket_psw=KLASIK,
        tanpa_masuk=D("1.5"),
        tanpa_pulang=D("1.5"),
        tk=PotonganHarian(D(5)),
        izin=PotonganHarian(D(2)),
        tugas_belajar=PotonganHarian(D(50), SatuanHarian.HARI),
        dibayar=_DIBAYAR,
        absen_lain=PotonganHarian(D(100), SatuanHarian.HARI),
        hukuman=_HUKUMAN,
    ),
    "pemda_60_40": AturanTpp(
        nama="60 % kinerja / 40 % disiplin, braket klasik atas bagian disiplin",
        pembagian=Pembagian.PISAH,
        bagian_kinerja=D(60),
        dasar=DasarPotongan.DISIPLIN,
        braket_tl=KLASIK,
        braket_psw=KLASIK,
        tanpa_masuk=D("1.5"),
        tanpa_pulang=D("1.5"),
        tk=PotonganHarian(D(5)),
        izin=PotonganHarian(D(2)),
        tugas_belajar=PotonganHarian(D(50), SatuanHarian.HARI),
        dibayar=_DIBAYAR,
        absen_lain=PotonganHarian(D(100), SatuanHarian.HARI),
        hukuman=_HUKUMAN,
        batas=Batas.DASAR,
        sumber_kinerja=SumberKinerja.CAPAIAN,
    ),
    "kejaksaan": AturanTpp(
        nama="Potongan tetap per TL/PSW atas pagu (gaya Kejaksaan)",
        pembagian=Pembagian.KALI_KINERJA,
        dasar=DasarPotongan.PAGU,
        braket_tl=(Braket(1, None, D(1)),),
        braket_psw=(Braket(1, None, D(1)),),
        tanpa_masuk=D(2),
        tanpa_pulang=D(2),
        tk=PotonganHarian(D(5)),
        izin=PotonganHarian(D(2)),
        tugas_belajar=PotonganHarian(D(50), SatuanHarian.HARI),
        dibayar=_DIBAYAR,
        absen_lain=PotonganHarian(D(100), SatuanHarian.HARI),
        hukuman=_HUKUMAN,
    ),
    "per_titik": AturanTpp(
        nama="Per titik rekam (1–15/16–30/> 30 menit) atas pagu",
        pembagian=Pembagian.KALI_KINERJA,
        dasar=DasarPotongan.PAGU,
        braket_tl=PER_TITIK,
        braket_psw=PER_TITIK,
        tanpa_masuk=D(4),
        tanpa_pulang=D(4),
        tk=PotonganHarian(D(8)),
        izin=PotonganHarian(D(2)),
        tugas_belajar=PotonganHarian(D(50), SatuanHarian.HARI),
        dibayar=_DIBAYAR,
        absen_lain=PotonganHarian(D(100), SatuanHarian.HARI),
        hukuman=_HUKUMAN,
    ),
}
