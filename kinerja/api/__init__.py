"""The HTTP API (django-ninja): `/api/v1/`, schema at `/api/v1/openapi.json`, docs at `/api/v1/docs`.

One router module per app; every endpoint checks permissions through `kinerja.permissions` and writes
through the apps' services. Authentication: a personal token (`Authorization: Bearer <token>`, issued on
the "Token API" page) or the browser session (with CSRF on unsafe methods); see `kinerja.api.auth`.
"""

from ninja import NinjaAPI

from . import errors, kontrak
from .auth import AUTH
from .catatan import router as catatan_router
from .eksternal import router as eksternal_router
from .keberatan import router as keberatan_router
from .organisasi import router as organisasi_router
from .pelaksanaan import router as pelaksanaan_router
from .pemantauan import router as pemantauan_router
from .penilaian import router as penilaian_router
from .perencanaan import router as perencanaan_router

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
errors.nyatakan_galat(api)
kontrak.periksa(api)
