"""A small instansi of its own for the API tests, independent of what the demo seed holds:

    Kepala Dinas (JPT, top: the admin approves their SKP)
    └── Kepala Bidang (penilai of the two staff)
        ├── Staf Satu   (no SKP yet: the tests create it through the API)
        └── Staf Dua    (a colleague of Staf Satu)

The kepala's and the kabid's SKP of the current year are drafted with RHK, the kabid's intervening the
kepala's, so the staff have RHK to intervene.

The pelaksanaan API tests (realisasi, catatan kegiatan) stand on another small cast, built once per module
(`skp_pelaksana`): the pelaksana owns an approved SKP rated by the kabid; the fungsional is a peer (same
jabatan and penilai, an approved SKP of her own); ``ADMIN`` is their instansi's admin.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

import pytest
from django.test import Client

from kinerja.organisasi import selectors as org
from kinerja.organisasi import services as org_services
from kinerja.organisasi.models import Instansi, Jabatan, Pegawai, Penempatan, Periode, UnitKerja, User
from kinerja.perencanaan import services
from kinerja.perencanaan.models import Rhk, Skp
from kinerja.rules.jadwal import Skema
from tests import builders as b


@dataclass
class Tim:
    instansi: Instansi
    periode: Periode
    pegawai: dict[str, Pegawai]
    admin: User
    skp: dict[str, Skp] = field(default_factory=dict)
    rhk: dict[str, list[Rhk]] = field(default_factory=dict)

    def user(self, who: str) -> User:
        if who == "admin":
            return self.admin
        return User.objects.get(pegawai=self.pegawai[who])

    def client(self, who: str) -> Client:
        client = Client()
        client.force_login(self.user(who))
        return client

    def token(self, who: str) -> str:
        """A new personal API token of `who` (raw)."""
        _, raw = org_services.create_token(self.user(who), "uji")
        return raw

    def token_client(self, who: str) -> Client:
        return Client(headers={"Authorization": f"Bearer {self.token(who)}"})

    @staticmethod
    def rhk_body(induk: Rhk, teks: str = "Tersedianya rekap data kinerja bulanan", **extra: object) -> dict:
        """One RHK of a PUT body, intervening `induk`, with one qualitative indikator."""
        return {
            "teks": teks,
            "jenis": "utama",
            "intervensi_id": induk.pk,
            "indikator": [
                {
                    "aspek": "kuantitas",
                    "teks": "Rekap data kinerja tersedia setiap bulan",
                    "target_teks": "Rekap lengkap dan tepat waktu",
                }
            ],
            **extra,
        }


NIP = {
    "kepala": "197001012000011001",
    "kabid": "198002022005012002",
    "staf": "199003032015031003",
    "rekan": "199104042016032004",
}


@pytest.fixture
def tim(db: None) -> Tim:
    inst = Instansi.objects.create(kode="UJI-API", nama="Dinas Uji API")
    dinas = org_services.save_unit_kerja(
        UnitKerja(instansi=inst), instansi=inst, kode="D", nama="Dinas Uji", parent=None
    )
    bidang = org_services.save_unit_kerja(
        UnitKerja(instansi=inst), instansi=inst, kode="B", nama="Bidang Uji", parent=dinas
    )

    def jabatan(kode: str, nama: str, jenis: str, unit: UnitKerja, parent: Jabatan | None) -> Jabatan:
        return org_services.save_jabatan(
            Jabatan(instansi=inst),
            kode=kode,
            nama=nama,
            jenis=jenis,
            jenjang="",
            unit=unit,
            parent=parent,
            pimpinan_unit=parent is None or jenis == "administrator",
            unit_kerja_mandiri=parent is None,
        )

    kd = jabatan("KD", "Kepala Dinas Uji", "jpt_pratama", dinas, None)
    kb = jabatan("KB", "Kepala Bidang Uji", "administrator", bidang, kd)
    jab = {
        "kepala": kd,
        "kabid": kb,
        "staf": jabatan("S1", "Pengolah Data", "pelaksana", bidang, kb),
        "rekan": jabatan("S2", "Pengadministrasi Umum", "pelaksana", bidang, kb),
    }
    pegawai = {}
    for who, nip in NIP.items():
        pegawai[who] = org_services.save_pegawai(
            Pegawai(instansi=inst), nip=nip, nama=f"Pegawai {who.title()}", pangkat_golongan="III/a"
        )
        org_services.save_penempatan(
            Penempatan(pegawai=pegawai[who], jabatan=jab[who]),
            jenis="definitif",
            mulai=datetime.date(2020, 1, 1),
        )
    admin = User.objects.create(username="admin-uji-api", admin_instansi=inst)
    periode = org_services.create_periode(inst, org.today().year, Skema.TRIWULANAN)
    tim = Tim(inst, periode, pegawai, admin)

    kepala = tim.user("kepala")
    tim.skp["kepala"] = services.create_skp(pegawai["kepala"], periode, kepala)
    tim.rhk["kepala"] = [
        services.save_rhk(tim.skp["kepala"], kepala, teks=teks, perspektif=p)[0]
        for teks, p in [
            ("Meningkatnya kualitas layanan kepegawaian", "penerima_layanan"),
            ("Terwujudnya tata kelola anggaran yang akuntabel", "anggaran"),
        ]
    ]
    kabid = tim.user("kabid")
    tim.skp["kabid"] = services.create_skp(pegawai["kabid"], periode, kabid)
    tim.rhk["kabid"] = [
        services.save_rhk(tim.skp["kabid"], kabid, teks=teks, intervensi=induk)[0]
        for teks, induk in [
            ("Tersedianya data kinerja pegawai yang mutakhir", tim.rhk["kepala"][0]),
            ("Tersusunnya laporan keuangan bidang tepat waktu", tim.rhk["kepala"][1]),
        ]
    ]
    return tim


PELAKSANA = "199108162099031001"
KABID = "197904182099012005"
FUNGSIONAL = "198506282099012004"
ADMIN = "admin-pelaksanaan"


def _bangun_pelaksanaan() -> None:
    tim = b.atasan_dan_bawahan(
        b.InstansiFactory(kode="PELAKSANAAN"), atasan={"nip": KABID}, bawahan={"nip": PELAKSANA}
    )
    b.skp_disetujui(tim.kepala)
    b.skp_disetujui(tim.atasan)
    b.skp_disetujui(tim.bawahan)
    b.skp_disetujui(b.pegawai_di(tim.bawahan.penempatan.get().jabatan, nip=FUNGSIONAL))


@pytest.fixture(scope="module")
def _pemeran_pelaksanaan(django_db_setup, django_db_blocker):  # type: ignore[no-untyped-def]
    with b.sekali(django_db_blocker, _bangun_pelaksanaan):
        yield


@pytest.fixture
def skp_pelaksana(_pemeran_pelaksanaan, db) -> Skp:  # type: ignore[no-untyped-def]
    """The pelaksana's approved SKP of the year."""
    return Skp.objects.get(pegawai__nip=PELAKSANA, status="disetujui")
