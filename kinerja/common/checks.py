"""Deployment checks of the settings (``manage.py check --deploy``; registered by the organisasi app).

`kinerja.common.cache` invalidates by bumping a generation in the cache: with a process-local cache
(LocMemCache, Django's default when ``REDIS_URL`` is unset) a write in one process leaves every other
process serving its stale copy until the TTL. So more than one web process (gunicorn ``WEB_CONCURRENCY``
or ``--workers`` in ``GUNICORN_CMD_ARGS``) or more than one node (``JUMLAH_NODE``) needs a shared cache
(docs/architecture.md "Caching", "More than one machine"). Only what the environment says is read: the
``-w`` on a gunicorn command line is not visible here.
"""

from __future__ import annotations

import os
import re
import shlex
from typing import Any

from django.conf import settings
from django.core.checks import CheckMessage, Tags, Warning, register

LOKAL_PROSES = {"django.core.cache.backends.locmem.LocMemCache"}
LOKAL_MESIN = LOKAL_PROSES | {"django.core.cache.backends.filebased.FileBasedCache"}


def _angka(teks: str | None) -> int:
    return int(teks) if teks and re.fullmatch(r"\s*\d+\s*", teks) else 1


def proses_web(env: dict[str, str] | None = None) -> int:
    """The number of web processes the environment asks gunicorn for (1 when it says nothing)."""
    env = os.environ if env is None else env  # type: ignore[assignment]
    n = _angka(env.get("WEB_CONCURRENCY"))
    try:
        args = shlex.split(env.get("GUNICORN_CMD_ARGS", ""))
    except ValueError:
        args = []
    for i, a in enumerate(args):
        if a in ("-w", "--workers") and i + 1 < len(args):
            n = _angka(args[i + 1])
        elif a.startswith("--workers="):
            n = _angka(a.partition("=")[2])
        elif a.startswith("-w") and len(a) > 2:
            n = _angka(a[2:])
    return n


@register(Tags.caches, deploy=True)
def cache_bersama(
    app_configs: Any = None, env: dict[str, str] | None = None, **kwargs: Any
) -> list[CheckMessage]:
    env = os.environ if env is None else env  # type: ignore[assignment]
    backend = settings.CACHES.get("default", {}).get("BACKEND", "")
    proses, node = proses_web(env), _angka(env.get("JUMLAH_NODE"))
    if (backend in LOKAL_PROSES and (proses > 1 or node > 1)) or (backend in LOKAL_MESIN and node > 1):
        return [
            Warning(
                f"The cache ({backend.rpartition('.')[2]}) is local to one process or machine, but the "
                f"settings run {proses} web process(es) on {node} node(s): an invalidation reaches only "
                "the process that wrote, the others serve stale pages until the TTL.",
                hint="Set REDIS_URL (a shared Redis cache), or run one process on one node.",
                id="kinerja.W001",
            )
        ]
    return []
