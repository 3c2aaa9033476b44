"""Catatan kegiatan API: the daily activity log of an SKP (paginated list filtered by dates
or ISO week, the week with its per-day totals), adding, changing and deleting one's own catatan, its
evidence file (multipart upload, download, removal), and the realisasi suggested from the logged output.

The same rules as the pages (`kinerja.pelaksanaan.catatan.views`): reading asks `perencanaan.view_skp`
(owner, penilai chain, admin of the instansi; anyone else 403, a missing object 404); every write goes
through `kinerja.pelaksanaan.catatan.services`, whose checks reach the client unchanged: only the owner
writes (403), the SKP and periode are found from the date, and a date whose periode is closed for
realisasi is refused (422 at `tanggal`). Catatan carry no version, so there is no optimistic locking: the
last save wins, as on the pages.
"""

import datetime
import uuid
from collections import defaultdict
from decimal import Decimal
from functools import partial
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils import timezone
from ninja import Field, File, Query, Router, Schema
from ninja.errors import HttpError
from ninja.files import UploadedFile
from ninja.pagination import paginate
from ninja.responses import Status as Jawaban
from pydantic import field_validator

from kinerja.api.errors import GalatValidasi, KesalahanValidasi, Pesan, di, galat, terlihat
from kinerja.api.pagination import Halaman
from kinerja.api.pelaksanaan import ANGKA, _angka, _periode, _skp
from kinerja.api.perencanaan import _Dipetakan
from kinerja.api.tipe import Id, IdIsian, JamOpsional, Tanggal, TanggalOpsional
from kinerja.organisasi.models import User
from kinerja.pelaksanaan.catatan import selectors as sel
from kinerja.pelaksanaan.catatan import services as svc
from kinerja.pelaksanaan.catatan import views as views_catatan
from kinerja.pelaksanaan.models import CatatanKegiatan

router = Router(tags=["catatan kegiatan"])

GALAT: dict[int, Any] = {403: Pesan, 404: Pesan, 422: GalatValidasi}

#: The services' field names that the API exposes under another name.
NAMA_FIELD = {"rencana_aksi": "rencana_aksi_id", "indikator": "indikator_id", "durasi_jam": "durasi_menit"}


# --- schemas ------------------------------------------------------------------------------------------


class CatatanOut(Schema):
    id: int
    skp_id: int = Field(description="SKP yang berlaku pada tanggal kegiatan (ditentukan dari tanggal).")
    pegawai_id: int
    tanggal: datetime.date
    jam_mulai: datetime.time | None
    jam_selesai: datetime.time | None
    durasi_menit: int = Field(
        description="Lama kegiatan (menit): dari jam mulai s.d. selesai, atau yang diisi (0 bila tidak ada)."
    )
    kegiatan: str
    jumlah_output: Decimal | None
    satuan_output: str
    rencana_aksi_id: int | None
    indikator_id: int | None = Field(
        description="Indikator yang dihitung dari output ini: dipilih langsung, atau dari rencana aksi "
        "bila indikator RHK-nya dapat ditentukan (satu-satunya indikator numerik atau satuannya sama)."
    )
    tautan: str = Field(description="Tautan bukti (http/https), kosong bila tidak ada.")
    nama_berkas: str = Field(description="Nama berkas bukti, kosong bila tidak ada.")
    unduh: str = Field(
        description="Alamat unduhan berkas bukti (kosong bila tidak ada); butuh sesi atau token."
    )
    dibuat_pada: datetime.datetime


class CatatanIn(Schema):
    tanggal: Tanggal = Field(description="Tanggal kegiatan; tidak boleh setelah hari ini.")
    kegiatan: str = Field(max_length=svc.PANJANG_KEGIATAN, description="Uraian kegiatan yang dilakukan.")
    jam_mulai: JamOpsional = Field(None, description="Jam mulai (jj:mm), waktu setempat.")
    jam_selesai: JamOpsional = Field(None, description="Jam selesai (jj:mm); butuh jam mulai.")
    jumlah_output: Decimal | None = Field(None, **ANGKA, description="Jumlah output (tidak negatif).")
    satuan_output: str = Field("", max_length=40, description="Satuan output, mis. dokumen.")
    rencana_aksi_id: IdIsian | None = Field(
        None, description="Rencana aksi SKP yang berlaku pada tanggal itu, untuk periode tanggal itu."
    )
    indikator_id: IdIsian | None = Field(
        None,
        description="Indikator SKP yang berlaku (langsung ke indikator; menimpa tebakan dari rencana aksi).",
    )
    tautan: str = Field("", max_length=1000, description="Tautan bukti http/https; kosong = tanpa tautan.")
    durasi_menit: int | None = Field(
        None,
        ge=0,
        le=24 * 60,
        description="Lama kegiatan dalam menit (1 s.d. 1440) bila jam mulai/selesai tidak diisi; bila "
        "keduanya diisi harus sama dengan selisihnya. Jumlah sehari paling lama 24 jam.",
    )
    kunci_klien: uuid.UUID | None = Field(
        None,
        description="Kunci antrean luring (UUID) dari perangkat: catatan baru dengan kunci yang sama dari "
        "pegawai yang sama tidak dibuat lagi; jawabannya catatan yang sudah tersimpan (200).",
    )

    @field_validator("jam_mulai", "jam_selesai")
    @classmethod
    def _jam_setempat(cls, value: datetime.time | None) -> datetime.time | None:
        if value is not None and value.tzinfo is not None:
            raise ValueError("Tulis jam tanpa zona waktu (jj:mm, waktu setempat).")
        return value

    def data(self) -> svc.DataCatatan:
        return _data_catatan(self, self.tautan)


class OutputOut(Schema):
    satuan: str
    jumlah: Decimal


class HariOut(Schema):
    tanggal: datetime.date
    nama: str = Field(description="Nama hari dan tanggal, mis. Selasa, 24 November.")
    durasi_menit: int
    output: list[OutputOut] = Field(description="Jumlah output hari itu per satuan.")
    catatan: list[CatatanOut]


class MingguOut(Schema):
    skp_id: int
    minggu: str = Field(description="Kode minggu ISO, mis. 2026-W48.")
    judul: str = Field(description="Rentang tanggal, mis. 23 – 29 November 2026.")
    senin: datetime.date
    sebelumnya: str
    berikutnya: str | None = Field(description="Minggu berikutnya; null bila minggu ini belum lewat.")
    jumlah: int = Field(description="Banyaknya catatan minggu ini.")
    durasi_menit: int
    output: list[OutputOut] = Field(description="Jumlah output seminggu per satuan.")
    hari: list[HariOut] = Field(description="Senin s.d. Minggu.")


class SaranOut(Schema):
    indikator_id: int
    jumlah: Decimal = Field(description="Jumlah output catatan kegiatan periode ini untuk indikator ini.")
    banyak_catatan: int
    satuan: str


class SaranRealisasiOut(Schema):
    skp_id: int
    periode_nomor: int
    saran: list[SaranOut] = Field(
        description="Hanya indikator numerik yang realisasinya dijumlahkan antarperiode (konsolidasi sum) "
        "dan memiliki catatan dengan output."
    )


# --- helpers ------------------------------------------------------------------------------------------


#: A service's refusal located at the given place, with the API's field names (`rencana_aksi_id`).
_di = partial(di, nama_field=NAMA_FIELD)


def _catatan(c: CatatanKegiatan) -> dict[str, Any]:
    return {
        "id": c.pk,
        "skp_id": c.skp_id,
        "pegawai_id": c.pegawai_id,
        "tanggal": c.tanggal,
        "jam_mulai": c.jam_mulai,
        "jam_selesai": c.jam_selesai,
        "durasi_menit": max(sel.durasi_menit(c), 0),
        "kegiatan": c.kegiatan,
        "jumlah_output": _angka(c.jumlah_output),
        "satuan_output": c.satuan_output,
        "rencana_aksi_id": c.rencana_aksi_id,
        "indikator_id": c.indikator_id,
        "tautan": c.tautan,
        "nama_berkas": c.nama_berkas if c.berkas else "",
        "unduh": reverse("api:catatan_berkas_unduh", args=[c.pk]) if c.berkas else "",
        "dibuat_pada": c.dibuat_pada,
    }


def _catatan_terlihat(user: User, pk: int) -> CatatanKegiatan:
    """The catatan (404) if the user may see its SKP (403), as `views_catatan._catatan`."""
    return terlihat(
        CatatanKegiatan.objects.select_related("skp__periode", "skp__instansi").filter(pk=pk).first(),
        user,
        "perencanaan.view_skp",
        "Catatan kegiatan tidak ditemukan.",
        "Anda tidak berhak melihat catatan kegiatan ini.",
        lambda c: c.skp,
    )


def _senin(minggu: str | None) -> datetime.date | None:
    if minggu is None:
        return None
    senin = sel.senin_dari(minggu)
    if sel.kode_minggu(senin) != minggu:  # senin_dari falls back to this week on a week that does not exist
        raise KesalahanValidasi([galat(["query", "minggu"], f"Minggu {minggu} tidak ada.")])
    return senin


def _output(per_satuan: dict[str, Decimal]) -> list[dict[str, Any]]:
    return [{"satuan": s, "jumlah": _angka(v)} for s, v in sorted(per_satuan.items()) if v]


def _data_catatan(c: CatatanIn | CatatanKegiatan, tautan: str | None) -> svc.DataCatatan:
    """The data of a catatan (a request's or a stored one) for the service, with ``tautan``."""
    menit = c.durasi_menit
    return svc.DataCatatan(
        durasi_jam=None if menit is None else menit // 60,
        durasi_menit=None if menit is None else menit % 60,
        kunci_klien=c.kunci_klien if isinstance(c, CatatanIn) else None,
        tanggal=c.tanggal,
        kegiatan=c.kegiatan,
        jam_mulai=c.jam_mulai,
        jam_selesai=c.jam_selesai,
        jumlah_output=c.jumlah_output,
        satuan_output=c.satuan_output,
        rencana_aksi_id=c.rencana_aksi_id,
        indikator_id=c.indikator_id,
        tautan=tautan,
    )


def _data_tersimpan(c: CatatanKegiatan) -> svc.DataCatatan:
    """The catatan's own data, to save it again with only its file changed (the link is kept)."""
    return _data_catatan(c, None)


# --- reading ------------------------------------------------------------------------------------------

#: `?minggu=2026-W48`: an ISO week, Monday to Sunday.
Minggu = Query[
    str | None,
    {
        "pattern": r"^\d{4}-W\d{2}$",
        "description": "Minggu ISO (YYYY-Www, mis. 2026-W48): catatan Senin s.d. Minggu itu.",
    },
]


@router.get(
    "/skp/{skp_id}/catatan-kegiatan",
    response=list[CatatanOut],
    summary="Daftar catatan kegiatan SKP (terbaru dahulu), dapat disaring per tanggal atau minggu",
    description="Untuk pemilik SKP, pejabat penilai dan atasannya, atasan di pohon jabatan, serta admin "
    "kepegawaian instansi. `dari`/`sampai` (inklusif) dan `minggu` dapat digabung.",
)
@paginate(Halaman)
def catatan_daftar(
    request: HttpRequest,
    skp_id: Id,
    dari: TanggalOpsional = None,
    sampai: TanggalOpsional = None,
    minggu: Minggu = None,
) -> Any:
    skp = _skp(request.user, skp_id)
    if dari is not None and sampai is not None and sampai < dari:
        raise KesalahanValidasi(
            [galat(["query", "sampai"], "Tanggal sampai tidak boleh sebelum tanggal dari.")]
        )
    return _Dipetakan(sel.catatan_skp(skp, dari, sampai, _senin(minggu)), _catatan)


@router.get(
    "/skp/{skp_id}/catatan-kegiatan/minggu",
    response={200: MingguOut, **GALAT},
    summary="Catatan kegiatan SKP satu minggu, per hari, dengan jumlah durasi dan output",
    description="Tanpa `minggu`: minggu hari ini (dibatasi ke masa berlaku SKP), seperti halaman "
    "catatan kegiatan SKP.",
)
def catatan_minggu(request: HttpRequest, skp_id: Id, minggu: Minggu = None) -> dict[str, Any]:
    skp = _skp(request.user, skp_id)
    senin = _senin(minggu) or sel.senin_dari(None, min(max(timezone.localdate(), skp.mulai), skp.selesai))
    m = sel.minggu(skp.pegawai_id, senin, skp=skp)
    total: dict[str, Decimal] = defaultdict(Decimal)
    for h in m.hari:
        for s, v in h.output.items():
            total[s] += v
    return {
        "skp_id": skp.pk,
        "minggu": m.kode,
        "judul": m.judul,
        "senin": m.senin,
        "sebelumnya": m.sebelumnya,
        "berikutnya": m.berikutnya,
        "jumlah": m.jumlah,
        "durasi_menit": sum(h.menit for h in m.hari),
        "output": _output(total),
        "hari": [
            {
                "tanggal": h.tanggal,
                "nama": h.nama,
                "durasi_menit": h.menit,
                "output": _output(h.output),
                "catatan": [_catatan(c) for c in h.catatan],
            }
            for h in m.hari
        ],
    }


@router.get(
    "/catatan-kegiatan/{catatan_id}",
    response={200: CatatanOut, **GALAT},
    summary="Satu catatan kegiatan",
)
def catatan_detail(request: HttpRequest, catatan_id: Id) -> dict[str, Any]:
    return _catatan(_catatan_terlihat(request.user, catatan_id))


@router.get(
    "/skp/{skp_id}/saran-realisasi",
    response={200: SaranRealisasiOut, **GALAT},
    summary="Saran realisasi per indikator dari jumlah output catatan kegiatan satu periode",
    description="Tanpa `periode`: periode yang sedang berjalan. Saran tidak mengisi realisasi; pemilik SKP "
    "mengisinya lewat `PUT /skp/{skp_id}/indikator/{indikator_id}/realisasi/{periode}`.",
)
def saran_realisasi(request: HttpRequest, skp_id: Id, periode: int | None = None) -> dict[str, Any]:
    skp = _skp(request.user, skp_id)
    pp, _ = _periode(skp, periode)
    saran = sel.saran_realisasi(skp, pp)
    return {
        "skp_id": skp.pk,
        "periode_nomor": pp.nomor,
        "saran": [
            {
                "indikator_id": ind_id,
                "jumlah": _angka(s.jumlah),
                "banyak_catatan": s.banyak,
                "satuan": s.satuan,
            }
            for ind_id, s in sorted(saran.items())
        ],
    }


# --- writing ------------------------------------------------------------------------------------------


@router.post(
    "/catatan-kegiatan",
    response={200: CatatanOut, 201: CatatanOut, **GALAT},
    summary="Tambah catatan kegiatan (pegawai untuk dirinya sendiri)",
    description="SKP dan periode ditentukan dari tanggal: SKP yang sudah disetujui dan berlaku pada tanggal "
    "itu; periodenya harus masih terbuka untuk pengisian realisasi. Penolakan: 422 dengan isian yang "
    "salah (mis. `tanggal`, `jam_selesai`, `rencana_aksi_id`). Dengan `kunci_klien` yang sudah pernah "
    "dikirim pegawai ini: 200 dengan catatan yang sudah ada (tidak dibuat dua kali).",
)
def catatan_tambah(request: HttpRequest, payload: CatatanIn) -> Jawaban[dict[str, Any]]:
    if request.user.pegawai_id and (ada := svc.catatan_klien(request.user.pegawai_id, payload.kunci_klien)):
        return Jawaban(200, _catatan(ada))
    with _di("body", "payload"):
        c = svc.save_catatan(request.user, payload.data())
    return Jawaban(201, _catatan(c))


@router.put(
    "/catatan-kegiatan/{catatan_id}",
    response={200: CatatanOut, **GALAT},
    summary="Ubah catatan kegiatan (pemilik; semua isian diganti, berkas tetap)",
    description="Tanggal lama dan tanggal baru harus sama-sama masih terbuka. Tanpa penguncian optimistis: "
    "simpanan terakhir yang berlaku.",
)
def catatan_ubah(request: HttpRequest, catatan_id: Id, payload: CatatanIn) -> dict[str, Any]:
    c = _catatan_terlihat(request.user, catatan_id)
    with _di("body", "payload"):
        c = svc.save_catatan(request.user, payload.data(), catatan=c)
    return _catatan(c)


@router.delete(
    "/catatan-kegiatan/{catatan_id}",
    response={204: None, **GALAT},
    summary="Hapus catatan kegiatan (pemilik; selama periodenya terbuka)",
)
def catatan_hapus(request: HttpRequest, catatan_id: Id) -> Jawaban[None]:
    c = _catatan_terlihat(request.user, catatan_id)
    with _di():
        svc.delete_catatan(c, request.user)
    return Jawaban(204, None)


# --- the evidence file --------------------------------------------------------------------------------


@router.post(
    "/catatan-kegiatan/{catatan_id}/berkas",
    response={200: CatatanOut, **GALAT},
    summary="Unggah atau ganti berkas bukti catatan kegiatan (multipart/form-data; pemilik)",
    description="Berkas PDF, PNG, JPEG, DOCX, XLSX, PPTX, atau ODT; jenis diperiksa dari isinya; ukuran "
    "paling besar sesuai pengaturan instansi (bawaan 10 MB). Penolakan: 422 dengan alasannya.",
)
def catatan_berkas_unggah(request: HttpRequest, catatan_id: Id, berkas: File[UploadedFile]) -> dict[str, Any]:
    c = _catatan_terlihat(request.user, catatan_id)
    unggah = svc.BerkasUnggah(berkas, berkas.name or "", berkas.size or 0)
    with _di("body"):
        c = svc.save_catatan(request.user, _data_tersimpan(c), catatan=c, berkas=unggah)
    return _catatan(c)


@router.delete(
    "/catatan-kegiatan/{catatan_id}/berkas",
    response={200: CatatanOut, **GALAT},
    summary="Hapus berkas bukti catatan kegiatan (pemilik)",
)
def catatan_berkas_hapus(request: HttpRequest, catatan_id: Id) -> dict[str, Any]:
    c = _catatan_terlihat(request.user, catatan_id)
    if not c.berkas:
        raise HttpError(404, "Catatan ini tidak memiliki berkas.")
    with _di():
        c = svc.save_catatan(request.user, _data_tersimpan(c), catatan=c, hapus_berkas=True)
    return _catatan(c)


@router.get(
    "/catatan-kegiatan/{catatan_id}/berkas",
    response={403: Pesan, 404: Pesan},
    url_name="catatan_berkas_unduh",
    openapi_extra={
        "responses": {
            200: {
                "description": "Isi berkas bukti.",
                "content": {"application/octet-stream": {"schema": {"type": "string", "format": "binary"}}},
            }
        }
    },
    summary="Unduh berkas bukti catatan kegiatan",
    description="Jawaban 200 berupa isi berkas (PDF atau gambar ditampilkan di peramban dengan "
    "`?lihat=1`). Untuk yang boleh melihat SKP-nya.",
)
def catatan_berkas_unduh(request: HttpRequest, catatan_id: Id) -> HttpResponse:
    return views_catatan.berkas(request, catatan_id)
