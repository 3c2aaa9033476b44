"""How the services' refusals reach API clients.

- `django.core.exceptions.ValidationError` → 422 `{"detail": [{"type", "loc", "msg"}, ...]}`, the same shape
  django-ninja uses for a malformed request, with the services' Indonesian messages and, in `loc`, the path
  of the field that is wrong (e.g. `["body", "rhk", 0, "indikator", 1, "target_angka"]`).
- `django.core.exceptions.PermissionDenied` → 403 `{"detail": "<why>"}`.
- A malformed request (django-ninja / pydantic validation) → 422 in the same shape, its messages translated
  to Indonesian by error type (`pesan_pydantic`); an unparsable body → 400 in Indonesian.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from typing import Any, TypeVar

from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from ninja import NinjaAPI, Schema
from ninja.errors import HttpError
from ninja.errors import ValidationError as NinjaValidationError

Loc = Sequence[str | int]
T = TypeVar("T")

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


#: What any operation may answer besides its own results: 401 no session / unknown token, 403 not allowed,
#: 404 not found (or not visible), 422 a parameter or field refused; plus 400 for an unreadable body.
GALAT_UMUM: dict[int, Any] = {401: Pesan, 403: Pesan, 404: Pesan, 422: GalatValidasi}


def terlihat(
    obj: T | None,
    user: Any,
    perm: str,
    tidak_ada: str,
    dilarang: str,
    sasaran: Callable[[T], Any] | None = None,
) -> T:
    """``obj`` when ``user`` has ``perm`` on it (or on ``sasaran(obj)``, the record its access follows):
    404 when there is none, then 403 when it is not theirs to see."""
    if obj is None:
        raise HttpError(404, tidak_ada)
    if not user.has_perm(perm, obj if sasaran is None else sasaran(obj)):
        raise HttpError(403, dilarang)
    return obj


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
def di(*loc: str | int, nama_field: Mapping[str, str] | None = None, konflik: bool = False) -> Iterator[None]:
    """Re-raise a service's ValidationError as 422 located at `loc` of the request.

    `nama_field` renames the service's field names to the request's first (`{"rhk": "rhk_id"}`). With
    `konflik`, a save on a stale ``versi`` (code "konflik") is 409 with the service's message (who
    changed it, when) instead.
    """
    try:
        yield
    except ValidationError as exc:
        if konflik and any(getattr(e, "code", None) == "konflik" for e in getattr(exc, "error_list", [])):
            raise HttpError(409, " ".join(exc.messages)) from exc
        if nama_field and hasattr(exc, "error_dict"):
            exc = ValidationError({nama_field.get(k, k): v for k, v in exc.error_dict.items()})
        raise KesalahanValidasi(detail_dari(exc, loc)) from exc


def detail_bertempat(galat: Iterable[tuple[Loc, ValidationError]], *awal: str | int) -> list[dict[str, Any]]:
    """The located refusals of a multi-part change (`(loc in the change, error)`, e.g. the SKP service's
    `PerubahanDitolak.galat`) as `detail` items, each under `awal` + its own place."""
    return [d for loc, exc in galat for d in detail_dari(exc, (*awal, *loc))]


@contextmanager
def di_isian(*loc: str | int) -> Iterator[None]:
    """Like `di`, but only a refusal that names its fields is located under `loc`; one about the request
    as a whole keeps its place at the root (the default handler)."""
    try:
        yield
    except ValidationError as exc:
        if not hasattr(exc, "error_dict"):
            raise
        raise KesalahanValidasi(detail_dari(exc, loc)) from exc


def _pilihan(ctx: dict[str, Any]) -> str:
    return str(ctx.get("expected", "")).replace(" or ", " atau ")


#: pydantic error type → Indonesian message (``ctx`` fills the placeholders).
PESAN_PYDANTIC: dict[str, Any] = {
    "missing": lambda c: "Wajib diisi.",
    "literal_error": lambda c: f"Harus salah satu dari: {_pilihan(c)}.",
    "enum": lambda c: f"Harus salah satu dari: {_pilihan(c)}.",
    "string_type": lambda c: "Harus berupa teks.",
    "string_too_long": lambda c: f"Paling banyak {c.get('max_length')} karakter.",
    "string_too_short": lambda c: f"Paling sedikit {c.get('min_length')} karakter.",
    "string_pattern_mismatch": lambda c: f"Format tidak sesuai (pola {c.get('pattern')}).",
    "int_parsing": lambda c: "Harus bilangan bulat.",
    "int_type": lambda c: "Harus bilangan bulat.",
    "int_from_float": lambda c: "Harus bilangan bulat.",
    "float_parsing": lambda c: "Harus berupa angka.",
    "float_type": lambda c: "Harus berupa angka.",
    "decimal_parsing": lambda c: "Harus berupa angka.",
    "decimal_type": lambda c: "Harus berupa angka.",
    "decimal_max_digits": lambda c: f"Paling banyak {c.get('max_digits')} digit.",
    "decimal_max_places": lambda c: f"Paling banyak {c.get('decimal_places')} angka di belakang koma.",
    "bool_parsing": lambda c: "Harus true atau false.",
    "bool_type": lambda c: "Harus true atau false.",
    "date_parsing": lambda c: "Tanggal tidak valid; gunakan format YYYY-MM-DD.",
    "date_from_datetime_parsing": lambda c: "Tanggal tidak valid; gunakan format YYYY-MM-DD.",
    "datetime_parsing": lambda c: "Waktu tidak valid; gunakan format ISO 8601.",
    "datetime_from_date_parsing": lambda c: "Waktu tidak valid; gunakan format ISO 8601.",
    "date_type": lambda c: "Tanggal tidak valid; gunakan format YYYY-MM-DD.",
    "datetime_type": lambda c: "Waktu tidak valid; gunakan format ISO 8601.",
    # "25:00" has the declared shape and reaches pydantic's own check, whose message is English
    "time_parsing": lambda c: "Jam tidak valid; gunakan format jj:mm atau jj:mm:dd.",
    "time_type": lambda c: "Jam tidak valid; gunakan format jj:mm atau jj:mm:dd.",
    "uuid_parsing": lambda c: "Kode tidak valid (UUID).",
    "uuid_type": lambda c: "Kode tidak valid (UUID).",
    "greater_than": lambda c: f"Harus lebih dari {c.get('gt')}.",
    "greater_than_equal": lambda c: f"Paling kecil {c.get('ge')}.",
    "less_than": lambda c: f"Harus kurang dari {c.get('lt')}.",
    "less_than_equal": lambda c: f"Paling besar {c.get('le')}.",
    "list_type": lambda c: "Harus berupa daftar.",
    "dict_type": lambda c: "Harus berupa objek JSON.",
    "model_type": lambda c: "Harus berupa objek JSON.",
    "model_attributes_type": lambda c: "Harus berupa objek JSON.",
    "too_long": lambda c: f"Paling banyak {c.get('max_length')} isian.",
    "too_short": lambda c: f"Paling sedikit {c.get('min_length')} isian.",
    "extra_forbidden": lambda c: "Isian ini tidak dikenal.",
    "json_invalid": lambda c: "Isi permintaan bukan JSON yang valid.",
    "value_error": None,  # our own validators already speak Indonesian
}


def pesan_pydantic(item: dict[str, Any]) -> str:
    """The Indonesian message of one django-ninja/pydantic validation error (the original when unknown)."""
    terjemah = PESAN_PYDANTIC.get(str(item.get("type", "")))
    msg = str(item.get("msg", ""))
    if terjemah is None:
        return msg.removeprefix("Value error, ")
    return str(terjemah(item.get("ctx") or {}))


def raise_galat(api: NinjaAPI) -> None:
    """Declare on every operation the errors any operation may answer (`GALAT_UMUM`; 400 too where a
    body is read), so the published contract lists every status code a client can receive
    (docs/rules.md §25.1). Call after the routers are added, before the URLs are built."""
    for _prefix, router in api._routers:
        for view in router.path_operations.values():
            for op in view.operations:
                kode = dict(GALAT_UMUM)
                if set(op.methods) - {"GET", "HEAD"}:
                    kode[400] = Pesan
                for status, model in kode.items():
                    if status not in op.response_models:
                        op.response_models[status] = op._create_response_model(model)


def pasang(api: NinjaAPI) -> None:
    """Register the handlers on the API."""

    @api.exception_handler(ValidationError)
    def _validation(request: HttpRequest, exc: ValidationError) -> HttpResponse:
        return api.create_response(request, {"detail": detail_dari(exc)}, status=422)

    @api.exception_handler(NinjaValidationError)
    def _permintaan(request: HttpRequest, exc: NinjaValidationError) -> HttpResponse:
        detail = [
            {
                "type": e.get("type", "validation_error"),
                "loc": list(e.get("loc", [])),
                "msg": pesan_pydantic(e),
            }
            for e in exc.errors
        ]
        return api.create_response(request, {"detail": detail}, status=422)

    @api.exception_handler(HttpError)
    def _http(request: HttpRequest, exc: HttpError) -> HttpResponse:
        pesan = str(exc.message)
        if pesan.startswith("Cannot parse request body"):
            pesan = (
                "Isi permintaan tidak dapat dibaca; kirim JSON yang valid (Content-Type: application/json)."
            )
        elif pesan == "CSRF check Failed":
            pesan = (
                "Pemeriksaan CSRF gagal: kirim token CSRF sesi, atau pakai token API (Authorization: Bearer)."
            )
        return api.create_response(request, {"detail": pesan}, status=exc.status_code)

    @api.exception_handler(Http404)
    def _tidak_ada(request: HttpRequest, exc: Http404) -> HttpResponse:
        return api.create_response(request, {"detail": str(exc) or "Tidak ditemukan."}, status=404)

    @api.exception_handler(KesalahanValidasi)
    def _kesalahan(request: HttpRequest, exc: KesalahanValidasi) -> HttpResponse:
        return api.create_response(request, {"detail": exc.detail}, status=422)

    @api.exception_handler(PermissionDenied)
    def _forbidden(request: HttpRequest, exc: PermissionDenied) -> HttpResponse:
        return api.create_response(
            request, {"detail": str(exc) or "Anda tidak berhak melakukan ini."}, status=403
        )


_URUTAN_METODE = {m: i for i, m in enumerate(("GET", "POST", "PUT", "PATCH", "DELETE"))}


class MetodeTidakDidukung:
    """django-ninja answers a method an API path does not have with the plain English "Method not allowed";
    this gives the same 405 (its `Allow` header kept) as `{"detail": "<Indonesian>"}`, like every other
    refusal of the API."""

    def __init__(self, get_response: Any) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if (
            response.status_code == 405
            and request.path.startswith("/api/")
            and getattr(response, "content", None) == b"Method not allowed"
        ):
            # django-ninja builds the header from a set, so its order changed from one process to the next;
            # name the methods in one fixed order.
            allow = ", ".join(
                sorted(
                    (m.strip() for m in response.get("Allow", "").split(",") if m.strip()),
                    key=lambda m: (_URUTAN_METODE.get(m, len(_URUTAN_METODE)), m),
                )
            )
            pengganti = HttpResponse(
                json.dumps(
                    {
                        "detail": f"Metode {request.method} tidak tersedia untuk alamat ini "
                        f"(yang tersedia: {allow})."
                    }
                ),
                status=405,
                content_type="application/json",
            )
            pengganti["Allow"] = allow
            return pengganti
        return response
