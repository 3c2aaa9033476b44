"""POST /api/v1/skp/setujui-massal: the penilai approves several submitted SKP at once (rules §33.7)."""

from __future__ import annotations

import datetime

import pytest
from django.test import Client
from django.utils import timezone

from kinerja.organisasi import services as org_services
from kinerja.organisasi.models import User
from kinerja.perencanaan.models import LogAlur, Skp
from tests import builders as b
from tests.perencanaan.test_setujui_massal import ajukan, utas

pytestmark = pytest.mark.django_db

URL = "/api/v1/skp/setujui-massal"


def token_client(user: User) -> Client:
    _, raw = org_services.create_token(user, "uji")
    return Client(headers={"Authorization": f"Bearer {raw}"})


def test_penilai_approves_the_eligible_and_gets_the_reasons_of_the_rest(other_instansi):
    tim = b.atasan_dan_bawahan()
    kabid = tim.atasan.user
    bersih = ajukan(tim.bawahan)
    terbuka = ajukan(b.pegawai_di(tim.bawahan.penempatan.get().jabatan))
    utas(terbuka, kabid, terbuka.diajukan_pada - datetime.timedelta(days=1), [timezone.now()])
    draft = b.SkpFactory(pegawai=b.pegawai_di(tim.bawahan.penempatan.get().jabatan))

    response = token_client(kabid).post(
        URL, {"skp_ids": [bersih.pk, terbuka.pk, draft.pk, 999999]}, content_type="application/json"
    )
    assert response.status_code == 200, response.content
    assert response.json() == {
        "disetujui": [bersih.pk],
        "dilewati": [
            {"skp_id": terbuka.pk, "alasan": "Ada 1 komentar terbuka — buka SKP"},
            {"skp_id": draft.pk, "alasan": "tidak sedang diajukan"},
            {"skp_id": 999999, "alasan": "bukan bawahan Anda"},
        ],
    }
    assert LogAlur.objects.get(skp=bersih, aksi="setujui").oleh == kabid

    # the pegawai themself and another instansi's admin approve nothing
    for user in (tim.bawahan.user, User.objects.get(username="admin-lain")):
        r = token_client(user).post(URL, {"skp_ids": [terbuka.pk]}, content_type="application/json")
        assert r.status_code == 200
        assert r.json() == {
            "disetujui": [],
            "dilewati": [{"skp_id": terbuka.pk, "alasan": "bukan bawahan Anda"}],
        }
    assert Skp.objects.get(pk=terbuka.pk).status == "diajukan"


def test_an_empty_list_is_refused_with_its_field():
    tim = b.atasan_dan_bawahan()
    r = token_client(tim.atasan.user).post(URL, {"skp_ids": []}, content_type="application/json")
    assert r.status_code == 422
    assert "skp_ids" in str(r.json()["detail"][0]["loc"])


def test_in_the_openapi_schema(client):
    schema = client.get("/api/v1/openapi.json").json()
    op = schema["paths"][URL]["post"]
    assert "200" in op["responses"]
    komponen = schema["components"]["schemas"]
    assert set(komponen["SetujuiMassalOut"]["properties"]) == {"disetujui", "dilewati"}
    assert set(komponen["DilewatiOut"]["properties"]) == {"skp_id", "alasan"}
