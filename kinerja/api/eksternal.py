"""Read API for other systems of an instansi (TPP, talent management; docs/rules.md §21.4): finalised
predikat.

Authentication is an **instansi token** only (`Authorization: Bearer kni_…`, issued by the admin kepegawaian
on the "Token sistem instansi" page): these endpoints do not use the API's default authentication, so a
browser session or a personal token is refused with 401, and an instansi token is refused everywhere else.
A token reads its own instansi's data and nothing else. Only FINAL evaluations are served.
"""

import datetime
from typing import Any, Literal

from django.db.models import QuerySet
from django.http import HttpRequest
from ninja import Field, Query, Router, Schema
from ninja.errors import AuthenticationError
from ninja.pagination import paginate
from ninja.security import HttpBearer

from kinerja.api.errors import Pesan
from kinerja.api.pagination import Halaman
from kinerja.penilaian.models import Evaluasi
from kinerja.rules import siasn as kode_siasn
from kinerja.tindak_lanjut.models import TokenInstansi
from kinerja.tindak_lanjut.siasn import selectors as selectors_siasn
from kinerja.tindak_lanjut.siasn.ekspor import services_token


class TokenInstansiAuth(HttpBearer):
    """`Authorization: Bearer <token>` with a token from the "Token sistem instansi" page, nothing else."""

    openapi_description = "Token sistem instansi (`kni_…`) dari halaman Token sistem instansi."

    def authenticate(self, request: HttpRequest, token: str) -> TokenInstansi:
        found = services_token.use_token(token.strip())
        if found is None:
            raise AuthenticationError(401, "Token sistem instansi tidak dikenal atau sudah dicabut.")
        return found


token_instansi_auth = TokenInstansiAuth()

router = Router(tags=["eksternal"], auth=[token_instansi_auth])


class PredikatOut(Schema):
    nip: str = Field(description="NIP pegawai yang dinilai.")
    nama: str
    jabatan: str = Field(description="Jabatan pegawai saat evaluasi.")
    unit: str = Field(description="Unit kerja pegawai saat evaluasi.")
    tahun: int
    jenis: Literal["tahunan", "periodik"]
    periode_nomor: int | None = Field(description="Nomor periode penilaian (periodik); null untuk tahunan.")
    periode_nama: str
    bulan_mulai: int
    bulan_selesai: int
    rating_hasil: Literal["diatas", "sesuai", "dibawah"]
    rating_perilaku: Literal["diatas", "sesuai", "dibawah"]
    predikat: Literal["sangat_baik", "baik", "butuh_perbaikan", "kurang", "sangat_kurang"]
    predikat_label: str
    predikat_kode_siasn: int = Field(description="Kode kuadran SIASN: 1 Sangat Baik … 5 Sangat Kurang.")
    final_pada: datetime.datetime
    diubah_pada: datetime.datetime | None = Field(
        description="Waktu keputusan keberatan yang mengubah predikat setelah final (null: tidak diubah). "
        "Sistem yang menyinkronkan data sebaiknya memakai nilai terakhir dari final_pada dan diubah_pada."
    )


def _keluar(ev: Evaluasi) -> dict[str, Any]:
    pp = ev.periode_penilaian
    mulai, selesai = (pp.mulai, pp.selesai) if pp else (ev.skp.mulai, ev.skp.selesai)
    p = ev.predikat_enum
    return {
        "nip": ev.pegawai_nip,
        "nama": ev.pegawai_nama,
        "jabatan": ev.pegawai_jabatan,
        "unit": ev.pegawai_unit,
        "tahun": ev.periode.tahun,
        "jenis": ev.jenis,
        "periode_nomor": pp.nomor if pp else None,
        "periode_nama": f"{pp.nama} {ev.periode.tahun}" if pp else f"Tahunan {ev.periode.tahun}",
        "bulan_mulai": mulai.month,
        "bulan_selesai": selesai.month,
        "rating_hasil": ev.rating_hasil,
        "rating_perilaku": ev.rating_perilaku,
        "predikat": ev.predikat,
        "predikat_label": p.label if p else "",
        "predikat_kode_siasn": kode_siasn.KUADRAN[p] if p else 0,
        "final_pada": ev.final_pada,
        "diubah_pada": getattr(ev, "diubah_keberatan_pada", None),
    }


class _Halaman:
    """The paginator's list: counted in the database, and only the requested page is loaded and shaped."""

    def __init__(self, qs: QuerySet[Evaluasi]) -> None:
        self.qs = qs

    def __len__(self) -> int:
        return self.qs.count()

    def __getitem__(self, key: slice) -> list[dict[str, Any]]:
        return [_keluar(ev) for ev in self.qs[key]]


Tahun = Query[int, {"ge": 2000, "le": 2100, "description": "Tahun penilaian."}]
Jenis = Query[
    Literal["tahunan", "periodik"] | None,
    {"description": "`tahunan` atau `periodik`; tanpa nilai: keduanya."},
]
Nip = Query[str | None, {"pattern": r"^[0-9]{18}$", "description": "NIP 18 digit: hanya pegawai ini."}]


@router.get(
    "/eksternal/predikat",
    response={200: list[PredikatOut], 401: Pesan},
    summary="Predikat kinerja final pegawai instansi per tahun (untuk sistem lain: TPP, manajemen talenta)",
    description="Hanya dengan token sistem instansi (`Authorization: Bearer kni_…`); sesi peramban dan token "
    "pribadi ditolak (401). Hanya evaluasi yang sudah **final** dari instansi pemilik token. "
    "`jenis` menyaring tahunan/periodik (tanpa nilai: keduanya); `nip` menyaring satu pegawai. "
    "Urutan: NIP, lalu tahunan, lalu periode.",
)
@paginate(Halaman)
def predikat(
    request: HttpRequest,
    tahun: Tahun,
    jenis: Jenis = None,
    nip: Nip = None,
) -> Any:
    token: TokenInstansi = request.auth  # type: ignore[attr-defined]
    return _Halaman(selectors_siasn.predikat_final(token.instansi, tahun, jenis, nip))
