"""The hot requests of deadline day cost a fixed, exact number of queries, the same for a typical SKP (3 RHK
× 2 indikator) and a large one (15 RHK × 3 indikator), each with BerAKHLAK values, rencana aksi, realisasi
with link evidence and feedback threads (`kinerja.demo.bench.pelaksanaan.create_skp_harian`).

Counted apart: the layout's queries (the session, the user, and what base.html's navigation reads for this
user), measured by rendering base.html alone for the same user, so that work on the navigation changes
`tata_letak()` and not the page's own figure. The page's own figures (docs/benchmarks.md) are below.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass

import pytest
from django.db import connection
from django.db.models import signals
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from kinerja.demo.bench import pelaksanaan as bench
from kinerja.demo.bench.ukur import SESI_DAN_PENGGUNA
from kinerja.demo.bench.ukur import kueri_tata_letak as tata_letak
from kinerja.organisasi.models import User
from kinerja.pelaksanaan.models import BukaKunci, Realisasi, RencanaAksi
from kinerja.perencanaan.models import Indikator, Rhk, Skp
from tests import builders as b

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}

# The page's own queries, whatever the number of RHK and indikator: SKP + RHK + indikator + targets +
# perilaku + lampiran + names of the periods (7; the history panel is read when it is opened), less the
# owner's pegawai (loaded with the SKP, the navigation reuses it):
SKP_PEMILIK = 6
SKP_PENILAI = 8  # the 7, plus the penilai's own RHK for the side panel
SKP_ADMIN = 7
REALISASI_PEMILIK = 7  # periode with its periods (and the unlock), the owner's SKP of the year, RHK with
#                        their indikator, targets, realisasi, rencana aksi, catatan suggestions
REALISASI_SKP_PEMILIK = 7  # SKP, periods, other SKP of the year, then as above − the pegawai (shared)
REALISASI_SKP_PENILAI = 7  # SKP, periods, RHK with indikator, targets, realisasi, rencana aksi, suggestions
SIMPAN = 7  # indikator with its SKP, periods, targets, realisasi; locked read, UPDATE, history INSERT
TRANSAKSI = 2  # BEGIN/COMMIT (SAVEPOINT/RELEASE inside a test)


@dataclass
class Kasus:
    harian: bench.SkpHarian
    indikator: Indikator
    nomor: int


def _kasus(tim: bench.Tim, rhk: int, indikator: int, nomor: int) -> Kasus:
    h = bench.create_skp_harian(tim, rhk, indikator, nomor=nomor)
    today = timezone.localdate()
    berjalan = next(p for p in tim.periode.periode_penilaian.all() if p.mulai <= today <= p.selesai)
    ind = Indikator.objects.filter(rhk__skp=h.skp, target_angka__isnull=False).order_by(
        "rhk__urutan", "urutan"
    )[0]
    assert Realisasi.objects.filter(indikator=ind, periode_penilaian=berjalan).exists()
    return Kasus(h, ind, berjalan.nomor)


def _bangun() -> tuple[Kasus, Kasus]:
    instansi, periode = bench.create_instansi("UJI-TENGGAT")
    tim = bench.create_kepala(instansi, periode)
    return _kasus(tim, 3, 2, 0), _kasus(tim, 15, 3, 10)


# Built once for the module (each test runs in its own transaction, rolled back).
_kasus_modul, kasus = b.pemeran_modul(_bangun, "kasus", segarkan=lambda k: k)


def _kueri(client: Client, url: str, isian: Callable[[], dict[str, str]] | None = None) -> int:
    """The queries of one request (GET, or an htmx POST of `isian()`), after one warm-up."""

    def kirim(data: dict[str, str] | None) -> int:
        r = client.post(url, data, **HTMX) if data is not None else client.get(url)
        return int(r.status_code)

    assert kirim(isian() if isian else None) == 200  # warm-up: sessions, content types
    data = isian() if isian else None  # read before counting
    with CaptureQueriesContext(connection) as ctx:
        assert kirim(data) == 200
    return len(ctx.captured_queries)


def _admin(skp: Skp) -> User:
    return User.objects.filter(admin_instansi_id=skp.instansi_id).first() or b.admin_instansi(skp.instansi)


def _klien(user: User) -> Client:
    c = Client()
    c.force_login(user)
    return c


@pytest.mark.parametrize(
    ("siapa", "halaman", "sendiri"),
    [
        ("pemilik", "skp", SKP_PEMILIK),
        ("penilai", "skp", SKP_PENILAI),
        ("admin", "skp", SKP_ADMIN),
        ("pemilik", "realisasi", REALISASI_PEMILIK),
        ("pemilik", "realisasi_skp", REALISASI_SKP_PEMILIK),
        ("penilai", "realisasi_skp", REALISASI_SKP_PENILAI),
    ],
)
def test_halaman_jumlah_kueri_tetap_dan_datar(kasus, siapa, halaman, sendiri) -> None:  # type: ignore[no-untyped-def]
    for k in kasus:
        skp = k.harian.skp
        user = getattr(k.harian, siapa) if siapa != "admin" else _admin(skp)
        url = {
            "skp": f"/skp/{skp.pk}/",
            "realisasi": "/realisasi/",
            "realisasi_skp": f"/realisasi/skp/{skp.pk}/",
        }[halaman]
        n = _kueri(_klien(user), url)
        assert n == tata_letak(user) + sendiri, (k.harian.skp.rhk.count(), n, tata_letak(user))


def test_halaman_dengan_buka_kunci_satu_kueri_lagi(kasus) -> None:  # type: ignore[no-untyped-def]
    """An active unlock is found with the periods and read in one more query, only then; the page shows
    its reason (a past periode, opened again)."""
    today = timezone.localdate()
    for k in kasus:
        skp, pemilik = k.harian.skp, k.harian.pemilik
        lewat = skp.periode.periode_penilaian.filter(batas_realisasi__lt=today).order_by("-nomor").first()
        assert lewat is not None
        url = f"/realisasi/skp/{skp.pk}/?periode={lewat.nomor}"
        tanpa = _kueri(_klien(pemilik), url)
        BukaKunci.objects.create(
            pegawai_id=skp.pegawai_id,
            periode_penilaian=lewat,
            alasan="Cuti sakit saat batas pengisian",
            dibuka_oleh=_admin(skp),
            berlaku_sampai=timezone.now() + datetime.timedelta(days=3),
        )
        c = _klien(pemilik)
        assert _kueri(c, url) == tanpa + 1
        assert "Alasan dibuka: Cuti sakit saat batas pengisian" in c.get(url).content.decode()


def test_simpan_realisasi_jumlah_kueri_tetap_dan_datar(kasus) -> None:  # type: ignore[no-untyped-def]
    for k in kasus:
        ind, skp, nomor = k.indikator, k.harian.skp, k.nomor
        url = f"/realisasi/skp/{skp.pk}/indikator/{ind.pk}/periode/{nomor}/"

        def isian(ind: Indikator = ind, nomor: int = nomor) -> dict[str, str]:
            r = Realisasi.objects.get(indikator=ind, periode_penilaian__nomor=nomor)
            return {
                f"i{ind.pk}-nilai_angka": "21,5",
                f"i{ind.pk}-narasi": "Sesuai",
                f"i{ind.pk}-versi": str(r.versi),
            }

        pk = Realisasi.objects.get(indikator=ind, periode_penilaian__nomor=k.nomor).pk
        sebelum = Realisasi.history.filter(id=pk).count()
        n = _kueri(_klien(k.harian.pemilik), url, isian)
        assert n == SESI_DAN_PENGGUNA + SIMPAN + TRANSAKSI
        r = Realisasi.objects.get(indikator=ind, periode_penilaian__nomor=k.nomor)
        assert r.nilai_angka == 21.5 and r.narasi == "Sesuai" and r.diisi_oleh_id == k.harian.pemilik.pk
        assert Realisasi.history.filter(id=r.pk).count() == sebelum + 2  # audited: one record per save


def test_simpan_realisasi_mengunci_baris_realisasi_saja(kasus) -> None:  # type: ignore[no-untyped-def]
    """The locked read of a save reads the realisasi table alone: with a join (the model's default ordering
    brings the indikator, RHK, SKP and periode in) PostgreSQL's FOR UPDATE would lock the joined rows too,
    and every save of the instansi would wait on its periode's row."""
    k = kasus[0]
    ind, skp = k.indikator, k.harian.skp
    r = Realisasi.objects.get(indikator=ind, periode_penilaian__nomor=k.nomor)
    data = {f"i{ind.pk}-nilai_angka": "3", f"i{ind.pk}-narasi": "", f"i{ind.pk}-versi": str(r.versi)}
    with CaptureQueriesContext(connection) as ctx:
        res = _klien(k.harian.pemilik).post(
            f"/realisasi/skp/{skp.pk}/indikator/{ind.pk}/periode/{k.nomor}/", data, **HTMX
        )
    assert res.status_code == 200
    kunci = [
        q["sql"]
        for q in ctx.captured_queries
        if q["sql"].startswith("SELECT") and f'"pelaksanaan_realisasi"."indikator_id" = {ind.pk}' in q["sql"]
    ]
    assert len(kunci) == 1, kunci
    assert " JOIN " not in kunci[0], kunci[0]
    if connection.vendor == "postgresql":
        assert kunci[0].rstrip().endswith("FOR UPDATE"), kunci[0]


def test_api_pelaksanaan_datar(kasus) -> None:  # type: ignore[no-untyped-def]
    """The API's carrying-out read shares the page's (`halaman_realisasi`, which reads only some columns
    of each RHK, indikator, realisasi and rencana aksi): a column it shows but the read left out would be
    fetched once per row; the count is the same for a typical and a large SKP."""
    jumlah = set()
    for k in kasus:
        skp = k.harian.skp
        jumlah.add(_kueri(_klien(k.harian.pemilik), f"/api/v1/skp/{skp.pk}/pelaksanaan?periode={k.nomor}"))
    assert len(jumlah) == 1, jumlah


@pytest.mark.parametrize("model", [Rhk, Indikator, Realisasi, RencanaAksi])
def test_baris_halaman_tanpa_penerima_sinyal_init(model) -> None:  # type: ignore[no-untyped-def]
    """The realisasi page builds these models' instances without ``Model.__init__`` (selectors
    ``_baris_model``); a ``pre_init``/``post_init`` receiver would silently not run, so none may exist."""
    assert not signals.pre_init.has_listeners(model)
    assert not signals.post_init.has_listeners(model)
