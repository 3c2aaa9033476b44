"""Enqueueing background tasks (docs/architecture.md "Background tasks")."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django_tasks import task
from django_tasks.base import Task


def enqueue_on_commit(task: Task[Any, Any], *args: Any, **kwargs: Any) -> None:
    """Enqueue ``task`` once the current transaction commits (at once outside one): the worker must never
    run before the rows it reads are visible, and a rolled-back write must enqueue nothing."""
    transaction.on_commit(lambda: task.enqueue(*args, **kwargs))


@task()
def periksa_pekerja(nilai: int) -> int:
    """Does nothing but answer: enqueued by `scripts/cluster.sh status` and the worker's smoke test to see
    that a worker process picks tasks up and records their result (the value given back)."""
    return nilai
