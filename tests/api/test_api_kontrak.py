"""The published contract holds at its shared mechanisms (docs/rules.md §25.1): bounded ids, dates only in
the declared format, every error status declared, no two schemas under one component name."""

from __future__ import annotations

import pytest
from ninja import NinjaAPI, Router, Schema

from kinerja.api import api, kontrak
from kinerja.api.tipe import MAX_ID

pytestmark = pytest.mark.django_db

TERLALU_BESAR = 10**20  # beyond any database integer key


@pytest.mark.parametrize(
    "method, path",
    [
        ("put", "/api/v1/penilaian/evaluasi/{id}/rhk/{id}"),
        ("post", "/api/v1/penilaian/evaluasi/{id}/rhk/{id}/tanpa-realisasi"),
        ("get", "/api/v1/skp/{id}"),
        ("get", "/api/v1/keberatan/{id}/lampiran/{id}"),
    ],
)
@pytest.mark.parametrize("nilai", [TERLALU_BESAR, MAX_ID + 1, 0, -1])
def test_an_id_out_of_range_is_refused_with_422_not_a_server_error(tim, method, path, nilai):
    client = tim.token_client("kabid")
    response = getattr(client, method)(
        path.replace("{id}", str(nilai)), {"rating": "sesuai", "versi": 1}, content_type="application/json"
    )
    assert response.status_code == 422, response.content
    (galat,) = response.json()["detail"][:1]
    assert galat["loc"][0] == "path"
    assert galat["msg"] in ("Paling kecil 1.", f"Paling besar {MAX_ID}.")


@pytest.mark.parametrize("tanggal", ["0", "1700000000", "2026-01-05T00:00:00", "05-01-2026", "2026-02-30"])
def test_a_date_only_in_the_declared_format(tim, tanggal):
    client = tim.token_client("kabid")
    url = f"/api/v1/pegawai/{tim.pegawai['staf'].pk}/penilai"
    assert client.get(url, {"tanggal": "2026-01-05"}).status_code == 200
    response = client.get(url, {"tanggal": tanggal})
    assert response.status_code == 422, response.content
    assert response.json()["detail"][0]["msg"].startswith("Tanggal tidak valid")


@pytest.mark.parametrize(
    "isian, salah, pesan",
    [
        ({"jam_mulai": 3600}, "jam_mulai", "Jam tidak valid"),
        ({"jam_mulai": "3600"}, "jam_mulai", "Jam tidak valid"),
        ({"jam_mulai": "8"}, "jam_mulai", "Jam tidak valid"),
        ({"jam_selesai": "08:00:00.5x"}, "jam_selesai", "Jam tidak valid"),
        # the right shape but no time of day: pydantic's own (English) message before
        ({"jam_mulai": "25:00"}, "jam_mulai", "Jam tidak valid"),
        ({"jam_selesai": "12:61"}, "jam_selesai", "Jam tidak valid"),
        ({"tanggal": "2026-13-01"}, "tanggal", "Tanggal tidak valid"),
        ({"tanggal": 0}, "tanggal", "Tanggal tidak valid"),
        ({"tanggal": "2026-01-05T00:00"}, "tanggal", "Tanggal tidak valid"),
    ],
)
def test_a_body_date_or_time_only_in_the_declared_format(tim, isian, salah, pesan):
    body = {"tanggal": "2026-01-05", "kegiatan": "Rapat koordinasi", "jam_mulai": "08:00", **isian}
    response = tim.token_client("staf").post(
        "/api/v1/catatan-kegiatan", body, content_type="application/json"
    )
    assert response.status_code == 422, response.content
    detail = response.json()["detail"]
    assert any(d["loc"][-1] == salah and d["msg"].startswith(pesan) for d in detail), detail


def test_every_operation_declares_the_errors_it_can_answer():
    schema = api.get_openapi_schema()
    for path, operations in schema["paths"].items():
        for method, op in operations.items():
            declared = {int(code) for code in op["responses"]}
            assert {401, 403, 404, 422} <= declared, (method, path)
            if method != "get":
                assert 400 in declared, (method, path)


def test_no_two_schemas_share_a_component_name():
    assert kontrak.nama_ganda(api) == {}


def test_a_shared_component_name_is_refused():
    def router_dengan_unit(nama: str) -> Router:
        class UnitOut(Schema):
            nama: str

        UnitOut.__module__ = f"kinerja.uji.{nama}"
        router = Router()

        @router.get(f"/{nama}", response=UnitOut)
        def baca(request):  # pragma: no cover - never called
            return {"nama": nama}

        return router

    uji = NinjaAPI(urls_namespace="uji-kontrak")
    uji.add_router("/a", router_dengan_unit("a"))
    uji.add_router("/b", router_dengan_unit("b"))
    assert set(kontrak.nama_ganda(uji)) == {"UnitOut"}
    with pytest.raises(TypeError, match="UnitOut"):
        kontrak.periksa(uji)
