"""The OpenAPI document lists the planning endpoints with typed schemas (every operation is fuzzed in
`test_api_fuzz.py`)."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.django_db

PATHS = {
    "/api/v1/skp": {"get", "post"},
    "/api/v1/skp/{skp_id}": {"get", "put"},
    "/api/v1/skp/{skp_id}/pilihan-intervensi": {"get"},
    "/api/v1/skp/{skp_id}/ajukan": {"post"},
    "/api/v1/skp/{skp_id}/tarik": {"post"},
    "/api/v1/skp/{skp_id}/setujui": {"post"},
    "/api/v1/skp/{skp_id}/kembalikan": {"post"},
    "/api/v1/skp/{skp_id}/ajukan-perubahan": {"post"},
    "/api/v1/perjanjian-kinerja": {"get"},
    "/api/v1/perjanjian-kinerja/{pk_id}": {"get"},
}


def test_openapi_documents_the_planning_endpoints_with_typed_schemas(client, db):
    schema = client.get("/api/v1/openapi.json").json()
    for path, methods in PATHS.items():
        assert set(schema["paths"][path]) == methods, path
        for op in schema["paths"][path].values():
            assert op["tags"] == ["perencanaan"]
    put = schema["paths"]["/api/v1/skp/{skp_id}"]["put"]
    assert put["requestBody"]["content"]["application/json"]["schema"] == {
        "$ref": "#/components/schemas/SkpUbahIn"
    }
    assert set(put["responses"]) == {"200", "400", "401", "403", "404", "422"}
    components = schema["components"]["schemas"]
    assert components["Status"]["enum"] == ["draft", "diajukan", "dikembalikan", "disetujui"]
    assert components["Aspek"]["enum"] == ["kuantitas", "kualitas", "waktu", "biaya"]
    assert {"rhk", "perilaku", "lampiran", "aksi", "masalah_pengajuan"} <= set(
        components["SkpOut"]["properties"]
    )
