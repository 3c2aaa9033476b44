"""SIASN's unit reference (``referensi/ref-unor``) read as a tree, and its differences with Kinerja's units
(docs/rules.md §21.12). Pure Python.

Field names from public SIASN client code: ``kanekescom/laravel-siasn-simpeg``
(``…_create_siasn_simpeg_referensi_ref_unor_table.php``): ``id``, ``DiatasanId`` (the parent unor),
``NamaUnor``, ``NamaJabatan`` (the head's jabatan), ``CepatKode``, ``InstansiId``, ``EselonId``,
``IndukUnorId``, ``PemimpinPnsId``, ``JenisUnorId``; ``black-coffee04/ws-siasn-php``
(``src/Services/ReferensiService.php``) reads the list under ``data``.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from kinerja.rules.siasn_data_utama import normalise_nama

__all__ = ["Perbedaan", "Unit", "Unor", "UnorTidakSah", "compare_units", "parse_ref_unor", "subtree"]


class UnorTidakSah(ValueError):
    def __init__(self, alasan: list[str]):
        super().__init__(" ".join(alasan))
        self.alasan = alasan


@dataclass(frozen=True)
class Unor:
    id: str
    nama: str
    diatasan_id: str
    nama_jabatan: str
    kode_cepat: str


def _teks(item: Mapping[str, Any], kunci: str) -> str:
    v = item.get(kunci)
    return str(v).strip() if isinstance(v, str | int) and not isinstance(v, bool) else ""


def parse_ref_unor(data: Any) -> list[Unor]:
    """Every unor of the answer; :class:`UnorTidakSah` naming each entry without ``id`` or ``NamaUnor`` and
    each id listed twice."""
    if not isinstance(data, list):
        raise UnorTidakSah(["Jawaban referensi unor SIASN bukan daftar."])
    masalah: list[str] = []
    hasil: list[Unor] = []
    dilihat: set[str] = set()
    for i, item in enumerate(data, start=1):
        if not isinstance(item, Mapping):
            masalah.append(f"unor ke-{i} bukan objek.")
            continue
        uid, nama = _teks(item, "id"), _teks(item, "NamaUnor")
        if not uid or not nama:
            masalah.append(f"unor ke-{i} tanpa {'id' if not uid else 'NamaUnor'}.")
            continue
        if uid in dilihat:
            masalah.append(f"unor {uid} tercantum dua kali.")
            continue
        dilihat.add(uid)
        hasil.append(
            Unor(uid, nama, _teks(item, "DiatasanId"), _teks(item, "NamaJabatan"), _teks(item, "CepatKode"))
        )
    if masalah:
        raise UnorTidakSah(["Referensi unor SIASN tidak dapat dibaca:", *masalah])
    return hasil


def subtree(unors: Iterable[Unor], akar_id: str) -> list[Unor]:
    """The unor ``akar_id`` and every unor below it, parents before children (in SIASN's order among
    siblings); :class:`UnorTidakSah` when the root is not in the list."""
    semua = list(unors)
    anak: dict[str, list[Unor]] = {}
    akar = None
    for u in semua:
        if u.id == akar_id:
            akar = u
        elif u.diatasan_id:
            anak.setdefault(u.diatasan_id, []).append(u)
    if akar is None:
        raise UnorTidakSah([f"Unor {akar_id} tidak ada dalam referensi unor SIASN instansi ini."])
    hasil, antre, dilihat = [], [akar], {akar.id}
    while antre:
        u = antre.pop(0)
        hasil.append(u)
        for a in anak.get(u.id, []):
            if a.id not in dilihat:  # a cycle in SIASN's data would otherwise never end
                dilihat.add(a.id)
                antre.append(a)
    return hasil


@dataclass(frozen=True)
class Unit:
    """A unit of Kinerja as the comparison needs it."""

    kode: str
    nama: str
    induk_kode: str
    siasn_id: str


@dataclass(frozen=True)
class Perbedaan:
    aksi: str  # "baru" / "ganti_nama" / "pindah" / "hilang"
    kode: str
    siasn_id: str
    sebelum: str
    sesudah: str

    @property
    def label(self) -> str:
        return {
            "baru": "Unit baru",
            "ganti_nama": "Nama berubah",
            "pindah": "Pindah induk",
            "hilang": "Tidak ada lagi di SIASN",
            "jabatan_baru": "Jabatan pimpinan baru",
            "jabatan_ganti_nama": "Nama jabatan pimpinan berubah",
        }[self.aksi]


def match_units(tree: list[Unor], units: Iterable[Unit]) -> dict[str, Unit]:
    """unor id → our unit: by the stored SIASN id; a unit without one is matched by normalised name only
    when exactly one unit without an id and exactly one unor of the tree carry that name (the first
    sync of an instansi whose units were made by hand)."""
    daftar = list(units)
    by_id = {u.siasn_id: u for u in daftar if u.siasn_id}
    hasil = {x.id: by_id[x.id] for x in tree if x.id in by_id}
    tanpa_id: dict[str, list[Unit]] = {}
    for u in daftar:
        if not u.siasn_id:
            tanpa_id.setdefault(normalise_nama(u.nama), []).append(u)
    nama_unor: dict[str, list[Unor]] = {}
    for x in tree:
        if x.id not in hasil:
            nama_unor.setdefault(normalise_nama(x.nama), []).append(x)
    for nama, xs in nama_unor.items():
        if len(xs) == 1 and len(tanpa_id.get(nama, [])) == 1:
            hasil[xs[0].id] = tanpa_id[nama][0]
    return hasil


def kode_baru(x: Unor, terpakai: set[str]) -> str:
    """The kode of a unit made from a unor: SIASN's ``CepatKode`` when free, else ``S-`` and the start of
    its id (at most 30 characters, numbered when taken)."""
    for calon in (x.kode_cepat[:30], f"S-{x.id[:20]}"):
        if calon and calon not in terpakai:
            return calon
    n = 2
    while f"S-{x.id[:20]}-{n}" in terpakai:
        n += 1
    return f"S-{x.id[:20]}-{n}"


def compare_units(
    tree: list[Unor], units: Iterable[Unit]
) -> tuple[dict[str, str], dict[str, str], list[Perbedaan]]:
    """The kode and the name each unor gets, and every difference: units added, renamed, moved to another
    parent, and units that SIASN no longer lists (kept, never deleted). A matched unit keeps its kode, and
    its name when SIASN's differs only in spelling (case, spaces, the abbreviations of
    `siasn_data_utama.normalise_nama`): SIASN writes most names in capitals."""
    daftar = list(units)
    cocok = match_units(tree, daftar)
    terpakai = {u.kode for u in daftar}
    kode: dict[str, str] = {}
    for x in tree:
        if x.id in cocok:
            kode[x.id] = cocok[x.id].kode
        else:
            kode[x.id] = kode_baru(x, terpakai)
            terpakai.add(kode[x.id])
    nama: dict[str, str] = {}
    for x in tree:
        u = cocok.get(x.id)
        nama[x.id] = u.nama if u is not None and normalise_nama(u.nama) == normalise_nama(x.nama) else x.nama
    nama_kode = {u.kode: u.nama for u in daftar} | {kode[x.id]: nama[x.id] for x in tree}
    beda: list[Perbedaan] = []
    akar = tree[0].id if tree else ""
    for x in tree:
        induk = kode.get(x.diatasan_id, "") if x.id != akar else ""
        u = cocok.get(x.id)
        if u is None:
            beda.append(Perbedaan("baru", kode[x.id], x.id, "", x.nama))
            continue
        if u.nama != nama[x.id]:
            beda.append(Perbedaan("ganti_nama", u.kode, x.id, u.nama, nama[x.id]))
        if x.id != akar and u.induk_kode != induk:
            sebelum = nama_kode.get(u.induk_kode, "—")
            beda.append(Perbedaan("pindah", u.kode, x.id, sebelum, nama_kode.get(induk, "—")))
    dalam = {x.id for x in tree}
    for u in daftar:
        if u.siasn_id and u.siasn_id not in dalam:
            beda.append(Perbedaan("hilang", u.kode, u.siasn_id, u.nama, ""))
    return kode, nama, beda
