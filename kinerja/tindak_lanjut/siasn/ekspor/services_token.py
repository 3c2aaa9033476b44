"""Tokens of other agency systems (TPP, talent management) for the read API (docs/rules.md §21.5).

A token belongs to one instansi, not to a person: it reads only that instansi's finalised predikat through
`/api/v1/eksternal/…` and nothing else (the rest of the API refuses it, and these endpoints refuse personal
tokens and sessions). The raw token is shown once; only its SHA-256 is kept. Created and revoked only by the
admin kepegawaian of the instansi; both are audited (simple_history with the user).
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from kinerja.common.token import cari as cari_token
from kinerja.common.token import record_pemakaian, token_baru
from kinerja.organisasi.models import Instansi, User
from kinerja.tindak_lanjut.models import TokenInstansi

#: Distinct from personal tokens ("knj_"), so a token pasted in the wrong place is recognisable.
PREFIX = "kni_"
MAKS_AKTIF = 20
TOLAK = "Token sistem instansi hanya dapat dikelola oleh admin kepegawaian instansi tersebut."


def _boleh(user: User, instansi: Instansi) -> None:
    if not user.has_perm("organisasi.manage_instansi", instansi):
        raise PermissionDenied(TOLAK)


@transaction.atomic
def create_token(instansi: Instansi, user: User, nama: str) -> tuple[TokenInstansi, str]:
    """Issue a token for a system of the instansi; returns the row and the raw token (shown once)."""
    _boleh(user, instansi)
    nama = (nama or "").strip()
    if not nama:
        raise ValidationError({"nama": "Isi nama sistem yang akan memakai token, mis. “Aplikasi TPP”."})
    if len(nama) > 100:
        raise ValidationError({"nama": "Nama sistem paling panjang 100 karakter."})
    aktif = TokenInstansi.objects.select_for_update().filter(instansi=instansi, dicabut_pada__isnull=True)
    if len(aktif) >= MAKS_AKTIF:
        raise ValidationError(
            f"Instansi sudah memiliki {MAKS_AKTIF} token aktif. Cabut token yang tidak dipakai lagi dahulu."
        )
    raw, sidik = token_baru(PREFIX)
    token = TokenInstansi(instansi=instansi, nama=nama, dibuat_oleh=user, **sidik)
    token._history_user = user  # type: ignore[attr-defined]
    token.save()
    return token, raw


@transaction.atomic
def revoke_token(token: TokenInstansi, user: User) -> TokenInstansi:
    """Revoke a token at once; the row stays (who created it, when it was last used, when revoked)."""
    _boleh(user, token.instansi)
    token = TokenInstansi.objects.select_for_update().get(pk=token.pk)
    if token.dicabut_pada is not None:
        raise ValidationError("Token ini sudah dicabut.")
    token.dicabut_pada = timezone.now()
    token._history_user = user  # type: ignore[attr-defined]
    token.save(update_fields=["dicabut_pada"])
    return token


def use_token(raw: str) -> TokenInstansi | None:
    """The active token a raw value belongs to (None: unknown, malformed or revoked), with its instansi.

    Records when it was last used at most once a minute (a plain UPDATE, not audited: it is not a change
    anybody made), so a busy client does not write on every call."""
    aktif = TokenInstansi.objects.select_related("instansi").filter(dicabut_pada__isnull=True)
    token = cari_token(aktif, raw, PREFIX)
    if token is not None:
        record_pemakaian(token)
    return token
