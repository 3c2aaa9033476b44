"""How the services' refusals reach API clients.

- `django.core.exceptions.ValidationError` → 422 `{"detail": [{"type", "loc", "msg"}, ...]}`, the same shape
  django-ninja uses for a malformed request, with the services' Indonesian messages and, in `loc`, the path
  of the field that is wrong (e.g. `["body", "rhk", 0, "indikator", 1, "target_angka"]`).
- `django.core.exceptions.PermissionDenied` → 403 `{"detail": "<why>"}`.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any

from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from ninja import NinjaAPI, Schema

Loc = Sequence[str | int]

#: Service / model field names that the API exposes under another name.
FIELD_NAMES = {"intervensi": "intervensi_id", "pk_indikator": "pk_indikator_id"}


class Pesan(Schema):
    detail: str


class GalatItem(Schema):
    type: str
    loc: list[str | int]
    msg: str


class GalatValidasi(Schema):
    detail: list[GalatItem]


class KesalahanValidasi(Exception):
    """One or more validation errors with their location in the request (answered with 422)."""

    def __init__(self, detail: list[dict[str, Any]]) -> None:
        super().__init__("; ".join(d["msg"] for d in detail))
        self.detail = detail


def galat(loc: Loc, msg: str) -> dict[str, Any]:
    return {"type": "validation_error", "loc": list(loc), "msg": msg}


def detail_dari(exc: ValidationError, loc: Loc = ()) -> list[dict[str, Any]]:
    """The errors of a Django ValidationError as `detail` items, each located under `loc`."""
    if not hasattr(exc, "error_dict"):
        return [galat(loc, m) for m in exc.messages]
    out = []
    for field, errors in exc.error_dict.items():
        field_loc = list(loc) if field == NON_FIELD_ERRORS else [*loc, FIELD_NAMES.get(field, field)]
        for error in errors:
            out += [galat(field_loc, m) for m in error.messages]
    return out


@contextmanager
def di(*loc: str | int) -> Iterator[None]:
    """Re-raise a service's ValidationError located at `loc` of the request."""
    try:
        yield
    except ValidationError as exc:
        raise KesalahanValidasi(detail_dari(exc, loc)) from exc


def pasang(api: NinjaAPI) -> None:
    """Register the handlers on the API."""

    @api.exception_handler(ValidationError)
    def _validation(request: HttpRequest, exc: ValidationError) -> HttpResponse:
        return api.create_response(request, {"detail": detail_dari(exc)}, status=422)

    @api.exception_handler(KesalahanValidasi)
    def _kesalahan(request: HttpRequest, exc: KesalahanValidasi) -> HttpResponse:
        return api.create_response(request, {"detail": exc.detail}, status=422)

    @api.exception_handler(PermissionDenied)
    def _forbidden(request: HttpRequest, exc: PermissionDenied) -> HttpResponse:
        return api.create_response(
            request, {"detail": str(exc) or "Anda tidak berhak melakukan ini."}, status=403
        )
