"""Planning API: SKP (read, draft, edit, workflow) and Perjanjian Kinerja (read).

The same rules as the pages: reading asks `perencanaan.view_skp` / `perencanaan.view_rencana_organisasi`;
every write goes through `kinerja.perencanaan.skp.services` (SKP content and workflow, the same write path
as the pages) or `services`, whose permission checks and Indonesian validation messages reach the client
unchanged (403 / 422, see `kinerja.api.errors`).
"""

# No `from __future__ import annotations`: django-ninja resolves the annotations of a @paginate-wrapped
# view in the wrapper's module, where `Status` would be a different class.

import datetime
from collections.abc import Callable
from decimal import Decimal
from typing import Any, Literal

from django.db.models import QuerySet
from django.http import HttpRequest
from ninja import Field, Router, Schema
from ninja.errors import HttpError
from ninja.pagination import paginate
from ninja.responses import Status as Jawaban
from pydantic import ValidationInfo, field_validator

from kinerja.api.errors import (
    GalatValidasi,
    KesalahanValidasi,
    Pesan,
    detail_bertempat,
    di_isian,
    galat,
    terlihat,
)
from kinerja.api.pagination import Halaman
from kinerja.api.tipe import Id, IdIsian, IdQueryOpsional, enum_api
from kinerja.organisasi.models import Instansi, Pegawai, Periode, User
from kinerja.perencanaan import selectors, services
from kinerja.perencanaan.models import PerjanjianKinerja, Rhk, Skp, SkpLampiran
from kinerja.perencanaan.skp import selectors as selectors_skp
from kinerja.perencanaan.skp import services as services_skp
from kinerja.permissions import allowed, peran_skp, user_instansi_id
from kinerja.rules import Aspek, JenisRhk, Konsolidasi, ModelSkp, Perspektif, Polaritas, alur
from kinerja.rules import skp as skp_rules
from kinerja.rules.alur import Aksi, Peran, Status
from kinerja.rules.capaian import KONSOLIDASI_RENTANG, PESAN_RENTANG_SUM
from kinerja.rules.perilaku import by_kode

PeranSkp = enum_api("PeranSkp", Peran, __name__)

router = Router(tags=["perencanaan"])

JenisLampiran = Literal["dukungan", "pertanggungjawaban", "konsekuensi"]
KategoriLampiran = Literal["sdm", "anggaran", "peralatan", "pendampingan", "sarana", ""]
assert set(JenisLampiran.__args__) == set(SkpLampiran.Jenis.values)  # type: ignore[attr-defined]
assert set(KategoriLampiran.__args__) == set(SkpLampiran.Kategori.values)  # type: ignore[attr-defined]

ANGKA = {"max_digits": 18, "decimal_places": 4}
GALAT: dict[int, Any] = {403: Pesan, 404: Pesan, 422: GalatValidasi}


# --- output schemas -----------------------------------------------------------------------------------


class IdentitasOut(Schema):
    """Identity as recorded on the SKP when it was created (the document shows who signed)."""

    nama: str
    nip: str
    pangkat: str
    jabatan: str
    unit: str


class SkpRingkasOut(Schema):
    id: int
    tahun: int
    status: Status
    revisi: int
    model: ModelSkp
    mulai: datetime.date
    selesai: datetime.date
    batas: datetime.date = Field(description="Batas persetujuan SKP.")
    terlambat: bool = Field(
        description="Diajukan (atau belum disetujui) setelah batas; boleh, tetapi ditandai."
    )
    pegawai_id: int
    pegawai: IdentitasOut
    penilai_id: int | None
    penilai: IdentitasOut | None = Field(description="Kosong bila SKP disetujui admin (puncak instansi).")
    diajukan_pada: datetime.datetime | None
    disetujui_pada: datetime.datetime | None


class TargetPeriodeOut(Schema):
    nomor: int
    target_angka: Decimal | None
    target_teks: str


class IndikatorOut(Schema):
    id: int
    urutan: int
    aspek: Aspek
    teks: str
    target_angka: Decimal | None
    target_angka_atas: Decimal | None
    satuan: str
    target_teks: str
    target_tampil: str
    polaritas: Polaritas
    konsolidasi: Konsolidasi
    target_periode: list[TargetPeriodeOut]


class RhkRujukanOut(Schema):
    """An RHK of another SKP (the penilai's RHK this one intervenes)."""

    id: int
    teks: str
    jenis: JenisRhk
    skp_id: int
    pegawai_nama: str
    pegawai_nip: str


class PkIndikatorRujukanOut(Schema):
    id: int
    kode: str
    nama: str
    target_tahun: Decimal
    satuan: str


class RhkOut(Schema):
    id: int
    urutan: int
    jenis: JenisRhk
    teks: str
    intervensi: RhkRujukanOut | None
    perspektif: Perspektif | None
    pk_indikator: PkIndikatorRujukanOut | None
    peringatan: list[str] = Field(
        description="Saran penulisan (tidak menghalangi), mis. RHK berbunyi kegiatan."
    )
    indikator: list[IndikatorOut]


class PerilakuOut(Schema):
    kode: str
    nama: str
    panduan: list[str]
    ekspektasi_khusus: str


class LampiranOut(Schema):
    id: int
    jenis: JenisLampiran
    kategori: KategoriLampiran
    teks: str


class SkpOut(SkpRingkasOut):
    periode_id: int
    jumlah_periode: int = Field(description="Jumlah periode penilaian tahun ini (target per periode 1..n).")
    atasan_penilai_id: int | None
    atasan_penilai: IdentitasOut | None
    perjanjian_kinerja_id: int | None
    catatan_pengembalian: str
    rhk: list[RhkOut]
    perilaku: list[PerilakuOut]
    lampiran: list[LampiranOut]
    peran: list[PeranSkp] = Field(description="Peran pemanggil pada SKP ini.")
    aksi: list[Aksi] = Field(description="Langkah alur yang boleh dilakukan pemanggil sekarang.")
    dapat_diubah: bool = Field(description="Pemanggil boleh mengubah isi SKP ini sekarang (PUT).")
    masalah_pengajuan: list[str] = Field(description="Yang masih menghalangi pengajuan (kosong: siap).")


class PerjanjianRingkasOut(Schema):
    id: int
    tahun: int
    status: Status
    revisi: int
    unit_id: int
    unit_kode: str
    unit_nama: str
    pegawai_id: int
    pegawai_nama: str
    pegawai_nip: str
    pegawai_jabatan: str
    penyetuju_id: int | None
    penyetuju_nama: str
    penyetuju_nip: str
    penyetuju_jabatan: str
    diajukan_pada: datetime.datetime | None
    disetujui_pada: datetime.datetime | None


class SasaranOut(Schema):
    id: int
    kode: str
    nama: str
    perspektif: Perspektif


class ManualTargetOut(Schema):
    nomor: int
    target: Decimal | None


class IkuOut(Schema):
    id: int
    kode: str
    nama: str
    satuan: str
    polaritas: Polaritas
    konsolidasi: Konsolidasi
    formula: str
    sumber_data: str
    target_periode: list[ManualTargetOut]


class PerjanjianIndikatorOut(Schema):
    id: int
    urutan: int
    sasaran: SasaranOut
    iku: IkuOut
    target_tahun: Decimal


class PerjanjianOut(PerjanjianRingkasOut):
    catatan_pengembalian: str
    indikator: list[PerjanjianIndikatorOut]


# --- input schemas ------------------------------------------------------------------------------------


class SkpBuatIn(Schema):
    tahun: int = Field(ge=2000, le=2100)
    pegawai_id: IdIsian | None = Field(
        None, description="Hanya untuk admin kepegawaian; tanpa ini, SKP dibuat untuk pemanggil sendiri."
    )


class TargetPeriodeIn(Schema):
    nomor: int = Field(ge=1, le=12, description="Periode ke-n tahun ini (1..jumlah_periode).")
    target_angka: Decimal | None = Field(None, **ANGKA, description="Untuk SKP kuantitatif.")
    target_teks: str = Field("", max_length=300, description="Untuk SKP kualitatif.")


class IndikatorIn(Schema):
    id: IdIsian | None = Field(
        None, description="Indikator yang sudah ada (tetap identitasnya); kosong: baru."
    )
    aspek: Aspek = Aspek.KUANTITAS
    teks: str = Field(max_length=2000)
    target_angka: Decimal | None = Field(None, **ANGKA)
    target_angka_atas: Decimal | None = Field(None, **ANGKA, description="Batas atas bila target rentang.")
    satuan: str = Field("", max_length=40)
    target_teks: str = Field("", max_length=2000)
    polaritas: Polaritas = Polaritas.MAXIMIZE
    konsolidasi: Konsolidasi = Field(
        Konsolidasi.SUM,
        validate_default=True,
        description="Penggabungan nilai per periode. Target rentang: average atau last (sum ditolak).",
    )
    target_periode: list[TargetPeriodeIn] = Field(default_factory=list, max_length=12)

    @field_validator("konsolidasi")
    @classmethod
    def _rentang_tidak_dijumlah(cls, value: Konsolidasi, info: ValidationInfo) -> Konsolidasi:
        # A range is a level, never summed over the periods (docs/rules.md §4); the service checks it too.
        if info.data.get("target_angka_atas") is not None and value not in KONSOLIDASI_RENTANG:
            raise ValueError(f"{PESAN_RENTANG_SUM} Nilai API: average atau last.")
        return value


class RhkIn(Schema):
    id: IdIsian | None = Field(None, description="RHK yang sudah ada (tetap identitasnya); kosong: RHK baru.")
    jenis: JenisRhk = JenisRhk.UTAMA
    teks: str = Field(max_length=2000)
    intervensi_id: IdIsian | None = Field(
        None, description="RHK pimpinan yang diintervensi (lihat GET /skp/{id}/pilihan-intervensi)."
    )
    pk_indikator_id: IdIsian | None = Field(None, description="IKU Perjanjian Kinerja (SKP JPT).")
    perspektif: Perspektif | None = None
    indikator: list[IndikatorIn] | None = Field(
        None, max_length=50, description="Daftar lengkap indikator RHK ini; tidak dikirim: tidak diubah."
    )


class LampiranIn(Schema):
    jenis: JenisLampiran
    kategori: KategoriLampiran = ""
    teks: str = Field(max_length=2000)


class SkpUbahIn(Schema):
    """Full replacement of the lists that are sent; a list left out stays as it is."""

    rhk: list[RhkIn] | None = Field(
        None,
        max_length=100,
        description="Daftar lengkap RHK. RHK lama yang tidak ada di daftar dihapus; RHK tanpa id dibuat.",
    )
    lampiran: list[LampiranIn] | None = Field(None, max_length=100, description="Daftar lengkap lampiran.")


class KembalikanIn(Schema):
    catatan: str = Field(max_length=5000, description="Wajib: apa yang harus diperbaiki pegawai.")


class SetujuiMassalIn(Schema):
    skp_ids: list[IdIsian] = Field(
        min_length=1, max_length=200, description="SKP di kotak persetujuan Anda yang akan disetujui."
    )


class DilewatiOut(Schema):
    skp_id: int
    alasan: str = Field(
        description="Mengapa SKP ini tidak disetujui, mis. 'Ada 1 komentar terbuka — buka SKP'."
    )


class SetujuiMassalOut(Schema):
    disetujui: list[int] = Field(description="Id SKP yang disetujui.")
    dilewati: list[DilewatiOut]


# --- helpers ------------------------------------------------------------------------------------------


def _angka(value: Decimal | None) -> Decimal | None:
    """A stored decimal without its trailing zeros ("10.0000" → 10)."""
    return None if value is None else Decimal(f"{value.normalize():f}")


def _identitas(skp: Skp, prefix: str) -> IdentitasOut | None:
    jabatan = "jabatan" if prefix == "pegawai" else "jabatan_nama"
    nama = getattr(skp, f"{prefix}_nama")
    if not nama:
        return None
    return IdentitasOut(
        nama=nama,
        nip=getattr(skp, f"{prefix}_nip"),
        pangkat=getattr(skp, f"{prefix}_pangkat"),
        jabatan=getattr(skp, f"{prefix}_{jabatan}"),
        unit=getattr(skp, f"{prefix}_unit"),
    )


def _ringkas(skp: Skp) -> dict[str, Any]:
    return {
        "id": skp.pk,
        "tahun": skp.periode.tahun,
        "status": skp.status,
        "revisi": skp.revisi,
        "model": skp.model,
        "mulai": skp.mulai,
        "selesai": skp.selesai,
        "batas": skp.batas,
        "terlambat": skp.terlambat,
        "pegawai_id": skp.pegawai_id,
        "pegawai": _identitas(skp, "pegawai"),
        "penilai_id": skp.penilai_id,
        "penilai": _identitas(skp, "penilai"),
        "diajukan_pada": skp.diajukan_pada,
        "disetujui_pada": skp.disetujui_pada,
    }


def _rujukan(r: Rhk) -> dict[str, Any]:
    return {
        "id": r.pk,
        "teks": r.teks,
        "jenis": r.jenis,
        "skp_id": r.skp_id,
        "pegawai_nama": r.skp.pegawai_nama,
        "pegawai_nip": r.skp.pegawai_nip,
    }


def _rhk(r: Rhk) -> dict[str, Any]:
    pki = r.pk_indikator
    return {
        "id": r.pk,
        "urutan": r.urutan,
        "jenis": r.jenis,
        "teks": r.teks,
        "intervensi": _rujukan(r.intervensi) if r.intervensi_id else None,
        "perspektif": r.perspektif or None,
        "pk_indikator": {
            "id": pki.pk,
            "kode": pki.manual.kode,
            "nama": pki.manual.nama,
            "target_tahun": _angka(pki.target_tahun),
            "satuan": pki.manual.satuan,
        }
        if pki
        else None,
        "peringatan": skp_rules.peringatan_rhk(r.teks),
        "indikator": [
            {
                "id": i.pk,
                "urutan": i.urutan,
                "aspek": i.aspek,
                "teks": i.teks,
                "target_angka": _angka(i.target_angka),
                "target_angka_atas": _angka(i.target_angka_atas),
                "satuan": i.satuan,
                "target_teks": i.target_teks,
                "target_tampil": i.target_tampil,
                "polaritas": i.polaritas,
                "konsolidasi": i.konsolidasi,
                "target_periode": [
                    {"nomor": t.nomor, "target_angka": _angka(t.target_angka), "target_teks": t.target_teks}
                    for t in i.target_periode.all()
                ],
            }
            for i in r.indikator.all()
        ],
    }


def _detail(skp: Skp, user: User) -> dict[str, Any]:
    """The SKP as the API shows it to `user` (its prefetches from `selectors.skp_lengkap`)."""
    peran = peran_skp(skp, user)
    status = skp.status_enum
    aksi = [a for a in Aksi if any(a in alur.aksi_tersedia(status, p) for p in peran)]
    editable = Peran.PEMILIK in peran and alur.dapat_diubah(status)
    perilaku = []
    for p in skp.perilaku.all():
        nilai = by_kode(p.kode)
        perilaku.append(
            {
                "kode": p.kode,
                "nama": nilai.nama,
                "panduan": list(nilai.panduan),
                "ekspektasi_khusus": p.ekspektasi_khusus,
            }
        )
    return {
        **_ringkas(skp),
        "periode_id": skp.periode_id,
        "jumlah_periode": len(skp.periode.periode_penilaian.all()),
        "atasan_penilai_id": skp.atasan_penilai_id,
        "atasan_penilai": _identitas(skp, "atasan"),
        "perjanjian_kinerja_id": skp.perjanjian_kinerja_id,
        "catatan_pengembalian": skp.catatan_pengembalian,
        "rhk": [_rhk(r) for r in skp.rhk.all()],
        "perilaku": perilaku,
        "lampiran": [
            {"id": lam.pk, "jenis": lam.jenis, "kategori": lam.kategori, "teks": lam.teks}
            for lam in skp.lampiran.all()
        ],
        "peran": sorted(peran, key=list(Peran).index),
        "aksi": aksi,
        "dapat_diubah": editable,
        "masalah_pengajuan": selectors.masalah_pengajuan(skp) if status != Status.DISETUJUI else [],
    }


def _skp_terlihat(user: User, skp_id: int) -> Skp:
    """The SKP with everything shown; 404 when it does not exist, 403 when the caller may not see it."""
    return terlihat(
        selectors.skp_lengkap(Skp.objects.filter(pk=skp_id)).first(),
        user,
        "perencanaan.view_skp",
        "SKP tidak ditemukan.",
        "Anda tidak berhak melihat SKP ini.",
    )


def _jalankan(request: HttpRequest, skp_id: int, aksi: Aksi, catatan: str = "") -> dict[str, Any]:
    services_skp.run_skp(_skp_terlihat(request.user, skp_id), request.user, aksi, catatan)
    return _detail(_skp_terlihat(request.user, skp_id), request.user)


# --- SKP: read ----------------------------------------------------------------------------------------


class _Dipetakan:
    """A queryset for the paginator: it counts and slices in the database and maps each row with `fn`."""

    def __init__(self, qs: QuerySet[Any], fn: Callable[[Any], dict[str, Any]]) -> None:
        self.qs, self.fn = qs, fn

    def __len__(self) -> int:
        return self.qs.count()

    def __getitem__(self, key: slice) -> list[dict[str, Any]]:
        return [self.fn(row) for row in self.qs[key]]


@router.get(
    "/skp",
    response=list[SkpRingkasOut],
    summary="Daftar SKP yang boleh dilihat pemanggil",
    description="SKP sendiri, SKP bawahan (sebagai pejabat penilai, atasan penilai, atau atasan di pohon "
    "jabatan), atau seluruh SKP instansi bagi admin kepegawaian.",
)
@paginate(Halaman)
def skp_list(request: HttpRequest, tahun: int | None = None, status: Status | None = None) -> Any:
    qs = selectors_skp.list_skp(request.user, tahun, status.value if status is not None else None)
    return _Dipetakan(qs, _ringkas)


# Registered before /skp/{skp_id}: the router matches in order and the id pattern would take the path.
@router.post(
    "/skp/setujui-massal",
    response={200: SetujuiMassalOut, **GALAT},
    summary="Setujui sekaligus beberapa SKP yang diajukan (pejabat penilai)",
    description=(
        "Setiap SKP disetujui dalam transaksinya sendiri. SKP yang bukan milik bawahan Anda, tidak sedang "
        "diajukan, atau memiliki komentar terbuka (pesan terakhir utas umpan balik ditulis setelah pengajuan "
        "terakhir) dilewati beserta alasannya."
    ),
)
def skp_setujui_massal(request: HttpRequest, payload: SetujuiMassalIn) -> dict[str, Any]:
    hasil = services.approve_skp_massal(payload.skp_ids, request.user)
    return {
        "disetujui": [s.pk for s in hasil.disetujui],
        "dilewati": [{"skp_id": pk, "alasan": alasan} for pk, _, alasan in hasil.dilewati],
    }


@router.get("/skp/{skp_id}", response={200: SkpOut, **GALAT}, summary="Isi lengkap satu SKP")
def skp_detail(request: HttpRequest, skp_id: Id) -> dict[str, Any]:
    return _detail(_skp_terlihat(request.user, skp_id), request.user)


@router.get(
    "/skp/{skp_id}/pilihan-intervensi",
    response={200: list[RhkRujukanOut], **GALAT},
    summary="RHK pimpinan yang boleh diintervensi RHK SKP ini",
)
def skp_pilihan_intervensi(request: HttpRequest, skp_id: Id) -> list[dict[str, Any]]:
    skp = _skp_terlihat(request.user, skp_id)
    return [_rujukan(r) for r in services.pilihan_intervensi(skp)]


# --- SKP: write ---------------------------------------------------------------------------------------


@router.post("/skp", response={201: SkpOut, **GALAT}, summary="Buat SKP (draft) pada periode suatu tahun")
def skp_buat(request: HttpRequest, payload: SkpBuatIn) -> Jawaban[dict[str, Any]]:
    user = request.user
    if payload.pegawai_id is None:
        if not user.pegawai_id:
            raise HttpError(403, "Akun ini tidak terhubung dengan data pegawai.")
        pegawai = user.pegawai
    else:
        pegawai = Pegawai.objects.select_related("instansi").filter(pk=payload.pegawai_id).first()
        if pegawai is None:
            raise KesalahanValidasi([galat(("body", "payload", "pegawai_id"), "Pegawai tidak ditemukan.")])
    periode = Periode.objects.filter(instansi_id=pegawai.instansi_id, tahun=payload.tahun).first()
    if periode is None:
        if not allowed(user, "perencanaan.create_skp", pegawai):
            raise HttpError(403, "Anda hanya dapat membuat SKP Anda sendiri.")
        raise KesalahanValidasi(
            [
                galat(
                    ("body", "payload", "tahun"),
                    f"Periode tahun {payload.tahun} belum dibuat oleh admin kepegawaian.",
                )
            ]
        )
    skp = services.create_skp(pegawai, periode, user)
    return Jawaban(201, _detail(_skp_terlihat(user, skp.pk), user))


@router.put(
    "/skp/{skp_id}",
    response={200: SkpOut, **GALAT},
    summary="Ubah isi SKP draft (RHK, indikator, lampiran) dalam satu langkah",
    description="Semua atau tidak sama sekali: bila satu bagian ditolak, tidak ada yang tersimpan dan "
    "seluruh kesalahan dilaporkan (422) dengan lokasi isiannya, mis. "
    '`["body", "payload", "rhk", 0, "indikator", 1, "target_angka"]`. Urutan RHK dan indikator baru '
    "mengikuti daftar; RHK/indikator lama tetap pada urutannya.",
)
def skp_ubah(request: HttpRequest, skp_id: Id, payload: SkpUbahIn) -> dict[str, Any]:
    user = request.user
    skp = _skp_terlihat(user, skp_id)
    try:
        services_skp.update_skp(skp, user, _perubahan(payload))
    except services_skp.PerubahanDitolak as exc:
        raise KesalahanValidasi(detail_bertempat(exc.galat, "body", "payload")) from exc
    return _detail(_skp_terlihat(user, skp_id), user)


def _perubahan(payload: SkpUbahIn) -> services_skp.PerubahanSkp:
    """The request as the service's plain data."""
    return services_skp.PerubahanSkp(
        rhk=None if payload.rhk is None else [_rhk_ubah(r) for r in payload.rhk],
        lampiran=None
        if payload.lampiran is None
        else [
            services_skp.LampiranUbah(jenis=lam.jenis, teks=lam.teks, kategori=lam.kategori)
            for lam in payload.lampiran
        ],
    )


def _rhk_ubah(item: RhkIn) -> services_skp.RhkUbah:
    return services_skp.RhkUbah(
        id=item.id,
        teks=item.teks,
        jenis=item.jenis.value,
        intervensi_id=item.intervensi_id,
        pk_indikator_id=item.pk_indikator_id,
        perspektif=item.perspektif.value if item.perspektif else "",
        indikator=None if item.indikator is None else [_indikator_ubah(i) for i in item.indikator],
    )


def _indikator_ubah(item: IndikatorIn) -> services_skp.IndikatorUbah:
    return services_skp.IndikatorUbah(
        id=item.id,
        teks=item.teks,
        aspek=item.aspek.value,
        target_angka=item.target_angka,
        target_angka_atas=item.target_angka_atas,
        satuan=item.satuan,
        target_teks=item.target_teks,
        polaritas=item.polaritas.value,
        konsolidasi=item.konsolidasi.value,
        target_periode=[
            services_skp.TargetPeriodeUbah(
                nomor=t.nomor, target_angka=t.target_angka, target_teks=t.target_teks
            )
            for t in item.target_periode
        ],
    )


@router.post("/skp/{skp_id}/ajukan", response={200: SkpOut, **GALAT}, summary="Ajukan SKP ke pejabat penilai")
def skp_ajukan(request: HttpRequest, skp_id: Id) -> dict[str, Any]:
    return _jalankan(request, skp_id, Aksi.AJUKAN)


@router.post("/skp/{skp_id}/tarik", response={200: SkpOut, **GALAT}, summary="Tarik pengajuan SKP")
def skp_tarik(request: HttpRequest, skp_id: Id) -> dict[str, Any]:
    return _jalankan(request, skp_id, Aksi.TARIK)


@router.post(
    "/skp/{skp_id}/setujui", response={200: SkpOut, **GALAT}, summary="Setujui SKP (pejabat penilai)"
)
def skp_setujui(request: HttpRequest, skp_id: Id) -> dict[str, Any]:
    return _jalankan(request, skp_id, Aksi.SETUJUI)


@router.post(
    "/skp/{skp_id}/kembalikan",
    response={200: SkpOut, **GALAT},
    summary="Kembalikan SKP dengan catatan (pejabat penilai)",
)
def skp_kembalikan(request: HttpRequest, skp_id: Id, payload: KembalikanIn) -> dict[str, Any]:
    # A refusal only for the missing note names its field, located in the body (docs/rules.md §10).
    with di_isian("body", "payload"):
        return _jalankan(request, skp_id, Aksi.KEMBALIKAN, payload.catatan)


@router.post(
    "/skp/{skp_id}/ajukan-perubahan",
    response={200: SkpOut, **GALAT},
    summary="Buka revisi baru dari SKP yang sudah disetujui",
)
def skp_ajukan_perubahan(request: HttpRequest, skp_id: Id) -> dict[str, Any]:
    return _jalankan(request, skp_id, Aksi.AJUKAN_PERUBAHAN)


# --- Perjanjian Kinerja (read-only) -------------------------------------------------------------------


def _instansi(user: User, instansi_id: int | None) -> Instansi:
    if instansi_id is None:
        instansi_id = user_instansi_id(user)
    instansi = Instansi.objects.filter(pk=instansi_id).first() if instansi_id else None
    if instansi is None:
        raise HttpError(403, "Akun ini tidak terhubung dengan instansi.")
    if not user.has_perm("perencanaan.view_rencana_organisasi", instansi):
        raise HttpError(403, "Anda tidak berhak melihat rencana kinerja instansi ini.")
    return instansi


def _pk_ringkas(pk: PerjanjianKinerja) -> dict[str, Any]:
    return {
        "id": pk.pk,
        "tahun": pk.periode.tahun,
        "status": pk.status,
        "revisi": pk.revisi,
        "unit_id": pk.unit_id,
        "unit_kode": pk.unit.kode,
        "unit_nama": pk.unit.nama,
        "pegawai_id": pk.pegawai_id,
        "pegawai_nama": pk.pegawai_nama,
        "pegawai_nip": pk.pegawai_nip,
        "pegawai_jabatan": pk.pegawai_jabatan,
        "penyetuju_id": pk.penyetuju_id,
        "penyetuju_nama": pk.penyetuju_nama,
        "penyetuju_nip": pk.penyetuju_nip,
        "penyetuju_jabatan": pk.penyetuju_jabatan,
        "diajukan_pada": pk.diajukan_pada,
        "disetujui_pada": pk.disetujui_pada,
    }


@router.get(
    "/perjanjian-kinerja",
    response=list[PerjanjianRingkasOut],
    summary="Daftar Perjanjian Kinerja instansi",
    description="Untuk seluruh pegawai instansi (rencana organisasi yang menjadi induk SKP). "
    "`instansi_id` hanya diperlukan superuser.",
)
@paginate(Halaman)
def perjanjian_list(
    request: HttpRequest, tahun: int | None = None, instansi_id: IdQueryOpsional = None
) -> Any:
    instansi = _instansi(request.user, instansi_id)
    return _Dipetakan(selectors.perjanjian_instansi(instansi, tahun), _pk_ringkas)


@router.get(
    "/perjanjian-kinerja/{pk_id}",
    response={200: PerjanjianOut, **GALAT},
    summary="Isi satu Perjanjian Kinerja (sasaran, IKU, target)",
)
def perjanjian_detail(request: HttpRequest, pk_id: Id) -> dict[str, Any]:
    pk = terlihat(
        selectors.perjanjian_lengkap(pk_id),
        request.user,
        "perencanaan.view_rencana_organisasi",
        "Perjanjian Kinerja tidak ditemukan.",
        "Anda tidak berhak melihat Perjanjian Kinerja ini.",
    )
    return {
        **_pk_ringkas(pk),
        "catatan_pengembalian": pk.catatan_pengembalian,
        "indikator": [
            {
                "id": i.pk,
                "urutan": i.urutan,
                "sasaran": {
                    "id": i.sasaran.pk,
                    "kode": i.sasaran.kode,
                    "nama": i.sasaran.nama,
                    "perspektif": i.sasaran.perspektif,
                },
                "iku": {
                    "id": i.manual.pk,
                    "kode": i.manual.kode,
                    "nama": i.manual.nama,
                    "satuan": i.manual.satuan,
                    "polaritas": i.manual.polaritas,
                    "konsolidasi": i.manual.konsolidasi,
                    "formula": i.manual.formula,
                    "sumber_data": i.manual.sumber_data,
                    "target_periode": [
                        {"nomor": t.nomor, "target": _angka(t.target)} for t in i.manual.target_periode.all()
                    ],
                },
                "target_tahun": _angka(i.target_tahun),
            }
            for i in pk.indikator.all()
        ],
    }
