"""Many instansi in one deployment: no write of one instansi's people reaches another instansi's data.

The read sweeps (tests/test_isolasi_instansi.py) GET every page and every API operation as instansi B's
people with instansi A's ids. This sweep sends the writes: a POST (plain, and as htmx) to every URL of the
project, and every non-GET operation of the API schema with a body built from its request schema (A's ids
in every id field), as B's admin kepegawaian, kepala and pelaksana. It passes when every row that existed
before B (A's whole history, with the rows every instansi shares) is byte-for-byte the same afterwards, and no
answer (other than a redirect) shows A's NIPs, names or instansi name.
"""

from __future__ import annotations

import hashlib
from typing import Any

import pytest
from django.apps import apps
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from kinerja.demo import organisasi as demo
from kinerja.organisasi.models import Instansi, Pegawai
from kinerja.pelaksanaan.models import RencanaAksi
from tests.test_isolasi_instansi import (
    MODEL_PARAMETER,
    NILAI_TETAP,
    QUERY_ID,
    _dunia,  # noqa: F401  (the module fixture: A's demo history and B's team, built once)
    _isi,
    _isi_api,
    _pelaku,
    _semua_pola,
    _teks,
)

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def _model_kinerja() -> list[Any]:
    return [m for m in apps.get_models() if m.__module__.startswith("kinerja.")]


def _jejak(batas: dict[str, int]) -> dict[str, str]:
    """label → a digest of every row with a primary key up to A's last (the rows that existed before B)."""
    hasil = {}
    for model in _model_kinerja():
        label = model._meta.label
        if label not in batas:
            continue
        rows = model._base_manager.filter(pk__lte=batas[label]).order_by("pk").values_list()
        digest = hashlib.sha256()
        for row in rows.iterator(chunk_size=2000):
            digest.update(repr(row).encode())
        hasil[label] = digest.hexdigest()
    return hasil


def _berubah(sebelum: dict[str, str], batas: dict[str, int]) -> list[str]:
    sesudah = _jejak(batas)
    return sorted(label for label, d in sebelum.items() if sesudah.get(label) != d)


@pytest.fixture(scope="module")
def _batas(_dunia: dict[str, Any]) -> dict[str, int]:  # noqa: F811
    return {label: ids[-1] for label, ids in _dunia["ids_a"].items()}


def _kelompok_pola() -> list[str]:
    """The URL patterns grouped by their first path segment (one test, one pair of digests, per group)."""
    return sorted({p.split("/", 1)[0] for p in _semua_pola()})


def _periksa(response: Any, penanda: list[str], apa: str, bocor: list[str]) -> None:
    if response.status_code in (301, 302, 303, 307, 308):
        return
    temuan = [p for p in penanda if p in _teks(response)]
    if temuan:
        bocor.append(f"{apa} → {response.status_code}: {temuan[:3]}")


@pytest.mark.parametrize("kelompok", _kelompok_pola())
def test_instansi_lain_tidak_mengubah_data_instansi_ini(
    _dunia: dict[str, Any],  # noqa: F811
    _batas: dict[str, int],
    kelompok: str,
) -> None:
    sebelum = _jejak(_batas)
    bocor: list[str] = []
    dikirim = 0
    # the names the pages' forms use most for what they point at: A's ids
    data = {nama: str(_dunia["ids_a"].get(label, [0])[0]) for nama, label in MODEL_PARAMETER.items()}
    for pola in _semua_pola():
        if pola.split("/", 1)[0] != kelompok:
            continue
        urls = _isi(pola, _dunia["ids_a"])
        for peran, user in _pelaku(_dunia["tim"]).items():
            for htmx in (False, True):
                client = Client(headers={"HX-Request": "true"} if htmx else {})
                client.force_login(user)
                for url in urls:
                    response = client.post(url, data)
                    dikirim += 1
                    _periksa(
                        response, _dunia["penanda"], f"{peran} POST {url}{' (htmx)' if htmx else ''}", bocor
                    )
    if not dikirim:
        pytest.skip("parameternya kode/token, bukan id")
    berubah = _berubah(sebelum, _batas)
    assert not berubah, f"baris instansi A berubah oleh POST instansi B ({kelompok}/): {berubah}"
    assert not bocor, "\n".join(bocor)


# --- The API: every non-GET operation of the schema, with a body from its request schema --------------------


def _operasi_tulis() -> list[tuple[str, str, list[dict[str, Any]], dict[str, Any], bool]]:
    """(method, path, parameters, request body, needs an instansi token) of every write of the API."""
    from kinerja.api import api

    schema = api.get_openapi_schema()
    hasil = []
    for path, ops in sorted(schema["paths"].items()):
        for method, op in sorted(ops.items()):
            if method in ("get", "head", "options"):
                continue
            instansi = any("TokenInstansiAuth" in s for s in op.get("security", []))
            hasil.append((method, path, op.get("parameters", []), op.get("requestBody") or {}, instansi))
    return hasil


def _skema(schema: dict[str, Any], s: dict[str, Any]) -> dict[str, Any]:
    while "$ref" in s:
        s = schema["components"]["schemas"][s["$ref"].rsplit("/", 1)[1]]
    return s


def _nilai(schema: dict[str, Any], nama: str, s: dict[str, Any], ids_a: dict[str, list[int]]) -> Any:
    """A plausible value of one field: A's id for an id, the first choice of an enum, a short text."""
    s = _skema(schema, s)
    if "default" in s and s["default"] is not None:
        return s["default"]
    if "allOf" in s:
        return _nilai(schema, nama, s["allOf"][0], ids_a)
    if "anyOf" in s:
        bukan_null = [x for x in s["anyOf"] if _skema(schema, x).get("type") != "null"]
        return _nilai(schema, nama, bukan_null[0], ids_a) if bukan_null else None
    if "enum" in s:
        return s["enum"][0]
    jenis = s.get("type")
    if jenis == "object":
        wajib = s.get("required", [])  # optional fields left out: fewer cross-field rules to trip on
        return {k: _nilai(schema, k, v, ids_a) for k, v in s.get("properties", {}).items() if k in wajib}
    if jenis == "array":
        return [_nilai(schema, nama, s.get("items", {}), ids_a)]
    if jenis == "integer":
        if nama in NILAI_TETAP:
            return int(NILAI_TETAP[nama])
        label = QUERY_ID.get(nama) or QUERY_ID.get(f"{nama}_id")
        return ids_a.get(label, [1])[0] if label else 1
    if jenis == "number":
        return 1
    if jenis == "boolean":
        return True
    if s.get("format") == "date":
        return "2026-02-16"
    if s.get("format") == "time":
        return "08:00"
    if s.get("format") == "uri":
        return "https://contoh.go.id/bukti"
    return "Uji isolasi"


@pytest.mark.parametrize(
    ("method", "path", "parameter", "body", "instansi"),
    _operasi_tulis(),
    ids=lambda v: v if isinstance(v, str) else "",
)
def test_api_instansi_lain_tidak_mengubah_data_instansi_ini(
    _dunia: dict[str, Any],  # noqa: F811
    _batas: dict[str, int],
    method: str,
    path: str,
    parameter: list[dict[str, Any]],
    body: dict[str, Any],
    instansi: bool,
) -> None:
    from kinerja.api import api

    schema = api.get_openapi_schema()
    sebelum = _jejak(_batas)
    urls = _isi_api(path, parameter, _dunia["ids_a"], _dunia["cari_a"])
    # a required query parameter the read sweep leaves out (e.g. the optimistic-lock `versi`): a value, so
    # the request is not refused for its shape before it reaches the permission
    wajib = [
        f"{p['name']}={_nilai(schema, p['name'], p.get('schema', {}), _dunia['ids_a'])}"
        for p in parameter
        if p["in"] == "query" and p.get("required") and not any(f"{p['name']}=" in u for u in urls)
    ]
    if wajib:
        urls = [u + ("&" if "?" in u else "?") + "&".join(wajib) for u in urls]
    konten = body.get("content", {})
    bocor, ditolak_token = [], []
    for peran in ["sistem"] if instansi else ["admin", "kepala", "pelaksana"]:
        client = Client(headers={"Authorization": f"Bearer {_dunia['token_b'][peran]}"})
        for url in urls:
            kirim = getattr(client, method)
            if "multipart/form-data" in konten:
                s = _skema(schema, konten["multipart/form-data"]["schema"])
                data = {
                    k: SimpleUploadedFile("uji.pdf", PDF, "application/pdf")
                    if v.get("format") == "binary"
                    else str(_nilai(schema, k, v, _dunia["ids_a"]))
                    for k, v in s.get("properties", {}).items()
                }
                response = client.post(url, data) if method == "post" else kirim(url, data)
            elif "application/json" in konten:
                isi = _nilai(schema, "", konten["application/json"]["schema"], _dunia["ids_a"])
                response = kirim(url, isi, content_type="application/json")
            else:
                response = kirim(url)
            if response.status_code == 401:
                ditolak_token.append(f"{peran} {method.upper()} {url}")
            _periksa(response, _dunia["penanda"], f"{peran} {method.upper()} {url}", bocor)
    assert not ditolak_token, "token B ditolak (401), penyapuan tidak berarti:\n" + "\n".join(ditolak_token)
    berubah = _berubah(sebelum, _batas)
    assert not berubah, f"baris instansi A berubah oleh {method.upper()} {path} instansi B: {berubah}"
    assert not bocor, "\n".join(bocor)


# --- The sweep can fail ------------------------------------------------------------------------------------


def test_penyapu_tulis_benar_menemukan_perubahan(_dunia: dict[str, Any], _batas: dict[str, int]) -> None:  # noqa: F811
    """A's own pelaksana, deleting one of their rencana aksi by the API, changes a row the digest covers;
    and the body builder fills an API write with A's ids (its token is accepted, the write reaches A)."""
    instansi_a = Instansi.objects.get(kode=demo.INSTANSI_KODE)
    sebelum = _jejak(_batas)
    aksi = (
        RencanaAksi.objects.filter(
            rhk__skp__instansi=instansi_a, rhk__skp__status="disetujui", periode_penilaian__nomor=4
        )
        .select_related("rhk__skp__pegawai__user")
        .order_by("pk")
        .first()
    )
    assert aksi is not None
    pemilik = Pegawai.objects.get(pk=aksi.rhk.skp.pegawai_id).user
    from kinerja.organisasi import services as org_services

    _, raw = org_services.create_token(pemilik, "uji penyapu")
    client = Client(headers={"Authorization": f"Bearer {raw}"})
    response = client.delete(f"/api/v1/rencana-aksi/{aksi.pk}?versi={aksi.versi}")
    assert response.status_code in (200, 204), response.content
    assert "pelaksanaan.RencanaAksi" in _berubah(sebelum, _batas)


def test_penyapu_tulis_menjangkau_semua_operasi() -> None:
    """Every write of the API is swept (the list comes from the schema), uploads and deletes included."""
    operasi = {(m, p) for m, p, *_ in _operasi_tulis()}
    assert {
        ("post", "/api/v1/skp"),
        ("delete", "/api/v1/bukti/{bukti_id}"),
        ("post", "/api/v1/realisasi/{realisasi_id}/bukti/berkas"),
        ("post", "/api/v1/keberatan/{keberatan_id}/keputusan"),
    } <= operasi
    assert len(operasi) >= 30
