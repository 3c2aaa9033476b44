"""Running on more than one machine (docs/architecture.md "More than one machine"): a lock that holds across
processes and nodes, and a log filter that turns a degraded dependency into one line per half minute.
"""

from __future__ import annotations

import hashlib
import logging
import time
from collections.abc import Iterator
from contextlib import contextmanager

from django.conf import settings
from django.core.cache import cache
from django.db import connection, transaction

logger = logging.getLogger("kinerja.cache")


class KunciSibuk(Exception):
    """Another process held the lock longer than we were willing to wait."""


def _kunci_redis(nama: str, batas_tunggu: float, masa: float):  # type: ignore[no-untyped-def]
    """A Redis lock (django-redis' ``cache.lock``), or None when Redis is not the cache or does not answer."""
    if not getattr(settings, "REDIS_URL", "") or not hasattr(cache, "lock"):
        return None
    try:
        kunci = cache.lock(f"kunci:{nama}", timeout=masa, blocking_timeout=batas_tunggu)
        if not kunci.acquire():
            raise KunciSibuk(nama)
    except KunciSibuk:
        raise
    except Exception as exc:  # Redis down: the database lock below does the same job
        logger.warning("Redis tidak menjawab untuk kunci %s (%s); memakai kunci database", nama, exc)
        return None
    return kunci


@contextmanager
def kunci_lintas_proses(nama: str, *, batas_tunggu: float = 60, masa: float = 600) -> Iterator[None]:
    """Hold the lock ``nama`` while the block runs, whichever process or node also asks for it.

    Redis (``REDIS_URL``): a Redis lock that expires after ``masa`` seconds (a crashed holder frees it).
    Otherwise, or when Redis does not answer: a database lock held by a transaction around the block —
    ``pg_advisory_xact_lock`` on PostgreSQL (transaction-scoped, so safe behind pgbouncer's transaction
    pooling), the write lock of SQLite's ``BEGIN IMMEDIATE`` on SQLite. Waits at most ``batas_tunggu``
    seconds, then raises `KunciSibuk`. The block runs inside that transaction in the database case, so it
    should be work that may be all-or-nothing.
    """
    kunci = _kunci_redis(nama, batas_tunggu, masa)
    if kunci is not None:
        try:
            yield
        finally:
            try:
                kunci.release()
            except Exception as exc:  # expired or Redis gone: the timeout frees it anyway
                logger.warning("Kunci %s tidak dapat dilepas di Redis (%s)", nama, exc)
        return
    with transaction.atomic():
        if connection.vendor == "postgresql":
            kunci_id = int.from_bytes(hashlib.sha256(nama.encode()).digest()[:8], "big", signed=True)
            with connection.cursor() as cursor:
                cursor.execute("SET LOCAL lock_timeout = %s", [f"{int(batas_tunggu * 1000)}ms"])
                try:
                    cursor.execute("SELECT pg_advisory_xact_lock(%s)", [kunci_id])
                except Exception as exc:
                    raise KunciSibuk(nama) from exc
        # SQLite: the atomic block began with BEGIN IMMEDIATE (settings), which already is the write lock.
        yield


class SekaliPerSelang(logging.Filter):
    """Let one record per logger through every ``selang`` seconds (a stopped Redis would otherwise log a
    traceback on every cache call); the first says what is degraded, in a line an operator can grep."""

    PESAN = {
        "kinerja.cache": "CACHE TERDEGRADASI: Redis tidak menjawab ({galat}); halaman dilayani tanpa cache",
    }

    def __init__(self, selang: float = 30) -> None:
        super().__init__()
        self.selang = selang
        self._terakhir: dict[str, float] = {}

    def filter(self, record: logging.LogRecord) -> bool:
        sekarang = time.monotonic()
        if sekarang - self._terakhir.get(record.name, -1e9) < self.selang:
            return False
        self._terakhir[record.name] = sekarang
        templat = self.PESAN.get(record.name)
        if templat and record.msg == "Exception ignored":
            galat = record.exc_info[1] if record.exc_info else "?"
            record.msg, record.args = templat.format(galat=galat), None
            record.exc_info = record.exc_text = None
        return True
