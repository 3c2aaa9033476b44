"""The OpenAPI document lists the planning endpoints, and property-based fuzzing of every GET endpoint
(schemathesis generates parameters from the schema) never gets a server error."""

from __future__ import annotations

import pytest
import schemathesis
from hypothesis import HealthCheck, settings

from kinerja.api import api

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
    assert set(put["responses"]) == {"200", "403", "404", "422"}
    components = schema["components"]["schemas"]
    assert components["Status"]["enum"] == ["draft", "diajukan", "dikembalikan", "disetujui"]
    assert components["Aspek"]["enum"] == ["kuantitas", "kualitas", "waktu", "biaya"]
    assert {"rhk", "perilaku", "lampiran", "aksi", "masalah_pengajuan"} <= set(
        components["SkpOut"]["properties"]
    )


fuzz = schemathesis.openapi.from_dict(api.get_openapi_schema()).include(method="GET")


@fuzz.parametrize()
@settings(max_examples=30, deadline=None, suppress_health_check=list(HealthCheck))
def test_get_endpoints_never_answer_with_a_server_error(case, tim):
    """Random (schema-valid and schema-invalid) parameters, as a user with bawahan and as the admin."""
    for client in (tim.client("kabid"), tim.client("admin")):
        response = client.get(case.formatted_path, case.query or {})
        assert response.status_code < 500, (case.formatted_path, case.query, response.content[:500])
        if response.status_code == 200:
            assert response["Content-Type"].startswith("application/json")
