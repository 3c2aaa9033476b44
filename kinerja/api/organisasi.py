from __future__ import annotations

import datetime

from django.db.models import QuerySet
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Router, Schema
from ninja.errors import HttpError
from ninja.pagination import paginate

from kinerja.api.pagination import Halaman
from kinerja.api.tipe import Id, TanggalOpsional
from kinerja.organisasi import selectors
from kinerja.organisasi.models import Pegawai, UnitKerja
from kinerja.permissions import user_instansi_id

router = Router(tags=["organisasi"])


class JabatanOut(Schema):
    id: int
    kode: str
    nama: str
    jenis: str
    jenjang: str
    unit: str
    jenis_penempatan: str


class PegawaiOut(Schema):
    id: int
    nip: str
    nama: str
    nama_lengkap: str
    jenis_asn: str
    pangkat_golongan: str
    aktif: bool
    jabatan: list[JabatanOut]

    @staticmethod
    def resolve_jabatan(obj: Pegawai) -> list[JabatanOut]:
        rows = getattr(obj, "penempatan_aktif", None)
        if rows is None:
            rows = selectors.penempatan_aktif(obj)
        return _jabatan_out(rows)


class PemangkuOut(Schema):
    pegawai_id: int
    nip: str
    nama_lengkap: str
    jabatan: str
    jenis_penempatan: str


class RantaiOut(Schema):
    tanggal: datetime.date
    penilai: PemangkuOut | None
    atasan_penilai: PemangkuOut | None


class UnitOut(Schema):
    id: int
    kode: str
    nama: str
    parent_id: int | None
    depth: int


def _jabatan_out(penempatan: list) -> list[JabatanOut]:
    return [
        JabatanOut(
            id=p.jabatan.pk,
            kode=p.jabatan.kode,
            nama=p.jabatan.nama,
            jenis=p.jabatan.jenis,
            jenjang=p.jabatan.jenjang,
            unit=p.jabatan.unit.nama,
            jenis_penempatan=p.jenis,
        )
        for p in penempatan
    ]


def _pemangku_out(m: selectors.Pemangku | None) -> PemangkuOut | None:
    if m is None:
        return None
    return PemangkuOut(
        pegawai_id=m.pegawai.pk,
        nip=m.pegawai.nip,
        nama_lengkap=m.pegawai.nama_lengkap,
        jabatan=m.jabatan.nama,
        jenis_penempatan=m.jenis,
    )


@router.get("/me", response=PegawaiOut, summary="Data pegawai pengguna yang masuk")
def me(request: HttpRequest) -> Pegawai:
    pegawai = request.user.pegawai if request.user.pegawai_id else None
    if pegawai is None:
        raise HttpError(404, "Akun ini tidak terhubung dengan data pegawai.")
    return pegawai


@router.get("/pegawai", response=list[PegawaiOut], summary="Daftar pegawai instansi (admin kepegawaian)")
@paginate(Halaman)
def pegawai_list(request: HttpRequest, q: str = "") -> QuerySet[Pegawai]:
    instansi = request.user.admin_instansi
    if instansi is None or not request.user.has_perm("organisasi.manage_instansi", instansi):
        raise HttpError(403, "Hanya admin kepegawaian yang dapat melihat daftar pegawai instansi.")
    return selectors.pegawai_list(instansi, q=q)


@router.get("/pegawai/{pegawai_id}", response=PegawaiOut, summary="Data seorang pegawai")
def pegawai_detail(request: HttpRequest, pegawai_id: Id) -> Pegawai:
    pegawai = get_object_or_404(Pegawai, pk=pegawai_id)
    if not request.user.has_perm("organisasi.view_pegawai", pegawai):
        raise HttpError(403, "Anda tidak berhak melihat data pegawai ini.")
    return pegawai


@router.get("/pegawai/{pegawai_id}/penilai", response=RantaiOut, summary="Pejabat penilai dan atasannya")
def pegawai_penilai(request: HttpRequest, pegawai_id: Id, tanggal: TanggalOpsional = None) -> RantaiOut:
    pegawai = get_object_or_404(Pegawai, pk=pegawai_id)
    if not request.user.has_perm("organisasi.view_pegawai", pegawai):
        raise HttpError(403, "Anda tidak berhak melihat data pegawai ini.")
    tanggal = tanggal or selectors.today()
    rantai = selectors.rantai_penilai(pegawai, tanggal)
    return RantaiOut(
        tanggal=tanggal,
        penilai=_pemangku_out(rantai.penilai),
        atasan_penilai=_pemangku_out(rantai.atasan_penilai),
    )


@router.get("/unit-kerja", response=list[UnitOut], summary="Pohon unit kerja instansi pengguna")
def unit_kerja(request: HttpRequest) -> list[UnitKerja]:
    user = request.user
    instansi_id = user_instansi_id(user)
    if instansi_id is None:
        raise HttpError(403, "Akun ini tidak terhubung dengan instansi.")
    return list(UnitKerja.objects.filter(instansi_id=instansi_id).order_by("path"))
