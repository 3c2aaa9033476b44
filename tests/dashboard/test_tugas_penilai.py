"""The penilai's items of the to-do list (docs/rules.md §32): SKP to approve, bawahan to rate in a periode
being evaluated (n of m, until its evaluation deadline), rated evaluations waiting for their group's
finalisation; the dashboard's cost with 30 bawahan."""

from __future__ import annotations

import datetime

import pytest
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from kinerja.dashboard.tugas import PENILAI, Bahan, tugas_untuk
from kinerja.demo.bench.pelaksanaan import create_instansi, create_kepala, create_staf
from kinerja.organisasi.models import User
from kinerja.perencanaan import services as skp_services
from kinerja.perencanaan.models import Skp
from tests import builders as b
from tests.conftest import perpanjang_batas_evaluasi

pytestmark = pytest.mark.django_db

HARI = datetime.date(2026, 12, 6)


@pytest.fixture
def tim() -> b.Tim:
    t = b.atasan_dan_bawahan()
    b.skp_disetujui(t.kepala)
    b.skp_disetujui(t.atasan)
    b.skp_disetujui(t.bawahan)
    return t


def test_skp_to_approve_links_to_the_inbox(tim: b.Tim) -> None:
    items = tugas_untuk(tim.atasan.user, HARI, Bahan(skp_menunggu=3, penilai=True))
    [item] = [t for t in items if t.peran == PENILAI]
    assert (item.judul, item.keterangan, item.jumlah) == (
        "Setujui SKP bawahan",
        "3 SKP bawahan menunggu persetujuan Anda",
        3,
    )
    assert item.tautan == "/skp/persetujuan/" and item.batas is None


def test_nothing_to_rate_outside_an_evaluation_window(tim: b.Tim) -> None:
    # on the suite's clock, Triwulan I–III's evaluation deadlines have passed and Triwulan IV runs
    assert not [t for t in tugas_untuk(tim.atasan.user, HARI, Bahan(penilai=True)) if t.peran == PENILAI]


def test_bawahan_to_rate_then_the_group_to_finalise(tim: b.Tim) -> None:
    perpanjang_batas_evaluasi(tim.instansi)
    tw3 = b.segar(tim.pp(3))

    def penilai_items() -> dict[str, object]:
        return {
            t.judul: t for t in tugas_untuk(tim.atasan.user, HARI, Bahan(penilai=True)) if t.peran == PENILAI
        }

    items = penilai_items()
    rate = items["Nilai bawahan: evaluasi Triwulan III"]
    assert (rate.keterangan, rate.selesai, rate.jumlah, rate.batas) == (  # type: ignore[attr-defined]
        "0 dari 1 dinilai",
        0,
        1,
        tw3.batas_evaluasi,
    )
    assert rate.tautan == "/penilaian/?periode=3"  # type: ignore[attr-defined]
    b.evaluasi_dinilai(tim.bawahan.skp.get(), tw3)
    items = penilai_items()
    assert "Nilai bawahan: evaluasi Triwulan III" not in items
    final = items["Finalisasi kelompok: evaluasi Triwulan III"]
    assert final.keterangan == "1 penilaian menunggu finalisasi"  # type: ignore[attr-defined]
    # the bawahan, rated by someone else, has no such item
    assert not [t for t in tugas_untuk(tim.bawahan.user, HARI, Bahan(penilai=False)) if t.peran == PENILAI]


def _kueri(client: Client) -> int:
    client.get("/")
    cache.clear()
    client.get("/")
    with CaptureQueriesContext(connection) as ctx:
        assert client.get("/").status_code == 200
    return len(ctx.captured_queries)


def test_a_penilai_of_30_costs_what_one_of_10_costs_and_at_most_12() -> None:
    instansi, periode = create_instansi()
    perpanjang_batas_evaluasi(instansi)  # a periode being evaluated: the rating progress is read too
    kepala = create_kepala(instansi, periode)
    create_staf(kepala, 10)
    client = Client()
    client.force_login(kepala.user)
    sepuluh = _kueri(client)
    create_staf(kepala, 20, mulai_nomor=10)
    assert "Nilai bawahan: evaluasi" in client.get("/").content.decode()
    assert _kueri(client) == sepuluh <= 12


def test_a_submitted_skp_shows_on_the_penilai_list(demo_instansi) -> None:  # type: ignore[no-untyped-def]
    kabid = Client()
    kabid.force_login(User.objects.get(pegawai__nip="197904182005012005"))
    skp = Skp.objects.filter(pegawai__nip="199406222019032009").order_by("-mulai").first()
    assert skp is not None
    kabid.get("/")
    skp_services.submit_skp(skp, User.objects.get(pegawai__nip="199406222019032009"))
    html = kabid.get("/").content.decode()
    assert 'href="/skp/persetujuan/">Setujui SKP bawahan</a>: ' in html
