"""Kuadran kinerja: all nine cells, monotonicity, head-of-unit rating."""

import itertools

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kinerja.rules import CapaianOrganisasi, Predikat, Rating
from kinerja.rules.kuadran import KUADRAN, PIMPINAN_DEFAULT, predikat, rating_hasil_pimpinan

D, S, B = Rating.DIATAS, Rating.SESUAI, Rating.DIBAWAH


@pytest.mark.parametrize(
    ("hasil", "perilaku", "expected"),
    [
        (D, B, Predikat.KURANG),
        (D, S, Predikat.BAIK),
        (D, D, Predikat.SANGAT_BAIK),
        (S, B, Predikat.KURANG),
        (S, S, Predikat.BAIK),
        (S, D, Predikat.BAIK),
        (B, B, Predikat.SANGAT_KURANG),
        (B, S, Predikat.BUTUH_PERBAIKAN),
        (B, D, Predikat.BUTUH_PERBAIKAN),
    ],
)
def test_every_cell_of_the_matrix(hasil, perilaku, expected):
    assert predikat(hasil, perilaku) is expected


def test_table_has_exactly_the_nine_cells():
    assert set(KUADRAN) == set(itertools.product(Rating, Rating))


def test_accepts_stored_string_values():
    assert predikat("diatas", "diatas") is Predikat.SANGAT_BAIK  # type: ignore[arg-type]


def test_unknown_rating_is_a_value_error():
    with pytest.raises(ValueError, match="Rating tidak dikenal"):
        predikat("luar_biasa", Rating.SESUAI)  # type: ignore[arg-type]


ratings = st.sampled_from(Rating)


@given(ratings, ratings, ratings)
def test_better_hasil_never_gives_worse_predikat(h1, h2, perilaku):
    low, high = sorted((h1, h2))
    assert predikat(low, perilaku) <= predikat(high, perilaku)


@given(ratings, ratings, ratings)
def test_better_perilaku_never_gives_worse_predikat(hasil, p1, p2):
    low, high = sorted((p1, p2))
    assert predikat(hasil, low) <= predikat(hasil, high)


@pytest.mark.parametrize(
    ("capaian", "expected"),
    [
        (CapaianOrganisasi.ISTIMEWA, Rating.DIATAS),
        (CapaianOrganisasi.BAIK, Rating.SESUAI),
        (CapaianOrganisasi.BUTUH_PERBAIKAN, Rating.DIBAWAH),
        (CapaianOrganisasi.KURANG, Rating.DIBAWAH),
        (CapaianOrganisasi.SANGAT_KURANG, Rating.DIBAWAH),
    ],
)
def test_head_of_unit_rating_default(capaian, expected):
    assert rating_hasil_pimpinan(capaian) is expected
    assert PIMPINAN_DEFAULT[capaian] is expected


def test_head_of_unit_mapping_overrides_key_by_key():
    mapping = {CapaianOrganisasi.BUTUH_PERBAIKAN: Rating.SESUAI}
    assert rating_hasil_pimpinan(CapaianOrganisasi.BUTUH_PERBAIKAN, mapping) is Rating.SESUAI
    assert rating_hasil_pimpinan(CapaianOrganisasi.ISTIMEWA, mapping) is Rating.DIATAS
    assert rating_hasil_pimpinan(CapaianOrganisasi.KURANG, mapping) is Rating.DIBAWAH
