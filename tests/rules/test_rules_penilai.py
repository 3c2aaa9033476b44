"""Pejabat penilai and atasan pejabat penilai from the org chart."""

import random

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kinerja.rules import JenisPenempatan
from kinerja.rules.penilai import Holder, Pejabat, Rantai, Resolver, resolve, resolve_all, select_pemangku

DEF, PLT, PLH = JenisPenempatan.DEFINITIF, JenisPenempatan.PLT, JenisPenempatan.PLH

# 1 Kepala (root) -> 2 Kabag -> 3 Kasubbag -> 4 Staf
PARENT = {1: None, 2: 1, 3: 2, 4: 3}


def full():
    return {1: [Holder(101)], 2: [Holder(102)], 3: [Holder(103)], 4: [Holder(104)]}


def test_chain_with_every_jabatan_filled():
    holders = full()
    assert resolve(4, PARENT, holders, 104) == Rantai(Pejabat(3, 103), Pejabat(2, 102))
    assert resolve(3, PARENT, holders, 103) == Rantai(Pejabat(2, 102), Pejabat(1, 101))
    assert resolve(2, PARENT, holders, 102) == Rantai(Pejabat(1, 101), None)
    assert resolve(1, PARENT, holders, 101) == Rantai(None, None)
    assert resolve(4, PARENT, holders).penilai == (3, 103)  # a plain tuple compares equal


def test_vacant_parent_is_skipped_upward():
    holders = full()
    holders[3] = []
    assert resolve(4, PARENT, holders, 104) == Rantai(Pejabat(2, 102), Pejabat(1, 101))
    del holders[2]
    assert resolve(4, PARENT, holders, 104) == Rantai(Pejabat(1, 101), None)


def test_vacant_above_the_penilai_is_skipped_for_the_atasan():
    holders = full()
    holders[2] = []
    assert resolve(4, PARENT, holders, 104) == Rantai(Pejabat(3, 103), Pejabat(1, 101))


def test_plt_acts_for_a_vacant_jabatan():
    holders = full()
    holders[3] = [Holder(201, PLT)]
    assert resolve(4, PARENT, holders, 104) == Rantai(Pejabat(3, 201), Pejabat(2, 102))


def test_plh_acts_when_nobody_else_does():
    holders = full()
    holders[3] = [Holder(301, PLH)]
    assert resolve(4, PARENT, holders, 104).penilai == Pejabat(3, 301)


@pytest.mark.parametrize(
    ("jabatan_holders", "expected"),
    [
        ([Holder(301, PLH), Holder(201, PLT)], 201),
        ([Holder(301, PLH), Holder(103, DEF)], 103),
        ([Holder(201, PLT), Holder(103, DEF), Holder(301, PLH)], 103),
        ([Holder(201, PLT), Holder(202, PLT)], 201),  # first given among equals
        ([Holder(301, PLH)], 301),
    ],
)
def test_holder_priority(jabatan_holders, expected):
    assert select_pemangku(jabatan_holders).pegawai_id == expected
    holders = full()
    holders[3] = jabatan_holders
    assert resolve(4, PARENT, holders, 104).penilai == Pejabat(3, expected)


def test_pilih_pemangku_edge_cases():
    assert select_pemangku([]) is None
    assert select_pemangku([Holder(1)], kecuali={1}) is None
    assert select_pemangku([Holder(1), Holder(2, PLH)], kecuali=[1]) == Holder(2, PLH)


def test_pegawai_is_never_their_own_penilai():
    holders = full()
    holders[3] = [Holder(104, PLT)]  # the staf is Plt. of their own superior's jabatan
    assert resolve(4, PARENT, holders, 104) == Rantai(Pejabat(2, 102), Pejabat(1, 101))
    assert resolve(4, PARENT, holders).penilai == Pejabat(3, 104)  # without the pegawai id: the org chart
    holders[3] = [Holder(104, PLT), Holder(301, PLH)]
    assert resolve(4, PARENT, holders, 104).penilai == Pejabat(3, 301)


def test_pegawai_is_never_their_own_atasan_penilai():
    holders = full()
    holders[2] = [Holder(104, PLT)]
    assert resolve(4, PARENT, holders, 104) == Rantai(Pejabat(3, 103), Pejabat(1, 101))


def test_atasan_is_a_different_person_from_the_penilai():
    parent = {0: None, **PARENT, 1: 0}
    holders = {0: [Holder(100)], **full()}
    holders[1] = [Holder(102, PLT)]  # the Kabag is also Plt. Kepala
    assert resolve(3, parent, holders, 103) == Rantai(Pejabat(2, 102), Pejabat(0, 100))
    assert resolve(3, PARENT, {k: v for k, v in holders.items() if k}, 103) == Rantai(Pejabat(2, 102), None)


def test_missing_parent_entry_is_a_root():
    assert resolve(9, {}, {9: [Holder(9)]}, 9) == Rantai(None, None)
    assert resolve(4, {4: 3}, {3: [Holder(103)]}, 104) == Rantai(Pejabat(3, 103), None)


def test_cycle_is_refused():
    with pytest.raises(ValueError, match="melingkar"):
        resolve(1, {1: 2, 2: 1}, {}, 5)
    with pytest.raises(ValueError, match="melingkar"):
        resolve(3, {3: 1, 1: 2, 2: 1}, {}, 5)
    with pytest.raises(ValueError, match="melingkar"):
        resolve(1, {1: 1}, {}, 5)


def test_resolve_all():
    holders = full()
    holders[3].append(Holder(201, PLH))
    result = resolve_all(PARENT, holders)
    assert set(result) == {(1, 101), (2, 102), (3, 103), (3, 201), (4, 104)}
    assert result[(4, 104)] == Rantai(Pejabat(3, 103), Pejabat(2, 102))
    assert result[(3, 201)] == Rantai(Pejabat(2, 102), Pejabat(1, 101))


def _random_org(size, seed):
    rng = random.Random(seed)
    parent = {0: None}
    holders = {0: [Holder(0)]}
    for j in range(1, size):
        parent[j] = rng.randrange(max(0, j - 50), j) if rng.random() < 0.9 else rng.randrange(j)
        roll = rng.random()
        if roll < 0.85:
            holders[j] = [Holder(j)]
        elif roll < 0.92:
            holders[j] = [Holder(rng.randrange(size), PLT)]
    return parent, holders


def test_twenty_thousand_pegawai_agree_with_a_plain_walk():
    # Speed is measured by `make bench`; here only that the memoised bulk resolution stays right at scale.
    parent, holders = _random_org(20_000, seed=6)
    result = resolve_all(parent, holders)
    assert len(result) >= 17_000
    for jabatan, pegawai in sorted(result)[::97]:
        assert result[(jabatan, pegawai)] == _reference(jabatan, parent, holders, pegawai)


def test_deep_chain_does_not_recurse():
    size = 20_000
    parent = {j: (j - 1 if j else None) for j in range(size)}
    holders = {j: [Holder(j)] for j in range(0, size, 3)}  # two vacant jabatan out of three
    resolver = Resolver(parent, holders)
    assert resolver.resolve(size - 1, size - 1) == Rantai(Pejabat(19_998, 19_998), Pejabat(19_995, 19_995))
    assert all(resolver.resolve(j, j).penilai is not None for j in range(1, size))


def _reference(jabatan, parent, holders, pegawai):
    """Plain walk up the tree, no memo."""

    def first_above(start, kecuali):
        current = parent.get(start)
        while current is not None:
            candidates = [h for h in holders.get(current, []) if h.pegawai_id not in kecuali]
            if candidates:
                best = min(candidates, key=lambda h: [DEF, PLT, PLH].index(h.penempatan))
                return Pejabat(current, best.pegawai_id)
            current = parent.get(current)
        return None

    penilai = first_above(jabatan, {pegawai})
    if penilai is None:
        return Rantai(None, None)
    return Rantai(penilai, first_above(penilai.jabatan_id, {pegawai, penilai.pegawai_id}))


@st.composite
def orgs(draw):
    size = draw(st.integers(1, 25))
    parent = {0: None}
    for j in range(1, size):
        parent[j] = draw(st.none() | st.integers(0, j - 1))
    people = st.integers(0, 8)
    holder = st.builds(Holder, people, st.sampled_from(JenisPenempatan))
    holders = {j: draw(st.lists(holder, max_size=3)) for j in range(size)}
    return parent, holders


@given(orgs(), st.data())
def test_memoised_resolver_matches_a_plain_walk(org, data):
    parent, holders = org
    resolver = Resolver(parent, holders)
    for _ in range(5):
        jabatan = data.draw(st.sampled_from(sorted(parent)))
        pegawai = data.draw(st.integers(0, 8))
        assert resolver.resolve(jabatan, pegawai) == _reference(jabatan, parent, holders, pegawai)
