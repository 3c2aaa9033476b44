"""Loading one record for a page: it exists (404 otherwise) and the reader may see it (403 otherwise)."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404


def first_visible(
    qs: QuerySet[Any], user: Any, perm: str, missing: str, forbidden: str, *, unik: bool = False
) -> Any:
    """The first record of ``qs`` when ``user`` has ``perm`` on it; existence is checked first.

    ``unik``: ``qs`` matches one record at most (filtered by its key), read without ordering: ``first()``
    orders by pk, and compiling that ordering against a wide select (joined tables) costs more than the
    query itself."""
    obj = next(iter(qs.order_by()[:1]), None) if unik else qs.first()
    if obj is None:
        raise Http404(missing)
    if not user.has_perm(perm, obj):
        raise PermissionDenied(forbidden)
    return obj
