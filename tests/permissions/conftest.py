"""A small instansi for the permission matrix: kepala (atasan penilai) > kabid (penilai) > two staf (the
owner and a colleague), plus a second instansi with its own pegawai and admin. Objects under test are
unsaved model rows pointing at these pegawai: every rule reads ids and the org tree, not the row's own
table."""

from __future__ import annotations

import datetime
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import factory
import pytest
from django.contrib.auth.models import AnonymousUser
from django.db import transaction

from kinerja.organisasi.models import Instansi, Jabatan, Pegawai, Penempatan, UnitKerja, User


class InstansiFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Instansi

    kode = factory.Sequence(lambda n: f"MTX{n}")
    nama = factory.Sequence(lambda n: f"Instansi Matriks {n}")


class PegawaiFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Pegawai

    instansi = factory.SubFactory(InstansiFactory)
    nip = factory.Sequence(lambda n: f"19800101200501{n % 10000:04d}")
    nama = factory.Sequence(lambda n: f"Pegawai {n}")


def _pegawai(jabatan: Jabatan) -> Pegawai:
    """A pegawai holding ``jabatan`` (definitif) since 2020."""
    peg = PegawaiFactory(instansi=jabatan.instansi)
    Penempatan.objects.create(
        pegawai=peg, jabatan=jabatan, jenis="definitif", mulai=datetime.date(2020, 1, 1)
    )
    return peg


@dataclass
class Dunia:
    instansi: Instansi
    unit: UnitKerja
    kepala: Pegawai
    kabid: Pegawai
    staf: Pegawai
    rekan: Pegawai
    luar: Pegawai
    users: dict[str, object]


ROLES = (
    "pemilik",
    "penilai",
    "atasan_penilai",
    "rekan",
    "pegawai_lain_instansi",
    "admin",
    "admin_lain",
    "superuser",
    "anonim",
)


@pytest.fixture(scope="module")
def dunia(django_db_setup: None, django_db_blocker: Any) -> Iterator[Dunia]:
    """Built once per module inside a transaction rolled back at the end (the rules only read)."""
    with django_db_blocker.unblock(), transaction.atomic():
        yield _bangun()
        transaction.set_rollback(True)


def _bangun() -> Dunia:
    from kinerja.organisasi import services

    inst = InstansiFactory()
    unit = services.save_unit_kerja(
        UnitKerja(instansi=inst), instansi=inst, kode="U", nama="Dinas", parent=None
    )

    def jabatan(kode: str, parent: Jabatan | None, jenis: str, pimpinan: bool = False) -> Jabatan:
        return services.save_jabatan(
            Jabatan(instansi=inst),
            kode=kode,
            nama=f"Jabatan {kode}",
            jenis=jenis,
            jenjang="",
            unit=unit,
            parent=parent,
            pimpinan_unit=pimpinan,
            unit_kerja_mandiri=pimpinan,
        )

    j_kepala = jabatan("K", None, "jpt_pratama", pimpinan=True)
    j_kabid = jabatan("B", j_kepala, "administrator")
    j_staf = jabatan("S1", j_kabid, "pelaksana")
    j_rekan = jabatan("S2", j_kabid, "pelaksana")
    kepala, kabid, staf, rekan = (_pegawai(j) for j in (j_kepala, j_kabid, j_staf, j_rekan))

    lain = InstansiFactory()
    unit_lain = services.save_unit_kerja(
        UnitKerja(instansi=lain), instansi=lain, kode="U", nama="Dinas Lain", parent=None
    )
    j_luar = services.save_jabatan(
        Jabatan(instansi=lain),
        kode="L",
        nama="Kepala Dinas Lain",
        jenis="jpt_pratama",
        jenjang="",
        unit=unit_lain,
        parent=None,
        pimpinan_unit=True,
        unit_kerja_mandiri=True,
    )
    luar = _pegawai(j_luar)

    users: dict[str, object] = {
        "pemilik": User.objects.create(username="mtx-pemilik", pegawai=staf),
        "penilai": User.objects.create(username="mtx-penilai", pegawai=kabid),
        "atasan_penilai": User.objects.create(username="mtx-atasan", pegawai=kepala),
        "rekan": User.objects.create(username="mtx-rekan", pegawai=rekan),
        "pegawai_lain_instansi": User.objects.create(username="mtx-luar", pegawai=luar),
        "admin": User.objects.create(username="mtx-admin", admin_instansi=inst),
        "admin_lain": User.objects.create(username="mtx-admin-lain", admin_instansi=lain),
        "superuser": User.objects.create(username="mtx-su", is_superuser=True),
        "anonim": AnonymousUser(),
    }
    return Dunia(inst, unit, kepala, kabid, staf, rekan, luar, users)
