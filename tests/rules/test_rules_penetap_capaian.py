"""Who sets a unit's capaian kinerja organisasi (`rules.rating.penetap_capaian_organisasi`): the level
above, never the unit's own head; the top unit by the admin on the PPK's written decision."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kinerja.rules.rating import PenetapCapaian, may_set_capaian, penetap_capaian_organisasi

ADMIN = PenetapCapaian(None, None, True)


@pytest.mark.parametrize(
    ("kepala_unit", "kepala_atas", "hasil"),
    [
        (
            1,
            [],
            ADMIN,
        ),  # the top unit: never its head (the head of the instansi), the admin on the PPK's word
        (None, [], ADMIN),
        (2, [1], PenetapCapaian(1, 0, False)),  # the head of the unit above
        (2, [None, 1], PenetapCapaian(1, 1, False)),  # no head directly above: the next one up
        (1, [1, 7], PenetapCapaian(7, 1, False)),  # Plt. of the unit above too: he is skipped
        (1, [1], ADMIN),  # heads the unit and the only unit above: the admin
        (3, [None, None], ADMIN),  # no head anywhere above
    ],
)
def test_penetap(kepala_unit, kepala_atas, hasil):
    assert penetap_capaian_organisasi(kepala_unit, kepala_atas) == hasil


@pytest.mark.parametrize(
    ("penetap", "kepala_unit", "pegawai", "admin", "boleh"),
    [
        (ADMIN, 1, 1, False, False),  # the head of the instansi sets not his own top unit
        (ADMIN, 1, 1, True, False),  # not even when he is the admin
        (ADMIN, 1, 9, True, True),  # the admin
        (ADMIN, 1, None, True, True),  # an admin account without a pegawai
        (PenetapCapaian(5, 0, False), 2, 5, False, True),
        (PenetapCapaian(5, 0, False), 2, 5, True, True),
        (PenetapCapaian(5, 0, False), 2, 9, True, False),  # the admin does not set a unit with a head above
        (PenetapCapaian(5, 0, False), 2, 2, True, False),
    ],
)
def test_boleh(penetap, kepala_unit, pegawai, admin, boleh):
    assert may_set_capaian(penetap, kepala_unit, pegawai, admin) is boleh


@given(
    kepala_unit=st.one_of(st.none(), st.integers(1, 5)),
    kepala_atas=st.lists(st.one_of(st.none(), st.integers(1, 5)), max_size=5),
    pegawai=st.one_of(st.none(), st.integers(1, 5)),
    admin=st.booleans(),
)
def test_a_head_never_sets_his_own_units_capaian(kepala_unit, kepala_atas, pegawai, admin):
    penetap = penetap_capaian_organisasi(kepala_unit, kepala_atas)
    if kepala_unit is not None:
        assert penetap.pegawai != kepala_unit
        assert not may_set_capaian(penetap, kepala_unit, kepala_unit, admin)
    assert penetap.admin == (penetap.pegawai is None)
    if not penetap.admin:
        assert penetap.tingkat is not None and kepala_atas[penetap.tingkat] == penetap.pegawai
