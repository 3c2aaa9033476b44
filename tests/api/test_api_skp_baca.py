"""Reading SKP through the API: who sees what (the same rule as the pages), the content, flat query counts."""

from __future__ import annotations

import datetime

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from kinerja.perencanaan import services
from kinerja.perencanaan.models import Skp
from kinerja.rules.perilaku import BERAKHLAK
from tests import builders as b

pytestmark = pytest.mark.django_db


def test_owner_reads_their_skp_with_identity_rhk_perilaku_and_actions(tim):
    skp = tim.skp["kabid"]
    body = tim.client("kabid").get(f"/api/v1/skp/{skp.pk}").json()
    assert body["id"] == skp.pk
    assert body["status"] == "draft" and body["revisi"] == 1 and body["model"] == "kualitatif"
    assert body["pegawai"]["nip"] == "198002022005012002"
    assert body["pegawai"]["jabatan"] == "Kepala Bidang Uji"
    assert body["penilai"]["nama"] == "Pegawai Kepala"
    assert body["penilai_id"] == tim.pegawai["kepala"].pk
    assert [r["teks"] for r in body["rhk"]] == [r.teks for r in tim.rhk["kabid"]]
    assert body["rhk"][0]["intervensi"]["id"] == tim.rhk["kepala"][0].pk
    assert body["rhk"][0]["intervensi"]["pegawai_nama"] == "Pegawai Kepala"
    assert [p["kode"] for p in body["perilaku"]] == [n.kode for n in BERAKHLAK]
    assert body["perilaku"][0]["nama"] == "Berorientasi Pelayanan"
    assert body["peran"] == ["pemilik"]
    assert body["aksi"] == ["ajukan"]
    assert body["dapat_diubah"] is True
    assert any("belum memiliki indikator" in m for m in body["masalah_pengajuan"])


def test_penilai_reads_bawahan_skp_and_may_approve_only_when_submitted(tim):
    skp = tim.skp["kabid"]
    body = tim.client("kepala").get(f"/api/v1/skp/{skp.pk}").json()
    assert body["peran"] == ["penyetuju"]
    assert body["aksi"] == [] and body["dapat_diubah"] is False


def test_colleague_and_bawahan_may_not_read(tim):
    services.create_skp(tim.pegawai["staf"], tim.periode, tim.user("staf"))
    staf_skp = Skp.objects.get(pegawai=tim.pegawai["staf"])
    response = tim.client("rekan").get(f"/api/v1/skp/{staf_skp.pk}")
    assert response.status_code == 403
    assert response.json() == {"detail": "Anda tidak berhak melihat SKP ini."}
    # A bawahan does not read their atasan's SKP either (they see its RHK only as intervention choices).
    assert tim.client("staf").get(f"/api/v1/skp/{tim.skp['kabid'].pk}").status_code == 403
    # ... by token as well.
    assert tim.token_client("rekan").get(f"/api/v1/skp/{staf_skp.pk}").status_code == 403


def test_atasan_penilai_and_admin_read(tim):
    staf_skp = services.create_skp(tim.pegawai["staf"], tim.periode, tim.user("staf"))
    assert tim.client("kepala").get(f"/api/v1/skp/{staf_skp.pk}").status_code == 200
    assert tim.client("admin").get(f"/api/v1/skp/{staf_skp.pk}").status_code == 200


def test_admin_of_another_instansi_gets_403_and_an_empty_list(tim):
    lain = b.atasan_dan_bawahan()
    b.SkpFactory(pegawai=lain.kepala)  # the other admin's list is not empty: it holds their own SKP only
    admin_lain = b.klien(lain.admin)
    assert admin_lain.get(f"/api/v1/skp/{tim.skp['kabid'].pk}").status_code == 403
    ids = {s["id"] for s in admin_lain.get("/api/v1/skp", {"page_size": 100}).json()["items"]}
    assert not ids & {tim.skp["kabid"].pk, tim.skp["kepala"].pk}
    # Writes refuse before anything else.
    response = admin_lain.post(f"/api/v1/skp/{tim.skp['kabid'].pk}/setujui", content_type="application/json")
    assert response.status_code in (403, 404)


def test_unknown_skp_is_404(tim):
    response = tim.client("kabid").get("/api/v1/skp/999999")
    assert response.status_code == 404
    assert response.json() == {"detail": "SKP tidak ditemukan."}


def test_list_shows_own_bawahan_and_instansi_per_role(tim):
    staf_skp = services.create_skp(tim.pegawai["staf"], tim.periode, tim.user("staf"))
    rekan_skp = services.create_skp(tim.pegawai["rekan"], tim.periode, tim.user("rekan"))

    def ids(who: str, **params: object) -> set[int]:
        body = tim.client(who).get("/api/v1/skp", params).json()
        assert body["count"] == len(body["items"])
        return {s["id"] for s in body["items"]}

    semua = {tim.skp["kepala"].pk, tim.skp["kabid"].pk, staf_skp.pk, rekan_skp.pk}
    assert ids("staf") == {staf_skp.pk}
    assert ids("kabid") == {tim.skp["kabid"].pk, staf_skp.pk, rekan_skp.pk}
    assert ids("kepala") == semua
    assert ids("admin") == semua
    assert ids("admin", status="diajukan") == set()
    assert ids("admin", tahun=tim.periode.tahun - 1) == set()
    row = next(s for s in tim.client("kabid").get("/api/v1/skp").json()["items"] if s["id"] == staf_skp.pk)
    assert row["pegawai"]["nama"] == "Pegawai Staf"
    assert row["penilai"]["nama"] == "Pegawai Kabid"
    assert row["tahun"] == tim.periode.tahun
    assert tim.client("admin").get("/api/v1/skp", {"status": "bukan-status"}).status_code == 422


@pytest.mark.parametrize("role", ["admin", "kepala", "kabid", "staf", "rekan"])
def test_the_list_never_shows_an_skp_the_detail_refuses(role, tim):
    """The list's one-query rule and the `perencanaan.view_skp` permission agree (this team, every member
    with an SKP, and another instansi's SKP in the database)."""
    for who in ("staf", "rekan"):
        services.create_skp(tim.pegawai[who], tim.periode, tim.user(who))
    b.SkpFactory(pegawai=b.atasan_dan_bawahan().bawahan)
    user = tim.user(role)
    items = tim.client(role).get("/api/v1/skp", {"page_size": 100}).json()["items"]
    assert items
    for row in items:
        assert user.has_perm("perencanaan.view_skp", Skp.objects.get(pk=row["id"])), row


def test_pilihan_intervensi_lists_the_penilai_rhk(tim):
    staf_skp = services.create_skp(tim.pegawai["staf"], tim.periode, tim.user("staf"))
    rows = tim.client("staf").get(f"/api/v1/skp/{staf_skp.pk}/pilihan-intervensi").json()
    assert [r["id"] for r in rows] == [r.pk for r in tim.rhk["kabid"]]
    assert rows[0]["pegawai_nama"] == "Pegawai Kabid"
    assert tim.client("rekan").get(f"/api/v1/skp/{staf_skp.pk}/pilihan-intervensi").status_code == 403


def _tambah_skp(tim, n: int) -> None:
    """n more SKP rows visible to the admin (earlier short SKP of the kabid, as after a mid-year move)."""
    base = tim.skp["kabid"]
    for i in range(n):
        Skp.objects.create(
            **{
                f.attname: getattr(base, f.attname)
                for f in Skp._meta.concrete_fields
                if f.attname not in ("id", "mulai", "selesai")
            },
            mulai=datetime.date(2000 + i, 1, 1),
            selesai=datetime.date(2000 + i, 1, 1),
        )


def _queries(client: Client, url: str, **params: object) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url, params).status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.parametrize("who", ["admin", "kepala"])
def test_list_query_count_does_not_grow_with_the_number_of_skp(tim, who):
    client = tim.client(who)
    sedikit = _queries(client, "/api/v1/skp")
    _tambah_skp(tim, 20)
    assert client.get("/api/v1/skp").json()["count"] >= 22
    assert _queries(client, "/api/v1/skp") == sedikit


def test_detail_query_count_does_not_grow_with_rhk_and_indikator(tim):
    skp = tim.skp["kabid"]
    client = tim.client("kabid")
    kabid = tim.user("kabid")

    def tambah(n_rhk: int, n_indikator: int) -> None:
        for n in range(n_rhk):
            rhk, _ = services.save_rhk(
                skp, kabid, teks=f"Tersedianya hasil kerja nomor {n}", intervensi=tim.rhk["kepala"][0]
            )
            for m in range(n_indikator):
                services.save_indikator(
                    rhk,
                    kabid,
                    teks=f"Indikator {m}",
                    aspek="kualitas",
                    target_teks="Sesuai",
                    target_periode={1: "a"},
                )

    tambah(1, 1)
    sedikit = _queries(client, f"/api/v1/skp/{skp.pk}")
    tambah(10, 3)
    assert len(client.get(f"/api/v1/skp/{skp.pk}").json()["rhk"]) == 13
    assert _queries(client, f"/api/v1/skp/{skp.pk}") == sedikit


def test_paging_parameters_are_bounded(tim):
    client = tim.client("admin")
    assert client.get("/api/v1/skp", {"page": 10**19}).status_code == 422
    assert client.get("/api/v1/skp", {"page_size": 1000}).status_code == 422
    body = client.get("/api/v1/skp", {"page_size": 1, "page": 2}).json()
    assert len(body["items"]) == 1 and body["count"] == 2
    assert client.get("/api/v1/skp", {"page": 3, "page_size": 1}).json()["items"] == []
