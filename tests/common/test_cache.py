"""The caching plumbing (`kinerja.common.cache`): scopes, invalidation on commit, a cache that is down."""

from __future__ import annotations

from unittest import mock

import pytest
from django.core.cache import cache as django_cache
from django.db import transaction

from kinerja.common import cache


def _counter() -> tuple[list[int], object]:
    calls: list[int] = []

    def compute() -> int:
        calls.append(1)
        return len(calls)

    return calls, compute


def test_a_value_is_computed_once_then_served_from_the_cache() -> None:
    calls, compute = _counter()
    assert cache.cached("uji", [cache.pegawai(1)], compute) == 1
    assert cache.cached("uji", [cache.pegawai(1)], compute) == 1
    assert len(calls) == 1


def test_false_and_none_are_cached_values_too() -> None:
    calls: list[int] = []

    def compute() -> None:
        calls.append(1)

    cache.cached("uji", [cache.user(1)], compute)
    cache.cached("uji", [cache.user(1)], compute)
    assert len(calls) == 1


def test_scopes_and_namespaces_do_not_share_values() -> None:
    assert cache.cached("uji", [cache.pegawai(1)], lambda: "a") == "a"
    assert cache.cached("uji", [cache.pegawai(2)], lambda: "b") == "b"
    assert cache.cached("lain", [cache.pegawai(1)], lambda: "c") == "c"
    assert cache.cached("uji", [cache.user(1)], lambda: "d") == "d"


@pytest.mark.django_db
def test_invalidation_waits_for_the_commit_and_drops_every_namespace_of_the_scope(
    django_capture_on_commit_callbacks,  # type: ignore[no-untyped-def]
    commit_nyata: None,
) -> None:
    cache.cached("uji", [cache.pegawai(1), cache.instansi(9)], lambda: "lama")
    cache.cached("lain", [cache.pegawai(1)], lambda: "lama")
    cache.cached("uji", [cache.pegawai(2)], lambda: "tetap")
    with django_capture_on_commit_callbacks(execute=True):
        cache.invalidate_pegawai(1)
        # not yet committed: a reader still sees the committed state's value
        assert cache.cached("uji", [cache.pegawai(1), cache.instansi(9)], lambda: "baru") == "lama"
    assert cache.cached("uji", [cache.pegawai(1), cache.instansi(9)], lambda: "baru") == "baru"
    assert cache.cached("lain", [cache.pegawai(1)], lambda: "baru") == "baru"
    assert cache.cached("uji", [cache.pegawai(2)], lambda: "baru") == "tetap"


@pytest.mark.django_db
def test_a_rolled_back_write_evicts_nothing(django_capture_on_commit_callbacks, commit_nyata) -> None:  # type: ignore[no-untyped-def]
    cache.cached("uji", [cache.unit(5)], lambda: "lama")
    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        cache.invalidate_unit(5)
        raise RuntimeError
    assert callbacks == []
    assert cache.cached("uji", [cache.unit(5)], lambda: "baru") == "lama"


@pytest.mark.django_db
def test_any_of_several_scopes_drops_the_value(django_capture_on_commit_callbacks) -> None:  # type: ignore[no-untyped-def]
    cache.cached("uji", [cache.pegawai(1), cache.instansi(9)], lambda: "lama")
    with django_capture_on_commit_callbacks(execute=True):
        cache.invalidate_instansi(9)
    assert cache.cached("uji", [cache.pegawai(1), cache.instansi(9)], lambda: "baru") == "baru"


def test_an_evicted_generation_never_brings_an_old_value_back() -> None:
    cache.cached("uji", [cache.pegawai(1)], lambda: "lama")
    django_cache.delete(f"{cache.PREFIX}:gen:{cache.pegawai(1)}")  # evicted, as a full cache may
    assert cache.cached("uji", [cache.pegawai(1)], lambda: "baru") == "baru"


def test_a_cache_that_does_not_answer_serves_the_computed_value(caplog: pytest.LogCaptureFixture) -> None:
    with mock.patch.object(cache.cache, "get_many", side_effect=ConnectionError("redis mati")):
        assert cache.cached("uji", [cache.pegawai(1)], lambda: "langsung") == "langsung"
    assert "cache tidak menjawab" in caplog.text
