"""SIASN's unit reference as a tree and its differences with Kinerja's units (docs/rules.md §21.12)."""

from __future__ import annotations

import pytest

from kinerja.rules.siasn_unor import (
    Unit,
    Unor,
    UnorTidakSah,
    compare_units,
    kode_baru,
    parse_ref_unor,
    subtree,
)


def u(uid: str, nama: str, atas: str = "", kode: str = "") -> dict[str, object]:
    return {
        "id": uid,
        "NamaUnor": nama,
        "DiatasanId": atas or None,
        "CepatKode": kode or None,
        "NamaJabatan": None,
    }


POHON = [
    u("R", "Dinas Uji"),
    u("B", "Bidang Satu", "R"),
    u("A", "Sekretariat", "R", "SEKR"),
    u("A1", "Sub Bagian Umum", "A"),
    u("X", "Dinas Lain"),
    u("X1", "Bidang Lain", "X"),
]


def test_subtree_parents_first_only_under_the_root() -> None:
    assert [x.id for x in subtree(parse_ref_unor(POHON), "R")] == ["R", "B", "A", "A1"]


@pytest.mark.parametrize(
    ("data", "pesan"),
    [
        ({"data": []}, "bukan daftar"),
        ([u("R", "")], "unor ke-1 tanpa NamaUnor"),
        ([{"NamaUnor": "A"}], "unor ke-1 tanpa id"),
        ([u("R", "A"), u("R", "B")], "unor R tercantum dua kali"),
        (["R"], "unor ke-1 bukan objek"),
    ],
)
def test_unreadable_reference_is_refused(data: object, pesan: str) -> None:
    with pytest.raises(UnorTidakSah, match=pesan):
        parse_ref_unor(data)


def test_unknown_root_is_refused() -> None:
    with pytest.raises(UnorTidakSah, match="Unor Z tidak ada"):
        subtree(parse_ref_unor(POHON), "Z")


def test_a_cycle_ends() -> None:
    data = [u("R", "Dinas"), u("A", "A", "B"), u("B", "B", "A"), u("C", "C", "R")]
    assert [x.id for x in subtree(parse_ref_unor(data), "R")] == ["R", "C"]


def test_first_import_adds_every_unit_with_new_kodes() -> None:
    kode, _, beda = compare_units(subtree(parse_ref_unor(POHON), "R"), [])
    assert kode == {"R": "S-R", "B": "S-B", "A": "SEKR", "A1": "S-A1"}
    assert [(p.aksi, p.kode) for p in beda] == [
        ("baru", "S-R"),
        ("baru", "S-B"),
        ("baru", "SEKR"),
        ("baru", "S-A1"),
    ]


def test_resync_matches_by_id_and_lists_renamed_moved_added_gone() -> None:
    kita = [
        Unit("DINAS", "Dinas Uji", "", "R"),
        Unit("BID1", "Bidang 1", "DINAS", "B"),  # renamed in SIASN
        Unit("SEKR", "Sekretariat", "DINAS", "A"),
        Unit("SUBUM", "Sub Bagian Umum", "BID1", "A1"),  # moved in SIASN: now under Sekretariat
        Unit("LAMA", "Bidang Lama", "DINAS", "G"),  # SIASN no longer lists it
    ]
    data = [*POHON, u("C", "Bidang Tiga", "R")]
    kode, _, beda = compare_units(subtree(parse_ref_unor(data), "R"), kita)
    assert kode["B"] == "BID1" and kode["C"] == "S-C"
    assert [(p.aksi, p.kode, p.sebelum, p.sesudah) for p in beda] == [
        ("ganti_nama", "BID1", "Bidang 1", "Bidang Satu"),
        ("baru", "S-C", "", "Bidang Tiga"),
        ("pindah", "SUBUM", "Bidang Satu", "Sekretariat"),
        ("hilang", "LAMA", "Bidang Lama", ""),
    ]


def test_units_made_by_hand_are_matched_once_by_unique_name() -> None:
    kita = [
        Unit("DNS", "DINAS UJI", "", ""),
        Unit("B1", "Bidang Satu", "DNS", ""),
        Unit("B2", "Bidang Satu", "DNS", ""),
    ]
    kode, nama, beda = compare_units(subtree(parse_ref_unor(POHON), "R"), kita)
    assert kode["R"] == "DNS"  # one unit, one unor with that name
    assert kode["B"] == "S-B"  # two units named alike: not guessed
    # Only the spelling differs: our name stays, no rename is listed.
    assert nama["R"] == "DINAS UJI" and ("ganti_nama", "DNS") not in [(p.aksi, p.kode) for p in beda]


def test_spelling_only_differences_are_no_rename() -> None:
    kita = [Unit("DINAS", "Dinas Uji", "", "R"), Unit("SUB", "Subbagian Umum", "DINAS", "A1")]
    data = [u("R", "DINAS UJI"), u("A1", "SUB BAGIAN UMUM", "R")]
    _, nama, beda = compare_units(subtree(parse_ref_unor(data), "R"), kita)
    assert beda == [] and nama == {"R": "Dinas Uji", "A1": "Subbagian Umum"}


def test_new_kode_avoids_taken_ones() -> None:
    x = Unor("ABCDEF", "Bidang", "R", "", "SEKR")
    assert kode_baru(x, {"SEKR"}) == "S-ABCDEF"
    assert kode_baru(x, {"SEKR", "S-ABCDEF"}) == "S-ABCDEF-2"
