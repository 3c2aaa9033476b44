"""The HTTP API (django-ninja): `/api/v1/`, schema at `/api/v1/openapi.json`, docs at `/api/v1/docs`.

One router module per app; every endpoint checks permissions through `kinerja.permissions`.
"""

from ninja import NinjaAPI
from ninja.security import django_auth

from .organisasi import router as organisasi_router

api = NinjaAPI(
    title="Kinerja API",
    version="1",
    description="API pengelolaan kinerja pegawai ASN (PermenPANRB No. 6 Tahun 2022).",
    auth=django_auth,
    urls_namespace="api",
)
api.add_router("/", organisasi_router)
