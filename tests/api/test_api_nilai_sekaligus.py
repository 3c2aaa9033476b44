"""PUT /api/v1/penilaian/evaluasi/{id}/rating: every RHK and BerAKHLAK rating in one body, saved
atomically (docs/rules.md §33); errors located in the body; stale versi 409; only the penilai; in the
OpenAPI schema; queries flat in the number of RHK."""

from __future__ import annotations

import json

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from kinerja.organisasi import services as org_services
from kinerja.organisasi.models import User
from kinerja.penilaian.models import Evaluasi, RatingPerilaku, RatingRhk
from kinerja.rules.perilaku import BERAKHLAK
from tests import builders as b
from tests.penilaian.conftest import _tujuh, buka, tujuh  # noqa: F401 (the module's cast)

pytestmark = pytest.mark.django_db


def _klien(user: User) -> Client:
    _, raw = org_services.create_token(user, "uji")
    return Client(headers={"Authorization": f"Bearer {raw}"})


def _url(ev: Evaluasi) -> str:
    return f"/api/v1/penilaian/evaluasi/{ev.pk}/rating"


def _badan(ev: Evaluasi, rhk: str = "sesuai", perilaku: str = "sesuai") -> dict:
    return {
        "versi": ev.versi,
        "rhk": [{"rhk_id": r.rhk_id, "rating": rhk, "catatan": "Baik"} for r in ev.rating_rhk.all()],
        "perilaku": [{"kode": n.kode, "rating": perilaku} for n in BERAKHLAK],
    }


def _put(c: Client, url: str, body: dict):  # type: ignore[no-untyped-def]
    return c.put(url, json.dumps(body), content_type="application/json")


def test_saves_everything_at_once(tujuh):  # noqa: F811
    ev = buka(tujuh.fungsional)
    r = _put(_klien(tujuh.kabid.user), _url(ev), _badan(ev, "diatas", "sesuai"))
    assert r.status_code == 200, r.content
    data = r.json()
    assert data["versi"] == ev.versi + 1 and data["saran_hasil"] == "diatas"
    assert set(RatingRhk.objects.filter(evaluasi=ev).values_list("rating", flat=True)) == {"diatas"}
    assert set(RatingPerilaku.objects.filter(evaluasi=ev).values_list("rating", flat=True)) == {"sesuai"}


def test_one_refusal_saves_nothing_and_is_located(tujuh):  # noqa: F811
    ev = buka(tujuh.fungsional)
    body = _badan(ev)
    body["perilaku"][2]["kode"] = "XX"
    r = _put(_klien(tujuh.kabid.user), _url(ev), body)
    assert r.status_code == 422
    assert ["body", "payload", "perilaku", 2, "rating"] in [d["loc"] for d in r.json()["detail"]]
    assert not RatingRhk.objects.filter(evaluasi=ev).exclude(rating="").exists()
    body = _badan(ev)
    body["rhk"][0]["rhk_id"] = 999999
    r = _put(_klien(tujuh.kabid.user), _url(ev), body)
    assert r.status_code == 422 and r.json()["detail"][0]["loc"] == ["body", "payload", "rhk", 0, "rhk_id"]


def test_stale_versi_is_409_and_others_are_refused(tujuh, other_instansi):  # noqa: F811
    ev = buka(tujuh.fungsional)
    body = _badan(ev)
    body["versi"] = ev.versi + 5
    assert _put(_klien(tujuh.kabid.user), _url(ev), body).status_code == 409
    for user in (tujuh.fungsional.user, tujuh.kbmp.user, User.objects.get(username="admin-lain")):
        assert _put(_klien(user), _url(ev), _badan(ev)).status_code in (403, 404)
    assert not RatingPerilaku.objects.filter(evaluasi=ev).exclude(rating="").exists()


def test_in_the_openapi_schema(tujuh):  # noqa: F811
    schema = b.klien(tujuh.kabid.user).get("/api/v1/openapi.json").json()
    op = schema["paths"]["/api/v1/penilaian/evaluasi/{evaluasi_id}/rating"]["put"]
    assert "sekaligus" in op["summary"]
    assert "NilaiSekaligusIn" in json.dumps(op["requestBody"])


def test_queries_flat_in_the_number_of_rhk(tujuh):  # noqa: F811
    ev = buka(tujuh.fungsional)
    c = _klien(tujuh.kabid.user)

    def hitung(body: dict) -> int:
        with CaptureQueriesContext(connection) as q:
            assert _put(c, _url(ev), body).status_code == 200
        return len(q.captured_queries)

    ev.refresh_from_db()
    hitung(_badan(ev, "dibawah"))  # warm the token's and the instansi's caches
    ev.refresh_from_db()
    satu = hitung(_badan(ev, "sesuai"))
    for i in range(4):
        rhk = b.RhkFactory(skp=ev.skp, teks=f"RHK tambahan {i}")
        RatingRhk.objects.create(evaluasi=ev, rhk=rhk, rhk_jenis="utama", rhk_teks=rhk.teks, urutan=50 + i)
    ev.refresh_from_db()
    assert hitung(_badan(ev, "diatas")) == satu
