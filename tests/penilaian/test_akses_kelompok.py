"""One rule for who may see a rating group (``penilaian.view_kelompok``): the group page, its what-if, the
penetapan predikat PDF and xlsx and the API group endpoints give the same answer for every role.

The group under test is the Kepala Subbagian Umum's (unit Subbagian Umum, TW I): one evaluation opened (Nur
Aini's), three approved SKP not yet opened (Joko's among them). Above it: the Sekretaris (the recorded atasan
penilai, head of the Sekretariat above) and the kepala (head of the instansi, recorded nowhere in the group).
Beside it: the Kepala Subbagian Perencanaan (a sibling unit's penilai), the kabid and the Kepala Bidang
Mutasi (other bidang under the kepala). Built once for the module (tests/builders.py).
"""

from __future__ import annotations

import dataclasses
import datetime
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from kinerja.organisasi import services as org_services
from kinerja.organisasi.models import Jabatan, Pegawai, Penempatan, User
from kinerja.penilaian import selectors
from kinerja.perencanaan.models import Skp
from tests import builders as b
from tests.conftest import perpanjang_batas_evaluasi

pytestmark = [pytest.mark.django_db, pytest.mark.data_kecil]

HALAMAN = "/penilaian/kelompok/"
WHAT_IF = "/penilaian/kelompok/what-if/"
PDF = "/penilaian/kelompok/penetapan/pdf/"
XLSX = "/penilaian/kelompok/penetapan/xlsx/"
API = "/api/v1/penilaian/kelompok"


@dataclasses.dataclass
class Pemeran(b.Pemeran):
    sekretaris: Pegawai  # head of the Sekretariat, above the Subbagian Umum: the atasan penilai
    ksubum: Pegawai  # Kepala Subbagian Umum: the group's penilai
    ksubpk: Pegawai  # Kepala Subbagian Perencanaan: a sibling unit's penilai
    kbmp: Pegawai  # Kepala Bidang Mutasi: another bidang's head
    nur_aini: Pegawai  # a member (her evaluation is opened)
    joko: Pegawai  # a member (SKP approved, evaluation not opened)
    j_sekretaris: Jabatan


def _bangun() -> Pemeran:
    tim = b.atasan_dan_bawahan()
    j_kepala = tim.kepala.penempatan.get().jabatan

    def kepala_unit(nama: str, parent: Any, jabatan: Jabatan, jenis: str) -> tuple[Any, Jabatan, Pegawai]:
        unit = b.UnitKerjaFactory(instansi=tim.instansi, parent=parent, nama=nama)
        jab = b.JabatanFactory(
            unit=unit, nama=f"Kepala {nama}", jenis=jenis, parent=jabatan, pimpinan_unit=True
        )
        return unit, jab, b.pegawai_di(jab)

    sekr, j_sekr, sekretaris = kepala_unit("Sekretariat", tim.unit, j_kepala, "administrator")
    subum, j_ksubum, ksubum = kepala_unit("Subbagian Umum", sekr, j_sekr, "pengawas")
    *_, ksubpk = kepala_unit("Subbagian Perencanaan", sekr, j_sekr, "pengawas")
    *_, kbmp = kepala_unit("Bidang Mutasi", tim.unit, j_kepala, "administrator")
    j_staf = b.JabatanFactory(unit=subum, nama="Pengadministrasi Umum", parent=j_ksubum)
    anggota = [
        b.pegawai_di(j_staf, nama=nama) for nama in ("Nur Aini", "Joko Santoso", "Staf Tiga", "Staf Empat")
    ]
    for peg in (tim.kepala, sekretaris, ksubum, *anggota):
        b.skp_disetujui(peg)
    perpanjang_batas_evaluasi(tim.instansi)
    return Pemeran(tim, sekretaris, ksubum, ksubpk, kbmp, anggota[0], anggota[1], j_sekr)


_p, p = b.pemeran_modul(_bangun, "p")


def _user(p: Pemeran, siapa: str) -> User:
    if siapa == "admin":
        return p.tim.admin
    if siapa == "admin-lain":
        return User.objects.get(username=siapa)
    return getattr(p, siapa).user


def _jawaban(c: Client, penilai: str, api: dict[str, str], tahun: int) -> dict[str, int]:
    """Status of every place that shows the group (``penilai``: a pk or "0"; ``api``: its parameters)."""
    halaman = {"periode": "1", "penilai": penilai}
    dokumen = {**halaman, "tahun": str(tahun)}
    return {
        "halaman": c.get(HALAMAN, halaman).status_code,
        "what_if": c.get(WHAT_IF, {**halaman, "what_if": "istimewa"}).status_code,
        "pdf": c.get(PDF, dokumen).status_code,
        "xlsx": c.get(XLSX, dokumen).status_code,
        "api": c.get(API, {"periode": "1", **api}).status_code,
        "api_what_if": c.get(f"{API}/what-if", {"periode": "1", **api}).status_code,
    }


@pytest.fixture
def kelompok_subum(p) -> selectors.Kelompok:  # type: ignore[no-untyped-def]
    skp = Skp.objects.select_related("periode", "pegawai").get(pegawai=p.nur_aini)
    b.evaluasi_dibuka(skp, p.tim.pp(1))  # opened by her penilai, the Kepala Subbagian Umum
    kel = selectors.kelompok(p.ksubum, p.tim.pp(1))
    assert [e.pegawai for e in kel.evaluasi] == [p.nur_aini]
    assert p.joko in {s.pegawai for s in kel.belum_dibuka} and len(kel.belum_dibuka) == 3
    return kel


@pytest.fixture
def plh_sekretaris(p) -> Pegawai:  # type: ignore[no-untyped-def]
    """The Kepala Bidang Mutasi is also PLH Sekretaris today: the head of the unit above the Subbagian Umum
    group, though recorded nowhere in it."""
    org_services.save_penempatan(
        Penempatan(pegawai=p.kbmp, jabatan=p.j_sekretaris),
        jenis="plh",
        mulai=timezone.localdate() - datetime.timedelta(days=1),
    )
    return p.kbmp


@pytest.mark.parametrize(
    ("siapa", "boleh"),
    [
        ("nur_aini", False),  # a member, evaluated
        ("joko", False),  # a member, evaluation not opened
        ("ksubum", True),  # the group's penilai
        ("sekretaris", True),  # the atasan penilai recorded on the members' SKP / evaluation
        ("plh", True),  # the head (PLH) of the unit above, recorded nowhere in the group
        ("kepala", True),  # the head of the instansi: above in the org tree
        ("ksubpk", False),  # the penilai of the sibling unit
        ("kabid", False),  # the penilai of another bidang
        ("admin", True),
        ("admin-lain", False),  # the admin of another instansi
    ],
)
def test_same_answer_everywhere(p, kelompok_subum, plh_sekretaris, other_instansi, siapa, boleh):
    kel = kelompok_subum
    user = plh_sekretaris.user if siapa == "plh" else _user(p, siapa)
    assert User.objects.get(pk=user.pk).has_perm("penilaian.view_kelompok", kel) is boleh
    penilai = str(kel.penilai.pk)
    jawaban = _jawaban(b.klien(user), penilai, {"penilai_id": penilai}, kel.periode.tahun)
    assert jawaban == dict.fromkeys(jawaban, 200 if boleh else 403)


def test_without_the_plh_the_other_bidang_head_does_not_see_it(p, kelompok_subum):
    """The PLH placement is what lets the Kepala Bidang Mutasi in (above)."""
    kel = kelompok_subum
    assert not p.kbmp.user.has_perm("penilaian.view_kelompok", kel)
    jawaban = _jawaban(b.klien(p.kbmp.user), str(kel.penilai.pk), {"penilai_id": str(kel.penilai.pk)}, 2026)
    assert set(jawaban.values()) == {403}


@pytest.mark.parametrize(
    ("siapa", "boleh"),
    [
        ("kepala", True),  # the only member, and the head of the group's unit: he signs its penetapan
        ("sekretaris", False),  # below the head
        ("kabid", False),
        ("nur_aini", False),
        ("admin", True),  # the admin rates the head of the instansi
    ],
)
def test_the_top_group_without_a_penilai(p, siapa, boleh):
    skp = Skp.objects.select_related("periode", "pegawai").get(pegawai=p.kepala)
    kel = selectors.kelompok(None, p.tim.pp(1), unit=skp.unit)
    assert [s.pegawai for s in kel.belum_dibuka] == [p.kepala] and not kel.evaluasi
    user = _user(p, siapa)
    assert user.has_perm("penilaian.view_kelompok", kel) is boleh
    jawaban = _jawaban(b.klien(user), "0", {"tanpa_penilai": "true"}, kel.periode.tahun)
    assert jawaban == dict.fromkeys(jawaban, 200 if boleh else 403)


def test_anonymous_is_sent_to_log_in(kelompok_subum):
    c = Client()
    penilai = str(kelompok_subum.penilai.pk)
    for url, data in (
        (HALAMAN, {"periode": "1", "penilai": penilai}),
        (WHAT_IF, {"periode": "1", "penilai": penilai, "what_if": "baik"}),
        (PDF, {"periode": "1", "penilai": penilai}),
        (XLSX, {"periode": "1", "penilai": penilai}),
    ):
        r = c.get(url, data)
        assert r.status_code == 302 and "/login/" in r["Location"], url
    assert c.get(API, {"periode": "1", "penilai_id": penilai}).status_code == 401
