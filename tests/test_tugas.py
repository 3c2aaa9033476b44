"""Tasks are enqueued only once the write that asks for them commits (docs/architecture.md)."""

from __future__ import annotations

import pytest
from django.db import transaction
from django_tasks import task
from django_tasks.backends.dummy import DummyBackend

from kinerja.common.tugas import enqueue_on_commit


@task()
def tugas_uji(nilai: int) -> int:
    return nilai * 2


@pytest.mark.django_db
def test_enqueued_after_commit(antrean: DummyBackend, django_capture_on_commit_callbacks) -> None:  # type: ignore[no-untyped-def]
    with django_capture_on_commit_callbacks(execute=True):
        enqueue_on_commit(tugas_uji, 21)
        assert antrean.results == []
    assert [r.args for r in antrean.results] == [[21]]


@pytest.mark.django_db(transaction=True)
def test_rolled_back_write_enqueues_nothing(antrean: DummyBackend) -> None:
    with pytest.raises(RuntimeError), transaction.atomic():
        enqueue_on_commit(tugas_uji, 1)
        raise RuntimeError("batal")
    assert antrean.results == []
    with transaction.atomic():
        enqueue_on_commit(tugas_uji, 2)
    assert [r.args for r in antrean.results] == [[2]]


@pytest.mark.django_db
def test_suite_runs_tasks_at_once() -> None:
    assert tugas_uji.enqueue(5).return_value == 10
