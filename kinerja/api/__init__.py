"""The HTTP API (django-ninja): `/api/v1/`, schema at `/api/v1/openapi.json`, docs at `/api/v1/docs`.

One router module per app; every endpoint checks permissions through `kinerja.permissions` and writes
through the apps' services. Authentication: a personal token (`Authorization: Bearer <token>`, issued on
the "Token API" page) or the browser session (with CSRF on unsafe methods); see `kinerja.api.auth`.
"""

from ninja import NinjaAPI

from kinerja.api import errors, kontrak
from kinerja.api.auth import AUTH
from kinerja.api.catatan import router as catatan_router
from kinerja.api.eksternal import router as eksternal_router
from kinerja.api.keberatan import router as keberatan_router
from kinerja.api.kehadiran import router as kehadiran_router
from kinerja.api.organisasi import router as organisasi_router
from kinerja.api.pelaksanaan import router as pelaksanaan_router
from kinerja.api.pemantauan import router as pemantauan_router
from kinerja.api.penilaian import router as penilaian_router
from kinerja.api.perencanaan import router as perencanaan_router

api = NinjaAPI(
    title="Kinerja API",
    version="1",
    description="API pengelolaan kinerja pegawai ASN (PermenPANRB No. 6 Tahun 2022). "
    "Autentikasi: token pribadi dari halaman *Token API* (`Authorization: Bearer <token>`) atau sesi "
    "peramban. Penolakan: 401 belum masuk / token tidak dikenal, 403 tidak berhak, 404 tidak ditemukan, "
    '422 isian ditolak (`{"detail": [{"loc": [...], "msg": "..."}]}`).',
    auth=AUTH,
    urls_namespace="api",
)
errors.pasang(api)
api.add_router("/", organisasi_router)
api.add_router("/", perencanaan_router)
api.add_router("/", pelaksanaan_router)
api.add_router("/", catatan_router)
api.add_router("/", pemantauan_router)
api.add_router("/", penilaian_router)
api.add_router("/", keberatan_router)
api.add_router("/", eksternal_router)
api.add_router("/", kehadiran_router)
errors.raise_galat(api)
kontrak.periksa(api)
