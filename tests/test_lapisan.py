"""Imports run down the stage order (docs/architecture.md, "Growing up"): a stage builds on the ones before
it and never imports a later one, at module level or inside a function. A later stage that must act on
an earlier one's event listens to a signal the earlier one sends (e.g. `tindak_lanjut.signals`).

Demo, benchmark and migration code may import anything (it moves to kinerja/demo), and so may the
project-level modules outside the stages (settings, urls, permissions).
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

KINERJA = Path(__file__).resolve().parent.parent / "kinerja"

# Lowest first. `notifikasi` (the notification row and kirim()) sits below every stage that notifies.
URUTAN = [
    "rules",
    "common",
    "notifikasi",
    "pekerjaan",
    "organisasi",
    "perencanaan",
    "pelaksanaan",
    "penilaian",
    "tindak_lanjut",
    "kehadiran",
    "dokumen",
    "dashboard",
    "api",
]
TINGKAT = {nama: i for i, nama in enumerate(URUTAN)}


def _dikecualikan(path: Path) -> bool:
    bagian = path.relative_to(KINERJA).parts
    return (
        "migrations" in bagian or bagian[0] == "demo" or path.stem == "demo" or path.stem.startswith("bench")
    )


def _modul(path: Path) -> list[str]:
    return ["kinerja", *path.relative_to(KINERJA).with_suffix("").parts]


def _impor(path: Path) -> list[tuple[int, str]]:
    """Every imported module (absolute, or relative resolved against the package)."""
    paket = _modul(path)
    if path.name != "__init__.py":
        paket = paket[:-1]
    hasil = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), filename=str(path))):
        if isinstance(node, ast.Import):
            hasil += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            dasar = paket[: len(paket) - node.level + 1] if node.level else []
            modul = ".".join([*dasar, *([node.module] if node.module else [])])
            # `from x import y` may import the module x.y: both count
            hasil += [(node.lineno, modul)] * (modul != "kinerja")
            hasil += [(node.lineno, f"{modul}.{alias.name}") for alias in node.names]
    return hasil


def _berkas() -> list[Path]:
    return sorted(
        p
        for p in KINERJA.rglob("*.py")
        if p.relative_to(KINERJA).parts[0] in TINGKAT and not _dikecualikan(p)
    )


def test_semua_tahap_terbaca() -> None:
    """The scan sees every stage (a renamed app would otherwise drop out silently)."""
    terbaca = {p.relative_to(KINERJA).parts[0] for p in _berkas()}
    assert terbaca == set(URUTAN)


def test_relatif_dan_dari_paket_terbaca() -> None:
    contoh = KINERJA / "organisasi" / "impor" / "views.py"
    modul = {m for _, m in _impor(contoh)}
    assert "kinerja.organisasi.impor.services" in modul  # from kinerja.organisasi.impor import services


@pytest.mark.parametrize("path", _berkas(), ids=lambda p: str(p.relative_to(KINERJA)))
def test_impor_turun_urutan_tahap(path: Path) -> None:
    tahap = path.relative_to(KINERJA).parts[0]
    naik = [
        f"{path.relative_to(KINERJA)}:{baris} imports {modul}"
        for baris, modul in _impor(path)
        if modul.split(".")[0] == "kinerja"
        and len(modul.split(".")) > 1
        and TINGKAT.get(modul.split(".")[1], -1) > TINGKAT[tahap]
    ]
    assert not naik, f"{tahap} must not import a later stage:\n" + "\n".join(naik)
