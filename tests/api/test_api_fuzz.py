"""Every operation of the published OpenAPI document, reads and writes, fuzzed by schemathesis with the
tokens of a pegawai (a penilai with bawahan), of the admin kepegawaian and (for the external API) of the
instansi: never a server error, every status code declared, every response body conforming to its declared
schema. Each request runs in a savepoint that is rolled back, so the examples do not depend on each other."""

from __future__ import annotations

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections, transaction
from hypothesis import HealthCheck, Phase, settings
from schemathesis.checks import (
    content_type_conformance,
    negative_data_rejection,
    not_a_server_error,
    response_schema_conformance,
    status_code_conformance,
)
from schemathesis.config import SchemathesisConfig

from kinerja.api import api
from kinerja.tindak_lanjut.siasn.ekspor import services_token

pytestmark = pytest.mark.django_db

# Unexpected methods (405) are Django's, not the contract's: leave them out to keep the run short.
CONFIG = SchemathesisConfig.from_dict({"phases": {"coverage": {"unexpected-methods": []}}})
schema = schemathesis.openapi.from_dict(api.get_openapi_schema(), config=CONFIG)
schema.app = get_wsgi_application()


@pytest.fixture(autouse=True)
def _keep_the_test_connection():
    """schemathesis calls the WSGI app directly, whose request signals would close the database connection
    that holds the test's transaction (PostgreSQL); Django's own test client disconnects them the same way."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
    negative_data_rejection,
]


@schema.parametrize()
@settings(
    max_examples=10,
    deadline=None,
    derandomize=True,
    database=None,
    phases=[Phase.explicit, Phase.generate],
    suppress_health_check=list(HealthCheck),
)
def test_every_operation_keeps_its_contract(case, tim):
    """Schema-valid and schema-invalid requests (boundaries first, then random ones)."""
    eksternal = case.path.startswith("/api/v1/eksternal/")
    for who in ["instansi"] if eksternal else ["kabid", "admin"]:
        with transaction.atomic():
            if who == "instansi":
                raw = services_token.create_token(tim.instansi, tim.admin, "uji")[1]
            else:
                raw = tim.token(who)
            response = case.call(headers={"Authorization": f"Bearer {raw}"})
            transaction.set_rollback(True)
        case.validate_response(response, checks=CHECKS)
