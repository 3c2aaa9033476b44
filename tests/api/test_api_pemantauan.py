"""The monitoring-board API: the penilai's board (content, flags, filters, sort, flat query count), the
unit roll-up with drill-down, the admin's progress pengisian — the same numbers as the pages' selectors
and the same rules of who may see what.

Time is frozen at 24 November 2026 10:00 (Triwulan I–III past their deadlines, Triwulan IV running).
Who may see what is checked on a small instansi built once (kepala → kabid → pelaksana, a fungsional
beside the pelaksana, the admin); the numbers on the bench builder's teams.
"""

import datetime
import typing
from decimal import Decimal

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from kinerja.api import pemantauan
from kinerja.demo.bench import pelaksanaan as bench
from kinerja.organisasi import selectors as org
from kinerja.organisasi import services as org_services
from kinerja.organisasi.models import Pegawai, UnitKerja, User
from kinerja.pelaksanaan import selectors
from kinerja.pelaksanaan.papan import selectors as selectors_papan
from kinerja.rules.jadwal import Skema
from tests import builders as b

pytestmark = pytest.mark.django_db

KEPALA = "197205141998031099"
KABID = "197904182005012099"
FUNGSIONAL = "198506282010012099"
PELAKSANA = "199108162015031099"
ADMIN = "admin-pemantauan"
NOW = timezone.make_aware(datetime.datetime(2026, 11, 24, 10, 0))
PENILAI = "/api/v1/pemantauan/penilai"
PROGRES = "/api/v1/pemantauan/progres"


@pytest.fixture(autouse=True)
def frozen(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setattr("django.utils.timezone.now", lambda: NOW)


def _bangun() -> b.Tim:
    t = b.atasan_dan_bawahan(
        b.InstansiFactory(kode="PEMANTAUAN"),
        kepala={"nip": KEPALA},
        atasan={"nip": KABID},
        bawahan={"nip": PELAKSANA},
    )
    for pegawai in (t.kepala, t.atasan, t.bawahan):
        b.skp_disetujui(pegawai)
    b.pegawai_di(t.bawahan.penempatan.get().jabatan, nip=FUNGSIONAL)
    return t


# The small instansi of the who-may-see-what cases.
_pemeran, instansi = b.pemeran_modul(
    _bangun, "instansi", modul="_pemeran", segarkan=lambda t: b.segar(t.instansi)
)


def client_of(user: User | str) -> Client:
    c = Client()
    c.force_login(user if isinstance(user, User) else User.objects.get(username=user))
    return c


def tim(n: int, kode: str) -> bench.Tim:
    instansi, periode = bench.create_instansi(kode, 2026)
    t = bench.create_kepala(instansi, periode)
    bench.create_staf(t, n)
    return t


def ok(client: Client, url: str) -> dict:
    r = client.get(url)
    assert r.status_code == 200, r.content
    return r.json()


def queries(client: Client, url: str) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def unit_url(unit: UnitKerja) -> str:
    return f"/api/v1/pemantauan/unit/{unit.pk}"


# --- penilai board ------------------------------------------------------------------------------------


def test_penilai_board_query_count_does_not_grow_with_the_bawahan(db) -> None:  # type: ignore[no-untyped-def]
    kecil, besar = tim(10, "API-PAPAN-10"), tim(100, "API-PAPAN-100")
    c_kecil, c_besar = client_of(kecil.user), client_of(besar.user)
    queries(c_kecil, PENILAI), queries(c_besar, PENILAI)  # warm per-user caches alike
    n_kecil, n_besar = queries(c_kecil, PENILAI), queries(c_besar, PENILAI)
    assert n_kecil == n_besar
    assert n_besar < 30
    assert len(ok(c_besar, PENILAI)["pegawai"]) == 100
    token = org_services.create_token(besar.user, "uji")[1]
    with_token = Client(headers={"Authorization": f"Bearer {token}"})
    queries(with_token, PENILAI + "?saring=terlambat&urut=capaian")
    assert queries(with_token, PENILAI + "?saring=terlambat&urut=capaian") <= n_besar + 2  # the token lookup


def test_penilai_board_rows_flags_filters_and_sort_match_the_selectors(db) -> None:  # type: ignore[no-untyped-def]
    t = tim(30, "API-PAPAN-FLAG")
    daftar = selectors.periode_list(t.periode)
    rows = {r.pegawai.nama: r for r in selectors_papan.papan_penilai(t.kepala, t.periode, daftar[3], daftar)}
    c = client_of(t.user)
    data = ok(c, PENILAI)  # default: the running periode
    assert data["periode"]["nomor"] == 4 and data["periode"]["nama"] == "Triwulan IV"
    assert data["saring"] is None and data["urut"] == "nama"
    api = {p["nama"]: p for p in data["pegawai"]}
    assert len(api) == 30 and list(api) == sorted(api)
    for nama, r in rows.items():
        p = api[nama]
        assert (p["terisi"], p["jumlah_indikator"], p["bukti"], p["rhk_beraksi"], p["jumlah_rhk"]) == (
            r.terisi,
            r.jumlah_indikator,
            r.bukti,
            r.rhk_beraksi,
            r.jumlah_rhk,
        ), nama
        assert (Decimal(p["capaian"]) if p["capaian"] is not None else None) == r.capaian
        assert (p["tunggakan"], p["terlambat"], p["lengkap"]) == (r.tunggakan, r.terlambat, r.lengkap)
        assert p["skp_id"] == r.skp.pk and p["skp_status"] == "disetujui" and p["skp_berlaku"] is True
    # the builder's pattern: index 3 skipped the running TW IV, index 5 left TW III empty (late),
    # index 4 entered TW I–III under an unlock, index 1 got feedback in the periode
    assert api["Pegawai Uji 0004"]["terisi"] == 0 and api["Pegawai Uji 0004"]["tunggakan"] == []
    assert api["Pegawai Uji 0006"]["tunggakan"] == ["Triwulan III"] and api["Pegawai Uji 0006"]["terlambat"]
    assert api["Pegawai Uji 0005"]["diisi_terlambat"] == 12
    assert api["Pegawai Uji 0001"]["umpan_balik_terakhir"] is None
    assert (
        api["Pegawai Uji 0002"]["umpan_balik_periode"] == 1
        and api["Pegawai Uji 0002"]["umpan_balik_terakhir"]
    )
    assert api["Pegawai Uji 0001"]["terakhir_diisi"] is not None

    semua = list(rows.values())
    ringkasan = selectors_papan.RingkasanUnit(None)
    for r in semua:
        ringkasan.tambah(r)
    assert data["ringkasan"]["pegawai"] == 30 and data["ringkasan"]["unit"] is None
    assert (
        data["ringkasan"]["terisi"] == ringkasan.terisi and data["ringkasan"]["lengkap"] == ringkasan.lengkap
    )
    for k, (_, f) in selectors_papan.SARING.items():
        assert data["jumlah_saring"][k] == sum(1 for r in semua if f(r)) > 0, k
        saring = ok(c, f"{PENILAI}?saring={k}")
        assert saring["saring"] == k and saring["ringkasan"]["pegawai"] == 30  # the summary is unfiltered
        assert [p["nama"] for p in saring["pegawai"]] == [
            r.pegawai.nama for r in selectors_papan.filter_and_sort(semua, k, "nama")
        ]
    capaian = [p["capaian"] for p in ok(c, f"{PENILAI}?urut=capaian")["pegawai"]]
    angka = [Decimal(x) for x in capaian if x is not None]
    assert angka and angka == sorted(angka) and all(x is None for x in capaian[len(angka) :])  # nulls last
    terakhir = [
        p["terakhir_diisi"] for p in ok(c, f"{PENILAI}?urut=terakhir")["pegawai"] if p["terakhir_diisi"]
    ]
    assert terakhir == sorted(terakhir, reverse=True)
    tw2 = ok(c, f"{PENILAI}?periode=2")
    assert tw2["periode"]["nomor"] == 2 and len(tw2["pegawai"]) == 30


def test_penilai_board_parameters_are_checked(instansi) -> None:  # type: ignore[no-untyped-def]
    c = client_of(KABID)
    r = c.get(PENILAI + "?saring=semua")
    assert r.status_code == 422 and r.json()["detail"][0]["loc"] == ["query", "saring"]
    assert c.get(PENILAI + "?urut=nip").json()["detail"][0]["loc"] == ["query", "urut"]
    assert c.get(PENILAI + "?periode=13").status_code == 422
    r = c.get(PENILAI + "?periode=5")  # triwulanan: four periods
    assert r.status_code == 404 and "Periode ke-5" in r.json()["detail"]
    # the documented choices are the selectors' own
    assert set(typing.get_args(pemantauan.Saring)) == set(selectors_papan.SARING)
    assert set(typing.get_args(pemantauan.Urut)) == set(selectors_papan.URUT)


def test_penilai_board_for_the_kabid_and_who_may_open_it(instansi, other_instansi) -> None:  # type: ignore[no-untyped-def]
    data = ok(client_of(KABID), PENILAI)
    pelaksana = Pegawai.objects.get(nip=PELAKSANA)
    row = next(p for p in data["pegawai"] if p["pegawai_id"] == pelaksana.pk)
    assert row["nip"] == PELAKSANA and row["skp_berlaku"] and row["jumlah_indikator"] > 0
    assert ok(client_of(FUNGSIONAL), PENILAI)["pegawai"] == []  # no bawahan: an empty board
    for who in (ADMIN, "admin-lain"):  # no pegawai: the admin's board is the progres
        r = client_of(who).get(PENILAI)
        assert r.status_code == 403 and "/pemantauan/progres" in r.json()["detail"]
    assert Client().get(PENILAI).status_code == 401
    assert Client(headers={"Authorization": "Bearer salah"}).get(PENILAI).status_code == 401


# --- unit board ---------------------------------------------------------------------------------------


def _unit_kabid() -> UnitKerja:
    return selectors_papan.unit_teratas(Pegawai.objects.get(nip=KABID))[0]


def test_unit_board_for_the_head_above_and_the_admin_only(instansi, other_instansi) -> None:  # type: ignore[no-untyped-def]
    bidang = _unit_kabid()
    akar = UnitKerja.objects.get(instansi=instansi, parent=None)
    data = ok(client_of(KABID), unit_url(bidang))
    assert data["unit"]["id"] == bidang.pk and data["periode"]["nomor"] == 4
    assert [u["id"] for u in data["jalur"]] == [bidang.pk]  # the kabid's path starts at their own unit
    assert data["total"]["pegawai"] >= len(data["pegawai"]) and data["total"]["unit"]["id"] == bidang.pk
    assert client_of(KABID).get(unit_url(akar)).status_code == 403  # above the kabid's own unit
    kepala = ok(client_of(KEPALA), unit_url(akar))
    sub = {s["unit"]["id"]: s for s in kepala["sub_unit"]}
    assert bidang.pk in sub  # drill down to the bidang
    assert sub[bidang.pk]["pegawai"] == ok(client_of(KEPALA), unit_url(bidang))["total"]["pegawai"]
    assert kepala["total"]["pegawai"] == kepala["langsung"]["pegawai"] + sum(
        s["pegawai"] for s in sub.values()
    )
    admin = ok(client_of(ADMIN), unit_url(akar))
    assert admin["jalur"][0]["id"] == akar.pk and admin["total"]["pegawai"] >= kepala["total"]["pegawai"]
    for who, unit in [(FUNGSIONAL, bidang), (PELAKSANA, akar), ("admin-lain", akar)]:
        r = client_of(who).get(unit_url(unit))
        assert r.status_code == 403 and r.json()["detail"] == "Anda tidak berhak memantau unit kerja ini."
    assert client_of(ADMIN).get("/api/v1/pemantauan/unit/999999").status_code == 404
    assert Client().get(unit_url(akar)).status_code == 401


def test_unit_board_matches_the_selector_and_sorts(db) -> None:  # type: ignore[no-untyped-def]
    t = tim(12, "API-UNIT")
    daftar = selectors.periode_list(t.periode)
    # the head sees the pegawai below them (not themselves), as on the page
    lingkup = org.bawahan_semua_qs(t.kepala)
    data = selectors_papan.papan_unit(t.unit, t.periode, daftar[3], daftar, lingkup)
    api = ok(client_of(t.user), unit_url(t.unit) + "?urut=capaian")
    assert api["urut"] == "capaian" and api["total"]["pegawai"] == data.total.pegawai == 12
    admin = User.objects.create(username="admin-api-unit", admin_instansi=t.instansi)
    assert ok(client_of(admin), unit_url(t.unit))["total"]["pegawai"] == 13  # the admin: everyone
    assert api["total"]["persen_terisi"] == data.total.persen_terisi
    assert Decimal(api["total"]["capaian"]) == data.total.capaian
    assert [p["pegawai_id"] for p in api["pegawai"]] == [
        r.pegawai.pk for r in selectors_papan.filter_and_sort(data.pegawai, "", "capaian")
    ]
    assert client_of(t.user).get(unit_url(t.unit) + "?urut=acak").status_code == 422


def test_starting_units(instansi) -> None:  # type: ignore[no-untyped-def]
    bidang = _unit_kabid()
    akar = UnitKerja.objects.get(instansi=instansi, parent=None)
    assert [u["id"] for u in ok(client_of(KABID), "/api/v1/pemantauan/unit")] == [bidang.pk]
    assert ok(client_of(KEPALA), "/api/v1/pemantauan/unit")[0]["id"] == akar.pk
    admin = ok(client_of(ADMIN), "/api/v1/pemantauan/unit")
    assert admin == [
        {"id": akar.pk, "kode": akar.kode, "nama": akar.nama, "parent_id": None, "depth": akar.depth}
    ]
    assert ok(client_of(PELAKSANA), "/api/v1/pemantauan/unit") == []


# --- admin progress -----------------------------------------------------------------------------------


def test_progres_is_for_the_admin_of_the_instansi_only(instansi, other_instansi) -> None:  # type: ignore[no-untyped-def]
    for who in (KABID, PELAKSANA, KEPALA):
        r = client_of(who).get(PROGRES)
        assert r.status_code == 403 and r.json()["detail"] == "Halaman ini hanya untuk admin kepegawaian."
    data = ok(client_of(ADMIN), PROGRES + "?periode=3")
    assert data["instansi_id"] == instansi.pk and data["periode"]["nama"] == "Triwulan III"
    assert {u["unit"]["id"] for u in data["unit"]} == set(
        UnitKerja.objects.filter(instansi=instansi).values_list("pk", flat=True)
    )
    assert data["total"]["pegawai"] == sum(u["pegawai"] for u in data["unit"])
    lain = client_of("admin-lain")
    r = lain.get(PROGRES)  # their own instansi, which has no periode yet
    assert r.status_code == 404 and r.json()["detail"] == "Periode penilaian tahun ini belum dibuat."
    org_services.create_periode(other_instansi, 2026, Skema.TRIWULANAN)
    own = ok(lain, PROGRES)
    assert own["instansi_id"] == other_instansi.pk and own["total"]["pegawai"] == 1
    assert lain.get(f"{PROGRES}?instansi_id={instansi.pk}").status_code == 403  # not across instansi
    assert client_of(KABID).get(f"{PROGRES}?instansi_id={instansi.pk}").status_code == 403
    assert client_of(ADMIN).get(f"{PROGRES}?periode=9").status_code == 404
    assert client_of(ADMIN).get(f"{PROGRES}?periode=13").status_code == 422
    assert Client().get(PROGRES).status_code == 401


def test_progres_matches_the_selector_with_a_flat_query_count(db) -> None:  # type: ignore[no-untyped-def]
    hasil = {}
    for n in (10, 40):
        t = tim(n, f"API-PROGRES-{n}")
        admin = User.objects.create(username=f"admin-progres-{n}", admin_instansi=t.instansi)
        daftar = selectors.periode_list(t.periode)
        total = selectors_papan.progres_pengisian(t.instansi, t.periode, daftar[3], daftar).total
        c = client_of(admin)
        data = ok(c, PROGRES + "?periode=4")
        assert data["total"]["pegawai"] == total.pegawai == n + 1
        assert data["total"]["skp_disetujui"] == total.skp_disetujui == n
        assert (data["total"]["indikator"], data["total"]["terisi"]) == (total.indikator, total.terisi)
        assert data["total"]["persen_umpan_balik"] == total.persen_umpan_balik
        assert Decimal(data["total"]["capaian"]) == total.capaian
        hasil[n] = queries(c, PROGRES + "?periode=4")
    assert hasil[10] == hasil[40]
