"""Reads from the streaming replica (docs/architecture.md "More than one machine").

Nothing goes to the replica by default. A selector whose page tolerates a second of lag (boards, rekap,
exports) runs its reads inside ``with dari_replika():`` (or is decorated with ``@dari_replika()``); the
router then sends them to the ``replica`` alias unless

- no replica is configured (``DATABASE_REPLICA_URL`` unset), or
- the request is pinned to the primary: it writes (POST…), or the same browser wrote less than
  ``KINERJA_REPLIKA_PRIMER_DETIK`` seconds ago (`PrimerSetelahTulis` sets a cookie), so a user always
  reads their own writes, or
- the code is inside a transaction on the primary (it must see its own uncommitted rows), or
- the replica did not answer, or lags more than ``KINERJA_REPLIKA_LAG_MAKS`` seconds, at its last check
  (made at most every ``KINERJA_REPLIKA_CEK_DETIK`` seconds per process, logged on each change).

Writes always go to ``default``.
"""

from __future__ import annotations

import contextlib
import contextvars
import logging
import threading
import time
from collections.abc import Callable
from contextlib import contextmanager
from typing import Any

from django.conf import settings
from django.db import connections
from django.http import HttpRequest, HttpResponse

logger = logging.getLogger("kinerja.replika")

REPLIKA = "replica"
COOKIE = "kinerja_primer"

_minta_replika = contextvars.ContextVar("kinerja_minta_replika", default=False)
_terikat_primer = contextvars.ContextVar("kinerja_terikat_primer", default=False)


@contextmanager
def dari_replika():  # type: ignore[no-untyped-def]
    """Reads inside this block (or the decorated function) may come from the replica."""
    token = _minta_replika.set(True)
    try:
        yield
    finally:
        _minta_replika.reset(token)


@contextmanager
def di_primer():  # type: ignore[no-untyped-def]
    """Reads inside this block stay on the primary, even inside `dari_replika`."""
    token = _terikat_primer.set(True)
    try:
        yield
    finally:
        _terikat_primer.reset(token)


class _Kesehatan:
    """Whether the replica answered (and kept up) at its last check; re-checked every few seconds."""

    def __init__(self) -> None:
        self._kunci = threading.Lock()
        self._sampai = 0.0
        self._sehat = True

    def reset(self) -> None:
        with self._kunci:
            self._sampai = 0.0
            self._sehat = True

    def sehat(self) -> bool:
        sekarang = time.monotonic()
        if sekarang < self._sampai:
            return self._sehat
        with self._kunci:
            if sekarang < self._sampai:
                return self._sehat
            sehat, alasan = _periksa()
            if sehat != self._sehat:
                if sehat:
                    logger.warning("Replika %s kembali menjawab; bacaan kembali ke replika", REPLIKA)
                else:
                    logger.warning("REPLIKA TIDAK DIPAKAI: %s; bacaan ke primer", alasan)
            self._sehat = sehat
            self._sampai = time.monotonic() + settings.KINERJA_REPLIKA_CEK_DETIK
            return sehat


def _periksa() -> tuple[bool, str]:
    conn = connections[REPLIKA]
    try:
        with conn.cursor() as cursor:
            if conn.vendor == "postgresql":
                # Lag in seconds; 0 when everything received is replayed (an idle primary is not lag).
                cursor.execute(
                    "SELECT CASE WHEN NOT pg_is_in_recovery() OR pg_last_wal_receive_lsn() = "
                    "pg_last_wal_replay_lsn() THEN 0 ELSE COALESCE(EXTRACT(EPOCH FROM now() - "
                    "pg_last_xact_replay_timestamp()), 0) END"
                )
                lag = float(cursor.fetchone()[0])
                if lag > settings.KINERJA_REPLIKA_LAG_MAKS:
                    return False, f"replika tertinggal {lag:.1f} detik"
            else:
                cursor.execute("SELECT 1")
                cursor.fetchone()
    except Exception as exc:  # any failure means "do not read there"
        with contextlib.suppress(Exception):  # already broken; the next check reconnects
            conn.close()
        return False, f"replika tidak menjawab ({str(exc).strip().splitlines()[0] if str(exc) else exc!r})"
    return True, ""


kesehatan = _Kesehatan()


def pakai_replika() -> bool:
    """Whether a read asked for the replica goes there now."""
    if not _minta_replika.get() or _terikat_primer.get() or not settings.KINERJA_REPLIKA_AKTIF:
        return False
    if connections["default"].in_atomic_block:
        return False
    return kesehatan.sehat()


class RouterReplika:
    """Database router: see the module's docstring."""

    def db_for_read(self, model: Any, **hints: Any) -> str | None:
        return REPLIKA if pakai_replika() else None

    def db_for_write(self, model: Any, **hints: Any) -> str:
        return "default"

    def allow_relation(self, obj1: Any, obj2: Any, **hints: Any) -> bool:
        return True  # the replica is a copy of the primary: the same rows

    def allow_migrate(self, db: str, app_label: str, **hints: Any) -> bool:
        return db == "default"  # a streaming replica is read-only; it gets the schema by replication


def _menulis(request: HttpRequest) -> bool:
    return request.method not in {"GET", "HEAD", "OPTIONS", "TRACE"}


class PrimerSetelahTulis:
    """After a write request, the browser's reads stay on the primary for KINERJA_REPLIKA_PRIMER_DETIK
    seconds (a cookie holding when that ends), so a user never misses their own save on a lagging replica.
    The cookie only ever sends reads to the primary: forging it costs the forger nothing and us little."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        menulis = _menulis(request)
        try:
            terikat = menulis or float(request.COOKIES.get(COOKIE, "0")) > time.time()
        except ValueError:
            terikat = False
        token = _terikat_primer.set(terikat)
        try:
            response = self.get_response(request)
        finally:
            _terikat_primer.reset(token)
        if menulis:
            detik = settings.KINERJA_REPLIKA_PRIMER_DETIK
            response.set_cookie(
                COOKIE, f"{time.time() + detik:.1f}", max_age=detik, httponly=True, samesite="Lax"
            )
        return response
