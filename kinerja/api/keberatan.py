"""API: keberatan against a predikat kinerja (docs/rules.md §18; see kinerja/tindak_lanjut).

The same rules as the pages: reading a keberatan is for the pegawai, the penilai, the pemutus, the
evaluation's atasan penilai and the admin of the instansi (anyone else 403, a missing one 404); every
write goes through `kinerja.tindak_lanjut.keberatan.services`, whose refusals reach the client unchanged in
Bahasa Indonesia: 403 for the wrong role, 422 for the window ("Batas pengajuan keberatan ... berakhir ..."),
a missing reason or a step the workflow does not allow.
"""

import datetime
from collections.abc import Callable
from typing import Any, Literal

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.urls import reverse
from ninja import Field, File, Router, Schema
from ninja.files import UploadedFile
from ninja.pagination import paginate
from ninja.responses import Status as Jawaban

from kinerja.api.errors import GalatValidasi, Pesan, di
from kinerja.api.pagination import Halaman
from kinerja.api.tipe import Id, IdIsian
from kinerja.organisasi.models import Pegawai
from kinerja.penilaian.models import Evaluasi
from kinerja.permissions import is_admin_kepegawaian
from kinerja.permissions.tindak_lanjut import may_view_keberatan
from kinerja.tindak_lanjut.keberatan import selectors as sel
from kinerja.tindak_lanjut.keberatan import services
from kinerja.tindak_lanjut.models import Keberatan, LampiranKeberatan

router = Router(tags=["keberatan"])

GALAT: dict[int, Any] = {403: Pesan, 404: Pesan, 422: GalatValidasi}
Rating = Literal["diatas", "sesuai", "dibawah"]


# --- schemas ------------------------------------------------------------------------------------------


class LampiranKeberatanOut(Schema):
    id: int
    nama: str
    jenis: str
    ukuran: int
    sha256: str
    unduh: str = Field(description="Alamat unduhan (API); butuh sesi atau token.")


class KeberatanOut(Schema):
    id: int
    evaluasi_id: int
    evaluasi: str = Field(description="Nama periode evaluasi, mis. “Akhir (tahunan) 2026”.")
    pegawai_id: int
    pegawai_nama: str
    pegawai_nip: str
    status: Literal["diajukan", "dijelaskan", "ditolak", "dikabulkan", "ditarik"]
    alasan: str
    rating_hasil_awal: str
    rating_perilaku_awal: str
    predikat_awal: str
    diajukan_pada: datetime.datetime
    penilai_id: int | None = Field(description="Kosong: evaluasi tanpa penilai; admin memberi penjelasan.")
    batas_penjelasan: datetime.date
    penjelasan: str
    dijelaskan_pada: datetime.datetime | None
    pemutus_id: int | None = Field(description="Kosong: admin kepegawaian harus menetapkan pemutus.")
    pemutus_dialihkan_alasan: str
    batas_keputusan: datetime.date
    keputusan_alasan: str
    rating_hasil_baru: str
    rating_perilaku_baru: str
    predikat_akhir: str
    diputus_pada: datetime.datetime | None
    ditarik_pada: datetime.datetime | None
    ditarik_alasan: str
    dokumen_awal_id: int | None
    dokumen_revisi_id: int | None
    dokumen_revisi: int | None = Field(description="Nomor revisi dokumen yang menggantikan (dikabulkan).")
    terlambat_penjelasan: bool
    terlambat_keputusan: bool
    versi: int

    @staticmethod
    def resolve_evaluasi(obj: Keberatan) -> str:
        return obj.evaluasi.nama_periode

    @staticmethod
    def resolve_pegawai_nama(obj: Keberatan) -> str:
        return obj.pegawai.nama_lengkap

    @staticmethod
    def resolve_pegawai_nip(obj: Keberatan) -> str:
        return obj.pegawai.nip

    @staticmethod
    def resolve_dokumen_revisi(obj: Keberatan) -> int | None:
        return obj.dokumen_revisi.revisi if obj.dokumen_revisi_id else None

    @staticmethod
    def resolve_terlambat_penjelasan(obj: Keberatan) -> bool:
        return sel.terlambat_penjelasan(obj, sel.hari_ini())

    @staticmethod
    def resolve_terlambat_keputusan(obj: Keberatan) -> bool:
        return sel.terlambat_keputusan(obj, sel.hari_ini())


class KeberatanDetailOut(KeberatanOut):
    lampiran: list[LampiranKeberatanOut]

    @staticmethod
    def resolve_lampiran(obj: Keberatan) -> list[dict[str, Any]]:
        return [_lampiran(lamp) for lamp in obj.lampiran.all()]


class PengajuanOut(Schema):
    boleh: bool
    alasan: str = Field(description="Mengapa boleh / tidak (bahasa Indonesia).")
    batas: datetime.date | None = Field(description="Hari terakhir pengajuan.")


class AjukanIn(Schema):
    alasan: str = Field(max_length=5000)


class TarikIn(Schema):
    alasan: str = Field("", max_length=5000)


class JelaskanIn(Schema):
    penjelasan: str = Field(max_length=5000)


class PemutusIn(Schema):
    pemutus_id: IdIsian
    alasan: str = Field(max_length=5000)


class KeputusanKeberatanIn(Schema):
    keputusan: Literal["ditolak", "dikabulkan"]
    pertimbangan: str = Field(max_length=5000)
    rating_hasil: Rating | None = Field(None, description="Dikabulkan: rating baru (kosong: tetap).")
    rating_perilaku: Rating | None = Field(None, description="Dikabulkan: rating baru (kosong: tetap).")


# --- helpers ------------------------------------------------------------------------------------------


def _lampiran(lamp: LampiranKeberatan) -> dict[str, Any]:
    return {
        "id": lamp.pk,
        "nama": lamp.nama_asli,
        "jenis": lamp.jenis,
        "ukuran": lamp.ukuran,
        "sha256": lamp.sha256,
        "unduh": reverse("api:keberatan_lampiran_unduh", args=[lamp.keberatan_id, lamp.pk]),
    }


def _keberatan(user: Any, pk: int) -> Keberatan:
    k = sel.keberatan_qs().select_related("dokumen_revisi").filter(pk=pk).first()
    if k is None:
        raise Http404("Keberatan tidak ditemukan.")
    if not may_view_keberatan(user, k):
        raise PermissionDenied("Anda tidak berhak melihat keberatan ini.")
    return k


def _evaluasi(user: Any, pk: int) -> Evaluasi:
    ev = Evaluasi.objects.select_related("instansi", "periode", "periode_penilaian").filter(pk=pk).first()
    if ev is None:
        raise Http404("Evaluasi tidak ditemukan.")
    if not user.has_perm("penilaian.view_evaluasi", ev):
        raise PermissionDenied("Anda tidak berhak melihat evaluasi ini.")
    return ev


def _detail(k: Keberatan) -> Keberatan:
    return sel.keberatan_qs().select_related("dokumen_revisi").prefetch_related("lampiran").get(pk=k.pk)


def _ubah(user: Any, keberatan_id: int, aksi: Callable[[Keberatan], Keberatan]) -> Keberatan:
    """One step on a keberatan the user may see; a service's refusal answers 422 on the body."""
    k = _keberatan(user, keberatan_id)
    with di("body", "payload"):
        k = aksi(k)
    return _detail(k)


# --- reads --------------------------------------------------------------------------------------------


@router.get(
    "/keberatan",
    response=list[KeberatanOut],
    summary="Daftar keberatan menurut peran",
    description="`peran`: `saya` (keberatan yang saya ajukan), `penilai` (perlu penjelasan saya), `pemutus` "
    "(perlu keputusan saya), `admin` (seluruh keberatan instansi; hanya admin kepegawaian). `semua=true`: "
    "termasuk yang sudah selesai (penilai/pemutus). `status` menyaring (admin; `terbuka` = belum diputus).",
)
@paginate(Halaman)
def keberatan_daftar(
    request: HttpRequest,
    peran: Literal["saya", "penilai", "pemutus", "admin"] = "saya",
    semua: bool = False,
    status: str = "",
) -> Any:
    user = request.user
    if peran == "penilai":
        qs = sel.perlu_penjelasan(user, semua)
    elif peran == "pemutus":
        qs = sel.perlu_keputusan(user, semua)
    elif peran == "admin":
        if not is_admin_kepegawaian(user):
            raise PermissionDenied("Daftar keberatan instansi hanya untuk admin kepegawaian.")
        qs = sel.papan_admin(user.admin_instansi, status)
    else:
        qs = sel.milik(user)
    return qs.select_related("dokumen_revisi")


@router.get(
    "/keberatan/{keberatan_id}",
    response={200: KeberatanDetailOut, **GALAT},
    summary="Satu keberatan dengan lampirannya",
)
def keberatan_baca(request: HttpRequest, keberatan_id: Id) -> Keberatan:
    return _detail(_keberatan(request.user, keberatan_id))


@router.get(
    "/evaluasi/{evaluasi_id}/keberatan/status",
    response={200: PengajuanOut, **GALAT},
    summary="Apakah keberatan dapat diajukan atas evaluasi ini sekarang, dan sampai kapan",
)
def keberatan_status(request: HttpRequest, evaluasi_id: Id) -> dict[str, Any]:
    s = sel.status_pengajuan(_evaluasi(request.user, evaluasi_id))
    return {"boleh": s.boleh, "alasan": s.alasan, "batas": s.batas}


@router.get(
    "/keberatan/{keberatan_id}/lampiran/{lampiran_id}",
    response={200: None, **GALAT},
    url_name="keberatan_lampiran_unduh",
    summary="Unduh lampiran keberatan",
    openapi_extra={
        "responses": {
            200: {
                "description": "Isi berkas.",
                "content": {"application/octet-stream": {"schema": {"type": "string", "format": "binary"}}},
            }
        }
    },
)
def keberatan_lampiran_unduh(request: HttpRequest, keberatan_id: Id, lampiran_id: Id) -> HttpResponse:
    from kinerja.tindak_lanjut.keberatan.views import download_lampiran

    k = _keberatan(request.user, keberatan_id)
    lamp = LampiranKeberatan.objects.filter(pk=lampiran_id, keberatan=k).first()
    if lamp is None:
        raise Http404("Lampiran tidak ditemukan.")
    return download_lampiran(lamp)


# --- writes -------------------------------------------------------------------------------------------


@router.post(
    "/evaluasi/{evaluasi_id}/keberatan",
    response={201: KeberatanDetailOut, **GALAT},
    summary="Ajukan keberatan atas predikat (pegawai yang dinilai)",
    description="Dalam batas hari sejak evaluasi final (pengaturan instansi, bawaan 14 hari kalender; hari "
    "final = hari ke-0). Sesudah batas: 422 dengan pesan batasnya. Lampiran: unggah sesudahnya ke "
    "`/keberatan/{id}/lampiran`.",
)
def keberatan_ajukan(request: HttpRequest, evaluasi_id: Id, payload: AjukanIn) -> Jawaban[Keberatan]:
    ev = _evaluasi(request.user, evaluasi_id)
    with di("body", "payload"):
        k = services.ajukan(ev, request.user, payload.alasan)
    return Jawaban(201, _detail(k))


@router.post(
    "/keberatan/{keberatan_id}/lampiran",
    response={201: LampiranKeberatanOut, **GALAT},
    summary="Unggah lampiran keberatan (multipart/form-data; pegawai, sebelum ada penjelasan)",
    description="Berkas PDF, PNG, JPEG, DOCX, XLSX, PPTX, atau ODT; jenis diperiksa dari isinya; ukuran "
    "paling besar sesuai pengaturan instansi; paling banyak 5 berkas.",
)
def keberatan_lampiran(
    request: HttpRequest, keberatan_id: Id, berkas: File[UploadedFile]
) -> Jawaban[dict[str, Any]]:
    k = _keberatan(request.user, keberatan_id)
    with di("body"):
        lamp = services.add_lampiran(
            k, request.user, services.Unggahan(berkas, berkas.name or "", berkas.size or 0)
        )
    return Jawaban(201, _lampiran(lamp))


@router.post(
    "/keberatan/{keberatan_id}/tarik",
    response={200: KeberatanDetailOut, **GALAT},
    summary="Tarik keberatan (pegawai, sebelum diputus)",
)
def keberatan_tarik(request: HttpRequest, keberatan_id: Id, payload: TarikIn) -> Keberatan:
    return _ubah(request.user, keberatan_id, lambda k: services.tarik(k, request.user, payload.alasan))


@router.post(
    "/keberatan/{keberatan_id}/penjelasan",
    response={200: KeberatanDetailOut, **GALAT},
    summary="Penjelasan pejabat penilai",
)
def keberatan_jelaskan(request: HttpRequest, keberatan_id: Id, payload: JelaskanIn) -> Keberatan:
    return _ubah(request.user, keberatan_id, lambda k: services.jelaskan(k, request.user, payload.penjelasan))


@router.post(
    "/keberatan/{keberatan_id}/pemutus",
    response={200: KeberatanDetailOut, **GALAT},
    summary="Tetapkan / alihkan pemutus keberatan (admin kepegawaian instansi)",
    description="Untuk pegawai tanpa atasan pejabat penilai (pimpinan tertinggi instansi): pejabat yang "
    "ditunjuk PPK. Alasan wajib.",
)
def keberatan_pemutus(request: HttpRequest, keberatan_id: Id, payload: PemutusIn) -> Keberatan:
    k = _keberatan(request.user, keberatan_id)
    pemutus = Pegawai.objects.filter(pk=payload.pemutus_id).first()
    with di("body", "payload"):
        if pemutus is None:
            raise ValidationError({"pemutus_id": "Pegawai tidak ditemukan."})
        k = services.reassign_pemutus(k, request.user, pemutus, payload.alasan)
    return _detail(k)


@router.post(
    "/keberatan/{keberatan_id}/keputusan",
    response={200: KeberatanDetailOut, **GALAT},
    summary="Keputusan atas keberatan (atasan pejabat penilai / pemutus)",
    description="`ditolak`: predikat tetap. `dikabulkan`: rating baru (paling sedikit satu berubah); "
    "predikat mengikuti kuadran; dokumen revisi diterbitkan dan dokumen lama ditandai digantikan. Final.",
)
def keberatan_putuskan(request: HttpRequest, keberatan_id: Id, payload: KeputusanKeberatanIn) -> Keberatan:
    kabul = payload.keputusan == "dikabulkan"
    return _ubah(
        request.user,
        keberatan_id,
        lambda k: services.putuskan(
            k,
            request.user,
            payload.keputusan,
            payload.pertimbangan,
            rating_hasil=payload.rating_hasil if kabul else None,
            rating_perilaku=payload.rating_perilaku if kabul else None,
        ),
    )
