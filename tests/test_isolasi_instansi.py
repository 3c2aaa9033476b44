"""Many instansi in one deployment: no page and no API endpoint shows one instansi's data to another's people.

Instansi A is the demo instansi with its whole history (SKP, realisasi, evaluations, keberatan, documents,
SIASN ids); instansi B is a small instansi of its own. Every URL of the project is requested (GET) by B's
admin kepegawaian, B's kepala (a penilai) and B's pelaksana, with A's object ids in every id of the path. A
refusal (403/404/redirect) passes; a page that answers 200 must not contain any of A's NIPs or pegawai
names, nor A's instansi name — PDFs and xlsx files are read as text for it.
"""

from __future__ import annotations

import io
import re
import shutil
import subprocess
import zipfile
from collections.abc import Iterator
from typing import Any

import pytest
from django.apps import apps
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

from kinerja.demo import organisasi as demo
from kinerja.demo import siasn as demo_siasn
from kinerja.demo import tindak_lanjut as demo_tindak_lanjut
from kinerja.organisasi import services as org_services
from kinerja.organisasi.impor import services as impor
from kinerja.organisasi.models import Instansi, Pegawai, User
from kinerja.tindak_lanjut.siasn.ekspor import services_token
from tests import builders as b
from tests.conftest import demo_dinilai

pytestmark = pytest.mark.django_db

# Path parameters by name → the model whose ids of instansi A fill them; `pk` and unknown names take the
# first id of A in every table of the project.
MODEL_PARAMETER = {
    "skp_id": "perencanaan.Skp",
    "unit_id": "organisasi.UnitKerja",
    "pegawai_id": "organisasi.Pegawai",
    "pegawai_pk": "organisasi.Pegawai",
    "evaluasi_id": "penilaian.Evaluasi",
    "keberatan_id": "tindak_lanjut.Keberatan",
    "rhk_id": "perencanaan.Rhk",
    "indikator_id": "perencanaan.Indikator",
    "realisasi_id": "pelaksanaan.Realisasi",
    "catatan_id": "pelaksanaan.CatatanKegiatan",
    "bukti_id": "pelaksanaan.BuktiDukung",
    "aksi_id": "pelaksanaan.RencanaAksi",
    "pk_id": "perencanaan.PerjanjianKinerja",
}
# Parameters that are not ids: a value that exists for A.
NILAI_TETAP = {"tahun": "2026", "periode": "1", "nomor": "1", "revisi": "1"}
# Public by design: a document's verification page is opened by the token printed on it.
PUBLIK = ("verifikasi/",)


def _pola(resolver: URLResolver, awal: str = "") -> Iterator[str]:
    for p in resolver.url_patterns:
        if isinstance(p, URLResolver):
            yield from _pola(p, awal + str(p.pattern))
        elif isinstance(p, URLPattern):
            yield awal + str(p.pattern)


def _semua_pola() -> list[str]:
    pola = sorted(set(_pola(get_resolver())))
    return [p for p in pola if not p.startswith(("admin/", "static/", "__")) and not p.startswith(PUBLIK)]


def _model(label: str) -> Any:
    try:
        return apps.get_model(label)
    except LookupError:
        return None


def _id_pertama_a() -> dict[str, list[int]]:
    """label → ids of instansi A's rows (the first and the last), read before instansi B exists."""
    ids: dict[str, list[int]] = {}
    for model in apps.get_models():
        if not model.__module__.startswith("kinerja."):
            continue
        pertama = model._default_manager.order_by("pk").values_list("pk", flat=True).first()
        terakhir = model._default_manager.order_by("-pk").values_list("pk", flat=True).first()
        if isinstance(pertama, int):
            ids[model._meta.label] = sorted({pertama, terakhir})
    return ids


def _bangun() -> dict[str, Any]:
    instansi_a = Instansi.objects.get(kode=demo.INSTANSI_KODE)
    ids_a = _id_pertama_a()
    penanda = {instansi_a.nama}
    for nip, nama in Pegawai.objects.filter(instansi=instansi_a).values_list("nip", "nama"):
        penanda.update({nip, nama})
    # The import template's example row is fixed text, not A's data (a demo pegawai shares its name).
    penanda -= {kolom.example for kolom_lembar in impor.COLUMNS.values() for kolom in kolom_lembar}
    tim = b.atasan_dan_bawahan()
    for pegawai in (tim.kepala, tim.atasan, tim.bawahan):
        b.skp_disetujui(pegawai)
    # B's raw API tokens: a personal token of each actor, and an instansi token (the `eksternal` endpoints).
    token_b = {peran: org_services.create_token(u, "uji isolasi")[1] for peran, u in _pelaku(tim).items()}
    token_b["sistem"] = services_token.create_token(tim.instansi, tim.admin, "Aplikasi TPP uji")[1]
    pertama_a = Pegawai.objects.filter(instansi=instansi_a).order_by("pk").first()
    assert pertama_a is not None
    return {
        "ids_a": ids_a,
        "penanda": sorted(penanda),
        "tim": tim,
        "token_b": token_b,
        "cari_a": [pertama_a.nip, pertama_a.nama],  # what the API's search parameters (`q`, `nip`) ask for
    }


@pytest.fixture(scope="module")
def _dunia(django_db_setup: Any, django_db_blocker: Any) -> Iterator[dict[str, Any]]:
    with (
        demo_dinilai(django_db_blocker, demo_tindak_lanjut.seed, demo_siasn.seed),
        b.sekali(django_db_blocker, _bangun) as dunia,
    ):
        yield dunia


def _isi(pola: str, ids_a: dict[str, list[int]]) -> list[str]:
    """The URLs of one pattern with A's ids in its parameters (a few combinations, not every one)."""
    semua_pertama = sorted({v[0] for v in ids_a.values()})
    parameter = re.findall(r"<(?:(\w+):)?(\w+)>", pola)
    pilihan: list[list[str]] = []
    for jenis, nama in parameter:
        if nama in NILAI_TETAP:
            pilihan.append([NILAI_TETAP[nama]])
        elif jenis in ("uuid", "slug", "str", "path") and nama not in MODEL_PARAMETER:
            return []  # a code or a token, not an id: nothing of A's to guess
        elif nama in MODEL_PARAMETER and MODEL_PARAMETER[nama] in ids_a:
            pilihan.append([str(i) for i in ids_a[MODEL_PARAMETER[nama]]])
        else:
            pilihan.append([str(i) for i in semua_pertama])
    if not parameter:
        return ["/" + pola.lstrip("^").rstrip("$")]
    hasil = []
    # The k-th choice of every parameter together (ids of the same rank of A), bounded by the longest list.
    for k in range(max(len(p) for p in pilihan)):
        url = pola
        for (jenis, nama), nilai in zip(parameter, pilihan, strict=True):
            pengganti = nilai[min(k, len(nilai) - 1)]
            url = re.sub(rf"<(?:{jenis}:)?{nama}>" if jenis else rf"<{nama}>", pengganti, url, count=1)
        hasil.append("/" + url.lstrip("^").rstrip("$"))
    return hasil


def _teks(response: Any) -> str:
    jenis = response.get("Content-Type", "")
    isi = b"".join(response.streaming_content) if response.streaming else response.content
    if isi.startswith(b"%PDF") and shutil.which("pdftotext"):
        hasil = subprocess.run(["pdftotext", "-", "-"], input=isi, capture_output=True, check=False)
        return hasil.stdout.decode("utf-8", "replace")
    if isi.startswith(b"PK"):
        with zipfile.ZipFile(io.BytesIO(isi)) as arsip:
            return " ".join(
                arsip.read(n).decode("utf-8", "replace") + " " + n
                for n in arsip.namelist()
                if n.endswith((".xml", ".txt", ".csv", ".json")) or "/" not in n
            )
    if "json" in jenis or "text" in jenis or "html" in jenis:
        return isi.decode("utf-8", "replace")
    return isi.decode("latin-1")


def _pelaku(tim: b.Tim) -> dict[str, User]:
    return {"admin": tim.admin, "kepala": tim.kepala.user, "pelaksana": tim.bawahan.user}


@pytest.mark.parametrize("pola", _semua_pola())
def test_instansi_lain_tidak_melihat_data_instansi_ini(_dunia: dict[str, Any], pola: str) -> None:
    urls = _isi(pola, _dunia["ids_a"])
    if not urls:
        pytest.skip("parameternya kode/token, bukan id")
    bocor = []
    for peran, user in _pelaku(_dunia["tim"]).items():
        client = Client()
        client.force_login(user)
        for url in urls:
            response = client.get(url)
            if response.status_code != 200:
                continue
            teks = _teks(response)
            temuan = [p for p in _dunia["penanda"] if p in teks]
            if temuan:
                bocor.append(f"{peran} GET {url}: {temuan[:3]}")
    assert not bocor, "\n".join(bocor)


def test_penyapu_benar_menemukan_kebocoran(_dunia: dict[str, Any]) -> None:
    """The sweep can fail: the pegawai list of instansi A, as A's own admin, shows A's NIPs and names."""
    instansi_a = Instansi.objects.get(kode=demo.INSTANSI_KODE)
    admin_a = b.admin_instansi(instansi_a, "admin-a-sapu")
    client = Client()
    client.force_login(admin_a)
    teks = _teks(client.get("/organisasi/pegawai/"))
    assert any(p in teks for p in _dunia["penanda"])


# --- The API with tokens: every GET operation of the OpenAPI schema, query parameters included -------------
# The URL sweep above reaches the API's paths with a session and no query string; this one reads the schema,
# so a new endpoint is swept as soon as it exists, and sends B's personal tokens (an instansi token of B for
# the `eksternal` endpoints) with A's ids in the path AND in every query parameter that takes an id, A's NIPs
# and names in the search parameters, and each value of an enum or boolean parameter.

# Query parameters by name → the model whose ids of A fill them (besides MODEL_PARAMETER's names).
QUERY_ID = {**MODEL_PARAMETER, "instansi_id": "organisasi.Instansi", "penilai_id": "organisasi.Pegawai"}
# Query parameters that search by NIP or name: A's.
QUERY_CARI = ("q", "nip")


def _operasi_get() -> list[tuple[str, list[dict[str, Any]], bool]]:
    """(path, parameters, needs an instansi token) of every GET operation of the API."""
    from kinerja.api import api

    schema = api.get_openapi_schema()
    hasil = []
    for path, ops in sorted(schema["paths"].items()):
        if "get" not in ops:
            continue
        op = ops["get"]
        instansi = any("TokenInstansiAuth" in s for s in op.get("security", []))
        hasil.append((path, op.get("parameters", []), instansi))
    return hasil


def _pilihan_skema(skema: dict[str, Any]) -> list[str]:
    """The values of an enum or boolean parameter ([] for any other)."""
    for s in [skema, *skema.get("anyOf", [])]:
        if "enum" in s:
            return [str(v) for v in s["enum"]]
        if s.get("type") == "boolean":
            return ["true", "false"]
    return []


def _isi_api(
    path: str, parameter: list[dict[str, Any]], ids_a: dict[str, list[int]], cari_a: list[str]
) -> list[str]:
    """The URLs of one operation: the k-th choice of every parameter together, bounded by the longest list."""
    semua_pertama = sorted({v[0] for v in ids_a.values()})
    pilihan: list[tuple[dict[str, Any], list[str]]] = []
    for p in parameter:
        nama = p["name"]
        if nama in ("page", "page_size"):
            continue
        if nama in NILAI_TETAP:
            nilai = [NILAI_TETAP[nama]]
        elif nama in QUERY_ID and QUERY_ID[nama] in ids_a:
            nilai = [str(i) for i in ids_a[QUERY_ID[nama]]]
        elif p["in"] == "query" and nama in QUERY_CARI:
            nilai = [c for c in cari_a if nama != "nip" or c.isdigit()]
        elif _pilihan_skema(p.get("schema", {})):
            nilai = _pilihan_skema(p["schema"])
        elif p["in"] == "path":
            nilai = [str(i) for i in semua_pertama]
        else:
            continue  # an optional filter with no value of A's: its default
        pilihan.append((p, nilai))
    hasil = []
    for k in range(max([len(n) for _, n in pilihan], default=1)):
        url, query = path, []
        for p, nilai in pilihan:
            v = nilai[min(k, len(nilai) - 1)]
            if p["in"] == "path":
                url = url.replace("{" + p["name"] + "}", v)
            else:
                query.append(f"{p['name']}={v}")
        hasil.append(url + ("?" + "&".join(query) if query else ""))
    return hasil


@pytest.mark.parametrize(
    ("path", "parameter", "instansi"), _operasi_get(), ids=lambda v: v if isinstance(v, str) else ""
)
def test_api_instansi_lain_tidak_melihat_data_instansi_ini(
    _dunia: dict[str, Any], path: str, parameter: list[dict[str, Any]], instansi: bool
) -> None:
    urls = _isi_api(path, parameter, _dunia["ids_a"], _dunia["cari_a"])
    pelaku = ["sistem"] if instansi else ["admin", "kepala", "pelaksana"]
    bocor, ditolak_token = [], []
    for peran in pelaku:
        client = Client(headers={"Authorization": f"Bearer {_dunia['token_b'][peran]}"})
        for url in urls:
            response = client.get(url)
            if response.status_code == 401:
                ditolak_token.append(f"{peran} GET {url}")  # the sweep must really be signed in
            if response.status_code != 200:
                continue
            temuan = [p for p in _dunia["penanda"] if p in _teks(response)]
            if temuan:
                bocor.append(f"{peran} GET {url}: {temuan[:3]}")
    assert not ditolak_token, "token B ditolak (401), penyapuan tidak berarti:\n" + "\n".join(ditolak_token)
    assert not bocor, "\n".join(bocor)


def test_penyapu_api_benar_menemukan_kebocoran(_dunia: dict[str, Any]) -> None:
    """The API sweep can fail: A's own admin, by token, finds A's pegawai by the NIP the sweep searches for;
    and it reaches every GET operation (the list is read from the schema, so none is forgotten)."""
    instansi_a = Instansi.objects.get(kode=demo.INSTANSI_KODE)
    _, raw = org_services.create_token(b.admin_instansi(instansi_a, "admin-a-sapu-api"), "uji")
    client = Client(headers={"Authorization": f"Bearer {raw}"})
    operasi = {path: parameter for path, parameter, _ in _operasi_get()}
    url = _isi_api("/api/v1/pegawai", operasi["/api/v1/pegawai"], _dunia["ids_a"], _dunia["cari_a"])[0]
    response = client.get(url)
    assert response.status_code == 200
    assert any(p in _teks(response) for p in _dunia["penanda"])
    assert {"/api/v1/skp/{skp_id}", "/api/v1/pemantauan/progres", "/api/v1/eksternal/predikat"} <= set(
        operasi
    )
