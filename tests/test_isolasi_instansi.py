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
from kinerja.organisasi.impor import services as impor
from kinerja.organisasi.models import Instansi, Pegawai, User
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
    return {"ids_a": ids_a, "penanda": sorted(penanda), "tim": tim}


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
