"""Helpers of the document tests: the demo SKP by role, PDF → text and page size through poppler-utils."""

from __future__ import annotations

import re
import shutil
import subprocess
import tempfile
from pathlib import Path

import pytest
from django.test import Client

from kinerja.demo.perencanaan import DRAFT_NIP
from kinerja.organisasi.models import User
from kinerja.perencanaan.models import PerjanjianKinerja, Skp

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
