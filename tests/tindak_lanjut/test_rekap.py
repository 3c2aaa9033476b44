"""Rekap per unit and instansi: numbers on a constructed dataset (TW I of the demo year), roll-up along
the unit tree, drill-down, the xlsx, who may see what, and a query count that does not grow with units,
evaluations or keberatan."""

from __future__ import annotations

import io
import re

import pytest
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from openpyxl import load_workbook

from kinerja.organisasi import services as org_services
from kinerja.organisasi.models import PeriodePenilaian, UnitKerja, User
from kinerja.perencanaan.models import Skp
from kinerja.rules.types import Predikat
from tests.tindak_lanjut._data_tukin_rekap import evaluasi, keberatan, skp_disetujui

pytestmark = pytest.mark.django_db

SB, B, BP, K, SK = list(Predikat)
URL = "/tindak-lanjut/rekap/"
XLSX = "/tindak-lanjut/rekap/xlsx/"


def _tw1(instansi) -> PeriodePenilaian:  # type: ignore[no-untyped-def]
    return PeriodePenilaian.objects.get(periode__instansi=instansi, periode__tahun=2026, nomor=1)


def _skp_tw(unit_kode: str, pp: PeriodePenilaian) -> int:
    return Skp.objects.filter(
        unit__kode=unit_kode, status="disetujui", mulai__lte=pp.selesai, selesai__gte=pp.mulai
    ).count()


@pytest.fixture
def data(demo_instansi):  # type: ignore[no-untyped-def]
    """TW I: in BPKP three final (Sangat Baik, Baik, Baik), one rated but not final (Butuh Perbaikan), one
    opened and not rated; in SUBUM two final (Kurang, Sangat Kurang). Keberatan: BPKP's Sangat Baik
    ditolak, a Baik dikabulkan; SUBUM's Kurang still open (dijelaskan), the Sangat Kurang ditarik. An
    annual evaluation (Baik, final) in BMP must not count for TW I."""
    pp = _tw1(demo_instansi)
    bpkp = skp_disetujui(demo_instansi, "BPKP")
    subum = skp_disetujui(demo_instansi, "SUBUM")
    assert len(bpkp) >= 5 and len(subum) >= 2
    e_sb = evaluasi(bpkp[0], pp, SB)
    e_b1 = evaluasi(bpkp[1], pp, B)
    evaluasi(bpkp[2], pp, B)
    evaluasi(bpkp[3], pp, BP, status="dinilai")
    evaluasi(bpkp[4], pp, None, status="draft")
    e_k = evaluasi(subum[0], pp, K)
    e_sk = evaluasi(subum[1], pp, SK)
    evaluasi(skp_disetujui(demo_instansi, "BMP")[0], None, B)
    keberatan(e_sb, "ditolak")
    keberatan(e_b1, "dikabulkan")
    keberatan(e_k, "dijelaskan")
    keberatan(e_sk, "ditarik")
    return pp


def _rows(resp) -> dict[str, object]:  # type: ignore[no-untyped-def]
    return {b.unit.kode: b for b in resp.context["data"].baris}


def test_numbers_per_unit_rolled_up_and_for_the_instansi(data, client_for, demo_instansi):  # type: ignore[no-untyped-def]
    pp = data
    resp = client_for("admin").get(URL, {"tahun": 2026, "periode": 1})
    assert resp.status_code == 200
    d = resp.context["data"]
    assert d.admin and d.fokus is None and d.judul == demo_instansi.nama
    rows = _rows(resp)
    # Every unit of the instansi is a row, in tree order.
    assert list(rows) == list(
        UnitKerja.objects.filter(instansi=demo_instansi).order_by("path").values_list("kode", flat=True)
    )
    bpkp = rows["BPKP"].angka
    assert (bpkp.skp, bpkp.dibuka, bpkp.dinilai, bpkp.final) == (_skp_tw("BPKP", pp), 5, 4, 3)
    assert bpkp.predikat == {SB: 1, B: 2, BP: 0, K: 0, SK: 0}
    assert bpkp.keberatan == {"diajukan": 2, "proses": 0, "ditarik": 0, "ditolak": 1, "dikabulkan": 1}
    subum = rows["SUBUM"].angka
    assert (subum.dibuka, subum.dinilai, subum.final) == (2, 2, 2)
    assert subum.keberatan == {"diajukan": 2, "proses": 1, "ditarik": 1, "ditolak": 0, "dikabulkan": 0}
    # The Sekretariat rolls up its subbagian; the annual evaluation of BMP is not in TW I.
    sekr = rows["SEKR"].angka
    assert sekr.skp == _skp_tw("SEKR", pp) + _skp_tw("SUBUM", pp) + _skp_tw("SUBPK", pp)
    assert (sekr.final, sekr.predikat[K], sekr.predikat[SK]) == (2, 1, 1)
    assert rows["SEKR"].sendiri.final == 0 and rows["SEKR"].ada_anak
    assert rows["BMP"].angka.dibuka == 0
    total = d.total
    skp_total = Skp.objects.filter(
        instansi=demo_instansi, status="disetujui", mulai__lte=pp.selesai, selesai__gte=pp.mulai
    ).count()
    assert (total.skp, total.dibuka, total.dinilai, total.final) == (skp_total, 7, 6, 5)
    assert rows["BKPSDM"].angka.final == 5  # the top unit rolls up everything
    assert [(p, n, s) for p, n, s in total.distribusi] == [
        (SB, 1, "20\u00a0%"),
        (B, 2, "40\u00a0%"),
        (BP, 0, "0\u00a0%"),
        (K, 1, "20\u00a0%"),
        (SK, 1, "20\u00a0%"),
    ]
    assert total.penyelesaian == _persen(5, skp_total)
    assert total.keberatan == {"diajukan": 4, "proses": 1, "ditarik": 1, "ditolak": 1, "dikabulkan": 1}
    html = resp.content.decode()
    assert "<svg" in html and "Sebaran predikat dari 5 evaluasi final" in html and "Seluruh instansi" in html
    assert (
        "cdn" not in html.lower() or "cdn" in html.lower().split("<body")[0]
    )  # nothing external in the body


def _persen(a: int, b: int) -> str:
    from decimal import ROUND_HALF_UP, Decimal

    x = (Decimal(a) * 100 / Decimal(b)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
    t = format(x, "f").removesuffix(".0").replace(".", ",")
    return f"{t}\u00a0%"


def test_annual_rekap_counts_the_annual_evaluations(data, client_for):  # type: ignore[no-untyped-def]
    d = client_for("admin").get(URL, {"tahun": 2026, "periode": "akhir"}).context["data"]
    assert d.pilihan.pp is None and (d.total.dibuka, d.total.final) == (1, 1)
    assert d.total.predikat[B] == 1 and d.total.keberatan["diajukan"] == 0


def test_drill_down_to_a_unit(data, client_for, demo_instansi):  # type: ignore[no-untyped-def]
    sekr = UnitKerja.objects.get(instansi=demo_instansi, kode="SEKR")
    resp = client_for("admin").get(URL, {"tahun": 2026, "periode": 1, "unit": sekr.pk})
    d = resp.context["data"]
    assert d.fokus == sekr and d.judul == sekr.nama
    assert [b.unit.kode for b in d.baris] == ["SEKR", "SUBUM", "SUBPK"]
    assert [b.kedalaman for b in d.baris] == [0, 1, 1]
    assert d.total.final == 2 and [u.kode for u in d.jejak] == ["BKPSDM", "SEKR"]
    assert client_for("admin").get(URL, {"unit": 999999}).status_code == 404
    assert client_for("admin").get(URL, {"unit": "x"}).status_code == 404


def test_xlsx_has_the_same_numbers(data, client_for, demo_instansi):  # type: ignore[no-untyped-def]
    resp = client_for("admin").get(XLSX, {"tahun": 2026, "periode": 1})
    assert resp.status_code == 200
    assert resp["Content-Disposition"] == 'attachment; filename="rekap-kinerja-2026-1.xlsx"'
    ws = load_workbook(io.BytesIO(resp.content)).active
    assert ws["A1"].value == "REKAP PENILAIAN KINERJA PER UNIT KERJA"
    assert ws["A2"].value == f"{demo_instansi.nama} — Triwulan I 2026"
    header = [c.value for c in ws[5]]
    assert header[:6] == [
        "Unit kerja",
        "SKP disetujui",
        "Evaluasi dibuka",
        "Evaluasi dinilai",
        "Evaluasi final",
        "Penyelesaian (% final dari SKP)",
    ]
    assert header[6:8] == ["Sangat Baik (jumlah)", "Sangat Baik (%)"]
    assert header[16:21] == [
        "Keberatan diajukan",
        "Keberatan dalam proses",
        "Keberatan ditarik",
        "Keberatan ditolak",
        "Keberatan dikabulkan",
    ]
    assert header[21:] == ["Kelompok penilaian final", "Pola distribusi tidak dapat diterapkan (kelompok)"]
    rows = {r[0].value: [c.value for c in r] for r in ws.iter_rows(min_row=6) if r[0].value}
    bpkp = rows["Bidang Penilaian Kinerja dan Penghargaan"]
    skp = _skp_tw("BPKP", data)
    assert bpkp[1:6] == [skp, 5, 4, 3, round(300 / skp, 1)]
    assert bpkp[6:16] == [1, 33.3, 2, 66.7, 0, 0.0, 0, 0.0, 0, 0.0]
    assert bpkp[16:21] == [2, 0, 0, 1, 1]
    total = rows["Seluruh instansi"]
    assert total[2:5] == [7, 6, 5] and total[6] == 1 and total[16:21] == [4, 1, 1, 1, 1]


# --- who may see what -------------------------------------------------------------------------------------


@pytest.mark.parametrize("role", ["fungsional", "pelaksana"])
def test_pegawai_who_lead_no_unit_are_refused(role, client_for):  # type: ignore[no-untyped-def]
    assert client_for(role).get(URL).status_code == 403
    assert client_for(role).get(XLSX).status_code == 403


def test_anonymous_goes_to_login(db) -> None:  # type: ignore[no-untyped-def]
    assert Client().get(URL).status_code == 302


def test_head_of_a_unit_sees_its_subtree_only(data, client_for, demo_instansi):  # type: ignore[no-untyped-def]
    """The kabid (penilai of the BPKP bawahan and head of BPKP) sees BPKP only."""
    resp = client_for("kabid").get(URL, {"tahun": 2026, "periode": 1})
    d = resp.context["data"]
    assert resp.status_code == 200 and not d.admin
    assert d.fokus.kode == "BPKP" and [b.unit.kode for b in d.baris] == ["BPKP"]
    assert d.total.final == 3 and d.total.keberatan["diajukan"] == 2
    assert "Seluruh instansi" not in resp.content.decode()
    sekr = UnitKerja.objects.get(instansi=demo_instansi, kode="SEKR")
    assert client_for("kabid").get(URL, {"unit": sekr.pk}).status_code == 403
    assert client_for("kabid").get(XLSX, {"unit": sekr.pk}).status_code == 403
    ws = load_workbook(
        io.BytesIO(client_for("kabid").get(XLSX, {"tahun": 2026, "periode": 1}).content)
    ).active
    names = [r[0].value for r in ws.iter_rows(min_row=6) if r[0].value]
    assert names[:2] == [
        "Bidang Penilaian Kinerja dan Penghargaan",
        "Jumlah — Bidang Penilaian Kinerja dan Penghargaan",
    ]


def test_head_of_the_top_unit_sees_everything_below(data, client_for, demo_instansi):  # type: ignore[no-untyped-def]
    d = client_for("kepala").get(URL, {"tahun": 2026, "periode": 1}).context["data"]
    assert not d.admin and d.fokus.kode == "BKPSDM"
    assert len(d.baris) == UnitKerja.objects.filter(instansi=demo_instansi).count() and d.total.final == 5


def test_admin_of_another_instansi_sees_nothing_of_this_one(data, other_instansi, demo_instansi):  # type: ignore[no-untyped-def]
    c = Client()
    c.force_login(User.objects.get(username="admin-lain"))
    resp = c.get(URL)
    assert resp.status_code == 200 and resp.context["data"] is None
    html = resp.content.decode()
    assert "belum memiliki periode" in html and "Penilaian Kinerja dan Penghargaan" not in html
    assert c.get(XLSX).status_code == 404


# --- queries ------------------------------------------------------------------------------------------------


def _queries(client: Client, url: str) -> int:
    cache.clear()  # each measure pays the same cold navigation (kinerja/common/cache.py)
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def test_query_count_does_not_grow_with_units_evaluations_or_keberatan(data, client_for, demo_instansi):  # type: ignore[no-untyped-def]
    admin, kabid = client_for("admin"), client_for("kabid")
    page, xlsx = f"{URL}?tahun=2026&periode=1", f"{XLSX}?tahun=2026&periode=1"
    kecil = [_queries(admin, page), _queries(admin, xlsx), _queries(kabid, page)]
    # Ten more units (sub-units of BPKP, so the kabid's subtree grows too), each with evaluations and
    # keberatan, and the remaining SKP evaluated.
    bpkp = UnitKerja.objects.get(instansi=demo_instansi, kode="BPKP")
    baru = [
        org_services.save_unit_kerja(
            UnitKerja(instansi=demo_instansi),
            instansi=demo_instansi,
            kode=f"UJI{i}",
            nama=f"Seksi Uji {i}",
            parent=bpkp,
        )
        for i in range(10)
    ]
    sisa = [s for s in skp_disetujui(demo_instansi) if not s.evaluasi.filter(periode_penilaian=data).exists()]
    assert len(sisa) >= 10
    for i, skp in enumerate(sisa):
        skp.unit = baru[i % 10]  # counted in the new units (the SKP row itself is not saved)
        ev = evaluasi(skp, data, list(Predikat)[i % 5])
        keberatan(ev, ["diajukan", "ditolak", "dikabulkan"][i % 3])
    besar = [_queries(admin, page), _queries(admin, xlsx), _queries(kabid, page)]
    assert besar == kecil
    d = admin.get(page).context["data"]
    assert (
        d.total.final == 5 + len(sisa)
        and len(d.baris) == UnitKerja.objects.filter(instansi=demo_instansi).count()
    )


def test_a_large_subtree_is_shown_two_levels_deep_and_opens_on_demand(
    data, client_for, demo_instansi, monkeypatch
):  # type: ignore[no-untyped-def]
    """Above `BATAS_BARIS` units the page lists the focus and the units right below it (each rolled up, each
    a drill-down, each with sub-units a button that loads their rows); the xlsx always has every unit."""
    from kinerja.tindak_lanjut.rekap import selectors as selectors_rekap

    monkeypatch.setattr(selectors_rekap, "BATAS_BARIS", 3)
    admin = client_for("admin")
    resp = admin.get(URL, {"tahun": 2026, "periode": 1})
    d = resp.context["data"]
    assert d.ringkas and [b.unit.kode for b in d.baris_halaman] == ["BKPSDM", "SEKR", "BMP", "BPK", "BPKP"]
    assert d.jumlah_unit == 7 and d.baris_halaman[1].angka.final == 2  # SEKR still rolls up SUBUM
    assert d.baris_halaman[0].angka.final == d.total.final == 5  # the top unit rolls up everything
    html = resp.content.decode()
    sekr = UnitKerja.objects.get(instansi=demo_instansi, kode="SEKR")
    buka = f"/tindak-lanjut/rekap/baris/?tahun=2026&amp;periode=1&amp;unit={sekr.pk}&amp;k=1"
    assert f'hx-get="{buka}"' in html and "Subbagian Umum dan Kepegawaian" not in html
    assert "Ditampilkan 5 dari 7 unit" in html and html.count('aria-expanded="true"') == 1
    fragment = admin.get(buka.replace("&amp;", "&")).content.decode()
    assert "<html" not in fragment and re.findall(r'data-unit="([^"]+)"', fragment) == ["SUBUM", "SUBPK"]
    subum = fragment.split('data-unit="SUBUM"')[1].split("</tr>")[0]
    assert 'width:2em"' in subum  # one step deeper than the opened row (k=1)
    cells = re.findall(r'<td class="text-end[^"]*"[^>]*>([^<]*)</td>', subum)
    assert cells[1:4] == ["2", "2", "2"] and cells[8:10] == ["1", "1"]  # dibuka, dinilai, final; K, SK
    ws = load_workbook(io.BytesIO(admin.get(XLSX, {"tahun": 2026, "periode": 1}).content)).active
    assert len([r for r in ws.iter_rows(min_row=6, max_row=13) if r[0].value]) == 8  # 7 units + total


def test_rows_of_an_opened_unit_follow_who_may_see_it(data, client_for, demo_instansi, other_instansi):  # type: ignore[no-untyped-def]
    baris = "/tindak-lanjut/rekap/baris/"
    sekr = UnitKerja.objects.get(instansi=demo_instansi, kode="SEKR")
    bpkp = UnitKerja.objects.get(instansi=demo_instansi, kode="BPKP")
    q = {"tahun": 2026, "periode": 1}
    assert client_for("kabid").get(baris, {**q, "unit": sekr.pk}).status_code == 403  # outside BPKP
    assert client_for("kabid").get(baris, {**q, "unit": bpkp.pk}).status_code == 200
    assert client_for("pelaksana").get(baris, {**q, "unit": sekr.pk}).status_code == 403
    assert client_for("admin").get(baris, {**q, "unit": 999999}).status_code == 404
    assert client_for("admin").get(baris, q).status_code == 404
    c = Client()
    c.force_login(User.objects.get(username="admin-lain"))
    assert c.get(baris, {**q, "unit": sekr.pk}).status_code == 404


def test_empty_periode_says_there_is_no_distribution_yet(client_for, demo_instansi):  # type: ignore[no-untyped-def]
    resp = client_for("admin").get(URL, {"tahun": 2026, "periode": 4})
    assert resp.status_code == 200 and resp.context["data"].total.final == 0
    html = resp.content.decode()
    assert "Belum ada evaluasi final pada periode ini" in html and "<svg" not in html
    assert resp.context["data"].total.penyelesaian in ("0\u00a0%", "—")


def test_chart_bars_are_proportional_with_dot_decimals() -> None:
    from kinerja.tindak_lanjut.rekap.grafik import BATANG_MAKS, grafik

    g = grafik(
        "g",
        "Judul",
        [(SB, 0, "0 %"), (B, 4, "57,1 %"), (BP, 2, "28,6 %"), (K, 1, "14,3 %"), (SK, 0, "0 %")],
        7,
    )
    assert [b.lebar for b in g.batang] == ["0", str(BATANG_MAKS), "165", "82.5", "0"]
    assert not g.kosong and "Baik: 4 pegawai (57,1 %)" in g.deskripsi
    assert grafik("g", "J", [(p, 0, "—") for p in Predikat], 0).kosong
