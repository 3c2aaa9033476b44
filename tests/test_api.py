"""The API under /api/v1/: schema, authentication, and the same permission rules as the pages."""

import pytest

from kinerja.organisasi.models import Pegawai

pytestmark = pytest.mark.django_db


def test_openapi_schema_is_public_json(client, db):
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    schema = response.json()
    assert schema["info"]["title"] == "Kinerja API"
    assert "/api/v1/pegawai/{pegawai_id}" in schema["paths"]


def test_api_needs_login(client, demo_instansi):
    assert client.get("/api/v1/me").status_code == 401


def test_me_and_penilai(client_for):
    client = client_for("pelaksana")
    me = client.get("/api/v1/me").json()
    assert me["nip"] == "199108162015031001"
    assert me["jabatan"][0]["nama"] == "Pengolah Data Kinerja Pegawai"
    chain = client.get(f"/api/v1/pegawai/{me['id']}/penilai").json()
    assert chain["penilai"]["nip"] == "197904182005012005"
    assert chain["atasan_penilai"]["nip"] == "197205141998031003"


def test_pegawai_detail_follows_the_same_rules_as_the_page(client_for):
    colleague = Pegawai.objects.get(nip="199406222019032009")
    assert client_for("pelaksana").get(f"/api/v1/pegawai/{colleague.pk}").status_code == 403
    assert client_for("kabid").get(f"/api/v1/pegawai/{colleague.pk}").status_code == 200
    assert client_for("admin").get(f"/api/v1/pegawai/{colleague.pk}").status_code == 200


def test_pegawai_list_is_for_admins_and_paginated(client_for):
    assert client_for("kepala").get("/api/v1/pegawai").status_code == 403
    body = client_for("admin").get("/api/v1/pegawai", {"q": "wulan"}).json()
    assert body["count"] == 2
    assert {p["nama"] for p in body["items"]} == {"Tri Wulandari", "Wulan Sari"}


def test_admin_of_another_instansi_sees_nothing_here(client, demo_instansi, other_instansi):
    from kinerja.organisasi.models import User

    client.force_login(User.objects.get(username="admin-lain"))
    peg = Pegawai.objects.get(nip="199108162015031001")
    assert client.get(f"/api/v1/pegawai/{peg.pk}").status_code == 403
    names = {p["nama"] for p in client.get("/api/v1/pegawai").json()["items"]}
    assert names == {"Pegawai Lain"}


def test_api_docs_load_their_assets_locally_not_from_a_cdn(client_for):
    import re

    html = client_for("admin").get("/api/v1/docs").content.decode()
    assets = re.findall(r'(?:src|href)="([^"]+)"', html)
    assert assets and all(a.startswith("/static/") for a in assets), assets


def test_pages_load_no_external_assets(client_for):
    import re

    for role in ("admin", "pelaksana"):
        html = client_for(role).get("/").content.decode()
        assets = re.findall(r'<(?:script|link)[^>]+(?:src|href)="([^"]+)"', html)
        assert assets and all(a.startswith("/static/") for a in assets), assets
