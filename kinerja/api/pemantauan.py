"""Monitoring-board API: the data of the three pemantauan pages, read-only.

* `GET /pemantauan/penilai`: the pegawai the caller rates, one row each, with the same `saring`/`urut` as
  the page (`/pemantauan/`);
* `GET /pemantauan/unit` and `GET /pemantauan/unit/{unit_id}`: the units the caller may start from, and
  one unit rolled up per child unit with its own pegawai (drill down with a child's `unit.id`); for the
  head of the unit (definitif, PLT or PLH) or anyone above that post (only the pegawai below them), and
  the admin of the instansi (`pelaksanaan.view_papan_unit`);
* `GET /pemantauan/progres`: the admin's progress pengisian per unit (`perencanaan.view_progres`).

Everything comes from `kinerja.pelaksanaan.papan.selectors` (a fixed number of queries whatever the
number of pegawai); the definitions of "terisi", "capaian s.d. periode", "terlambat" are in its docstring.
The periode is of the year running in the caller's instansi (`?periode=N` picks one of its periods,
default: the one running today); an unknown `N` is 404.
"""

import datetime
from decimal import Decimal
from typing import Any, Literal

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema
from ninja.errors import HttpError

from kinerja.api.errors import GalatValidasi, Pesan
from kinerja.api.pelaksanaan import PeriodeOut
from kinerja.api.tipe import Id, IdQueryOpsional
from kinerja.organisasi import selectors as org
from kinerja.organisasi.models import Instansi, PeriodePenilaian, UnitKerja
from kinerja.pelaksanaan import selectors
from kinerja.pelaksanaan.papan import selectors as selectors_papan
from kinerja.pelaksanaan.papan.selectors import BarisPapan, RingkasanUnit
from kinerja.perencanaan import selectors as perencanaan_selectors
from kinerja.permissions import admin_instansi, allowed

router = Router(tags=["pemantauan"])

GALAT: dict[int, Any] = {403: Pesan, 404: Pesan, 422: GalatValidasi}

#: The filters and sorts of the boards (`selectors_papan.SARING` / `URUT`; a test keeps them equal).
Saring = Literal["belum", "terlambat", "bawah"]
Urut = Literal["nama", "capaian", "terakhir"]

#: `?periode=N`: a periode penilaian of the year running in the instansi.
Nomor = Query[
    int | None,
    {"ge": 1, "le": 12, "description": "Nomor periode penilaian tahun berjalan; tanpa nilai: periode kini."},
]


# --- schemas ------------------------------------------------------------------------------------------


class UnitPemantauanOut(Schema):
    id: int
    kode: str
    nama: str
    parent_id: int | None
    depth: int


class PegawaiPapanOut(Schema):
    pegawai_id: int
    nip: str
    nama: str
    jabatan: str
    unit_id: int | None
    skp_id: int | None = Field(description="SKP yang ditampilkan untuk periode ini; null bila belum ada.")
    skp_status: str | None = Field(description="draft, diajukan, dikembalikan, atau disetujui.")
    skp_berlaku: bool = Field(description="SKP sudah (pernah) disetujui: realisasi dapat diisi.")
    jumlah_rhk: int
    rhk_beraksi: int = Field(description="RHK yang sudah memiliki rencana aksi pada periode ini.")
    jumlah_indikator: int
    terisi: int = Field(description="Indikator yang realisasinya sudah diisi untuk periode ini.")
    persen_terisi: int | None
    lengkap: bool = Field(description="Semua indikator sudah diisi realisasinya untuk periode ini.")
    bukti: int = Field(description="Banyaknya bukti dukung pada realisasi periode ini.")
    capaian: Decimal | None = Field(
        description="Capaian s.d. periode ini (%): rata-rata capaian kumulatif indikator numerik."
    )
    jumlah_capaian: int = Field(description="Banyaknya indikator numerik yang dihitung dalam capaian.")
    terakhir_diisi: datetime.datetime | None = Field(description="Perubahan realisasi terakhir tahun ini.")
    umpan_balik_terakhir: datetime.datetime | None = Field(
        description="Umpan balik terakhir pada SKP tahun ini (dari selain pegawai itu sendiri)."
    )
    umpan_balik_periode: int = Field(description="Banyaknya umpan balik pada periode ini.")
    terlambat: bool = Field(description="Ada tunggakan, atau realisasi yang diisi setelah batas.")
    tunggakan: list[str] = Field(
        description="Periode yang batasnya sudah lewat dengan realisasi belum lengkap."
    )
    diisi_terlambat: int = Field(
        description="Realisasi s.d. periode ini yang diisi setelah batas (buka kunci)."
    )
    di_bawah_target: bool = Field(description="Capaian s.d. periode ini di bawah 100%.")


class RingkasanOut(Schema):
    unit: UnitPemantauanOut | None = Field(
        description="Unit kerja; null untuk rekap seluruh pegawai yang dipantau."
    )
    pegawai: int
    skp_disetujui: int
    persen_skp: int | None
    berlaku: int = Field(description="Pegawai yang SKP-nya sudah disetujui (realisasi dapat diisi).")
    indikator: int
    terisi: int
    persen_terisi: int | None
    lengkap: int = Field(description="Pegawai yang seluruh realisasi periode ini sudah diisi.")
    rhk: int
    rhk_beraksi: int
    persen_aksi: int | None
    umpan_balik: int = Field(description="Pegawai yang menerima umpan balik pada periode ini.")
    persen_umpan_balik: int | None
    terlambat: int
    di_bawah_target: int
    capaian: Decimal | None = Field(description="Rata-rata capaian s.d. periode ini para pegawai (%).")


class JumlahSaringOut(Schema):
    belum: int = Field(description="Belum lengkap.")
    terlambat: int
    bawah: int = Field(description="Di bawah target.")


class PapanPenilaiOut(Schema):
    periode: PeriodeOut
    saring: Saring | None
    urut: Urut
    ringkasan: RingkasanOut = Field(description="Rekap seluruh bawahan (sebelum disaring).")
    jumlah_saring: JumlahSaringOut = Field(description="Banyaknya bawahan untuk tiap saringan.")
    pegawai: list[PegawaiPapanOut] = Field(description="Bawahan yang dinilai, disaring dan diurutkan.")


class PapanUnitOut(Schema):
    unit: UnitPemantauanOut
    periode: PeriodeOut
    urut: Urut
    jalur: list[UnitPemantauanOut] = Field(
        description="Unit di atasnya yang dapat dibuka pemanggil, dari yang teratas."
    )
    total: RingkasanOut = Field(description="Rekap seluruh pegawai unit ini dan unit di bawahnya.")
    langsung: RingkasanOut = Field(description="Rekap pegawai yang jabatannya langsung di unit ini.")
    sub_unit: list[RingkasanOut] = Field(
        description="Unit anak, masing-masing rekap seluruh pohonnya (buka dengan `unit.id`)."
    )
    pegawai: list[PegawaiPapanOut] = Field(description="Pegawai yang jabatannya langsung di unit ini.")


class ProgresOut(Schema):
    instansi_id: int
    periode: PeriodeOut
    total: RingkasanOut = Field(description="Seluruh instansi.")
    unit: list[RingkasanOut] = Field(description="Setiap unit kerja (urut pohon), hanya pegawainya sendiri.")


# --- helpers ------------------------------------------------------------------------------------------


def _periode(instansi: Instansi, nomor: int | None) -> tuple[Any, PeriodePenilaian, list[PeriodePenilaian]]:
    """(periode of the year, the periode penilaian asked or running, all of the year), as the pages."""
    periode = perencanaan_selectors.periode_berjalan(instansi)
    daftar = selectors.periode_list(periode) if periode is not None else []
    if periode is None or not daftar:
        raise HttpError(404, "Periode penilaian tahun ini belum dibuat.")
    if nomor is None:
        return periode, selectors.periode_bawaan(daftar), daftar
    pp = next((p for p in daftar if p.nomor == nomor), None)
    if pp is None:
        raise HttpError(404, f"Periode ke-{nomor} tidak ada pada tahun {periode.tahun}.")
    return periode, pp, daftar


def _unit(u: UnitKerja) -> dict[str, Any]:
    return {"id": u.pk, "kode": u.kode, "nama": u.nama, "parent_id": u.parent_id, "depth": u.depth}


def _baris(r: BarisPapan) -> dict[str, Any]:
    return {
        "pegawai_id": r.pegawai.pk,
        "nip": r.pegawai.nip,
        "nama": r.pegawai.nama_lengkap,
        "jabatan": r.jabatan,
        "unit_id": r.unit_id,
        "skp_id": r.skp.pk if r.skp else None,
        "skp_status": r.skp.status if r.skp else None,
        "skp_berlaku": r.berlaku,
        "jumlah_rhk": r.jumlah_rhk,
        "rhk_beraksi": r.rhk_beraksi,
        "jumlah_indikator": r.jumlah_indikator,
        "terisi": r.terisi,
        "persen_terisi": r.persen_terisi,
        "lengkap": r.lengkap,
        "bukti": r.bukti,
        "capaian": r.capaian,
        "jumlah_capaian": r.jumlah_capaian,
        "terakhir_diisi": r.terakhir_diisi,
        "umpan_balik_terakhir": r.umpan_balik_terakhir,
        "umpan_balik_periode": r.umpan_balik_periode,
        "terlambat": r.terlambat,
        "tunggakan": r.tunggakan,
        "diisi_terlambat": r.diisi_terlambat,
        "di_bawah_target": r.di_bawah_target,
    }


def _ringkasan(s: RingkasanUnit) -> dict[str, Any]:
    return {
        "unit": _unit(s.unit) if s.unit is not None else None,
        "pegawai": s.pegawai,
        "skp_disetujui": s.skp_disetujui,
        "persen_skp": s.persen_skp,
        "berlaku": s.berlaku,
        "indikator": s.indikator,
        "terisi": s.terisi,
        "persen_terisi": s.persen_terisi,
        "lengkap": s.lengkap,
        "rhk": s.rhk,
        "rhk_beraksi": s.beraksi,
        "persen_aksi": s.persen_aksi,
        "umpan_balik": s.umpan_balik,
        "persen_umpan_balik": s.persen_umpan_balik,
        "terlambat": s.terlambat,
        "di_bawah_target": s.di_bawah_target,
        "capaian": s.capaian,
    }


# --- penilai board ------------------------------------------------------------------------------------


@router.get(
    "/pemantauan/penilai",
    response={200: PapanPenilaiOut, **GALAT},
    summary="Papan pemantauan pejabat penilai: bawahan yang dinilai pada satu periode",
    description="Rencana aksi, realisasi terisi, bukti dukung, capaian s.d. periode, umpan balik terakhir, "
    "dan tanda terlambat per bawahan. `saring`: belum (belum lengkap), terlambat, bawah (di bawah "
    "target); `urut`: nama, capaian (terendah dahulu), terakhir (terakhir diisi, terbaru dahulu). Untuk "
    "akun yang terhubung dengan pegawai (tanpa bawahan: daftar kosong); admin kepegawaian memakai "
    "`/pemantauan/progres`.",
)
def papan_penilai(
    request: HttpRequest,
    periode: Nomor = None,
    saring: Saring | None = None,
    urut: Urut = "nama",
) -> dict[str, Any]:
    user = request.user
    if not user.pegawai_id:
        raise HttpError(
            403, "Papan ini untuk pejabat penilai; admin kepegawaian memakai /pemantauan/progres."
        )
    pegawai = user.pegawai
    per, pp, daftar = _periode(pegawai.instansi, periode)
    semua = selectors_papan.papan_penilai(pegawai, per, pp, daftar)
    ringkasan = RingkasanUnit(None)
    for r in semua:
        ringkasan.tambah(r)
    return {
        "periode": pp,
        "saring": saring,
        "urut": urut,
        "ringkasan": _ringkasan(ringkasan),
        "jumlah_saring": {k: sum(1 for r in semua if f(r)) for k, (_, f) in selectors_papan.SARING.items()},
        "pegawai": [_baris(r) for r in selectors_papan.filter_and_sort(semua, saring or "", urut)],
    }


# --- unit board ---------------------------------------------------------------------------------------


@router.get(
    "/pemantauan/unit",
    response={200: list[UnitPemantauanOut], **GALAT},
    summary="Unit kerja yang dapat dipantau pemanggil sebagai titik awal",
    description="Unit yang dipimpin pemanggil (definitif, PLT, atau PLH), yang teratas dahulu; bagi admin "
    "kepegawaian juga unit teratas instansinya. Kosong bila tidak ada.",
)
def unit_awal(request: HttpRequest) -> list[dict[str, Any]]:
    user = request.user
    units = selectors_papan.unit_teratas(user.pegawai) if user.pegawai_id else []
    if allowed(user, "organisasi.view_org"):
        instansi = admin_instansi(request)
        units += list(UnitKerja.objects.filter(instansi=instansi, parent=None).order_by("path"))
    unik = {u.pk: u for u in units}  # a head who is also the admin: once each, in order
    return [_unit(u) for u in unik.values()]


@router.get(
    "/pemantauan/unit/{unit_id}",
    response={200: PapanUnitOut, **GALAT},
    summary="Papan pemantauan unit kerja: rekap per unit anak dan pegawai unit itu",
    description="Untuk pimpinan unit (definitif, PLT, atau PLH) atau pejabat di atasnya — hanya pegawai di "
    "bawahnya — dan admin kepegawaian instansi. `urut` seperti papan penilai.",
)
def papan_unit(
    request: HttpRequest, unit_id: Id, periode: Nomor = None, urut: Urut = "nama"
) -> dict[str, Any]:
    unit = UnitKerja.objects.select_related("instansi").filter(pk=unit_id).first()
    if unit is None:
        raise HttpError(404, "Unit kerja tidak ditemukan.")
    user = request.user
    if not user.has_perm("pelaksanaan.view_papan_unit", unit):
        raise HttpError(403, "Anda tidak berhak memantau unit kerja ini.")
    admin = user.has_perm("organisasi.manage_instansi", unit.instansi)
    lingkup = None if admin else org.bawahan_semua_qs(user.pegawai)
    per, pp, daftar = _periode(unit.instansi, periode)
    data = selectors_papan.papan_unit(unit, per, pp, daftar, lingkup)
    if not admin:  # the path starts at the highest unit the caller heads, as on the page
        atas = [u.path for u in selectors_papan.unit_teratas(user.pegawai)]
        data.jalur = [u for u in data.jalur if any(u.path.startswith(p) for p in atas)]
    return {
        "unit": _unit(unit),
        "periode": pp,
        "urut": urut,
        "jalur": [_unit(u) for u in data.jalur],
        "total": _ringkasan(data.total),
        "langsung": _ringkasan(data.langsung),
        "sub_unit": [_ringkasan(s) for s in data.sub_unit],
        "pegawai": [_baris(r) for r in selectors_papan.filter_and_sort(data.pegawai, "", urut)],
    }


# --- admin progress -----------------------------------------------------------------------------------


@router.get(
    "/pemantauan/progres",
    response={200: ProgresOut, **GALAT},
    summary="Progres pengisian per unit kerja (admin kepegawaian)",
    description="SKP disetujui, realisasi terisi, rencana aksi, dan umpan balik per unit untuk satu periode. "
    "`instansi_id` hanya diperlukan superuser.",
)
def progres(
    request: HttpRequest, periode: Nomor = None, instansi_id: IdQueryOpsional = None
) -> dict[str, Any]:
    if instansi_id is None:
        instansi = admin_instansi(request)
    else:
        instansi = Instansi.objects.filter(pk=instansi_id).first()
        if instansi is None:
            raise HttpError(404, "Instansi tidak ditemukan.")
    if not request.user.has_perm("perencanaan.view_progres", instansi):
        raise HttpError(403, "Progres pengisian hanya untuk admin kepegawaian instansi ini.")
    per, pp, daftar = _periode(instansi, periode)
    data = selectors_papan.progres_pengisian(instansi, per, pp, daftar)
    return {
        "instansi_id": instansi.pk,
        "periode": pp,
        "total": _ringkasan(data.total),
        "unit": [_ringkasan(s) for s in data.baris],
    }
