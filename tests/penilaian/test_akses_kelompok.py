"""One rule for who may see a rating group (``penilaian.view_kelompok``): the group page, its what-if, the
penetapan predikat PDF and xlsx and the API group endpoints give the same answer for every role.

The group under test is the Kepala Subbagian Umum's (unit SUBUM, TW I): one evaluation opened, three approved
SKP not yet opened. Above it: the Sekretaris (the recorded atasan penilai, head of the unit above) and the
Kepala Badan (head of the instansi, recorded nowhere in the group).
"""

from __future__ import annotations

import datetime

import pytest
from django.test import Client
from django.utils import timezone

from kinerja.organisasi import services as org_services
from kinerja.organisasi.models import Jabatan, Pegawai, Penempatan, User
from kinerja.penilaian import selectors
from tests.penilaian.conftest import KABID, KBMP, KEPALA, KSUBUM, skp_of, tw, user_of

pytestmark = pytest.mark.django_db

SEKRETARIS = "197608222000122001"  # Sri Wahyuni: Sekretaris (head of SEKR, above SUBUM), atasan penilai
KSUBPK = "198507092009022003"  # Dewi Lestari: Kepala Subbagian Perencanaan dan Keuangan (sibling unit)
NUR_AINI = "199205062019032010"  # a member of the SUBUM group (her evaluation is opened)
JOKO = "198809252014031006"  # a member of the SUBUM group (SKP approved, evaluation not opened)

HALAMAN = "/penilaian/kelompok/"
WHAT_IF = "/penilaian/kelompok/what-if/"
PDF = "/penilaian/kelompok/penetapan/pdf/"
XLSX = "/penilaian/kelompok/penetapan/xlsx/"
API = "/api/v1/penilaian/kelompok"


def _login(user: User) -> Client:
    c = Client()
    c.force_login(user)
    return c


def _user(siapa: str) -> User:
    if siapa in ("admin", "admin-lain"):
        return User.objects.get(username=siapa)
    return user_of(siapa)


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
def kelompok_subum(siap, demo_instansi) -> selectors.Kelompok:  # type: ignore[no-untyped-def]
    siap(NUR_AINI)  # opened by her penilai, the Kepala Subbagian Umum
    skp = skp_of(KSUBUM)
    kel = selectors.kelompok(skp.pegawai, tw(skp, 1))
    assert [e.pegawai.nip for e in kel.evaluasi] == [NUR_AINI]
    assert JOKO in {s.pegawai.nip for s in kel.belum_dibuka} and len(kel.belum_dibuka) == 3
    return kel


@pytest.fixture
def plh_sekretaris(demo_instansi) -> Pegawai:  # type: ignore[no-untyped-def]
    """The Kepala Bidang Mutasi dan Promosi is also PLH Sekretaris today: the head of the unit above the
    SUBUM group, though recorded nowhere in it."""
    bambang = Pegawai.objects.get(nip=KBMP)
    sekretaris = Jabatan.objects.get(instansi=demo_instansi, unit__kode="SEKR", pimpinan_unit=True)
    org_services.save_penempatan(
        Penempatan(pegawai=bambang, jabatan=sekretaris),
        jenis="plh",
        mulai=timezone.localdate() - datetime.timedelta(days=1),
    )
    return bambang


@pytest.mark.parametrize(
    ("siapa", "boleh"),
    [
        (NUR_AINI, False),  # a member, evaluated
        (JOKO, False),  # a member, evaluation not opened
        (KSUBUM, True),  # the group's penilai
        (SEKRETARIS, True),  # the atasan penilai recorded on the members' SKP / evaluation
        ("plh", True),  # the head (PLH) of the unit above, recorded nowhere in the group
        (KEPALA, True),  # the head of the instansi: above in the org tree
        (KSUBPK, False),  # the penilai of the sibling unit
        (KABID, False),  # the penilai of another bidang
        ("admin", True),
        ("admin-lain", False),  # the admin of another instansi
    ],
)
def test_same_answer_everywhere(kelompok_subum, plh_sekretaris, other_instansi, siapa, boleh):
    kel = kelompok_subum
    user = user_of(KBMP) if siapa == "plh" else _user(siapa)
    assert User.objects.get(pk=user.pk).has_perm("penilaian.view_kelompok", kel) is boleh
    penilai = str(kel.penilai.pk)
    jawaban = _jawaban(_login(user), penilai, {"penilai_id": penilai}, kel.periode.tahun)
    assert jawaban == dict.fromkeys(jawaban, 200 if boleh else 403)


def test_without_the_plh_the_other_bidang_head_does_not_see_it(kelompok_subum):
    """The PLH placement is what lets the Kepala Bidang Mutasi dan Promosi in (above)."""
    kel = kelompok_subum
    assert not user_of(KBMP).has_perm("penilaian.view_kelompok", kel)
    jawaban = _jawaban(_login(user_of(KBMP)), str(kel.penilai.pk), {"penilai_id": str(kel.penilai.pk)}, 2026)
    assert set(jawaban.values()) == {403}


@pytest.mark.parametrize(
    ("siapa", "boleh"),
    [
        (KEPALA, True),  # the only member, and the head of the group's unit: he signs its penetapan
        (SEKRETARIS, False),  # below the head
        (KABID, False),
        (NUR_AINI, False),
        ("admin", True),  # the admin rates the head of the instansi
    ],
)
def test_the_top_group_without_a_penilai(demo_instansi, siapa, boleh):
    skp = skp_of(KEPALA)
    kel = selectors.kelompok(None, tw(skp, 1), unit=skp.unit)
    assert [s.pegawai.nip for s in kel.belum_dibuka] == [KEPALA] and not kel.evaluasi
    user = _user(siapa)
    assert user.has_perm("penilaian.view_kelompok", kel) is boleh
    jawaban = _jawaban(_login(user), "0", {"tanpa_penilai": "true"}, kel.periode.tahun)
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
