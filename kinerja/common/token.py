"""Bearer tokens: one mechanism for the personal API tokens (`organisasi.ApiToken`) and the tokens of an
instansi's other systems (`tindak_lanjut.TokenInstansi`).

The raw token is shown once, when it is made; only its SHA-256 is stored, so nobody (admins included) can
read a token back. Its first 8 characters stay visible to tell tokens apart. Use is recorded at most once a
minute (a plain UPDATE), so a busy client does not write on every call.
"""

from __future__ import annotations

import datetime
import hashlib
import secrets
from collections.abc import Callable
from typing import Any, TypeVar

from django import forms
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils import timezone

from kinerja.common.forms import apply_errors

JEDA_CATAT_PEMAKAIAN = datetime.timedelta(minutes=1)
PANJANG_MAKS = 200  # longer values are refused before hashing

T = TypeVar("T", bound="TokenDasar")


class TokenDasar(models.Model):
    """The stored part of a token; each kind adds its owner and its `nama`."""

    prefix = models.CharField(max_length=8, editable=False)
    sha256 = models.CharField(max_length=64, unique=True, editable=False)
    dibuat_pada = models.DateTimeField(auto_now_add=True)
    terakhir_dipakai = models.DateTimeField(null=True, blank=True)

    nama: Any

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return f"{self.nama} ({self.prefix}…)"


def hash_token(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


def token_baru(awalan: str) -> tuple[str, dict[str, str]]:
    """A new raw token starting with `awalan`, and the fields stored for it (prefix, sha256)."""
    raw = awalan + secrets.token_urlsafe(32)
    return raw, {"prefix": raw[:8], "sha256": hash_token(raw)}


def cari(qs: QuerySet[T], raw: str, awalan: str = "") -> T | None:
    """The row of `qs` a raw token belongs to (None: empty, too long, of another kind, or unknown)."""
    if not raw or len(raw) > PANJANG_MAKS or not raw.startswith(awalan):
        return None
    return qs.filter(sha256=hash_token(raw)).first()


def record_pemakaian(token: TokenDasar) -> None:
    """Record that `token` was used now, unless that was recorded less than a minute ago."""
    now = timezone.now()
    if token.terakhir_dipakai is None or now - token.terakhir_dipakai >= JEDA_CATAT_PEMAKAIAN:
        type(token)._default_manager.filter(pk=token.pk).update(terakhir_dipakai=now)
        token.terakhir_dipakai = now


def form_buat_token(
    request: HttpRequest, form_class: type[forms.Form], buat: Callable[[str], tuple[TokenDasar, str]]
) -> tuple[forms.Form, dict[str, Any] | None]:
    """A token page's create form and, after a valid POST, the token ``buat`` made from its ``nama``
    (``{"token", "raw"}``, with an empty form again); the service's refusal shows on the form."""
    form = form_class(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            token, raw = buat(form.cleaned_data["nama"])
        except ValidationError as exc:
            apply_errors(form, exc, tandai=False)
        else:
            # Rendered, not redirected: the raw token exists only in this response.
            return form_class(), {"token": token, "raw": raw}
    return form, None
