"""Malformed requests are answered in Indonesian, in the same 422 shape as the services' refusals."""

from __future__ import annotations

import json

import pytest

from kinerja.api.errors import PESAN_PYDANTIC, pesan_pydantic
from tests import builders as b

pytestmark = pytest.mark.django_db

URL = "/api/v1/penilaian/evaluasi"


def test_missing_and_mistyped_fields() -> None:
    c = b.klien(b.atasan_dan_bawahan().atasan.user)
    r = c.post(URL, json.dumps({"skp_id": "abc"}), content_type="application/json")
    assert r.status_code == 422
    pesan = {tuple(d["loc"][-1:]): d["msg"] for d in r.json()["detail"]}
    assert pesan[("skp_id",)] == "Harus bilangan bulat."
    assert pesan[("periode",)] == "Wajib diisi."


def test_unreadable_body() -> None:
    r = b.klien(b.atasan_dan_bawahan().atasan.user).post(URL, "{bukan json", content_type="application/json")
    assert r.status_code == 400
    assert r.json()["detail"].startswith("Isi permintaan tidak dapat dibaca")


@pytest.mark.parametrize(
    "item,harap",
    [
        ({"type": "literal_error", "ctx": {"expected": "'diatas', 'sesuai' or 'dibawah'"}}, "atau 'dibawah'"),
        ({"type": "string_too_long", "ctx": {"max_length": 4000}}, "Paling banyak 4000 karakter."),
        ({"type": "greater_than_equal", "ctx": {"ge": 1}}, "Paling kecil 1."),
        ({"type": "value_error", "msg": "Value error, Tahun tidak dikenal."}, "Tahun tidak dikenal."),
        ({"type": "jenis_baru_pydantic", "msg": "Something new"}, "Something new"),
    ],
)
def test_translations(item, harap) -> None:  # type: ignore[no-untyped-def]
    assert harap in pesan_pydantic(item)


def test_every_translation_is_indonesian() -> None:
    for jenis, f in PESAN_PYDANTIC.items():
        if f is not None:
            teks = f(
                {
                    "expected": "x",
                    "max_length": 1,
                    "min_length": 1,
                    "pattern": "p",
                    "gt": 0,
                    "ge": 0,
                    "lt": 1,
                    "le": 1,
                    "max_digits": 1,
                    "decimal_places": 1,
                }
            )
            assert teks and not teks.startswith(("Input", "Field", "Value", "String")), jenis


def test_a_method_the_path_does_not_have_is_refused_in_indonesian(client) -> None:  # type: ignore[no-untyped-def]
    r = client.get("/api/v1/penilaian/evaluasi/1/rhk/1")
    assert r.status_code == 405
    assert "PUT" in r["Allow"] or "POST" in r["Allow"]
    assert r.json()["detail"].startswith("Metode GET tidak tersedia untuk alamat ini")


def test_the_methods_a_path_has_are_named_in_one_order() -> None:
    """The Allow header and the message name the methods GET, POST, PUT, PATCH, DELETE in that order, whatever
    order django-ninja gave them (it builds them from a set, whose order differs between processes)."""
    from django.http import HttpResponseNotAllowed
    from django.test import RequestFactory

    from kinerja.api.errors import MetodeTidakDidukung

    tolak = HttpResponseNotAllowed(["DELETE", "PUT", "GET"], content=b"Method not allowed")
    r = MetodeTidakDidukung(lambda request: tolak)(RequestFactory().post("/api/v1/skp/1"))
    assert r.status_code == 405
    assert r["Allow"] == "GET, PUT, DELETE"
    assert json.loads(r.content)["detail"] == (
        "Metode POST tidak tersedia untuk alamat ini (yang tersedia: GET, PUT, DELETE)."
    )
