"""Enums of kinerja.rules: values, labels, choices, ordering."""

import pytest

import kinerja.rules as rules
from kinerja.rules import (
    CapaianOrganisasi,
    JenisJabatan,
    JenisPenempatan,
    Jenjang,
    Konsolidasi,
    Polaritas,
    Predikat,
    Rating,
    Skema,
)

ALL_ENUMS = [
    Rating,
    Predikat,
    CapaianOrganisasi,
    Polaritas,
    Jenjang,
    JenisJabatan,
    JenisPenempatan,
    Konsolidasi,
    Skema,
]


def test_package_exports_the_enums():
    for name in [
        "Rating",
        "Predikat",
        "CapaianOrganisasi",
        "Polaritas",
        "Jenjang",
        "JenisJabatan",
        "JenisPenempatan",
    ]:
        assert hasattr(rules, name)
        assert name in rules.__all__


@pytest.mark.parametrize("enum", ALL_ENUMS)
def test_values_are_lowercase_strings_named_after_members(enum):
    for member in enum:
        assert member.value == member.name.lower()
        assert isinstance(member.value, str)
        assert member == member.value  # what a CharField gives back compares equal
        assert enum(member.value) is member


@pytest.mark.parametrize("enum", ALL_ENUMS)
def test_choices_are_value_label_pairs_in_declaration_order(enum):
    assert enum.choices() == [(m.value, m.label) for m in enum]
    assert all(label for _, label in enum.choices())


@pytest.mark.parametrize(
    ("member", "label"),
    [
        (Rating.DIATAS, "Diatas Ekspektasi"),
        (Rating.SESUAI, "Sesuai Ekspektasi"),
        (Rating.DIBAWAH, "Dibawah Ekspektasi"),
        (Predikat.SANGAT_BAIK, "Sangat Baik"),
        (Predikat.BAIK, "Baik"),
        (Predikat.BUTUH_PERBAIKAN, "Butuh Perbaikan"),
        (Predikat.KURANG, "Kurang/Misconduct"),
        (Predikat.SANGAT_KURANG, "Sangat Kurang"),
        (CapaianOrganisasi.ISTIMEWA, "Istimewa"),
        (CapaianOrganisasi.BUTUH_PERBAIKAN, "Butuh Perbaikan"),
        (CapaianOrganisasi.KURANG, "Kurang"),
        (Jenjang.AHLI_PERTAMA, "Ahli Pertama"),
        (Jenjang.PEMULA, "Pemula"),
        (JenisJabatan.JPT_PRATAMA, "JPT Pratama"),
        (JenisPenempatan.PLT, "Pelaksana Tugas (Plt.)"),
        (Konsolidasi.SUM, "Jumlah"),
        (Konsolidasi.AVERAGE, "Rata-rata"),
        (Konsolidasi.LAST, "Nilai terakhir"),
        (Skema.TRIWULANAN, "Triwulanan"),
    ],
)
def test_labels(member, label):
    assert member.label == label


def test_member_lists():
    assert [m.name for m in Predikat] == ["SANGAT_BAIK", "BAIK", "BUTUH_PERBAIKAN", "KURANG", "SANGAT_KURANG"]
    assert [m.name for m in Polaritas] == ["MAXIMIZE", "MINIMIZE", "STABILIZE"]
    assert [m.name for m in JenisPenempatan] == ["DEFINITIF", "PLT", "PLH"]
    assert len(Jenjang) == 8
    assert [m.name for m in JenisJabatan] == [
        "JPT_UTAMA",
        "JPT_MADYA",
        "JPT_PRATAMA",
        "ADMINISTRATOR",
        "PENGAWAS",
        "PELAKSANA",
        "FUNGSIONAL",
    ]


def test_predikat_ordered_best_to_worst_and_comparable_by_rank():
    members = list(Predikat)
    for better, worse in zip(members, members[1:], strict=False):
        assert better > worse
        assert better >= worse
        assert worse < better
        assert worse <= better
        assert better.rank == worse.rank + 1
    assert Predikat.SANGAT_BAIK.rank == 5
    assert Predikat.SANGAT_KURANG.rank == 1
    assert sorted(Predikat, reverse=True) == members
    assert max(Predikat) is Predikat.SANGAT_BAIK
    assert Predikat.BAIK <= Predikat.BAIK


def test_rating_and_capaian_are_ranked_too():
    assert Rating.DIATAS > Rating.SESUAI > Rating.DIBAWAH
    assert CapaianOrganisasi.ISTIMEWA > CapaianOrganisasi.SANGAT_KURANG


def test_comparing_different_enums_is_refused():
    with pytest.raises(TypeError):
        _ = Predikat.BAIK < Rating.DIATAS


def test_members_hash_like_their_values():
    assert {Predikat.BAIK: 1}["baik"] == 1
    assert len({Predikat.BAIK, Predikat.BAIK}) == 1
