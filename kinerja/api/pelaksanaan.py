"""Carrying-out API: rencana aksi and realisasi of an SKP per periode, bukti dukung (file upload
and link), umpan balik threads.

The same rules as the pages: reading asks `perencanaan.view_skp` (owner, penilai chain, admin of the
instansi; anyone else 403, a missing object 404); every write goes through `kinerja.pelaksanaan` services,
whose permission checks (only the owner enters realisasi; only the penilai side starts feedback), entry
locks and Indonesian messages reach the client unchanged (403 / 422, see `kinerja.api.errors`). A save
based on a stale `versi` (optimistic locking) is answered 409 with the conflict message; nothing is
overwritten.
"""

import datetime
from decimal import Decimal
from functools import partial
from typing import Any, Literal

from django.http import HttpRequest
from django.urls import reverse
from ninja import Field, File, Form, Router, Schema
from ninja.errors import HttpError
from ninja.files import UploadedFile
from ninja.responses import Status as Jawaban

from kinerja.api.errors import GalatValidasi, Pesan, di, terlihat
from kinerja.api.tipe import Id, IdIsian, NomorPeriode
from kinerja.organisasi.models import PeriodePenilaian, User
from kinerja.pelaksanaan import selectors, services
from kinerja.pelaksanaan.bukti import services as services_bukti
from kinerja.pelaksanaan.models import BuktiDukung, Realisasi, RencanaAksi, UmpanBalik
from kinerja.pelaksanaan.umpan_balik import selectors as sel_ub
from kinerja.pelaksanaan.umpan_balik import services as services_umpan_balik
from kinerja.perencanaan.models import Indikator, Rhk, Skp
from kinerja.permissions import allowed, is_pemilik

router = Router(tags=["pelaksanaan"])

ANGKA = {"max_digits": 18, "decimal_places": 4}
GALAT: dict[int, Any] = {403: Pesan, 404: Pesan, 409: Pesan, 422: GalatValidasi}


# --- schemas ------------------------------------------------------------------------------------------


class PeriodeOut(Schema):
    id: int
    nomor: int
    nama: str
    mulai: datetime.date
    selesai: datetime.date
    batas_realisasi: datetime.date


class RencanaAksiOut(Schema):
    id: int
    rhk_id: int
    periode_nomor: int
    urutan: int
    teks: str
    versi: int = Field(description="Kirim kembali saat mengubah/menghapus (penguncian optimistis).")


class BuktiOut(Schema):
    id: int
    jenis: Literal["berkas", "tautan"]
    nama_berkas: str
    tipe: str
    ukuran: int
    tautan: str
    unduh: str = Field(description="Alamat unduhan berkas (kosong untuk tautan); butuh sesi atau token.")
    keterangan: str
    diunggah_pada: datetime.datetime


class RealisasiOut(Schema):
    id: int
    indikator_id: int
    periode_nomor: int
    nilai_angka: Decimal | None
    nilai_teks: str
    narasi: str
    versi: int = Field(description="Kirim kembali saat mengubah (penguncian optimistis).")
    terlambat: bool = Field(description="Diisi setelah batas, dengan buka kunci dari admin.")
    diubah_pada: datetime.datetime
    bukti: list[BuktiOut]


class IndikatorPelaksanaanOut(Schema):
    id: int
    teks: str
    satuan: str
    numerik: bool = Field(description="true: realisasi berupa angka (nilai_angka); false: teks (nilai_teks).")
    target: str = Field(description="Target periode ini, siap tampil.")
    realisasi: RealisasiOut | None
    capaian: Decimal | None = Field(description="Capaian periode ini (%), bila numerik dan sudah diisi.")
    capaian_kumulatif: Decimal | None = Field(description="Capaian s.d. periode ini (%), bila numerik.")


class RhkPelaksanaanOut(Schema):
    id: int
    nomor: str
    teks: str
    rencana_aksi: list[RencanaAksiOut]
    indikator: list[IndikatorPelaksanaanOut]


class PelaksanaanOut(Schema):
    skp_id: int
    periode: PeriodeOut
    dapat_diisi: bool = Field(description="Realisasi periode ini dapat diisi pemilik SKP sekarang.")
    alasan: str = Field(description="Keterangan status pengisian (batas, buka kunci).")
    dapat_diisi_rencana_aksi: bool
    jumlah_indikator: int
    jumlah_terisi: int
    rhk: list[RhkPelaksanaanOut]


class RencanaAksiIn(Schema):
    periode: int = Field(ge=1, le=12, description="Nomor periode penilaian tahun SKP (1..n).")
    teks: str = Field(max_length=2000)


class RencanaAksiUbahIn(Schema):
    teks: str = Field(max_length=2000)
    versi: int = Field(ge=1, description="Versi yang dibaca; versi usang ditolak (409).")


class RealisasiIn(Schema):
    nilai_angka: Decimal | None = Field(None, **ANGKA, description="Untuk indikator numerik.")
    nilai_teks: str = Field("", max_length=4000, description="Untuk indikator kualitatif.")
    narasi: str = Field("", max_length=4000)
    versi: int = Field(
        ge=0, description="Versi yang dibaca (0 bila realisasi belum ada); versi usang ditolak (409)."
    )


class TautanIn(Schema):
    tautan: str = Field(max_length=2000)
    keterangan: str = Field("", max_length=1000)


class PesanUmpanBalikOut(Schema):
    id: int
    oleh_nama: str
    dari_pemilik: bool
    teks: str
    pada: datetime.datetime


class UtasOut(Schema):
    id: int
    item: str = Field(description="rhk:<id>, realisasi:<id>, atau perilaku:<kode>.")
    rhk_id: int | None
    realisasi_id: int | None
    perilaku_kode: str
    periode_nomor: int | None
    pesan: list[PesanUmpanBalikOut] = Field(description="Pesan pembuka lalu balasannya, urut waktu.")


class FrasaOut(Schema):
    id: int
    nada: str
    teks: str


class UmpanBalikSkpOut(Schema):
    skp_id: int
    dapat_memberi: bool = Field(description="Pemanggil boleh memulai utas (pejabat penilai / atasannya).")
    dapat_membalas: bool
    pustaka: list[FrasaOut] = Field(description="Frasa pustaka yang dapat dipakai (frasa_ids).")
    utas: list[UtasOut]


class UmpanBalikIn(Schema):
    item: str = Field(max_length=40, description="rhk:<id>, realisasi:<id>, atau perilaku:<kode>.")
    teks: str = Field("", max_length=4000)
    frasa_ids: list[IdIsian] = Field(default_factory=list, max_length=20)
    periode: int | None = Field(None, ge=1, le=12, description="Nomor periode (untuk RHK/perilaku).")


class BalasIn(Schema):
    teks: str = Field(max_length=4000)


# --- helpers ------------------------------------------------------------------------------------------


def _skp(user: User, skp_id: int) -> Skp:
    return terlihat(
        Skp.objects.select_related("periode", "pegawai", "instansi").filter(pk=skp_id).first(),
        user,
        "perencanaan.view_skp",
        "SKP tidak ditemukan.",
        "Anda tidak berhak melihat pelaksanaan SKP ini.",
    )


def _periode(skp: Skp, nomor: int | None) -> tuple[PeriodePenilaian, list[PeriodePenilaian]]:
    daftar = selectors.periode_list(skp.periode)
    if not daftar:
        raise HttpError(404, "Periode penilaian tahun ini belum dibuat.")
    if nomor is None:
        return selectors.periode_bawaan(daftar), daftar
    periode = next((p for p in daftar if p.nomor == nomor), None)
    if periode is None:
        raise HttpError(404, f"Periode ke-{nomor} tidak ada pada tahun {skp.periode.tahun}.")
    return periode, daftar


#: A save with a version: a stale one is 409, any other refusal 422 located at the given place.
_versi = partial(di, konflik=True)


def _angka(value: Decimal | None) -> Decimal | None:
    return None if value is None else Decimal(f"{value.normalize():f}")


def _bukti(b: BuktiDukung) -> dict[str, Any]:
    return {
        "id": b.pk,
        "jenis": b.jenis,
        "nama_berkas": b.nama_berkas,
        "tipe": b.tipe,
        "ukuran": b.ukuran,
        "tautan": b.tautan,
        "unduh": reverse("pelaksanaan:bukti_unduh", args=[b.pk])
        if b.jenis == BuktiDukung.Jenis.BERKAS
        else "",
        "keterangan": b.keterangan,
        "diunggah_pada": b.diunggah_pada,
    }


def _realisasi(r: Realisasi, nomor: int, bukti: list[BuktiDukung]) -> dict[str, Any]:
    return {
        "id": r.pk,
        "indikator_id": r.indikator_id,
        "periode_nomor": nomor,
        "nilai_angka": _angka(r.nilai_angka),
        "nilai_teks": r.nilai_teks,
        "narasi": r.narasi,
        "versi": r.versi,
        "terlambat": r.terlambat,
        "diubah_pada": r.diubah_pada,
        "bukti": [_bukti(b) for b in bukti],
    }


def _aksi(a: RencanaAksi, nomor: int) -> dict[str, Any]:
    return {
        "id": a.pk,
        "rhk_id": a.rhk_id,
        "periode_nomor": nomor,
        "urutan": a.urutan,
        "teks": a.teks,
        "versi": a.versi,
    }


def _realisasi_terlihat(user: User, realisasi_id: int) -> Realisasi:
    return terlihat(
        Realisasi.objects.select_related(
            "periode_penilaian", "indikator__rhk__skp__instansi", "indikator__rhk__skp__periode"
        )
        .filter(pk=realisasi_id)
        .first(),
        user,
        "perencanaan.view_skp",
        "Realisasi tidak ditemukan.",
        "Anda tidak berhak melihat realisasi ini.",
        lambda r: r.indikator.rhk.skp,
    )


# --- rencana aksi and realisasi -----------------------------------------------------------------------


@router.get(
    "/skp/{skp_id}/pelaksanaan",
    response={200: PelaksanaanOut, **GALAT},
    summary="Rencana aksi, realisasi, capaian, dan bukti dukung SKP pada satu periode",
    description="Tanpa `periode`: periode yang sedang berjalan. Untuk pemilik SKP, pejabat penilai dan "
    "atasannya, atasan di pohon jabatan, serta admin kepegawaian instansi.",
)
def pelaksanaan(request: HttpRequest, skp_id: Id, periode: int | None = None) -> dict[str, Any]:
    skp = _skp(request.user, skp_id)
    pp, daftar = _periode(skp, periode)
    h = selectors.halaman_realisasi(skp, pp, daftar)
    ids = [b.realisasi.pk for r in h.rhk for b in r.indikator if b.realisasi is not None]
    bukti: dict[int, list[BuktiDukung]] = {}
    for b in BuktiDukung.objects.filter(realisasi_id__in=ids).order_by("pk"):
        bukti.setdefault(b.realisasi_id, []).append(b)
    return {
        "skp_id": skp.pk,
        "periode": pp,
        "dapat_diisi": h.status.boleh,
        "alasan": h.status.alasan,
        "dapat_diisi_rencana_aksi": h.status_rencana.boleh,
        "jumlah_indikator": h.jumlah_indikator,
        "jumlah_terisi": h.jumlah_terisi,
        "rhk": [
            {
                "id": r.rhk.pk,
                "nomor": r.nomor,
                "teks": r.rhk.teks,
                "rencana_aksi": [_aksi(a, pp.nomor) for a in r.rencana_aksi],
                "indikator": [
                    {
                        "id": b.indikator.pk,
                        "teks": b.indikator.teks,
                        "satuan": b.indikator.satuan,
                        "numerik": b.numerik,
                        "target": b.target,
                        "realisasi": _realisasi(b.realisasi, pp.nomor, bukti.get(b.realisasi.pk, []))
                        if b.realisasi
                        else None,
                        "capaian": b.capaian,
                        "capaian_kumulatif": b.kumulatif.capaian if b.kumulatif else None,
                    }
                    for b in r.indikator
                ],
            }
            for r in h.rhk
        ],
    }


@router.post(
    "/skp/{skp_id}/rhk/{rhk_id}/rencana-aksi",
    response={201: RencanaAksiOut, **GALAT},
    summary="Tambah rencana aksi pada RHK untuk satu periode (pemilik SKP)",
)
def rencana_aksi_tambah(
    request: HttpRequest, skp_id: Id, rhk_id: Id, payload: RencanaAksiIn
) -> Jawaban[dict[str, Any]]:
    skp = _skp(request.user, skp_id)
    rhk = Rhk.objects.filter(pk=rhk_id, skp=skp).first()
    if rhk is None:
        raise HttpError(404, "RHK tidak ditemukan pada SKP ini.")
    rhk.skp = skp
    pp, _ = _periode(skp, payload.periode)
    with di("body", "payload"):
        aksi = services.save_rencana_aksi(rhk, pp, request.user, payload.teks)
    return Jawaban(201, _aksi(aksi, pp.nomor))


def _aksi_terlihat(user: User, pk: int) -> RencanaAksi:
    return terlihat(
        RencanaAksi.objects.select_related("periode_penilaian", "rhk__skp__periode", "rhk__skp__pegawai")
        .filter(pk=pk)
        .first(),
        user,
        "perencanaan.view_skp",
        "Rencana aksi tidak ditemukan.",
        "Anda tidak berhak melihat rencana aksi ini.",
        lambda aksi: aksi.rhk.skp,
    )


@router.put(
    "/rencana-aksi/{aksi_id}",
    response={200: RencanaAksiOut, **GALAT},
    summary="Ubah rencana aksi (pemilik SKP; versi usang → 409)",
)
def rencana_aksi_ubah(request: HttpRequest, aksi_id: Id, payload: RencanaAksiUbahIn) -> dict[str, Any]:
    aksi = _aksi_terlihat(request.user, aksi_id)
    with _versi("body", "payload"):
        aksi = services.save_rencana_aksi(
            aksi.rhk, aksi.periode_penilaian, request.user, payload.teks, aksi=aksi, versi=payload.versi
        )
    return _aksi(aksi, aksi.periode_penilaian.nomor)


@router.delete(
    "/rencana-aksi/{aksi_id}",
    response={204: None, **GALAT},
    summary="Hapus rencana aksi (pemilik SKP; versi usang → 409)",
)
def rencana_aksi_hapus(request: HttpRequest, aksi_id: Id, versi: int) -> Jawaban[None]:
    aksi = _aksi_terlihat(request.user, aksi_id)
    with _versi("query", "versi"):
        services.delete_rencana_aksi(aksi, request.user, versi=versi)
    return Jawaban(204, None)


@router.put(
    "/skp/{skp_id}/indikator/{indikator_id}/realisasi/{periode}",
    response={200: RealisasiOut, **GALAT},
    summary="Isi atau ubah realisasi satu indikator pada satu periode (pemilik SKP)",
    description="`versi`: 0 bila realisasi belum ada, selain itu versi yang dibaca. Bila realisasi sudah "
    "diubah di tempat lain, jawabannya 409 dan tidak ada yang tertimpa. Setelah batas pengisian hanya "
    "dapat diisi bila admin kepegawaian membuka kunci (422 dengan alasannya).",
)
def realisasi_simpan(
    request: HttpRequest, skp_id: Id, indikator_id: Id, periode: NomorPeriode, payload: RealisasiIn
) -> dict[str, Any]:
    skp = _skp(request.user, skp_id)
    indikator = Indikator.objects.select_related("rhk").filter(pk=indikator_id, rhk__skp=skp).first()
    if indikator is None:
        raise HttpError(404, "Indikator tidak ditemukan pada SKP ini.")
    indikator.rhk.skp = skp
    pp, _ = _periode(skp, periode)
    with _versi("body", "payload"):
        r = services.save_realisasi(
            indikator,
            pp,
            request.user,
            nilai_angka=payload.nilai_angka,
            nilai_teks=payload.nilai_teks,
            narasi=payload.narasi,
            versi=payload.versi,
        )
    return _realisasi(r, pp.nomor, list(r.bukti.order_by("pk")))


@router.get(
    "/realisasi/{realisasi_id}",
    response={200: RealisasiOut, **GALAT},
    summary="Satu realisasi dengan bukti dukungnya",
)
def realisasi_detail(request: HttpRequest, realisasi_id: Id) -> dict[str, Any]:
    r = _realisasi_terlihat(request.user, realisasi_id)
    return _realisasi(r, r.periode_penilaian.nomor, list(r.bukti.order_by("pk")))


# --- bukti dukung -------------------------------------------------------------------------------------


@router.post(
    "/realisasi/{realisasi_id}/bukti/berkas",
    response={201: BuktiOut, **GALAT},
    summary="Unggah berkas bukti dukung (multipart/form-data; pemilik SKP)",
    description="Berkas PDF, PNG, JPEG, DOCX, XLSX, PPTX, atau ODT; jenis diperiksa dari isinya; ukuran "
    "paling besar sesuai pengaturan instansi (bawaan 10 MB). Penolakan: 422 dengan alasannya.",
)
def bukti_berkas(
    request: HttpRequest,
    realisasi_id: Id,
    berkas: File[UploadedFile],
    keterangan: Form[str] = "",
) -> Jawaban[dict[str, Any]]:
    r = _realisasi_terlihat(request.user, realisasi_id)
    with di("body", "berkas"):
        b = services_bukti.add_bukti_berkas(
            r, request.user, berkas, berkas.name or "", berkas.size or 0, keterangan
        )
    return Jawaban(201, _bukti(b))


@router.post(
    "/realisasi/{realisasi_id}/bukti/tautan",
    response={201: BuktiOut, **GALAT},
    summary="Tambah tautan (http/https) sebagai bukti dukung (pemilik SKP)",
)
def bukti_tautan(request: HttpRequest, realisasi_id: Id, payload: TautanIn) -> Jawaban[dict[str, Any]]:
    r = _realisasi_terlihat(request.user, realisasi_id)
    with di("body", "payload", "tautan"):
        b = services_bukti.add_bukti_tautan(r, request.user, payload.tautan, payload.keterangan)
    return Jawaban(201, _bukti(b))


@router.delete("/bukti/{bukti_id}", response={204: None, **GALAT}, summary="Hapus bukti dukung (pemilik SKP)")
def bukti_hapus(request: HttpRequest, bukti_id: Id) -> Jawaban[None]:
    b = BuktiDukung.objects.select_related("realisasi__periode_penilaian").filter(pk=bukti_id).first()
    if b is None:
        raise HttpError(404, "Bukti dukung tidak ditemukan.")
    _realisasi_terlihat(request.user, b.realisasi_id)
    services_bukti.delete_bukti(b, request.user)
    return Jawaban(204, None)


# --- umpan balik --------------------------------------------------------------------------------------


def _item(u: UmpanBalik) -> str:
    if u.realisasi_id:
        return f"realisasi:{u.realisasi_id}"
    if u.rhk_id:
        return f"rhk:{u.rhk_id}"
    return f"perilaku:{u.perilaku_kode}"


def _utas(u: UmpanBalik) -> dict[str, Any]:
    return {
        "id": u.pk,
        "item": _item(u),
        "rhk_id": u.rhk_id,
        "realisasi_id": u.realisasi_id,
        "perilaku_kode": u.perilaku_kode,
        "periode_nomor": u.periode_penilaian.nomor if u.periode_penilaian_id else None,
        "pesan": [
            {
                "id": m.pk,
                "oleh_nama": m.nama_oleh,
                "dari_pemilik": m.dari_pemilik,
                "teks": m.teks,
                "pada": m.pada,
            }
            for m in u.pesan
        ],
    }


def _utas_satu(user: User, pk: int) -> dict[str, Any]:
    u = sel_ub.utas_qs().get(pk=pk)
    sel_ub.prepare_utas([u], user)
    return _utas(u)


@router.get(
    "/skp/{skp_id}/umpan-balik",
    response={200: UmpanBalikSkpOut, **GALAT},
    summary="Utas umpan balik SKP (dengan balasannya) dan pustaka frasa",
)
def umpan_balik_daftar(request: HttpRequest, skp_id: Id) -> dict[str, Any]:
    skp = _skp(request.user, skp_id)
    utas = list(sel_ub.utas_qs().filter(skp=skp))
    sel_ub.prepare_utas(utas, request.user)
    pemberi = allowed(request.user, "pelaksanaan.give_umpan_balik", skp)
    return {
        "skp_id": skp.pk,
        "dapat_memberi": pemberi,
        "dapat_membalas": pemberi or is_pemilik(request.user, skp),
        "pustaka": [
            {"id": p.pk, "nada": p.nada, "teks": p.teks} for p in services_umpan_balik.pustaka_untuk(skp)
        ]
        if pemberi
        else [],
        "utas": [_utas(u) for u in utas],
    }


@router.post(
    "/skp/{skp_id}/umpan-balik",
    response={201: UtasOut, **GALAT},
    summary="Beri umpan balik (pejabat penilai / atasan penilai): teks bebas dan/atau frasa pustaka",
)
def umpan_balik_kirim(request: HttpRequest, skp_id: Id, payload: UmpanBalikIn) -> Jawaban[dict[str, Any]]:
    skp = _skp(request.user, skp_id)
    periode_id = None
    if payload.periode is not None:
        periode_id = _periode(skp, payload.periode)[0].pk
    with di("body", "payload"):
        ub = services_umpan_balik.give_umpan_balik(
            skp,
            request.user,
            item=payload.item,
            teks=payload.teks,
            frasa_ids=payload.frasa_ids,
            periode_id=periode_id,
        )
    return Jawaban(201, _utas_satu(request.user, ub.pk))


@router.post(
    "/umpan-balik/{utas_id}/balas",
    response={201: UtasOut, **GALAT},
    summary="Balas utas umpan balik (pemilik SKP, pejabat penilai, atasan penilai)",
)
def umpan_balik_balas(request: HttpRequest, utas_id: Id, payload: BalasIn) -> Jawaban[dict[str, Any]]:
    induk = terlihat(
        UmpanBalik.objects.select_related("skp", "induk").filter(pk=utas_id).first(),
        request.user,
        "perencanaan.view_skp",
        "Umpan balik tidak ditemukan.",
        "Anda tidak berhak melihat umpan balik ini.",
        lambda ub: ub.skp,
    )
    with di("body", "payload", "teks"):
        balasan = services_umpan_balik.reply_umpan_balik(induk, request.user, payload.teks)
    return Jawaban(201, _utas_satu(request.user, balasan.induk_id or balasan.pk))
