"""Push API for attendance systems of an instansi (docs/rules.md §27): taps written with the instansi
token (`Authorization: Bearer kni_…`, the same token and authentication as `kinerja.api.eksternal`).

A token writes taps only for its own instansi's pegawai and machines; anything else is refused item by item.
A tap is unique per pegawai and second, so sending the same body twice adds nothing the second time.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.http import HttpRequest
from ninja import Field, Router, Schema
from pydantic import model_validator

from kinerja.api.eksternal import token_instansi_auth
from kinerja.api.errors import Pesan
from kinerja.kehadiran.rekaman import services
from kinerja.tindak_lanjut.models import TokenInstansi

MAKS_REKAMAN = 5_000

router = Router(tags=["kehadiran"], auth=[token_instansi_auth])


class RekamanIn(Schema):
    nip: str | None = Field(None, max_length=18, description="NIP pegawai (atau isi `mesin` dan `pin`).")
    mesin: str | None = Field(None, max_length=100, description="Nama atau nomor seri mesin presensi.")
    pin: str | None = Field(None, max_length=24, description="PIN pegawai di mesin itu.")
    waktu: datetime.datetime = Field(
        description="Waktu rekaman, ISO 8601 dengan zona waktu (tanpa zona: waktu setempat instansi)."
    )

    @model_validator(mode="after")
    def _pegawai(self) -> RekamanIn:
        if not self.nip and not (self.mesin and self.pin):
            raise ValueError("Isi `nip`, atau `mesin` dan `pin`.")
        return self


class RekamanPushIn(Schema):
    rekaman: list[RekamanIn] = Field(
        max_length=MAKS_REKAMAN, description=f"Paling banyak {MAKS_REKAMAN} rekaman per permintaan."
    )


class DitolakOut(Schema):
    indeks: int = Field(description="Posisi rekaman dalam `rekaman` (mulai 0).")
    alasan: str


class RekamanPushOut(Schema):
    diterima: int = Field(description="Rekaman yang sah (baru ditambah yang sudah ada).")
    baru: int
    sudah_ada: int
    ditolak: list[DitolakOut]


@router.post(
    "/kehadiran/rekaman",
    response={200: RekamanPushOut, 401: Pesan},
    summary="Kirim rekaman kehadiran (tap) dari sistem presensi instansi",
    description="Hanya dengan token sistem instansi (`Authorization: Bearer kni_…`). Setiap rekaman menyebut "
    "pegawai dengan `nip`, atau dengan `mesin` (nama/nomor seri) dan `pin`. Rekaman yang sama (pegawai dan "
    "detik yang sama) hanya disimpan sekali: mengirim ulang tidak menambah apa pun. Rekaman pegawai instansi "
    "lain, PIN tak terdaftar, atau waktu di masa depan / lebih dari 400 hari lalu ditolak per butir.",
)
def kirim_rekaman(request: HttpRequest, payload: RekamanPushIn) -> Any:
    token: TokenInstansi = request.auth  # type: ignore[attr-defined]
    hasil = services.simpan_push(token.instansi, [r.dict() for r in payload.rekaman])
    return {
        "diterima": hasil.diterima,
        "baru": hasil.baru,
        "sudah_ada": hasil.sudah_ada,
        "ditolak": hasil.ditolak,
    }
