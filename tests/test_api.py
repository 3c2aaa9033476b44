"""The API under /api/v1/: schema, authentication, and the same permission rules as the pages."""

import pytest

from kinerja.organisasi.models import Pegawai, User
from tests import builders as b

pytestmark = pytest.mark.django_db


@pytest.fixture
def tim() -> b.Tim:
    """kepala → kabid (atasan) → pelaksana (bawahan, "Tri Wulandari"), and the pelaksana's colleague."""
    return b.atasan_dan_bawahan(bawahan={"nama": "Tri Wulandari"})


@pytest.fixture
def colleague(tim: b.Tim) -> Pegawai:
    return b.pegawai_di(tim.bawahan.penempatan.get().jabatan, nama="Wulan Sari")


def test_openapi_schema_is_public_json(client, db):
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    schema = response.json()
    assert schema["info"]["title"] == "Kinerja API"
    assert "/api/v1/pegawai/{pegawai_id}" in schema["paths"]


def test_api_needs_login(client, tim):
    assert client.get("/api/v1/me").status_code == 401


def test_me_and_penilai(tim):
    client = b.klien(tim.bawahan.user)
    me = client.get("/api/v1/me").json()
    assert me["nip"] == tim.bawahan.nip
    assert me["jabatan"][0]["nama"] == "Pengolah Data Uji"
    chain = client.get(f"/api/v1/pegawai/{me['id']}/penilai").json()
    assert chain["penilai"]["nip"] == tim.atasan.nip
    assert chain["atasan_penilai"]["nip"] == tim.kepala.nip


def test_pegawai_detail_follows_the_same_rules_as_the_page(tim, colleague):
    assert b.klien(tim.bawahan.user).get(f"/api/v1/pegawai/{colleague.pk}").status_code == 403
    assert b.klien(tim.atasan.user).get(f"/api/v1/pegawai/{colleague.pk}").status_code == 200
    assert b.klien(tim.admin).get(f"/api/v1/pegawai/{colleague.pk}").status_code == 200


def test_pegawai_list_is_for_admins_and_paginated(tim, colleague):
    assert b.klien(tim.kepala.user).get("/api/v1/pegawai").status_code == 403
    body = b.klien(tim.admin).get("/api/v1/pegawai", {"q": "wulan"}).json()
    assert body["count"] == 2
    assert {p["nama"] for p in body["items"]} == {"Tri Wulandari", "Wulan Sari"}


def test_admin_of_another_instansi_sees_nothing_here(client, tim, other_instansi):
    client.force_login(User.objects.get(username="admin-lain"))
    assert client.get(f"/api/v1/pegawai/{tim.bawahan.pk}").status_code == 403
    names = {p["nama"] for p in client.get("/api/v1/pegawai").json()["items"]}
    assert names == {"Pegawai Lain"}


def test_api_docs_load_their_assets_locally_not_from_a_cdn(tim):
    import re

    html = b.klien(tim.admin).get("/api/v1/docs").content.decode()
    assets = re.findall(r'(?:src|href)="([^"]+)"', html)
    assert assets and all(a.startswith("/static/") for a in assets), assets


def test_pages_load_no_external_assets(tim):
    import re

    for user in (tim.admin, tim.bawahan.user):
        html = b.klien(user).get("/").content.decode()
        assets = re.findall(r'<(?:script|link)[^>]+(?:src|href)="([^"]+)"', html)
        # the installable app's manifest is served by the app itself, not a static file (docs/rules.md §35)
        lokal = [a for a in assets if a != "/manifest.webmanifest"]
        assert lokal and all(a.startswith("/static/") for a in lokal), assets
