"""The admin's progres pengisian on a large instansi: the numbers are the board rows' numbers (pegawai
without an SKP of the periode are counted in SQL, the others get a board row), the query count stays flat
in units and pegawai, the page lists two levels and a unit opens on demand, for its instansi's admin only.

Time is frozen at 24 November 2026 10:00 (TW I–III past their deadlines, TW IV running)."""

from __future__ import annotations

import datetime
import itertools
import re

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from kinerja.demo.bench import pelaksanaan as bench
from kinerja.organisasi import selectors as org
from kinerja.organisasi.models import Jabatan, Pegawai, Penempatan, UnitKerja, User
from kinerja.organisasi.services import save_jabatan, save_unit_kerja
from kinerja.pelaksanaan import selectors
from kinerja.pelaksanaan.papan import selectors as selectors_papan
from kinerja.rules import JenisPenempatan

pytestmark = pytest.mark.django_db

NOMOR = itertools.count(1)
NOW = timezone.make_aware(datetime.datetime(2026, 11, 24, 10, 0))
PROGRES = reverse("pelaksanaan:papan_progres")
KOLOM = (
    "pegawai",
    "skp_disetujui",
    "berlaku",
    "indikator",
    "terisi",
    "lengkap",
    "beraksi",
    "rhk",
    "umpan_balik",
    "terlambat",
    "di_bawah_target",
    "capaian",
)


@pytest.fixture(autouse=True)
def frozen(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setattr("django.utils.timezone.now", lambda: NOW)


def client_of(user: User) -> Client:
    c = Client()
    c.force_login(user)
    return c


def _tanpa_skp(t: bench.Tim, unit: UnitKerja, kode: str, mulai: datetime.date) -> Pegawai:
    """A pegawai placed (definitif) in ``unit`` with no SKP at all."""
    j = save_jabatan(
        Jabatan(),
        instansi=t.instansi,
        unit=unit,
        parent=t.jabatan,
        kode=kode,
        nama=f"Pengadministrasi {kode}",
        jenis="fungsional",
        jenjang="ahli_pertama",
    )
    p = Pegawai.objects.create(
        instansi=t.instansi, nip=f"1990010120150{next(NOMOR):05d}", nama=f"Tanpa SKP {kode}"
    )
    Penempatan.objects.create(pegawai=p, jabatan=j, jenis=JenisPenempatan.DEFINITIF.value, mulai=mulai)
    return p


def bangun(kode: str, n: int) -> tuple[bench.Tim, User]:
    """The head's unit with ``n`` staf (agreed SKP), ``n`` bidang each with a subbidang: every subbidang has
    one staf with an SKP, every bidang two pegawai without one; the first of those also holds a later
    definitif placement in the head's unit (their latest placement is the one counted)."""
    t = bench.create_instansi(kode, 2026)
    tim = bench.create_kepala(*t)
    bench.create_staf(tim, n)
    for i in range(n):
        u = save_unit_kerja(
            UnitKerja(), instansi=tim.instansi, kode=f"B{i}", nama=f"Bidang {i}", parent=tim.unit
        )
        v = save_unit_kerja(UnitKerja(), instansi=tim.instansi, kode=f"S{i}", nama=f"Subbidang {i}", parent=u)
        bench.create_staf(tim, 1, unit=v, mulai_nomor=100 + i)
        dua = _tanpa_skp(tim, u, f"{kode}-A{i}", datetime.date(2020, 1, 1))
        _tanpa_skp(tim, u, f"{kode}-B{i}", datetime.date(2020, 1, 1))
        j = save_jabatan(
            Jabatan(), instansi=tim.instansi, unit=tim.unit, parent=tim.jabatan, kode=f"{kode}-C{i}",
            nama="Pengadministrasi Umum", jenis="fungsional", jenjang="ahli_pertama",
        )  # fmt: skip
        Penempatan.objects.create(pegawai=dua, jabatan=j, jenis="definitif", mulai=datetime.date(2024, 1, 1))
    admin = User.objects.create(username=f"admin-{kode.lower()}", admin_instansi=tim.instansi)
    return tim, admin


def lama(t: bench.Tim, pp, daftar):  # type: ignore[no-untyped-def]
    """The numbers as the page computed them before: a board row for every pegawai of the instansi."""
    units = list(UnitKerja.objects.filter(instansi=t.instansi).order_by("path"))
    penempatan = (
        Penempatan.objects.aktif_pada(org.today())
        .filter(jabatan__instansi=t.instansi, jenis="definitif", pegawai__aktif=True)
        .select_related("pegawai", "jabatan")
        .order_by("pegawai_id", "mulai")
    )
    satu = list({p.pegawai_id: p for p in penempatan}.values())
    per_unit = {u.pk: selectors_papan.RingkasanUnit(u) for u in units}
    total = selectors_papan.RingkasanUnit(None)
    for r in selectors_papan.baris_pegawai(satu, t.periode, pp, daftar):
        total.tambah(r)
        if r.unit_id in per_unit:
            per_unit[r.unit_id].tambah(r)
    return per_unit, total


def angka(r: selectors_papan.RingkasanUnit) -> tuple[object, ...]:
    return tuple(getattr(r, k) for k in KOLOM)


def test_angka_sama_dengan_baris_papan_setiap_pegawai() -> None:
    t, _ = bangun("PROG-SAMA", 3)
    daftar = selectors.periode_list(t.periode)
    for pp in (daftar[1], daftar[3]):
        per_unit, total = lama(t, pp, daftar)
        data = selectors_papan.progres_pengisian(t.instansi, t.periode, pp, daftar)
        assert angka(data.total) == angka(total)
        assert [angka(r) for r in data.baris] == [angka(per_unit[r.unit.pk]) for r in data.baris]
        assert len(data.baris) == 7 and data.total.pegawai == 1 + 3 + 3 + 6  # kepala, staf, sub staf, no SKP
        assert data.baris[0].pegawai == 1 + 3 + 3  # the head's unit: kepala, staf, the later placements
        for u in UnitKerja.objects.filter(instansi=t.instansi, parent=t.unit):
            anak = selectors_papan.progres_anak(t.instansi, u, t.periode, pp, daftar)
            assert [angka(r) for r in anak.baris] == [angka(per_unit[r.unit.pk]) for r in anak.baris]
            assert anak.baris[0].pegawai == 1 and anak.baris[1].pegawai == 1 and anak.baris[1].berlaku == 1


def queries(client: Client, url: str) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def test_jumlah_query_tidak_bertambah_dengan_unit_dan_pegawai(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setattr(selectors_papan, "BATAS_BARIS", 4)
    (kecil, a_kecil), (besar, a_besar) = bangun("PROG-K", 2), bangun("PROG-B", 6)
    c_kecil, c_besar = client_of(a_kecil), client_of(a_besar)
    url = PROGRES + "?periode=4"
    queries(c_kecil, url), queries(c_besar, url)  # warm per-user caches alike
    # Flat; the board rows of the pegawai with an SKP take seven of them (`baris_pegawai`).
    assert queries(c_kecil, url) == queries(c_besar, url) <= 17
    anak = [
        reverse(
            "pelaksanaan:papan_progres_anak", args=[UnitKerja.objects.get(instansi=t.instansi, kode="B0").pk]
        )
        + "?periode=4"
        for t in (kecil, besar)
    ]
    assert queries(c_kecil, anak[0]) == queries(c_besar, anak[1]) <= 17


def test_instansi_besar_dua_tingkat_lalu_dibuka_per_unit(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setattr(selectors_papan, "BATAS_BARIS", 4)
    t, admin = bangun("PROG-POHON", 3)
    c = client_of(admin)
    resp = c.get(PROGRES + "?periode=4")
    data = resp.context["data"]
    assert data.ringkas and data.jumlah_unit == 7
    assert data.baris[0].unit == t.unit and sorted(r.unit.kode for r in data.baris[1:]) == ["B0", "B1", "B2"]
    assert data.total.pegawai == 13  # the whole instansi, hidden units included
    html = resp.content.decode()
    assert "Subbidang 0" not in html and "Ditampilkan 4 dari 7 unit" in html
    b0 = UnitKerja.objects.get(instansi=t.instansi, kode="B0")
    buka = reverse("pelaksanaan:papan_progres_anak", args=[b0.pk]) + "?periode=4"
    assert f'hx-get="{buka}"' in html and html.count("hx-get=") == 3  # each bidang has a subbidang
    fragment = c.get(buka).content.decode()
    assert "<html" not in fragment and "hx-get=" not in fragment  # opened; the subbidang has no sub-unit
    s0 = UnitKerja.objects.get(instansi=t.instansi, kode="S0")
    assert re.findall(r'<tr data-unit="(\d+)"', fragment) == [str(b0.pk), str(s0.pk)]
    baris_s0 = fragment.split(f'data-unit="{s0.pk}"')[1].split("</tr>")[0]
    assert "Subbidang 0" in baris_s0 and re.findall(r'<td class="text-end">(\d+)</td>', baris_s0)[0] == "1"
    assert 'aria-expanded="false"' in html


def test_unit_dibuka_hanya_untuk_admin_instansinya(orang, other_instansi) -> None:  # type: ignore[no-untyped-def]
    unit = UnitKerja.objects.filter(instansi=orang["admin"].admin_instansi).first()
    assert unit is not None
    url = reverse("pelaksanaan:papan_progres_anak", args=[unit.pk]) + "?periode=4"
    assert client_of(orang["admin"]).get(url).status_code == 200
    assert client_of(orang["kabid"]).get(url).status_code == 403
    lain = User.objects.filter(admin_instansi=other_instansi).first()
    assert lain is not None
    assert client_of(lain).get(url).status_code == 404
    assert (
        client_of(orang["admin"]).get(reverse("pelaksanaan:papan_progres_anak", args=[999999])).status_code
        == 404
    )
