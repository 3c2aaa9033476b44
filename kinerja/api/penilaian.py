"""Evaluation API: capaian kinerja organisasi, the penilai's pending evaluations, one evaluation
(open, rate RHK and BerAKHLAK values, mark "tidak ada realisasi", accept or override the suggestions, the
atasan's adjustment, the admin's reopening) and a rating group (predikat, pola distribusi check, what-if,
finalisation).

The same rules as the pages: reading an evaluation asks `penilaian.view_evaluasi` (the pegawai, the penilai,
the atasan penilai, the admin of the instansi; anyone else 403, a missing one 404); every write goes through
`kinerja.penilaian.services`, whose permission checks (only the penilai rates, only the atasan adjusts, only
the admin reopens), workflow and Indonesian messages reach the client unchanged (403 / 422, see
`kinerja.api.errors`). Writes carry the ``versi`` that was read; a stale one is answered 409 and nothing is
overwritten.

Decisions of this module:

* **Periode.** ``periode`` is the number of a periode penilaian of the year (1..12) or ``akhir`` (the annual
  evaluation); ``tahun`` defaults to the year running in the caller's instansi.
* **Predikat.** Every evaluation in a response carries ``predikat`` = `kuadran.predikat(rating_hasil,
  rating_perilaku)` (null until both ratings are decided), derived here from the two ratings exactly as
  `Evaluasi.save` derives the stored one, so the answer can never contradict the ratings.
* **Capaian organisasi.** As on the page (`selectors_kelompok.baris_capaian`): the units whose capaian the
  caller sets (the nearest head above, never the unit's own head; the top unit: the admin with the PPK's
  written decision, `permissions.may_set_capaian_unit`); the admin sees every unit, setting only where the
  admin sets it. The suggestion is computed live for the units of the page
  (`services.saran_capaian_organisasi`).
* **Pending evaluations** (``/penilaian/tertunda``): per periode penilaian that has ended (or the one asked
  for with ``periode``) and, once the year's last periode has ended, the annual one: every approved SKP the
  caller rates (the admin: the SKP without a penilai) that is the pegawai's latest SKP covering it, whose
  evaluation is not final yet, with what is still missing.
* **Rating group**: ``penilai_id`` (default: the caller; ``tanpa_penilai=true``: the SKP without a penilai,
  rated by the admin) and ``unit_id`` (a penilai with several units) as in `selectors.kelompok`; a group
  without members is 404. Who sees it is the one rule of the page and the penetapan documents, the
  permission ``penilaian.view_kelompok`` (`kinerja.permissions`): the penilai, the penilai / atasan penilai
  of its members, those above the penilai or the head of its unit, the admin kepegawaian; finalising is
  decided by `services_kelompok.finalise_kelompok`.
"""

# No `from __future__ import annotations`: django-ninja resolves the annotations of a @paginate-wrapped
# view in the wrapper's module.

import dataclasses
import datetime
from collections.abc import Callable, Sequence
from functools import partial
from typing import Annotated, Any, Literal

from django.core.exceptions import ValidationError
from django.http import HttpRequest
from ninja import Field, Path, Query, Router, Schema
from ninja.errors import HttpError
from ninja.pagination import paginate
from ninja.responses import Status as Jawaban

from kinerja.api.errors import GalatValidasi, KesalahanValidasi, Pesan, di, galat, terlihat
from kinerja.api.pagination import Halaman
from kinerja.api.pelaksanaan import _skp
from kinerja.api.pemantauan import UnitPemantauanOut
from kinerja.api.tipe import Id, IdIsian, IdQueryOpsional, TanggalOpsional, enum_api
from kinerja.organisasi.models import Instansi, Pegawai, Periode, PeriodePenilaian, UnitKerja, User
from kinerja.penilaian import selectors, selectors_tertunda, services
from kinerja.penilaian import services_sekaligus as sekaligus
from kinerja.penilaian.kelompok import selectors as sk
from kinerja.penilaian.kelompok import services as services_kelompok
from kinerja.penilaian.models import CapaianOrganisasiUnit, Evaluasi
from kinerja.perencanaan import selectors as perencanaan_selectors
from kinerja.permissions import admin_instansi, is_admin_of, peran_evaluasi
from kinerja.permissions.penilaian import may_set_capaian_unit
from kinerja.rules import distribusi as distribusi_rules
from kinerja.rules import evaluasi as alur
from kinerja.rules import kuadran
from kinerja.rules.evaluasi import Peran
from kinerja.rules.perilaku import BERAKHLAK
from kinerja.rules.types import CapaianOrganisasi, Predikat, Rating

PeranEvaluasi = enum_api("PeranEvaluasi", Peran, __name__)

router = Router(tags=["penilaian"])

GALAT: dict[int, Any] = {403: Pesan, 404: Pesan, 409: Pesan, 422: GalatValidasi}

#: Service field names that the API exposes under another name.
NAMA_FIELD = {"periode_penilaian": "periode", "rhk": "rhk_id"}

NAMA_PERILAKU = {n.kode: n.nama for n in BERAKHLAK}
AKHIR = selectors_tertunda.AKHIR

#: A periode in a body: the number of a periode penilaian of the year, or "akhir" (the annual evaluation).
KodePeriodeIn = Annotated[int, Field(ge=1, le=12)] | Literal["akhir"]

_KODE_PERIODE = {
    "pattern": r"^(?:[1-9]|1[0-2]|akhir)$",
    "description": "Nomor periode penilaian (1..12) atau `akhir` untuk evaluasi tahunan.",
}
#: `?periode=`: the same in a query, and in a path.
KodePeriode = Query[str, _KODE_PERIODE]
KodePeriodePath = Path[str, _KODE_PERIODE]
TahunPath = Path[int, {"ge": 2000, "le": 2100}]
KodePeriodeOpsional = Query[
    str | None,
    {
        "pattern": r"^(?:[1-9]|1[0-2]|akhir)$",
        "description": "Nomor periode penilaian (1..12) atau `akhir`; tanpa nilai: semua yang sudah jatuh "
        "tempo.",
    },
]
Tahun = Query[
    int | None,
    {"ge": 2000, "le": 2100, "description": "Tahun penilaian; tanpa nilai: tahun berjalan instansi."},
]

StatusEvaluasi = Literal["draft", "dinilai", "final", "dibuka_kembali"]


# --- schemas ------------------------------------------------------------------------------------------


class PeriodeEvaluasiOut(Schema):
    tahun: int
    kode: str = Field(description='Nomor periode penilaian ("1".."12") atau "akhir" (tahunan).')
    nomor: int | None = Field(description="Nomor periode penilaian; null untuk evaluasi tahunan.")
    nama: str
    mulai: datetime.date
    selesai: datetime.date


class PihakOut(Schema):
    """Identity as it was at the evaluation (snapshot)."""

    id: int | None
    nama: str
    nip: str
    pangkat: str
    jabatan: str
    unit: str


class RatingRhkOut(Schema):
    rhk_id: int | None = Field(
        description="Null bila RHK sudah dihapus dari SKP (baris dibuang saat dibuka)."
    )
    urutan: int
    jenis: str = Field(description="utama atau tambahan.")
    teks: str
    rating: Rating | None
    catatan: str
    tanpa_realisasi: bool = Field(
        description="Ditandai pejabat penilai: tidak ada realisasi (dengan alasan)."
    )
    tanpa_realisasi_alasan: str
    siap: bool = Field(description="Ada realisasi untuk periode ini, atau ditandai tidak ada realisasi.")


class RatingPerilakuOut(Schema):
    kode: str
    nama: str
    rating: Rating | None
    catatan: str


class EvaluasiOut(Schema):
    id: int
    jenis: Literal["periodik", "tahunan"]
    status: StatusEvaluasi
    versi: int = Field(description="Kirim kembali saat mengubah (penguncian optimistis; versi usang → 409).")
    skp_id: int
    periode: PeriodeEvaluasiOut
    pegawai: PihakOut
    penilai: PihakOut
    atasan_penilai: PihakOut
    unit_kelompok_id: int = Field(description="Unit kelompok pola distribusi.")
    unit_dipimpin: UnitPemantauanOut | None = Field(
        description="Unit yang dipimpin pegawai (pimpinan unit kerja)."
    )
    capaian_organisasi: CapaianOrganisasi | None = Field(
        description="Capaian organisasi unit yang dipimpin (pimpinan unit saja)."
    )
    rating_rhk: list[RatingRhkOut]
    rhk_belum_siap: list[int] = Field(
        description="RHK (id) yang belum memiliki realisasi periode ini dan belum ditandai; selama ada, "
        "rating belum dapat ditetapkan."
    )
    rating_perilaku_nilai: list[RatingPerilakuOut] = Field(description="Rating tiap nilai BerAKHLAK.")
    dasar_hasil: Literal["rhk", "pimpinan"] = Field(
        description="rhk: saran dari rating RHK; pimpinan: capaian organisasi unit yang dipimpin."
    )
    saran_hasil: Rating | None
    saran_hasil_alasan: str
    rating_hasil: Rating | None
    alasan_ubah_hasil: str = Field(description="Alasan bila rating hasil kerja berbeda dari saran.")
    hasil_diubah_dari_saran: bool
    saran_perilaku: Rating | None
    saran_perilaku_alasan: str
    rating_perilaku: Rating | None
    alasan_ubah_perilaku: str
    perilaku_diubah_dari_saran: bool
    predikat: Predikat | None = Field(
        description="kuadran(rating_hasil, rating_perilaku); null sampai keduanya ada."
    )
    predikat_label: str
    disesuaikan_atasan_alasan: str
    isian_awal_alasan: str = Field(description="Tahunan: dasar isian awal dari evaluasi periodik.")
    catatan: str
    rekomendasi: str
    dinilai_pada: datetime.datetime | None
    final_pada: datetime.datetime | None
    dibuka_kembali_pada: datetime.datetime | None
    dibuka_kembali_alasan: str
    batas_evaluasi: datetime.date = Field(
        description="Batas evaluasi periode (tahunan: batas evaluasi tahunan)."
    )
    terkunci: bool = Field(description="Batas evaluasi sudah lewat dan kunci tidak sedang dibuka admin.")
    status_kunci: str = Field(description="Penjelasan batas/kunci evaluasi dalam bahasa Indonesia.")
    kunci_dibuka_sampai: datetime.datetime | None = Field(
        description="Akhir buka kunci oleh admin, bila ada."
    )
    kunci_dibuka_alasan: str
    peran: list[PeranEvaluasi] = Field(
        description="Peran pemanggil pada evaluasi ini (kosong: pegawai yang dinilai)."
    )
    dapat_dinilai: bool = Field(
        description="Pemanggil pejabat penilai, evaluasi belum final dan belum terkunci batas evaluasi."
    )


class BukaEvaluasiIn(Schema):
    skp_id: IdIsian
    periode: KodePeriodeIn = Field(description='Nomor periode penilaian (1..12) atau "akhir".')


class RatingIn(Schema):
    rating: Rating | None = Field(description="Null menghapus rating.")
    catatan: str = Field("", max_length=4000)
    versi: int = Field(ge=1, description="Versi evaluasi yang dibaca; versi usang ditolak (409).")


class RatingRhkSekaligusIn(Schema):
    rhk_id: int = Field(description="RHK (id RHK di SKP) yang dinilai.")
    rating: Rating | None = Field(description="Null menghapus rating.")
    catatan: str = Field("", max_length=4000, description="Umpan balik untuk RHK ini.")


class RatingPerilakuSekaligusIn(Schema):
    kode: str = Field(description="Kode nilai BerAKHLAK: BP, AK, KO, HA, LO, AD, KL.")
    rating: Rating | None = Field(description="Null menghapus rating.")
    catatan: str = Field("", max_length=4000)


class NilaiSekaligusIn(Schema):
    versi: int = Field(ge=1, description="Versi evaluasi yang dibaca; versi usang ditolak (409).")
    rhk: list[RatingRhkSekaligusIn] = Field(default_factory=list, description="RHK yang tidak disebut tetap.")
    perilaku: list[RatingPerilakuSekaligusIn] = Field(
        default_factory=list, description="Nilai yang tidak disebut tetap."
    )


class TanpaRealisasiIn(Schema):
    tanpa: bool = Field(True, description="false menghapus tanda.")
    alasan: str = Field("", max_length=4000)
    versi: int = Field(ge=1)


class KeputusanIn(Schema):
    rating_hasil: Rating | None = Field(None, description="Null: terima saran.")
    alasan_hasil: str = Field("", max_length=4000, description="Wajib bila berbeda dari saran.")
    rating_perilaku: Rating | None = Field(None, description="Null: terima saran.")
    alasan_perilaku: str = Field("", max_length=4000, description="Wajib bila berbeda dari saran.")
    catatan: str | None = Field(None, max_length=8000)
    rekomendasi: str | None = Field(None, max_length=8000)
    versi: int = Field(ge=1)


class PenyesuaianIn(Schema):
    alasan: str = Field(max_length=4000)
    rating_hasil: Rating | None = None
    rating_perilaku: Rating | None = None
    versi: int = Field(ge=1)


class AlasanIn(Schema):
    alasan: str = Field(max_length=4000)


class CapaianUnitOut(Schema):
    unit: UnitPemantauanOut
    periode: PeriodeEvaluasiOut
    nilai: CapaianOrganisasi | None = Field(description="Null bila belum ditetapkan.")
    nilai_label: str
    catatan: str
    saran: CapaianOrganisasi | None = Field(description="Saran dari capaian IKU (null: tanpa ambang/data).")
    saran_alasan: str
    ditetapkan_oleh: str
    ditetapkan_pada: datetime.datetime | None
    ppk_pejabat: str = Field(
        description="Unit tertinggi: PPK yang memutuskan (dicatat admin); lainnya kosong."
    )
    ppk_nomor: str = Field(description="Nomor keputusan tertulis PPK (unit tertinggi).")
    ppk_tanggal: datetime.date | None = Field(description="Tanggal keputusan PPK (unit tertinggi).")
    dapat_ditetapkan: bool = Field(description="Pemanggil berhak menetapkan capaian unit ini.")


class CapaianIn(Schema):
    nilai: CapaianOrganisasi
    catatan: str = Field("", max_length=4000)
    ppk_pejabat: str = Field(
        "", max_length=200, description="Wajib bila admin menetapkan (unit tertinggi): PPK yang memutuskan."
    )
    ppk_nomor: str = Field(
        "", max_length=100, description="Wajib bila admin menetapkan: nomor keputusan PPK."
    )
    ppk_tanggal: TanggalOpsional = Field(None, description="Wajib bila admin menetapkan: tanggalnya.")


class TertundaOut(Schema):
    skp_id: int
    pegawai_id: int
    pegawai_nama: str
    pegawai_nip: str
    pegawai_jabatan: str
    periode: PeriodeEvaluasiOut
    evaluasi_id: int | None = Field(description="Null bila evaluasi belum dibuka.")
    status: Literal["belum_dibuka", "draft", "dinilai", "dibuka_kembali"]
    versi: int | None
    rhk_belum_dinilai: int | None
    perilaku_belum_dinilai: int | None
    rhk_tanpa_realisasi: int | None = Field(
        description="RHK tanpa realisasi periode ini yang belum ditandai."
    )
    kurang: list[str] = Field(description="Yang masih kurang sebelum evaluasi dapat difinalisasi.")


class AnggotaOut(Schema):
    evaluasi_id: int
    pegawai_id: int
    pegawai_nama: str
    pegawai_nip: str
    status: StatusEvaluasi
    rating_hasil: Rating | None
    rating_perilaku: Rating | None
    predikat: Predikat | None
    predikat_label: str
    hasil_diubah_dari_saran: bool
    perilaku_diubah_dari_saran: bool
    versi: int


class BelumDibukaOut(Schema):
    skp_id: int
    pegawai_id: int
    pegawai_nama: str
    pegawai_nip: str


class JumlahPredikatOut(Schema):
    predikat: Predikat
    label: str
    jumlah: int


class PelanggaranOut(Schema):
    pesan: str
    jenis: str = Field(description="max, min, atau harus_ada.")
    predikat: list[Predikat]
    jumlah: int
    pegawai: list[str] = Field(description="Pegawai pada predikat itu.")
    di_luar: list[str] = Field(description="Pegawai lain kelompok (yang harus berpindah ke dalamnya).")


class PeringatanOut(Schema):
    pesan: str
    jenis: str
    predikat: list[Predikat]
    jumlah: int


class RentangOut(Schema):
    predikat: list[Predikat]
    minimum: int
    maximum: int
    keterangan: str


class CekOut(Schema):
    capaian: CapaianOrganisasi
    n: int
    berlaku: bool = Field(description="false: pola tidak dapat diterapkan (lihat alasan).")
    alasan: str | None
    sesuai: bool = Field(description="Berlaku dan tanpa pelanggaran (peringatan tidak dihitung).")
    pelanggaran: list[PelanggaranOut]
    peringatan: list[PeringatanOut]
    rentang: list[RentangOut]


class PenilaiOut(Schema):
    id: int
    nama: str
    nip: str


class CapaianRingkasOut(Schema):
    nilai: CapaianOrganisasi
    label: str
    catatan: str


class KelompokOut(Schema):
    penilai: PenilaiOut | None = Field(description="Null: SKP tanpa pejabat penilai (dinilai admin).")
    unit: UnitPemantauanOut
    kelompok: Literal["penilai", "unit"]
    mode_finalisasi: Literal["peringatan", "blokir"]
    periode: PeriodeEvaluasiOut
    capaian: CapaianRingkasOut | None = Field(description="Capaian organisasi unit kelompok (null: belum).")
    anggota: list[AnggotaOut]
    belum_dibuka: list[BelumDibukaOut]
    belum_dinilai: list[str] = Field(description="Nama anggota yang predikatnya belum ada.")
    jumlah: list[JumlahPredikatOut] = Field(description="Banyaknya pegawai per predikat, terbaik dahulu.")
    cek: CekOut | None = Field(description="Pemeriksaan pola distribusi; null sampai capaian ditetapkan.")
    semua_final: bool


class WhatIfItemOut(Schema):
    capaian: CapaianOrganisasi
    label: str
    cek: CekOut


class WhatIfOut(Schema):
    capaian_sekarang: CapaianOrganisasi | None
    jumlah: list[JumlahPredikatOut]
    hasil: list[WhatIfItemOut] = Field(
        description="Pemeriksaan yang sama di bawah capaian lain; tidak disimpan."
    )


class KelompokIn(Schema):
    penilai_id: IdIsian | None = Field(None, description="Tanpa nilai: pemanggil.")
    tanpa_penilai: bool = Field(False, description="true: kelompok SKP tanpa pejabat penilai (admin).")
    unit_id: IdIsian | None = None
    tahun: int | None = Field(None, ge=2000, le=2100)
    periode: KodePeriodeIn
    alasan: str = Field("", max_length=4000, description="Wajib bila masih ada pelanggaran pola distribusi.")


class FinalisasiOut(Schema):
    id: int
    kelompok: str
    unit_id: int
    penilai_id: int | None
    capaian_organisasi: CapaianOrganisasi | None
    jumlah_pegawai: int
    pelanggaran: list[PelanggaranOut]
    alasan: str
    oleh: str
    pada: datetime.datetime


# --- helpers ------------------------------------------------------------------------------------------


#: A service write: a stale ``versi`` is 409; any other refusal 422 with the request's field names.
_tulis = partial(di, nama_field=NAMA_FIELD, konflik=True)


def _nama_user(user: User | None) -> str:
    if user is None:
        return ""
    pegawai = user.pegawai if user.pegawai_id else None
    return pegawai.nama if pegawai is not None else user.get_username()


def _instansi(request: HttpRequest) -> Instansi:
    """The caller's instansi: of their pegawai, else the one they administer (403 for anyone else)."""
    user = request.user
    if user.pegawai_id:
        return user.pegawai.instansi
    return admin_instansi(request)


def _admin_of(user: User, instansi_id: int) -> bool:
    return bool(is_admin_of(user, instansi_id))


def _tahun(instansi: Instansi, tahun: int | None) -> Periode:
    if tahun is None:
        periode = perencanaan_selectors.periode_berjalan(instansi)
    else:
        periode = Periode.objects.filter(instansi=instansi, tahun=tahun).first()
    if periode is None:
        raise HttpError(404, f"Periode tahun {tahun or 'berjalan'} belum dibuat.")
    return periode


def _periode(periode: Periode, kode: str | int) -> PeriodePenilaian | None:
    """The periode penilaian of `kode` in the year (None: "akhir"); 404 when the year has no such periode."""
    if kode == AKHIR:
        return None
    pp = PeriodePenilaian.objects.select_related("periode").filter(periode=periode, nomor=int(kode)).first()
    if pp is None:
        raise HttpError(404, f"Periode ke-{kode} tidak ada pada tahun {periode.tahun}.")
    return pp


def _periode_out(periode: Periode, pp: PeriodePenilaian | None) -> dict[str, Any]:
    if pp is None:
        return {
            "tahun": periode.tahun,
            "kode": AKHIR,
            "nomor": None,
            "nama": f"Akhir (tahunan) {periode.tahun}",
            "mulai": datetime.date(periode.tahun, 1, 1),
            "selesai": datetime.date(periode.tahun, 12, 31),
        }
    return {
        "tahun": periode.tahun,
        "kode": str(pp.nomor),
        "nomor": pp.nomor,
        "nama": pp.nama,
        "mulai": pp.mulai,
        "selesai": pp.selesai,
    }


def _unit(u: UnitKerja) -> dict[str, Any]:
    return {"id": u.pk, "kode": u.kode, "nama": u.nama, "parent_id": u.parent_id, "depth": u.depth}


def _predikat(rating_hasil: str, rating_perilaku: str) -> Predikat | None:
    """The kuadran of the two ratings (None until both are decided): the only source of a predikat."""
    if rating_hasil and rating_perilaku:
        return kuadran.predikat(Rating(rating_hasil), Rating(rating_perilaku))
    return None


def _tanggal_acuan(periode: Periode, pp: PeriodePenilaian | None) -> datetime.date:
    return pp.selesai if pp is not None else datetime.date(periode.tahun, 12, 31)


# --- capaian kinerja organisasi -----------------------------------------------------------------------


def _capaian_out(
    unit: UnitKerja,
    periode: Periode,
    pp: PeriodePenilaian | None,
    obj: CapaianOrganisasiUnit | None,
    dapat: bool,
) -> dict[str, Any]:
    saran = services.saran_capaian_organisasi(unit, pp, periode)
    return {
        "unit": _unit(unit),
        "periode": _periode_out(periode, pp),
        "nilai": obj.nilai if obj else None,
        "nilai_label": obj.get_nilai_display() if obj else "",
        "catatan": obj.catatan if obj else "",
        "saran": saran.nilai.value if saran.nilai else None,
        "saran_alasan": saran.alasan,
        "ditetapkan_oleh": _nama_user(obj.ditetapkan_oleh) if obj else "",
        "ditetapkan_pada": obj.ditetapkan_pada if obj else None,
        "ppk_pejabat": obj.ppk_pejabat if obj else "",
        "ppk_nomor": obj.ppk_nomor if obj else "",
        "ppk_tanggal": obj.ppk_tanggal if obj else None,
        "dapat_ditetapkan": dapat,
    }


def _capaian_tersimpan(
    unit_ids: Sequence[int], periode: Periode, pp: PeriodePenilaian | None
) -> dict[int, CapaianOrganisasiUnit]:
    qs = CapaianOrganisasiUnit.objects.filter(unit_id__in=unit_ids, periode=periode).select_related(
        "ditetapkan_oleh__pegawai"
    )
    qs = qs.filter(periode_penilaian__isnull=True) if pp is None else qs.filter(periode_penilaian=pp)
    return {c.unit_id: c for c in qs}


class _Halaman:
    """A list for the paginator whose page is turned into answers in one go (`fn` gets the page's rows)."""

    def __init__(self, rows: list[Any], fn: Callable[[list[Any]], list[dict[str, Any]]]) -> None:
        self.rows, self.fn = rows, fn

    def __len__(self) -> int:
        return len(self.rows)

    def __getitem__(self, key: slice) -> list[dict[str, Any]]:
        return self.fn(self.rows[key])


@router.get(
    "/penilaian/capaian-organisasi",
    response=list[CapaianUnitOut],
    summary="Capaian kinerja organisasi unit-unit yang ditetapkan pemanggil (admin: semua unit)",
    description="Untuk satu periode (`periode`: nomor atau `akhir`): unit yang capaiannya ditetapkan "
    "pemanggil (pimpinan unit di atasnya, tidak pernah pimpinan unit itu sendiri; unit tertinggi: admin atas "
    "keputusan tertulis PPK); admin kepegawaian "
    "melihat semua unit (`dapat_ditetapkan` hanya pada unit yang ditetapkannya). Dengan saran dari capaian "
    "IKU (bila instansi menetapkan ambang) dan catatannya.",
)
@paginate(Halaman)
def capaian_daftar(request: HttpRequest, periode: KodePeriode, tahun: Tahun = None) -> Any:
    instansi = _instansi(request)
    per = _tahun(instansi, tahun)
    pp = _periode(per, periode)
    baris = sk.baris_capaian(request.user, instansi, sk.PilihanPeriode(per, pp, []))

    def halaman(rows: list[sk.BarisCapaian]) -> list[dict[str, Any]]:
        for b in rows:
            b.unit.instansi = instansi
        return [_capaian_out(b.unit, per, pp, b.capaian, b.boleh) for b in rows]

    return _Halaman(baris.baris, halaman)


def _unit_capaian(request: HttpRequest, unit_id: int, tahun: int, periode: str) -> tuple[Any, ...]:
    """The unit, year and periode of a capaian; as on the page, for whoever sets it and for the admin."""
    unit = UnitKerja.objects.select_related("instansi", "parent").filter(pk=unit_id).first()
    if unit is None:
        raise HttpError(404, "Unit kerja tidak ditemukan.")
    per = Periode.objects.select_related("instansi").filter(instansi_id=unit.instansi_id, tahun=tahun).first()
    if per is None:
        raise HttpError(404, f"Periode tahun {tahun} belum dibuat.")
    pp = _periode(per, periode)
    boleh = may_set_capaian_unit(request.user, unit, _tanggal_acuan(per, pp))
    if not (boleh or is_admin_of(request.user, unit.instansi_id)):
        raise HttpError(403, "Anda tidak menetapkan capaian kinerja organisasi unit ini.")
    return unit, per, pp, boleh


@router.get(
    "/penilaian/capaian-organisasi/{unit_id}/{tahun}/{periode}",
    response={200: CapaianUnitOut, **GALAT},
    summary="Capaian kinerja organisasi satu unit untuk satu periode, dengan sarannya",
)
def capaian_detail(
    request: HttpRequest, unit_id: Id, tahun: TahunPath, periode: KodePeriodePath
) -> dict[str, Any]:
    unit, per, pp, dapat = _unit_capaian(request, unit_id, tahun, periode)
    obj = _capaian_tersimpan([unit.pk], per, pp).get(unit.pk)
    return _capaian_out(unit, per, pp, obj, dapat)


@router.put(
    "/penilaian/capaian-organisasi/{unit_id}/{tahun}/{periode}",
    response={200: CapaianUnitOut, **GALAT},
    summary="Tetapkan atau ubah capaian kinerja organisasi unit (pimpinan unit di atasnya / admin atas "
    "keputusan PPK)",
    description="Dicatat dalam riwayat. Mengubahnya menghitung ulang rating hasil kerja pimpinan unit itu "
    "yang evaluasinya belum final; pola distribusi kelompok mengikutinya.",
)
def capaian_tetapkan(
    request: HttpRequest, unit_id: Id, tahun: TahunPath, periode: KodePeriodePath, payload: CapaianIn
) -> dict[str, Any]:
    unit, per, pp, _ = _unit_capaian(request, unit_id, tahun, periode)
    with _tulis("body", "payload"):
        services.set_capaian_organisasi(
            unit,
            per,
            pp,
            payload.nilai,
            payload.catatan,
            request.user,
            services.KeputusanPpk(payload.ppk_pejabat, payload.ppk_nomor, payload.ppk_tanggal),
        )
    obj = _capaian_tersimpan([unit.pk], per, pp).get(unit.pk)
    return _capaian_out(unit, per, pp, obj, True)


# --- one evaluation -----------------------------------------------------------------------------------


def _muat(pk: int) -> Evaluasi | None:
    return (
        Evaluasi.objects.select_related("periode", "periode_penilaian", "unit_dipimpin", "skp")
        .filter(pk=pk)
        .first()
    )


def _evaluasi(user: User, pk: int) -> Evaluasi:
    return terlihat(
        _muat(pk),
        user,
        "penilaian.view_evaluasi",
        "Evaluasi tidak ditemukan.",
        "Anda tidak berhak melihat evaluasi ini.",
    )


def _pihak(pk: int | None, nama: str, nip: str, pangkat: str, jabatan: str, unit: str) -> dict[str, Any]:
    return {"id": pk, "nama": nama, "nip": nip, "pangkat": pangkat, "jabatan": jabatan, "unit": unit}


def _evaluasi_out(ev: Evaluasi, user: User) -> dict[str, Any]:
    rows = list(ev.rating_rhk.order_by("urutan", "pk"))
    belum = {r.pk for r in selectors.rhk_belum_siap(ev)}
    perilaku = {r.kode: r for r in ev.rating_perilaku_set.all()}
    predikat = _predikat(ev.rating_hasil, ev.rating_perilaku)
    peran = peran_evaluasi(ev, user)
    kunci = selectors.status_kunci(ev)
    return {
        "id": ev.pk,
        "jenis": ev.jenis,
        "status": ev.status,
        "versi": ev.versi,
        "skp_id": ev.skp_id,
        "periode": _periode_out(ev.periode, ev.periode_penilaian),
        "pegawai": _pihak(
            ev.pegawai_id,
            ev.pegawai_nama,
            ev.pegawai_nip,
            ev.pegawai_pangkat,
            ev.pegawai_jabatan,
            ev.pegawai_unit,
        ),
        "penilai": _pihak(
            ev.penilai_id,
            ev.penilai_nama,
            ev.penilai_nip,
            ev.penilai_pangkat,
            ev.penilai_jabatan_nama,
            ev.penilai_unit,
        ),
        "atasan_penilai": _pihak(
            ev.atasan_penilai_id,
            ev.atasan_nama,
            ev.atasan_nip,
            ev.atasan_pangkat,
            ev.atasan_jabatan_nama,
            ev.atasan_unit,
        ),
        "unit_kelompok_id": ev.unit_kelompok_id,
        "unit_dipimpin": _unit(ev.unit_dipimpin) if ev.unit_dipimpin_id else None,
        "capaian_organisasi": ev.capaian_organisasi or None,
        "rating_rhk": [
            {
                "rhk_id": r.rhk_id,
                "urutan": r.urutan,
                "jenis": r.rhk_jenis,
                "teks": r.rhk_teks,
                "rating": r.rating or None,
                "catatan": r.catatan,
                "tanpa_realisasi": r.tanpa_realisasi,
                "tanpa_realisasi_alasan": r.tanpa_realisasi_alasan,
                "siap": r.pk not in belum,
            }
            for r in rows
        ],
        "rhk_belum_siap": [r.rhk_id for r in rows if r.pk in belum and r.rhk_id],
        "rating_perilaku_nilai": [
            {
                "kode": n.kode,
                "nama": n.nama,
                "rating": (perilaku[n.kode].rating or None) if n.kode in perilaku else None,
                "catatan": perilaku[n.kode].catatan if n.kode in perilaku else "",
            }
            for n in BERAKHLAK
        ],
        "dasar_hasil": ev.dasar_hasil,
        "saran_hasil": ev.saran_hasil or None,
        "saran_hasil_alasan": ev.saran_hasil_alasan,
        "rating_hasil": ev.rating_hasil or None,
        "alasan_ubah_hasil": ev.alasan_ubah_hasil,
        "hasil_diubah_dari_saran": ev.hasil_diubah_dari_saran,
        "saran_perilaku": ev.saran_perilaku or None,
        "saran_perilaku_alasan": ev.saran_perilaku_alasan,
        "rating_perilaku": ev.rating_perilaku or None,
        "alasan_ubah_perilaku": ev.alasan_ubah_perilaku,
        "perilaku_diubah_dari_saran": ev.perilaku_diubah_dari_saran,
        "predikat": predikat,
        "predikat_label": predikat.label if predikat else "",
        "disesuaikan_atasan_alasan": ev.disesuaikan_atasan_alasan,
        "isian_awal_alasan": ev.isian_awal_alasan,
        "catatan": ev.catatan,
        "rekomendasi": ev.rekomendasi,
        "dinilai_pada": ev.dinilai_pada,
        "final_pada": ev.final_pada,
        "dibuka_kembali_pada": ev.dibuka_kembali_pada,
        "dibuka_kembali_alasan": ev.dibuka_kembali_alasan,
        "batas_evaluasi": ev.batas_evaluasi,
        "terkunci": not kunci.terbuka,
        "status_kunci": kunci.alasan,
        "kunci_dibuka_sampai": ev.kunci_dibuka_sampai,
        "kunci_dibuka_alasan": ev.kunci_dibuka_alasan,
        "peran": sorted(peran, key=list(Peran).index),
        "dapat_dinilai": Peran.PENILAI in peran and alur.dapat_diubah(ev.status_enum) and kunci.terbuka,
    }


def _jawab(ev: Evaluasi, user: User) -> dict[str, Any]:
    fresh = _muat(ev.pk)
    if fresh is None:
        raise HttpError(404, "Evaluasi tidak ditemukan.")
    return _evaluasi_out(fresh, user)


def _ubah(user: User, evaluasi_id: int, aksi: Callable[[Evaluasi], Evaluasi]) -> dict[str, Any]:
    """One write on an evaluation the user may see; service errors answer 422/409 on the body."""
    ev = _evaluasi(user, evaluasi_id)
    with _tulis("body", "payload"):
        ev = aksi(ev)
    return _jawab(ev, user)


@router.post(
    "/penilaian/evaluasi",
    response={200: EvaluasiOut, **GALAT},
    summary="Buka evaluasi SKP untuk satu periode atau tahunan (dibuat bila belum ada)",
    description="Untuk SKP yang sudah disetujui; oleh pejabat penilai, atasan penilai, atau admin "
    "kepegawaian. Membuka yang sudah ada (belum final) menyegarkan identitas dan baris RHK dari SKP. "
    "Tahunan (`akhir`) selalu memakai SKP terakhir pegawai tahun itu dan diisi awal dari evaluasi "
    "periodiknya.",
)
def evaluasi_buka(request: HttpRequest, payload: BukaEvaluasiIn) -> dict[str, Any]:
    skp = _skp(request.user, payload.skp_id)
    pp = None
    if payload.periode != AKHIR:
        pp = PeriodePenilaian.objects.filter(periode=skp.periode, nomor=payload.periode).first()
        if pp is None:
            raise KesalahanValidasi(
                [
                    galat(
                        ["body", "payload", "periode"],
                        f"Periode ke-{payload.periode} tidak ada pada tahun {skp.periode.tahun}.",
                    )
                ]
            )
    with _tulis("body", "payload"):
        ev = services.open_evaluasi(skp, pp, request.user)
    return _jawab(ev, request.user)


@router.get(
    "/penilaian/evaluasi/{evaluasi_id}",
    response={200: EvaluasiOut, **GALAT},
    summary="Satu evaluasi: identitas, rating RHK dan perilaku, saran dengan alasannya, rating, predikat",
    description="Untuk pegawai yang dinilai, pejabat penilai, atasan penilai, dan admin kepegawaian "
    "instansi.",
)
def evaluasi_detail(request: HttpRequest, evaluasi_id: Id) -> dict[str, Any]:
    return _evaluasi_out(_evaluasi(request.user, evaluasi_id), request.user)


def _baris_rhk(ev: Evaluasi, rhk_id: int) -> Any:
    row = ev.rating_rhk.select_related("rhk").filter(rhk_id=rhk_id).first()
    if row is None:
        raise HttpError(404, "RHK tidak ditemukan pada evaluasi ini.")
    return row.rhk


@router.put(
    "/penilaian/evaluasi/{evaluasi_id}/rhk/{rhk_id}",
    response={200: EvaluasiOut, **GALAT},
    summary="Rating satu RHK (pejabat penilai); saran dihitung ulang",
)
def evaluasi_nilai_rhk(
    request: HttpRequest, evaluasi_id: Id, rhk_id: Id, payload: RatingIn
) -> dict[str, Any]:
    return _ubah(
        request.user,
        evaluasi_id,
        lambda ev: services.rate_rhk(
            ev, _baris_rhk(ev, rhk_id), payload.rating, payload.catatan, request.user, versi=payload.versi
        ),
    )


@router.post(
    "/penilaian/evaluasi/{evaluasi_id}/rhk/{rhk_id}/tanpa-realisasi",
    response={200: EvaluasiOut, **GALAT},
    summary="Tandai RHK 'tidak ada realisasi' dengan alasan (atau hapus tandanya) — pejabat penilai",
)
def evaluasi_tanpa_realisasi(
    request: HttpRequest, evaluasi_id: Id, rhk_id: Id, payload: TanpaRealisasiIn
) -> dict[str, Any]:
    return _ubah(
        request.user,
        evaluasi_id,
        lambda ev: services.mark_tanpa_realisasi(
            ev, _baris_rhk(ev, rhk_id), payload.alasan, request.user, tanpa=payload.tanpa, versi=payload.versi
        ),
    )


@router.put(
    "/penilaian/evaluasi/{evaluasi_id}/perilaku/{kode}",
    response={200: EvaluasiOut, **GALAT},
    summary="Rating satu nilai BerAKHLAK (pejabat penilai); saran dihitung ulang",
)
def evaluasi_nilai_perilaku(
    request: HttpRequest, evaluasi_id: Id, kode: str, payload: RatingIn
) -> dict[str, Any]:
    def nilai(ev: Evaluasi) -> Evaluasi:
        if kode.upper() not in NAMA_PERILAKU:
            raise HttpError(404, f"Nilai BerAKHLAK tidak dikenal: {kode}.")
        return services.rate_perilaku(
            ev, kode.upper(), payload.rating, payload.catatan, request.user, versi=payload.versi
        )

    return _ubah(request.user, evaluasi_id, nilai)


@router.put(
    "/penilaian/evaluasi/{evaluasi_id}/rating",
    response={200: EvaluasiOut, **GALAT},
    summary="Rating semua RHK dan nilai BerAKHLAK sekaligus (pejabat penilai); semua atau tidak sama sekali",
    description="Satu transaksi (docs/rules.md §33): bila satu isian ditolak, tidak ada yang tersimpan dan "
    "setiap penolakan ditunjukkan pada tempatnya (`rhk.<i>.rating`, `perilaku.<i>.catatan`). RHK dan nilai "
    "yang tidak disebut tetap seperti semula.",
)
def evaluasi_nilai_sekaligus(
    request: HttpRequest, evaluasi_id: Id, payload: NilaiSekaligusIn
) -> dict[str, Any]:
    ev = _evaluasi(request.user, evaluasi_id)
    baris = dict(ev.rating_rhk.values_list("rhk_id", "pk"))
    tempat: dict[str, tuple[str, int]] = {}
    galat_isian: list[Any] = []
    rhk: dict[int, sekaligus.Isian] = {}
    for i, r in enumerate(payload.rhk):
        row_id = baris.get(r.rhk_id)
        if row_id is None:
            galat_isian.append(
                galat(["body", "payload", "rhk", i, "rhk_id"], "RHK tidak ada pada evaluasi ini.")
            )
            continue
        rhk[row_id] = sekaligus.Isian(r.rating.value if r.rating else "", r.catatan)
        tempat[f"rhk-{row_id}"] = ("rhk", i)
    perilaku: dict[str, sekaligus.Isian] = {}
    for i, p in enumerate(payload.perilaku):
        kode = p.kode.upper()
        perilaku[kode] = sekaligus.Isian(p.rating.value if p.rating else "", p.catatan)
        tempat[f"perilaku-{kode}"] = ("perilaku", i)
    if galat_isian:
        raise KesalahanValidasi(galat_isian)
    try:
        with _tulis("body", "payload"):
            try:
                hasil = sekaligus.nilai_sekaligus(ev.pk, request.user, rhk, perilaku, versi=payload.versi)
            except ValidationError as exc:
                if not hasattr(exc, "error_dict"):
                    raise
                detail = []
                for kunci, pesan in exc.message_dict.items():
                    awal, _, field = kunci.rpartition("-")
                    bagian, i = tempat[awal]
                    detail += [galat(["body", "payload", bagian, i, field], m) for m in pesan]
                raise KesalahanValidasi(detail) from exc
    except Evaluasi.DoesNotExist:
        raise HttpError(404, "Evaluasi tidak ditemukan.") from None
    return _jawab(hasil.evaluasi, request.user)


@router.post(
    "/penilaian/evaluasi/{evaluasi_id}/keputusan",
    response={200: EvaluasiOut, **GALAT},
    summary="Tetapkan rating hasil dan perilaku kerja: terima saran (null) atau ubah dengan alasan",
    description="Pejabat penilai. Rating yang berbeda dari saran wajib disertai alasan (422 pada "
    "`alasan_hasil` / `alasan_perilaku`). Ditolak selama ada RHK tanpa realisasi yang belum ditandai. "
    "Rating hasil kerja pimpinan unit mengikuti capaian organisasi unitnya. Predikat = kuadran kedua rating.",
)
def evaluasi_keputusan(request: HttpRequest, evaluasi_id: Id, payload: KeputusanIn) -> dict[str, Any]:
    return _ubah(
        request.user,
        evaluasi_id,
        lambda ev: services.set_rating(
            ev,
            request.user,
            rating_hasil=payload.rating_hasil,
            alasan_hasil=payload.alasan_hasil,
            rating_perilaku=payload.rating_perilaku,
            alasan_perilaku=payload.alasan_perilaku,
            catatan=payload.catatan,
            rekomendasi=payload.rekomendasi,
            versi=payload.versi,
        ),
    )


@router.post(
    "/penilaian/evaluasi/{evaluasi_id}/penyesuaian",
    response={200: EvaluasiOut, **GALAT},
    summary="Penyesuaian rating oleh atasan pejabat penilai (kalibrasi pola distribusi), dengan alasan",
)
def evaluasi_penyesuaian(request: HttpRequest, evaluasi_id: Id, payload: PenyesuaianIn) -> dict[str, Any]:
    return _ubah(
        request.user,
        evaluasi_id,
        lambda ev: services.adjust_by_atasan(
            ev,
            request.user,
            payload.alasan,
            rating_hasil=payload.rating_hasil,
            rating_perilaku=payload.rating_perilaku,
            versi=payload.versi,
        ),
    )


@router.post(
    "/penilaian/evaluasi/{evaluasi_id}/buka-kembali",
    response={200: EvaluasiOut, **GALAT},
    summary="Buka kembali evaluasi yang sudah final (admin kepegawaian, dengan alasan; dicatat)",
)
def evaluasi_buka_kembali(request: HttpRequest, evaluasi_id: Id, payload: AlasanIn) -> dict[str, Any]:
    return _ubah(request.user, evaluasi_id, lambda ev: services.reopen(ev, request.user, payload.alasan))


@router.post(
    "/penilaian/evaluasi/{evaluasi_id}/buka-kunci",
    response={200: EvaluasiOut, **GALAT},
    summary="Buka kunci evaluasi sesudah batas evaluasi (admin kepegawaian, dengan alasan; dicatat)",
)
def evaluasi_buka_kunci(request: HttpRequest, evaluasi_id: Id, payload: AlasanIn) -> dict[str, Any]:
    return _ubah(
        request.user, evaluasi_id, lambda ev: services.unlock_evaluasi(ev, request.user, payload.alasan)
    )


# --- pending evaluations ------------------------------------------------------------------------------


def _tertunda_halaman(rows: list[selectors_tertunda.Tertunda]) -> list[dict[str, Any]]:
    """The page's rows with what is missing."""
    out = []
    for t, k in zip(rows, selectors_tertunda.kekurangan(rows), strict=True):
        ev = t.evaluasi
        base = {
            "skp_id": t.skp.pk,
            "pegawai_id": t.skp.pegawai_id,
            "pegawai_nama": t.skp.pegawai_nama,
            "pegawai_nip": t.skp.pegawai_nip,
            "pegawai_jabatan": t.skp.pegawai_jabatan,
            "periode": _periode_out(t.periode, t.pp),
        }
        if ev is None or k is None:
            out.append(
                {
                    **base,
                    "evaluasi_id": None,
                    "status": "belum_dibuka",
                    "versi": None,
                    "rhk_belum_dinilai": None,
                    "perilaku_belum_dinilai": None,
                    "rhk_tanpa_realisasi": None,
                    "kurang": ["Evaluasi belum dibuka."],
                }
            )
            continue
        out.append(
            {
                **base,
                "evaluasi_id": ev.pk,
                "status": ev.status,
                "versi": ev.versi,
                "rhk_belum_dinilai": k.rhk_belum_dinilai,
                "perilaku_belum_dinilai": k.perilaku_belum_dinilai,
                "rhk_tanpa_realisasi": k.rhk_tanpa_realisasi,
                "kurang": k.kurang,
            }
        )
    return out


@router.get(
    "/penilaian/tertunda",
    response=list[TertundaOut],
    summary="Evaluasi yang masih harus diselesaikan pemanggil sebagai pejabat penilai",
    description="SKP bawahan yang disetujui tanpa evaluasi final, per periode: setiap periode yang sudah "
    "berakhir (atau `periode` yang diminta) dan, setelah periode terakhir tahun itu berakhir, evaluasi "
    "tahunan (`akhir`). Dengan status dan yang masih kurang. Admin kepegawaian: juga SKP tanpa pejabat "
    "penilai (pimpinan instansi).",
)
@paginate(Halaman)
def tertunda(request: HttpRequest, tahun: Tahun = None, periode: KodePeriodeOpsional = None) -> Any:
    instansi = _instansi(request)
    per = _tahun(instansi, tahun)
    return _Halaman(selectors_tertunda.tertunda(request.user, instansi, per, periode), _tertunda_halaman)


# --- rating group -------------------------------------------------------------------------------------


def _kelompok(
    request: HttpRequest,
    penilai_id: int | None,
    tanpa_penilai: bool,
    unit_id: int | None,
    tahun: int | None,
    kode: str | int,
) -> selectors.Kelompok:
    user = request.user
    penilai: Pegawai | None = None
    if penilai_id is not None and not tanpa_penilai:
        penilai = Pegawai.objects.select_related("instansi").filter(pk=penilai_id).first()
        if penilai is None:
            raise HttpError(404, "Pejabat penilai tidak ditemukan.")
        instansi = penilai.instansi
    elif user.pegawai_id and not tanpa_penilai:
        penilai = user.pegawai
        instansi = penilai.instansi
    else:
        instansi = _instansi(request)
    per = _tahun(instansi, tahun)
    per.instansi = instansi
    pp = _periode(per, kode)
    unit = None
    if unit_id is not None:
        unit = UnitKerja.objects.filter(pk=unit_id, instansi=instansi).first()
        if unit is None:
            raise HttpError(404, "Unit kerja tidak ditemukan.")
    try:
        kel = selectors.kelompok(penilai, pp, periode=per, unit=unit)
    except ValidationError:
        kel = None
    if kel is None or not (kel.evaluasi or kel.belum_dibuka):
        raise HttpError(
            404, "Kelompok penilaian tidak ditemukan: pegawai ini tidak menilai siapa pun pada periode ini."
        )
    if not user.has_perm("penilaian.view_kelompok", kel):
        raise HttpError(
            403,
            "Kelompok penilaian ini hanya dapat dilihat oleh pejabat penilainya, atasannya, dan admin "
            "kepegawaian.",
        )
    return kel


def _jumlah(jumlah: dict[Predikat, int]) -> list[dict[str, Any]]:
    return [{"predikat": p, "label": p.label, "jumlah": jumlah.get(p, 0)} for p in Predikat]


def _cek(kel: selectors.Kelompok, cek: distribusi_rules.DistribusiCheck) -> dict[str, Any]:
    pelanggaran = dataclasses.replace(kel, cek=cek).pelanggaran_dengan_nama()
    return {
        "capaian": cek.capaian,
        "n": cek.n,
        "berlaku": cek.applicable,
        "alasan": cek.reason,
        "sesuai": cek.ok,
        "pelanggaran": pelanggaran,
        "peringatan": [
            {"pesan": w.message, "jenis": w.kind.value, "predikat": list(w.predikat), "jumlah": w.actual}
            for w in cek.warnings
        ],
        "rentang": [
            {
                "predikat": list(r.predikat),
                "minimum": r.minimum,
                "maximum": r.maximum,
                "keterangan": r.description,
            }
            for r in cek.ranges
        ],
    }


def _anggota(e: Evaluasi) -> dict[str, Any]:
    predikat = _predikat(e.rating_hasil, e.rating_perilaku)
    return {
        "evaluasi_id": e.pk,
        "pegawai_id": e.pegawai_id,
        "pegawai_nama": e.pegawai_nama,
        "pegawai_nip": e.pegawai_nip,
        "status": e.status,
        "rating_hasil": e.rating_hasil or None,
        "rating_perilaku": e.rating_perilaku or None,
        "predikat": predikat,
        "predikat_label": predikat.label if predikat else "",
        "hasil_diubah_dari_saran": e.hasil_diubah_dari_saran,
        "perilaku_diubah_dari_saran": e.perilaku_diubah_dari_saran,
        "versi": e.versi,
    }


@router.get(
    "/penilaian/kelompok",
    response={200: KelompokOut, **GALAT},
    summary="Kelompok penilaian: predikat anggota dan pemeriksaan pola distribusi",
    description="Kelompok pejabat penilai (`penilai_id`, bawaan: pemanggil; `tanpa_penilai=true`: SKP tanpa "
    "pejabat penilai) untuk satu periode: predikat tiap anggota, SKP yang evaluasinya belum dibuka, jumlah "
    "per predikat, dan pelanggaran/peringatan pola distribusi dengan nama pegawai. Untuk admin kepegawaian, "
    "pejabat penilai itu, dan atasannya.",
)
def kelompok(
    request: HttpRequest,
    periode: KodePeriode,
    penilai_id: IdQueryOpsional = None,
    tanpa_penilai: bool = False,
    unit_id: IdQueryOpsional = None,
    tahun: Tahun = None,
) -> dict[str, Any]:
    kel = _kelompok(request, penilai_id, tanpa_penilai, unit_id, tahun, periode)
    p = kel.penilai
    return {
        "penilai": {"id": p.pk, "nama": p.nama, "nip": p.nip} if p is not None else None,
        "unit": _unit(kel.unit),
        "kelompok": kel.mode,
        "mode_finalisasi": kel.periode.instansi.distribusi_mode,
        "periode": _periode_out(kel.periode, kel.periode_penilaian),
        "capaian": {
            "nilai": kel.capaian.nilai,
            "label": kel.capaian.get_nilai_display(),
            "catatan": kel.capaian.catatan,
        }
        if kel.capaian is not None
        else None,
        "anggota": [_anggota(e) for e in kel.evaluasi],
        "belum_dibuka": [
            {
                "skp_id": s.pk,
                "pegawai_id": s.pegawai_id,
                "pegawai_nama": s.pegawai_nama,
                "pegawai_nip": s.pegawai_nip,
            }
            for s in kel.belum_dibuka
        ],
        "belum_dinilai": [e.pegawai_nama for e in kel.belum_dinilai],
        "jumlah": _jumlah(kel.jumlah),
        "cek": _cek(kel, kel.cek) if kel.cek is not None else None,
        "semua_final": kel.semua_final,
    }


@router.get(
    "/penilaian/kelompok/what-if",
    response={200: WhatIfOut, **GALAT},
    summary="What-if: pemeriksaan pola distribusi kelompok di bawah capaian organisasi lain (tidak disimpan)",
    description="`capaian`: satu capaian organisasi; tanpa nilai: kelima capaian. Dengan nama pegawai yang "
    "akan berada di luar kurva.",
)
def kelompok_what_if(
    request: HttpRequest,
    periode: KodePeriode,
    capaian: CapaianOrganisasi | None = None,
    penilai_id: IdQueryOpsional = None,
    tanpa_penilai: bool = False,
    unit_id: IdQueryOpsional = None,
    tahun: Tahun = None,
) -> dict[str, Any]:
    kel = _kelompok(request, penilai_id, tanpa_penilai, unit_id, tahun, periode)
    pilihan = [CapaianOrganisasi(capaian)] if capaian is not None else list(CapaianOrganisasi)
    return {
        "capaian_sekarang": kel.capaian.nilai if kel.capaian is not None else None,
        "jumlah": _jumlah(kel.jumlah),
        "hasil": [
            {
                "capaian": c,
                "label": c.label,
                "cek": _cek(kel, kel.cek_untuk(c)),
            }
            for c in pilihan
        ],
    }


@router.post(
    "/penilaian/kelompok/finalisasi",
    response={201: FinalisasiOut, **GALAT},
    summary="Finalisasi evaluasi seluruh kelompok untuk satu periode (pejabat penilai atau atasannya)",
    description="Semua anggota harus sudah dinilai dan capaian organisasi ditetapkan. Bila pola distribusi "
    "dilanggar: instansi dengan mode *peringatan* (bawaan) mewajibkan `alasan` (422 pada `alasan`), mode "
    "*blokir* menolak. Evaluasi yang final tidak dapat diubah; hanya admin yang dapat membukanya kembali.",
)
def kelompok_finalisasi(request: HttpRequest, payload: KelompokIn) -> Jawaban[dict[str, Any]]:
    kel = _kelompok(
        request, payload.penilai_id, payload.tanpa_penilai, payload.unit_id, payload.tahun, payload.periode
    )
    with _tulis("body", "payload"):
        fin = services_kelompok.finalise_kelompok(
            kel.penilai, kel.periode, kel.periode_penilaian, request.user, payload.alasan, unit=kel.unit
        )
    return Jawaban(
        201,
        {
            "id": fin.pk,
            "kelompok": fin.kelompok,
            "unit_id": fin.unit_kelompok_id,
            "penilai_id": fin.penilai_id,
            "capaian_organisasi": fin.capaian_organisasi or None,
            "jumlah_pegawai": fin.jumlah_pegawai,
            "pelanggaran": fin.pelanggaran,
            "alasan": fin.alasan,
            "oleh": _nama_user(fin.oleh),
            "pada": fin.pada,
        },
    )
