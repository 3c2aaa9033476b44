"""Helpers of the document tests: the SKP by role (of the demo, and of a small instansi built once per module:
`skp_kecil`, `user_kecil`, `login_kecil`, `perjanjian_kecil`), PDF → text and page size (poppler-utils)."""

from __future__ import annotations

import re
import shutil
import subprocess
import tempfile
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from django.test import Client

from kinerja.demo.perencanaan import DRAFT_NIP
from kinerja.organisasi.models import User
from kinerja.perencanaan import services as rencana
from kinerja.perencanaan.models import PerjanjianKinerja, Skp
from kinerja.rules.alur import Aksi
from tests import builders as b

NIP = {
    "kepala": "197205141998031003",
    "kabid": "197904182005012005",
    "fungsional": "198506282010012004",
    "pelaksana": "199108162015031001",
    "draft": DRAFT_NIP,  # her SKP is still a draft in the demo
    "lain_unit": "198809252014031006",  # Joko Susilo, Subbagian Umum: not in the Bidang PKP
}


def _poppler(tool: str) -> str:
    path = shutil.which(tool)
    assert path, f"{tool} (poppler-utils) is required: scripts/ensure-system-packages.sh installs it"
    return path


def pdf_text(content: bytes) -> str:
    """The text of a PDF (pdftotext -layout), whitespace collapsed."""
    assert content.startswith(b"%PDF-"), content[:20]
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "doc.pdf"
        path.write_bytes(content)
        out = subprocess.run(
            [_poppler("pdftotext"), "-enc", "UTF-8", str(path), "-"], capture_output=True, check=True
        ).stdout.decode()
    return " ".join(out.split())


def pdf_info(content: bytes) -> dict[str, str]:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "doc.pdf"
        path.write_bytes(content)
        out = subprocess.run([_poppler("pdfinfo"), str(path)], capture_output=True, check=True).stdout
    return dict(
        (k.strip(), v.strip())
        for k, v in (line.split(":", 1) for line in out.decode().splitlines() if ":" in line)
    )


def page_size_mm(content: bytes) -> tuple[int, int]:
    """Width × height of the first page in whole millimetres."""
    m = re.match(r"([\d.]+) x ([\d.]+) pts", pdf_info(content)["Page size"])
    assert m, pdf_info(content)
    return round(float(m[1]) * 25.4 / 72), round(float(m[2]) * 25.4 / 72)


@pytest.fixture
def skp_of(demo_instansi):  # type: ignore[no-untyped-def]
    """skp_of("fungsional") → that demo pegawai's SKP of the year."""
    return lambda role: Skp.objects.filter(pegawai__nip=NIP[role]).order_by("-mulai").first()


@pytest.fixture
def user_of(demo_instansi):  # type: ignore[no-untyped-def]
    def get(role: str) -> User:
        if role == "admin":
            return User.objects.get(username="admin")
        return User.objects.get(pegawai__nip=NIP[role])

    return get


@pytest.fixture
def login(user_of):  # type: ignore[no-untyped-def]
    """login("lain_unit") → a Client logged in as that pegawai (demo logins and others)."""

    def make(role: str) -> Client:
        client = Client()
        client.force_login(user_of(role))
        return client

    return make


@pytest.fixture
def perjanjian(demo_instansi) -> PerjanjianKinerja:
    return PerjanjianKinerja.objects.get(instansi=demo_instansi, unit__parent=None)


@pytest.fixture
def admin_lain(other_instansi) -> Client:
    client = Client()
    client.force_login(User.objects.get(username="admin-lain"))
    return client


# --- the small instansi ---------------------------------------------------------------------------------

NIP_KECIL = {"fungsional": "198506282099012004"}


def _bangun_kecil() -> dict[str, Any]:
    """kepala → kabid → fungsional (Ika Puspitasari), pelaksana and draft, all rated by the kabid; the
    SKP of the kepala, kabid, fungsional and pelaksana are approved, the draft's has one RHK; lain_unit
    works in another unit under the kepala; the root unit has an approved Perjanjian Kinerja with one IKU."""
    tim = b.atasan_dan_bawahan(
        jenis_bawahan="fungsional",
        kepala={"nama": "Hendra Gunawan", "gelar_depan": "Dr."},
        bawahan={
            "nama": "Ika Puspitasari",
            "gelar_belakang": "S.Psi., M.Psi.",
            "nip": NIP_KECIL["fungsional"],
            "pangkat_golongan": "III/d",
        },
    )
    j_kabid = tim.atasan.penempatan.get().jabatan
    skp = {p: b.skp_disetujui(getattr(tim, r)) for p, r in (("kepala", "kepala"), ("kabid", "atasan"))}
    skp["fungsional"] = b.skp_disetujui(tim.bawahan)
    pelaksana = b.pegawai_di(b.JabatanFactory(unit=tim.bidang, parent=j_kabid), nama="Rahmat Hidayat")
    skp["pelaksana"] = b.skp_disetujui(pelaksana)
    draft = b.pegawai_di(b.JabatanFactory(unit=tim.bidang, parent=j_kabid), nama="Tri Wulandari")
    skp["draft"] = b.SkpFactory(pegawai=draft, periode=tim.periode)
    rhk, _ = rencana.save_rhk(
        skp["draft"],
        draft.user,
        teks="Tersedianya data penilaian kinerja",
        intervensi=rencana.pilihan_intervensi(skp["draft"]).first(),
    )
    rencana.save_indikator(
        rhk,
        draft.user,
        teks="Data tersedia",
        aspek="kuantitas",
        target_teks="Tersedia",
        target_periode={n: "Tersedia" for n in range(1, 5)},
    )
    lain = b.UnitKerjaFactory(instansi=tim.instansi, parent=tim.unit, nama="Subbagian Umum")
    lain_unit = b.pegawai_di(b.JabatanFactory(unit=lain, parent=tim.kepala.penempatan.get().jabatan))
    pk = rencana.create_perjanjian(tim.unit, tim.periode, tim.admin)
    sasaran = rencana.save_sasaran(
        tim.unit, tim.admin, tahun=b.TAHUN, perspektif="penerima_layanan", kode="SS1", nama="Layanan prima"
    )
    manual = rencana.save_manual(
        tim.unit,
        tim.admin,
        target_periode={1: "25", 2: "50", 3: "75", 4: "100"},
        tahun=b.TAHUN,
        kode="IKU1",
        nama="Indeks kepuasan layanan",
        satuan="%",
        konsolidasi="last",
        target_tahun=Decimal("100"),
    )
    rencana.save_pk_indikator(pk, tim.admin, sasaran=sasaran, manual=manual, target_tahun=Decimal("100"))
    rencana.run_perjanjian(pk, tim.kepala.user, Aksi.AJUKAN)
    pk = rencana.run_perjanjian(pk, tim.admin, Aksi.SETUJUI)
    return {
        "skp": skp,
        "user": {
            "admin": tim.admin,
            "kepala": tim.kepala.user,
            "kabid": tim.atasan.user,
            "fungsional": tim.bawahan.user,
            "pelaksana": pelaksana.user,
            "draft": draft.user,
            "lain_unit": lain_unit.user,
        },
        "perjanjian": pk,
    }


@pytest.fixture(scope="module")
def _kecil(django_db_setup, django_db_blocker):  # type: ignore[no-untyped-def]
    with b.sekali(django_db_blocker, _bangun_kecil) as kecil:
        yield kecil


@pytest.fixture
def skp_kecil(_kecil, db):  # type: ignore[no-untyped-def]
    """skp_kecil("fungsional") → that pegawai's SKP of the small instansi (fresh)."""
    return lambda role: Skp.objects.get(pk=_kecil["skp"][role].pk)


@pytest.fixture
def user_kecil(_kecil, db):  # type: ignore[no-untyped-def]
    return lambda role: b.segar(_kecil["user"][role])


@pytest.fixture
def login_kecil(user_kecil):  # type: ignore[no-untyped-def]
    """login_kecil("lain_unit") → a Client logged in as that member of the small instansi."""
    return lambda role: b.klien(user_kecil(role))


@pytest.fixture
def perjanjian_kecil(_kecil, db) -> PerjanjianKinerja:  # type: ignore[no-untyped-def]
    return b.segar(_kecil["perjanjian"])
