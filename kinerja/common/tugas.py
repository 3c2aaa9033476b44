"""Enqueueing background tasks (docs/architecture.md "Background tasks")."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django_tasks.base import Task


def enqueue_on_commit(task: Task[Any, Any], *args: Any, **kwargs: Any) -> None:
    """Enqueue ``task`` once the current transaction commits (at once outside one): the worker must never
    run before the rows it reads are visible, and a rolled-back write must enqueue nothing."""
    transaction.on_commit(lambda: task.enqueue(*args, **kwargs))
