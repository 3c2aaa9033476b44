"""Perjanjian Kinerja through the API: read-only, for every pegawai of the instansi and nobody else."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from kinerja.organisasi.models import UnitKerja
from kinerja.perencanaan import services
from kinerja.perencanaan.models import PerjanjianKinerja
from tests import builders as b

pytestmark = pytest.mark.django_db


def _perjanjian(tim, unit: UnitKerja, n_iku: int = 2) -> PerjanjianKinerja:
    admin = tim.user("admin")
    tahun = tim.periode.tahun
    pk = services.create_perjanjian(unit, tim.periode, admin)
    for n in range(n_iku):
        sasaran = services.save_sasaran(
            unit, admin, tahun=tahun, perspektif="penerima_layanan", kode=f"SS{n}", nama=f"Sasaran {n}"
        )
        manual = services.save_manual(
            unit,
            admin,
            target_periode={1: "25", 2: "50", 3: "75", 4: "100"},
            tahun=tahun,
            kode=f"IKU{n}",
            nama=f"Indeks layanan {n}",
            satuan="%",
            konsolidasi="last",
            target_tahun=Decimal("100"),
        )
        services.save_pk_indikator(pk, admin, sasaran=sasaran, manual=manual, target_tahun=Decimal("100"))
    return pk


def test_every_pegawai_of_the_instansi_reads_the_perjanjian(tim):
    dinas = UnitKerja.objects.get(instansi=tim.instansi, kode="D")
    pk = _perjanjian(tim, dinas)
    for who in ("staf", "kabid", "admin"):
        body = tim.client(who).get("/api/v1/perjanjian-kinerja", {"tahun": tim.periode.tahun}).json()
        assert [p["id"] for p in body["items"]] == [pk.pk], who
    row = tim.client("staf").get("/api/v1/perjanjian-kinerja").json()["items"][0]
    assert row["unit_nama"] == "Dinas Uji" and row["pegawai_nama"] == "Pegawai Kepala"
    assert row["penyetuju_id"] is None and row["status"] == "draft"
    assert tim.client("staf").get("/api/v1/perjanjian-kinerja", {"tahun": 1999}).json()["count"] == 0

    detail = tim.token_client("staf").get(f"/api/v1/perjanjian-kinerja/{pk.pk}").json()
    assert [i["iku"]["kode"] for i in detail["indikator"]] == ["IKU0", "IKU1"]
    first = detail["indikator"][0]
    assert first["target_tahun"] == "100"
    assert first["sasaran"] == {
        "id": first["sasaran"]["id"],
        "kode": "SS0",
        "nama": "Sasaran 0",
        "perspektif": "penerima_layanan",
    }
    assert [t["target"] for t in first["iku"]["target_periode"]] == ["25", "50", "75", "100"]


def test_other_instansi_cannot_read_it(tim):
    pk = _perjanjian(tim, UnitKerja.objects.get(instansi=tim.instansi, kode="D"))
    lain = b.atasan_dan_bawahan()
    for user in (lain.admin, lain.bawahan.user):
        client = b.klien(user)
        assert client.get(f"/api/v1/perjanjian-kinerja/{pk.pk}").status_code == 403
        assert client.get("/api/v1/perjanjian-kinerja", {"instansi_id": tim.instansi.pk}).status_code == 403
        ids = {p["id"] for p in client.get("/api/v1/perjanjian-kinerja").json()["items"]}
        assert pk.pk not in ids


def test_unknown_perjanjian_is_404(tim):
    assert tim.client("staf").get("/api/v1/perjanjian-kinerja/999999").status_code == 404


def _queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def test_query_counts_do_not_grow_with_rows(tim):
    client = tim.client("staf")
    dinas = UnitKerja.objects.get(instansi=tim.instansi, kode="D")
    pk = _perjanjian(tim, dinas, n_iku=1)
    list_queries = _queries(client, "/api/v1/perjanjian-kinerja")
    detail_queries = _queries(client, f"/api/v1/perjanjian-kinerja/{pk.pk}")
    _perjanjian(tim, UnitKerja.objects.get(instansi=tim.instansi, kode="B"), n_iku=0)
    for n in range(1, 6):
        sasaran = services.save_sasaran(
            dinas, tim.user("admin"), tahun=tim.periode.tahun, perspektif="anggaran", kode=f"A{n}", nama="S"
        )
        manual = services.save_manual(
            dinas,
            tim.user("admin"),
            target_periode={},
            tahun=tim.periode.tahun,
            kode=f"A{n}",
            nama="Serapan",
            satuan="%",
            target_tahun=Decimal("95"),
        )
        services.save_pk_indikator(pk, tim.user("admin"), sasaran=sasaran, manual=manual, target_tahun=1)
    assert client.get("/api/v1/perjanjian-kinerja").json()["count"] == 2
    assert _queries(client, "/api/v1/perjanjian-kinerja") == list_queries
    assert _queries(client, f"/api/v1/perjanjian-kinerja/{pk.pk}") == detail_queries
