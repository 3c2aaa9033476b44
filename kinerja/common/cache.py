"""The project's one caching plumbing: values many requests share, invalidated by the writes that change them.

A cached value belongs to one or more *scopes* — `pegawai(7)`, `user(3)`, `unit(12)`, `instansi(1)` — and
lives under a key that carries each scope's current *generation*::

    kinerja:<namespace>:<scope>…:<generation>…      e.g. kinerja:nav:pegawai:7:3f9a01c2:instansi:1:0be47d11

`invalidate(scope, …)` drops the scope's generation, so every value of that scope (whatever its namespace)
is missed at the next read and computed again; there is no list of keys to keep in step. A generation is a
random token, not a counter: a generation evicted by the cache comes back as a new token, never as an old
one, so an eviction can only cause a miss, never a stale hit.

Rules of use (docs/architecture.md, "Caching"):

- read with `cached(namespace, scopes, compute)`; `compute` runs on a miss and its result (any picklable
  value, also `None`/`False`) is stored for `ttl` seconds — the TTL is a safety net, not the invalidation;
- every write that changes a cached value calls `invalidate(...)` (or an `invalidate_*` helper) inside
  its transaction: the generations are dropped in `transaction.on_commit`, so a rolled-back write evicts
  nothing and a committed one evicts only once its rows are visible to the next read;
- the cache is `django.core.cache.cache`: process memory in tests and `make run`, Redis in production, so
  nothing here relies on one process's memory. When the cache server does not answer, reads compute the
  value directly and a warning is logged (the page is slower, never wrong for longer than the TTL).
"""

from __future__ import annotations

import logging
import secrets
from collections.abc import Callable, Iterable
from typing import Any, TypeVar

from django.core.cache import cache
from django.db import transaction

T = TypeVar("T")

PREFIX = "kinerja"
TTL = 10 * 60
"""Safety net of a cached value (seconds): the longest a value may outlive a missed invalidation."""
GENERATION_TTL = 24 * 60 * 60

logger = logging.getLogger(__name__)
_MISSING = object()


def scope(kind: str, pk: object) -> str:
    """A scope name: `kind` a short noun, `pk` the row's id (e.g. `scope("periode", 4)`)."""
    return f"{kind}:{pk}"


def pegawai(pk: object) -> str:
    return scope("pegawai", pk)


def user(pk: object) -> str:
    return scope("user", pk)


def unit(pk: object) -> str:
    return scope("unit", pk)


def instansi(pk: object) -> str:
    return scope("instansi", pk)


def _generation_key(name: str) -> str:
    return f"{PREFIX}:gen:{name}"


def _generations(scopes: Iterable[str]) -> list[str]:
    """The current generation of each scope (one cache round trip; a missing one is created)."""
    names = list(scopes)
    keys = [_generation_key(s) for s in names]
    found = cache.get_many(keys)
    result = []
    for k in keys:
        g = found.get(k)
        if g is None:
            g = secrets.token_hex(4)
            if not cache.add(k, g, GENERATION_TTL):  # another request created it first: use theirs
                g = cache.get(k) or g
        result.append(g)
    return result


def key(namespace: str, scopes: Iterable[str]) -> str:
    """The key of `namespace` for `scopes` at their current generations."""
    names = list(scopes)
    parts = [f"{s}:{g}" for s, g in zip(names, _generations(names), strict=True)]
    return ":".join([PREFIX, namespace, *parts])


def cached(namespace: str, scopes: Iterable[str], compute: Callable[[], T], ttl: int = TTL) -> T:
    """The value of `namespace` for `scopes`: from the cache, or `compute()` stored for `ttl` seconds.

    `namespace` names what is stored (`"nav"`, `"keberatan-counts"`); `scopes` are every scope whose
    invalidation must drop the value (a penilai's inbox count: `[pegawai(penilai_id)]`)."""
    try:
        k = key(namespace, scopes)
        value = cache.get(k, _MISSING)
    except Exception:  # the cache server is down: serve uncached (see the module docstring)
        logger.warning("cache tidak menjawab; %s dihitung tanpa cache", namespace, exc_info=True)
        return compute()
    if value is not _MISSING:
        return value  # type: ignore[no-any-return]
    value = compute()
    try:
        cache.set(k, value, ttl)
    except Exception:
        logger.warning("cache tidak menjawab; %s tidak disimpan", namespace, exc_info=True)
    return value  # type: ignore[no-any-return]


def _drop(names: list[str]) -> None:
    try:
        cache.delete_many([_generation_key(s) for s in names])
    except Exception:
        logger.warning("cache tidak menjawab; invalidasi %s gagal (berlaku hingga TTL)", names, exc_info=True)


def _after_commit(fn: Callable[[], None]) -> None:
    """`transaction.on_commit`; tests, which never commit, run it at once (tests/conftest.py)."""
    transaction.on_commit(fn)


def invalidate(*scopes: str) -> None:
    """Drop every cached value of `scopes` once the current transaction commits (at once outside one)."""
    names = [s for s in scopes if s]
    if names:
        _after_commit(lambda: _drop(names))


def invalidate_pegawai(*ids: Any) -> None:
    invalidate(*(pegawai(i) for i in ids if i))


def invalidate_user(*ids: Any) -> None:
    invalidate(*(user(i) for i in ids if i))


def invalidate_unit(*ids: Any) -> None:
    invalidate(*(unit(i) for i in ids if i))


def invalidate_instansi(*ids: Any) -> None:
    invalidate(*(instansi(i) for i in ids if i))
