"""A fixed-window rate limit on the shared cache, for public endpoints that cost CPU (the PDF upload check,
docs/rules.md §29.4). Logins have their own throttle (django-axes, §24.1)."""

from __future__ import annotations

import logging
import time

from django.core.cache import cache

logger = logging.getLogger(__name__)


def melebihi(nama: str, kunci: str, batas: int, detik: int) -> bool:
    """Count one more call of ``nama`` by ``kunci`` (e.g. the client's address) in the current window of
    ``detik`` seconds; True when that is more than ``batas``. A cache that does not answer lets it pass
    (the limit protects the server's CPU, it is not an access rule)."""
    jendela = int(time.time() // detik)
    k = f"kinerja:laju:{nama}:{kunci}:{jendela}"
    try:
        cache.add(k, 0, detik + 1)
        jumlah = cache.incr(k)
    except ValueError:  # evicted between add and incr: count this call as the first
        cache.set(k, 1, detik + 1)
        jumlah = 1
    except Exception:
        logger.warning("cache tidak menjawab; batas laju %s tidak diperiksa", nama, exc_info=True)
        return False
    return int(jumlah) > batas
