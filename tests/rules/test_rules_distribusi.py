"""Pola distribusi: default curves on concrete groups, not-applicable cases, JSON rules, properties."""

import itertools
import json
from decimal import Decimal

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from kinerja.rules import CapaianOrganisasi, Predikat
from kinerja.rules.distribusi import (
    DEFAULT_RULES,
    AllowedRange,
    Constraint,
    ConstraintKind,
    DistribusiRule,
    allowed_counts,
    check,
    constraint_ranges,
    rules_from_dict,
    rules_to_dict,
    what_if,
)

SB, B, BP, K, SK = (
    Predikat.SANGAT_BAIK,
    Predikat.BAIK,
    Predikat.BUTUH_PERBAIKAN,
    Predikat.KURANG,
    Predikat.SANGAT_KURANG,
)
IST, BAIK, CUKUP, KUR, SKUR = list(CapaianOrganisasi)
MAX, MIN, ADA = ConstraintKind.MAX, ConstraintKind.MIN, ConstraintKind.HARUS_ADA


def c(sb=0, b=0, bp=0, k=0, sk=0):
    return {SB: sb, B: b, BP: bp, K: k, SK: sk}


def summary(result):
    """Violations as (kind, predikat set, min, max, actual)."""
    return {(v.kind, frozenset(v.predikat), v.minimum, v.maximum, v.actual) for v in result.violations}


# (capaian, counts, expected violations as summary()) — all applicable.
APPLICABLE_CASES = [
    # Istimewa: SB <= floor(70% n)
    (IST, c(b=1), set()),
    (IST, c(sb=1), {(MAX, frozenset({SB}), None, 0, 1)}),
    (IST, c(sb=1, b=1), set()),
    (IST, c(sb=2, b=0), {(MAX, frozenset({SB}), None, 1, 2)}),
    (IST, c(sb=2, b=1), set()),
    (IST, c(sb=3), {(MAX, frozenset({SB}), None, 2, 3)}),
    (IST, c(sb=3, b=2), set()),
    (IST, c(sb=4, b=1), {(MAX, frozenset({SB}), None, 3, 4)}),
    (IST, c(sb=7, b=3), set()),
    (IST, c(sb=8, b=2), {(MAX, frozenset({SB}), None, 7, 8)}),
    (IST, c(sb=7, b=4), set()),
    (IST, c(sb=8, b=3), {(MAX, frozenset({SB}), None, 7, 8)}),
    (IST, c(sb=14, b=6), set()),
    (IST, c(sb=15, b=5), {(MAX, frozenset({SB}), None, 14, 15)}),
    # Baik: B <= floor(70% n); harus ada BP or K
    (BAIK, c(b=1), {(MAX, frozenset({B}), None, 0, 1), (ADA, frozenset({BP, K}), 1, None, 0)}),
    (BAIK, c(bp=1), set()),
    (BAIK, c(k=1), set()),
    (BAIK, c(sb=1), {(ADA, frozenset({BP, K}), 1, None, 0)}),
    (BAIK, c(b=1, bp=1), set()),
    (BAIK, c(b=2), {(MAX, frozenset({B}), None, 1, 2), (ADA, frozenset({BP, K}), 1, None, 0)}),
    (BAIK, c(b=2, k=1), set()),
    (BAIK, c(sb=1, b=3, bp=1), set()),
    (BAIK, c(b=4, k=1), {(MAX, frozenset({B}), None, 3, 4)}),
    (BAIK, c(sb=2, b=7, bp=1), set()),
    (BAIK, c(sb=3, b=7), {(ADA, frozenset({BP, K}), 1, None, 0)}),
    (BAIK, c(sb=3, b=7, sk=1), {(ADA, frozenset({BP, K}), 1, None, 0)}),
    (BAIK, c(sb=3, b=7, k=1), set()),
    (BAIK, c(sb=5, b=14, bp=1), set()),
    (BAIK, c(sb=4, b=15, bp=1), {(MAX, frozenset({B}), None, 14, 15)}),
    # Butuh Perbaikan: BP >= ceil(60% n); SB <= floor(10% n)
    (CUKUP, c(bp=1), set()),
    (CUKUP, c(b=1), {(MIN, frozenset({BP}), 1, None, 0)}),
    (CUKUP, c(sb=1), {(MIN, frozenset({BP}), 1, None, 0), (MAX, frozenset({SB}), None, 0, 1)}),
    (CUKUP, c(bp=2), set()),
    (CUKUP, c(b=1, bp=1), {(MIN, frozenset({BP}), 2, None, 1)}),
    (CUKUP, c(b=1, bp=2), set()),
    (CUKUP, c(b=2, bp=3), set()),
    (CUKUP, c(sb=1, b=3, bp=6), set()),
    (CUKUP, c(sb=2, b=2, bp=6), {(MAX, frozenset({SB}), None, 1, 2)}),
    (CUKUP, c(sb=1, b=3, bp=7), set()),
    (CUKUP, c(sb=1, b=4, bp=6), {(MIN, frozenset({BP}), 7, None, 6)}),
    (CUKUP, c(sb=2, b=6, bp=12), set()),
    (CUKUP, c(sb=3, b=5, bp=12), {(MAX, frozenset({SB}), None, 2, 3)}),
    # Kurang: K >= ceil(60% n); BP >= ceil(10% n); SB <= floor(10% n)
    (KUR, c(bp=1, k=2), set()),
    (KUR, c(b=1, k=2), {(MIN, frozenset({BP}), 1, None, 0)}),
    (KUR, c(b=1, bp=1, k=3), set()),
    (KUR, c(b=2, k=3), {(MIN, frozenset({BP}), 1, None, 0)}),
    (KUR, c(sb=1, b=2, bp=1, k=6), set()),
    (KUR, c(sb=2, b=1, bp=1, k=6), {(MAX, frozenset({SB}), None, 1, 2)}),
    (KUR, c(sb=1, b=1, bp=2, k=7), set()),
    (KUR, c(sb=1, b=2, bp=1, k=7), {(MIN, frozenset({BP}), 2, None, 1)}),
    (KUR, c(sb=1, b=1, bp=3, k=6), {(MIN, frozenset({K}), 7, None, 6)}),
    (KUR, c(sb=2, b=4, bp=2, k=12), set()),
    # Sangat Kurang: SK >= ceil(60% n); K + BP >= ceil(10% n); SB = 0
    (SKUR, c(k=1, sk=2), set()),
    (SKUR, c(bp=1, sk=2), set()),
    (SKUR, c(b=1, sk=2), {(MIN, frozenset({BP, K}), 1, None, 0)}),
    (
        SKUR,
        c(sb=1, sk=2),
        {(MIN, frozenset({BP, K}), 1, None, 0), (MAX, frozenset({SB}), None, 0, 1)},
    ),
    (SKUR, c(b=1, k=1, sk=3), set()),
    (SKUR, c(b=3, bp=1, sk=6), set()),
    (SKUR, c(sb=1, b=2, bp=1, sk=6), {(MAX, frozenset({SB}), None, 0, 1)}),
    (SKUR, c(b=2, bp=1, k=1, sk=7), set()),
    (SKUR, c(b=3, k=1, sk=7), {(MIN, frozenset({BP, K}), 2, None, 1)}),
    (SKUR, c(b=6, bp=1, k=1, sk=12), set()),
    (SKUR, c(b=7, bp=1, k=1, sk=11), {(MIN, frozenset({SK}), 12, None, 11)}),
]


@pytest.mark.parametrize(("capaian", "counts", "expected"), APPLICABLE_CASES)
def test_default_rules_on_concrete_groups(capaian, counts, expected):
    result = check(capaian, counts)
    assert result.applicable, result.reason
    assert result.reason is None
    assert result.n == sum(counts.values())
    assert summary(result) == expected
    assert result.ok == (not expected)
    assert all(v.message for v in result.violations)


@pytest.mark.parametrize(
    ("capaian", "n", "needed"),
    [(KUR, 1, 2), (KUR, 2, 3), (SKUR, 1, 2), (SKUR, 2, 3)],
)
def test_groups_too_small_for_the_curve_are_not_applicable(capaian, n, needed):
    result = check(capaian, c(b=n))
    assert not result.applicable
    assert not result.ok
    assert result.violations == []
    assert result.warnings == []
    assert "tidak dapat diterapkan" in result.reason
    assert f"paling sedikit {needed} pegawai" in result.reason
    assert f"hanya {n} pegawai" in result.reason


def test_not_applicable_reason_names_the_minimums():
    reason = check(KUR, c(k=1)).reason
    assert reason == (
        "Pola distribusi untuk capaian Kurang tidak dapat diterapkan pada 1 pegawai: "
        "Kurang/Misconduct paling sedikit 1 (60% dari 1) dan Butuh Perbaikan paling sedikit 1 (10% dari 1) "
        "membutuhkan paling sedikit 2 pegawai, sedangkan kelompok ini hanya 1 pegawai."
    )


@pytest.mark.parametrize("capaian", list(CapaianOrganisasi))
def test_empty_group_is_not_applicable(capaian):
    for counts in ({}, c()):
        result = check(capaian, counts)
        assert not result.applicable
        assert result.n == 0
        assert "belum ada pegawai" in result.reason


@pytest.mark.parametrize("capaian", [IST, BAIK, CUKUP])
@pytest.mark.parametrize("n", [1, 2])
def test_small_groups_stay_applicable_where_the_curve_can_hold(capaian, n):
    assert check(capaian, c(bp=n)).applicable


def test_messages_show_share_and_count():
    (v,) = check(IST, c(sb=8, b=2)).violations
    assert v.message == "Sangat Baik melebihi batas: 8 pegawai, paling banyak 7 (70% dari 10)."
    assert (v.share, v.minimum, v.maximum, v.actual, v.predikat) == (Decimal("0.70"), None, 7, 8, (SB,))

    (v,) = check(CUKUP, c(sb=1, b=4, bp=6)).violations
    assert v.message == "Butuh Perbaikan kurang dari batas: 6 pegawai, paling sedikit 7 (60% dari 11)."

    (v,) = check(SKUR, c(b=3, k=1, sk=7)).violations
    assert v.predikat == (BP, K)  # best first
    assert v.message == (
        "Butuh Perbaikan + Kurang/Misconduct kurang dari batas: 1 pegawai, paling sedikit 2 (10% dari 11)."
    )

    (v,) = check(BAIK, c(sb=3, b=7)).violations
    assert v.message == (
        "Harus ada paling sedikit 1 pegawai dengan predikat Butuh Perbaikan atau Kurang/Misconduct; "
        "saat ini 0 pegawai."
    )

    (v,) = check(SKUR, c(sb=1, b=2, bp=1, sk=6)).violations
    assert (
        v.message == "Sangat Baik tidak boleh ada pada capaian ini: 1 pegawai, paling banyak 0 (0% dari 10)."
    )


def test_sebagian_besar_is_a_warning_not_a_violation():
    result = check(IST, c(sb=2, b=8))
    assert result.ok
    (w,) = result.warnings
    assert w.kind is ConstraintKind.SEBAGIAN_BESAR
    assert w.predikat == (SB,)
    assert w.actual == 2
    assert w.message == (
        "Sebagian besar pegawai seharusnya berpredikat Sangat Baik, tetapi Baik lebih banyak: "
        "Baik 8 pegawai, Sangat Baik 2 pegawai (dari 10)."
    )


def test_sebagian_besar_tie_is_no_warning():
    assert check(IST, c(sb=5, b=5)).warnings == []
    assert check(KUR, c(bp=5, k=6)).warnings == []


def test_sebagian_besar_not_warned_when_bulk_is_at_its_allowed_maximum():
    # One pegawai under Istimewa may not be SB (floor(0.7) = 0): nothing more can be asked.
    assert check(IST, c(b=1)).warnings == []
    assert check(BAIK, c(bp=1)).warnings == []
    # Two pegawai under Baik: B at most 1, so B=0 with BP=1, SB=1 warns, B=1 ties.
    assert len(check(BAIK, c(sb=1, bp=1)).warnings) == 1
    assert check(BAIK, c(b=1, bp=1)).warnings == []


def test_sebagian_besar_names_the_most_common_rival():
    (w,) = check(CUKUP, c(sb=0, b=3, bp=2, k=4)).warnings
    assert "tetapi Kurang/Misconduct lebih banyak" in w.message


@pytest.mark.parametrize(
    ("capaian", "n", "expected"),
    [
        (IST, 10, {SB: (0, 7)}),
        (IST, 1, {SB: (0, 0)}),
        (BAIK, 10, {B: (0, 7)}),
        (CUKUP, 10, {BP: (6, 10), SB: (0, 1)}),
        (CUKUP, 5, {BP: (3, 5), SB: (0, 0)}),
        (KUR, 11, {K: (7, 11), BP: (2, 11), SB: (0, 1)}),
        (SKUR, 20, {SK: (12, 20), SB: (0, 0)}),
        (SKUR, 3, {SK: (2, 3), SB: (0, 0)}),
    ],
)
def test_allowed_counts(capaian, n, expected):
    allowed = allowed_counts(capaian, n)
    assert set(allowed) == set(Predikat)
    for p in Predikat:
        low, high = expected.get(p, (0, n))
        assert allowed[p] == AllowedRange(low, high)
    assert 0 in AllowedRange(0, 1)
    assert 2 not in AllowedRange(0, 1)


def test_constraint_ranges_report_multi_predikat_constraints():
    ranges = constraint_ranges(SKUR, 11)
    assert [(r.predikat, r.minimum, r.maximum) for r in ranges] == [
        ((SK,), 7, 11),
        ((BP, K), 2, 11),
        ((SB,), 0, 0),
    ]
    assert ranges[1].description == "Butuh Perbaikan + Kurang/Misconduct paling sedikit 2 (10% dari 11)"
    harus_ada = constraint_ranges(BAIK, 10)[1]
    assert (harus_ada.predikat, harus_ada.minimum, harus_ada.maximum) == ((BP, K), 1, 10)
    assert check(SKUR, c(sk=7, bp=4)).ranges == ranges


def test_what_if_checks_every_capaian():
    counts = c(sb=8, b=2)
    results = what_if(counts)
    assert list(results) == list(CapaianOrganisasi)
    assert not results[IST].ok
    assert {v.predikat for v in results[BAIK].violations} == {(BP, K)}
    assert results[KUR].applicable and not results[KUR].ok
    assert all(r.n == 10 for r in results.values())


def test_negative_counts_are_refused_in_indonesian():
    with pytest.raises(ValueError, match="tidak boleh negatif"):
        check(IST, {SB: -1, B: 3})


def test_bad_count_types_and_keys_are_refused():
    with pytest.raises(ValueError, match="bilangan bulat"):
        check(IST, {SB: 1.5})  # type: ignore[dict-item]
    with pytest.raises(ValueError, match="Predikat tidak dikenal"):
        check(IST, {"cemerlang": 1})  # type: ignore[dict-item]


def test_counts_keyed_by_stored_values_work():
    assert check(IST, {"sangat_baik": 8, "baik": 2}).violations  # type: ignore[dict-item]


# --- custom rules ------------------------------------------------------------------------------------


def test_rules_round_trip_through_json():
    data = rules_to_dict(DEFAULT_RULES)
    assert json.loads(json.dumps(data)) == data
    assert rules_from_dict(json.loads(json.dumps(data))) == dict(DEFAULT_RULES)
    assert data["sangat_kurang"]["constraints"][1] == {
        "kind": "min",
        "predikat": ["butuh_perbaikan", "kurang"],
        "share": "0.10",
    }
    assert data["baik"]["constraints"][1] == {"kind": "harus_ada", "predikat": ["butuh_perbaikan", "kurang"]}


def test_custom_rules_are_used():
    custom = rules_from_dict(
        {
            "istimewa": {
                "bulk": "sangat_baik",
                "constraints": [{"kind": "max", "predikat": ["sangat_baik"], "share": "0.5"}],
            }
        }
    )
    (v,) = check(IST, c(sb=6, b=4), custom).violations
    assert v.maximum == 5
    assert v.message == "Sangat Baik melebihi batas: 6 pegawai, paling banyak 5 (50% dari 10)."
    missing = check(BAIK, c(b=10), custom)
    assert not missing.applicable
    assert missing.reason == "Belum ada ketentuan pola distribusi untuk capaian Baik."
    with pytest.raises(ValueError, match="Belum ada ketentuan"):
        allowed_counts(BAIK, 10, custom)


def test_min_allowed_gives_small_groups_one_place():
    custom = dict(DEFAULT_RULES)
    custom[BAIK] = DistribusiRule(
        B,
        (
            Constraint(MAX, frozenset({B}), Decimal("0.70"), min_allowed=1),
            Constraint(ADA, frozenset({BP, K})),
        ),
    )
    assert allowed_counts(BAIK, 1, custom)[B] == AllowedRange(0, 1)
    assert allowed_counts(BAIK, 10, custom)[B] == AllowedRange(0, 7)
    assert summary(check(BAIK, c(b=1), custom)) == {(ADA, frozenset({BP, K}), 1, None, 0)}
    custom[CUKUP] = DistribusiRule(
        BP,
        (
            Constraint(MIN, frozenset({BP}), Decimal("0.60")),
            Constraint(MAX, frozenset({SB}), Decimal("0.10"), min_allowed=1),
        ),
    )
    assert check(CUKUP, c(sb=1, bp=4), custom).ok
    (v,) = check(CUKUP, c(sb=2, bp=3), custom).violations
    assert v.message == (
        "Sangat Baik melebihi batas: 2 pegawai, paling banyak 1 "
        "(10% dari 5; paling sedikit 1 selalu diizinkan)."
    )
    assert rules_from_dict(rules_to_dict(custom)) == custom
    assert rules_to_dict(custom)["baik"]["constraints"][0]["min_allowed"] == 1


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"luar_biasa": {}}, "Capaian organisasi tidak dikenal"),
        ({"baik": {"bulk": "hebat"}}, "Predikat mayoritas tidak dikenal"),
        ({"baik": {"constraints": [{"kind": "paling", "predikat": ["baik"]}]}}, "Jenis ketentuan"),
        (
            {"baik": {"constraints": [{"kind": "max", "predikat": ["hebat"], "share": "0.1"}]}},
            "Predikat tidak",
        ),
        ({"baik": {"constraints": [{"kind": "max", "predikat": [], "share": "0.1"}]}}, "paling sedikit satu"),
        ({"baik": {"constraints": [{"kind": "max", "predikat": ["baik"], "share": "70"}]}}, "antara 0 dan 1"),
        (
            {"baik": {"constraints": [{"kind": "max", "predikat": ["baik"], "share": "-0.1"}]}},
            "antara 0 dan 1",
        ),
        ({"baik": {"constraints": [{"kind": "max", "predikat": ["baik"], "share": "x"}]}}, "tidak valid"),
        (
            {"baik": {"constraints": [{"kind": "sebagian_besar", "predikat": ["baik"]}]}},
            "bukan ketentuan wajib",
        ),
        (
            {"baik": {"constraints": [{"kind": "min", "predikat": ["baik"], "min_allowed": 1}]}},
            "hanya berlaku",
        ),
        ({"baik": {"constraints": [{"kind": "max", "predikat": "baik", "share": "0.1"}]}}, "berupa daftar"),
        ({"baik": {"extra": 1}}, "Kunci tidak dikenal"),
        ({"baik": {"constraints": {}}}, "berupa daftar"),
        (
            {
                "baik": {
                    "constraints": [
                        {"kind": "min", "predikat": ["baik", "kurang"], "share": "0.1"},
                        {"kind": "min", "predikat": ["kurang", "sangat_kurang"], "share": "0.1"},
                    ]
                }
            },
            "tumpang tindih",
        ),
        ([], "berupa objek"),
    ],
)
def test_bad_rule_data_is_refused_in_indonesian(data, message):
    with pytest.raises(ValueError, match=message):
        rules_from_dict(data)


def test_contradictory_rule_is_not_applicable_with_reason():
    rules = {
        IST: DistribusiRule(
            SB,
            (
                Constraint(MIN, frozenset({SB}), Decimal("0.5")),
                Constraint(MAX, frozenset({SB}), Decimal("0.2")),
            ),
        )
    }
    result = check(IST, c(sb=5, b=5), rules)
    assert not result.applicable
    assert "Sangat Baik tidak dapat dipenuhi bersamaan: paling sedikit 5 pegawai tetapi paling banyak 2" in (
        result.reason
    )


def test_nested_contradiction_is_detected():
    rules = {
        IST: DistribusiRule(
            None,
            (
                Constraint(MAX, frozenset({BP, K}), Decimal("0.1")),
                Constraint(MIN, frozenset({K}), Decimal("0.5")),
            ),
        )
    }
    assert not check(IST, c(b=10), rules).applicable


def test_rule_whose_maximums_cannot_hold_everyone_is_not_applicable():
    rules = {
        IST: DistribusiRule(None, tuple(Constraint(MAX, frozenset({p}), Decimal("0.1")) for p in Predikat))
    }
    result = check(IST, c(b=10), rules)
    assert not result.applicable
    assert "paling banyak 5 pegawai" in result.reason


# --- properties --------------------------------------------------------------------------------------

counts_strategy = st.fixed_dictionaries({p: st.integers(min_value=0, max_value=400) for p in Predikat})
capaian_strategy = st.sampled_from(CapaianOrganisasi)


@given(capaian_strategy, counts_strategy)
def test_check_never_raises_and_ok_iff_no_violations(capaian, counts):
    result = check(capaian, counts)
    assert result.n == sum(counts.values())
    if result.applicable:
        assert result.reason is None
        assert result.ok == (not result.violations)
        for v in result.violations:
            assert v.message
            assert (v.minimum is not None and v.actual < v.minimum) or (
                v.maximum is not None and v.actual > v.maximum
            )
    else:
        assert result.reason
        assert not result.ok
        assert result.violations == []


def _compositions(n, parts=5):
    for cuts in itertools.combinations(range(n + parts - 1), parts - 1):
        bounds = (-1, *cuts, n + parts - 1)
        yield [bounds[i + 1] - bounds[i] - 1 for i in range(parts)]


def _feasible(capaian, n, rules=None):
    return any(check(capaian, dict(zip(Predikat, comp, strict=True)), rules).ok for comp in _compositions(n))


@pytest.mark.parametrize("capaian", list(CapaianOrganisasi))
def test_applicable_exactly_when_some_distribution_satisfies_the_curve(capaian):
    for n in range(1, 13):
        assert check(capaian, c(b=n)).applicable == _feasible(capaian, n), n


predikat_sets = st.frozensets(st.sampled_from(Predikat), min_size=1)
constraints_strategy = st.builds(
    Constraint,
    kind=st.sampled_from([MAX, MIN, ADA]),
    predikat=predikat_sets,
    share=st.sampled_from([Decimal(x) for x in ("0", "0.1", "0.25", "0.3", "0.5", "0.6", "0.7", "1")]),
)


@given(st.lists(constraints_strategy, max_size=4), st.integers(min_value=1, max_value=7))
def test_feasibility_matches_brute_force_for_random_laminar_rules(constraints, n):
    try:
        rule = DistribusiRule(None, tuple(constraints))
    except ValueError:
        assume(False)
    rules = {IST: rule}
    assert check(IST, c(b=n), rules).applicable == _feasible(IST, n, rules)


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=20),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=20), inner, max_size=4),
    max_leaves=20,
)
rule_keys = st.sampled_from([c.value for c in CapaianOrganisasi] + ["x"])
item_keys = st.sampled_from(["kind", "predikat", "share", "min_allowed", "bulk", "constraints"])
json_rules = st.dictionaries(
    rule_keys,
    st.dictionaries(
        st.sampled_from(["bulk", "constraints"]),
        json_values
        | st.lists(st.dictionaries(item_keys, json_values | st.sampled_from(["max", "min", "baik"]))),
    )
    | json_values,
)


@given(json_rules)
def test_rules_from_dict_only_ever_raises_value_error(data):
    try:
        rules = rules_from_dict(data)
    except ValueError as error:
        assert str(error)
    else:
        assert rules_from_dict(rules_to_dict(rules)) == rules
