"""Suggested ratings: hasil kerja, perilaku, head of unit, capaian organisasi, annual prefill, mutation."""

from datetime import date, timedelta
from decimal import Decimal
from fractions import Fraction

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from kinerja.rules import CapaianOrganisasi, JenisRhk, Rating, Skema
from kinerja.rules import rating as rating_rules
from kinerja.rules.kuadran import KUADRAN, PIMPINAN_DEFAULT, predikat, rating_hasil_pimpinan
from kinerja.rules.perilaku import BERAKHLAK
from kinerja.rules.rating import (
    AMBANG_DEFAULT,
    AmbangCapaianOrganisasi,
    AmbangRating,
    BagianSkp,
    Hitungan,
    RatingRhk,
    hasil_pimpinan,
    merge_mutasi,
    prefill_tahunan,
    rata_rata_capaian,
    saran_evaluasi,
    suggest_capaian_organisasi,
    suggest_hasil,
    suggest_perilaku,
)

D, S, B = Rating.DIATAS, Rating.SESUAI, Rating.DIBAWAH
U, T = JenisRhk.UTAMA, JenisRhk.TAMBAHAN
KODE = [n.kode for n in BERAKHLAK]


def rhk(utama: str = "", tambahan: str = "") -> list[RatingRhk]:
    """``rhk("DDS", "B")``: RHK utama rated Diatas, Diatas, Sesuai and one RHK tambahan rated Dibawah."""
    code = {"D": D, "S": S, "B": B}
    return [RatingRhk(U, code[c]) for c in utama] + [RatingRhk(T, code[c]) for c in tambahan]


# --- rating hasil kerja: cases straight from the regulation text (docs/rules.md §13.1) ------------------

HASIL_CASES = [
    # Diatas: "most or all hasil kerja above expectation and no RHK utama below"
    ("all utama above", "DDDD", "", D),
    ("most utama above, rest as expected", "DDDS", "", D),
    ("a single utama above", "D", "", D),
    ("2 of 3 above is most", "DDS", "", D),
    # ... but a single RHK utama below rules Diatas out
    ("most above but one utama below", "DDDB", "", S),
    ("all but one above, one below of six", "DDDDDB", "", S),
    # Sesuai: "most or all as expected and only a small part of RHK utama below"
    ("all as expected", "SSSS", "", S),
    ("tie: exactly half above is not most", "DDSS", "", S),
    ("tie of two", "DS", "", S),
    ("one of three below is a small part (1/3)", "DSB", "", S),
    ("two of six below is a small part (1/3)", "SSSSBB", "", S),
    ("one of four below", "SSSB", "", S),
    # Dibawah: "most or all below expectation" and, by elimination, more than a small part below
    ("all below", "BBB", "", B),
    ("most below", "SBB", "", B),
    ("half below is more than a small part", "DB", "", B),
    ("two of four below", "DDBB", "", B),
    ("three of seven below", "DDDDBBB", "", B),
    ("a single utama below", "B", "", B),
    # RHK tambahan: one above expectation joins the count (it can lift) ...
    ("tambahan above lifts a tie to Diatas", "DS", "D", D),
    ("tambahan above lifts 1 of 3 to 3 of 5", "DSS", "DD", D),
    ("one tambahan above is not enough for 1 of 3", "DSS", "D", S),
    # ... one at or below expectation is left out (it never lowers)
    ("tambahan below does not lower Diatas", "DD", "BBB", D),
    ("tambahan as expected does not dilute Diatas", "DDS", "SSSS", D),
    ("tambahan below does not lower Sesuai", "SS", "BB", S),
    # ... and tambahan never rescue an RHK utama below expectation
    ("tambahan cannot cancel an utama below for Diatas", "DDB", "DDD", S),
    ("tambahan cannot cancel too many utama below", "DB", "DDDD", B),
    # only RHK tambahan: they are counted like RHK utama
    ("only tambahan, above", "", "DD", D),
    ("only tambahan, as expected", "", "DS", S),
    ("only tambahan, below", "", "SB", B),
]


@pytest.mark.parametrize(
    ("case", "utama", "tambahan", "expected"), HASIL_CASES, ids=[c[0] for c in HASIL_CASES]
)
def test_hasil_from_the_regulation(case, utama, tambahan, expected):
    assert suggest_hasil(rhk(utama, tambahan)).rating is expected


def test_no_rhk_is_an_error():
    with pytest.raises(ValueError, match="Belum ada RHK yang dinilai"):
        suggest_hasil([])


def test_counts_are_returned():
    saran = suggest_hasil(rhk("DDSB", "DSB"))
    assert saran.jumlah == Hitungan(2, 1, 1)
    assert saran.jumlah_tambahan == Hitungan(1, 1, 1)
    assert saran.jumlah.total == 4


def test_only_tambahan_counts_are_the_tambahan():
    saran = suggest_hasil(rhk("", "DS"))
    assert saran.jumlah == Hitungan(1, 1, 0)
    assert "Tidak ada RHK utama" in saran.alasan


def test_stored_string_values_are_accepted():
    assert suggest_hasil([RatingRhk("utama", "diatas")]).rating is D  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("jenis", "rating", "message"), [("pokok", "diatas", "Jenis RHK"), ("utama", "baik", "Rating")]
)
def test_unknown_values_are_value_errors(jenis, rating, message):
    with pytest.raises(ValueError, match=message):
        RatingRhk(jenis, rating)


@pytest.mark.parametrize(
    ("utama", "tambahan", "fragments"),
    [
        (
            "DDDS",
            "",
            [
                "RHK utama: 3 di atas, 1 sesuai, 0 di bawah",
                "3 dari 4 RHK utama di atas ekspektasi",
                "lebih dari separuh",
                "tidak ada RHK utama di bawah ekspektasi",
            ],
        ),
        (
            "DSSS",
            "",
            [
                "4 dari 4 RHK utama sesuai atau di atas",
                "tidak ada RHK utama di bawah ekspektasi",
                "baru 1 dari 4, tidak lebih dari separuh",
            ],
        ),
        (
            "DSB",
            "",
            [
                "1 dari 3 RHK utama di bawah ekspektasi",
                "paling banyak sepertiga",
                "Belum Diatas Ekspektasi karena ada RHK utama di bawah",
            ],
        ),
        ("DB", "", ["1 dari 2 RHK utama di bawah ekspektasi, lebih dari sepertiga"]),
        (
            "DS",
            "DB",
            [
                "1 RHK tambahan di atas ekspektasi ikut dihitung",
                "2 dari 3 hasil kerja di atas",
                "1 RHK tambahan yang tidak di atas ekspektasi tidak ikut dihitung",
            ],
        ),
    ],
)
def test_hasil_explanation(utama, tambahan, fragments):
    alasan = suggest_hasil(rhk(utama, tambahan)).alasan
    for fragment in fragments:
        assert fragment in alasan


def test_dibawah_explanation_when_most_is_not_as_expected():
    # Reachable only with a configured threshold: nothing below but not most as expected is impossible by
    # default, so use "small part" = 1/2 and 3 below of 6 (half: small enough, but not most as expected).
    saran = suggest_hasil(rhk("SSSBBB"), AmbangRating(Fraction(1, 2), Fraction(1, 2)))
    assert saran.rating is B
    assert "hanya 3 dari 6 RHK utama sesuai atau di atas ekspektasi, tidak lebih dari separuh" in saran.alasan


# --- thresholds (CONFIG) ------------------------------------------------------------------------------


def test_default_thresholds():
    assert AmbangRating(Fraction(1, 2), Fraction(1, 3)) == AMBANG_DEFAULT


@pytest.mark.parametrize(
    ("utama", "ambang", "expected"),
    [
        ("DDDB", AmbangRating(sebagian_kecil=Fraction(0)), B),  # strictest: any utama below -> Dibawah
        ("DDDDDB", AmbangRating(sebagian_kecil=Fraction(0)), B),
        ("SSSS", AmbangRating(sebagian_kecil=Fraction(0)), S),
        ("DDDBB", AmbangRating(sebagian_kecil=Fraction(1, 2)), S),  # 2 of 5 below: not above half
        ("DDDBB", AMBANG_DEFAULT, B),  # ... but more than a third
        ("DB", AmbangRating(sebagian_kecil=Fraction(1, 2)), B),  # half below is not "most as expected"
        ("DDS", AmbangRating(sebagian_besar=Fraction(2, 3)), S),  # 2 of 3 is not more than 2/3
        ("DDDS", AmbangRating(sebagian_besar=Fraction(2, 3)), D),
        ("SSSSB", AmbangRating(sebagian_kecil=Fraction(1, 4)), S),  # 1/5 <= 1/4
        ("SSSB", AmbangRating(sebagian_kecil=Fraction(1, 5)), B),  # 1/4 > 1/5
    ],
)
def test_configured_thresholds(utama, ambang, expected):
    assert suggest_hasil(rhk(utama), ambang).rating is expected


def test_threshold_named_in_explanation():
    assert (
        "lebih dari seperlima"
        in suggest_hasil(rhk("SSSB"), AmbangRating(sebagian_kecil=Fraction(1, 5))).alasan
    )
    assert "lebih dari 30%" in suggest_hasil(rhk("SSB"), AmbangRating(sebagian_kecil=Fraction(3, 10))).alasan
    assert (
        "lebih dari 28,57%" in suggest_hasil(rhk("SSB"), AmbangRating(sebagian_kecil=Fraction(2, 7))).alasan
    )


@pytest.mark.parametrize(
    ("value", "expected"),
    [("1/3", Fraction(1, 3)), (Decimal("0.25"), Fraction(1, 4)), ("0.5", Fraction(1, 2)), (0, Fraction(0))],
)
def test_thresholds_accept_text_and_decimal(value, expected):
    assert AmbangRating(sebagian_kecil=value).sebagian_kecil == expected


@pytest.mark.parametrize(
    ("besar", "kecil", "message"),
    [
        (Fraction(2, 5), Fraction(1, 3), "sebagian besar harus paling sedikit 1/2"),
        (Fraction(1), Fraction(1, 3), "sebagian besar harus paling sedikit 1/2"),
        (Fraction(1, 2), Fraction(3, 5), "sebagian kecil harus antara 0 dan 1/2"),
        (Fraction(1, 2), Fraction(-1, 3), "sebagian kecil harus antara 0 dan 1/2"),
        (0.5, Fraction(1, 3), "harus berupa pecahan"),
        (Fraction(1, 2), "sepertiga", "harus berupa pecahan"),
        (Fraction(1, 2), "1/0", "harus berupa pecahan"),
        (Fraction(1, 2), Decimal("Infinity"), "harus berupa pecahan"),
        (True, Fraction(1, 3), "harus berupa pecahan"),
        (Fraction(1, 2), None, "harus berupa pecahan"),
    ],
)
def test_bad_thresholds(besar, kecil, message):
    with pytest.raises(ValueError, match=message):
        AmbangRating(besar, kecil)


def test_thresholds_round_trip():
    ambang = AmbangRating(Fraction(3, 5), Fraction(1, 4))
    assert ambang.to_dict() == {"sebagian_besar": "3/5", "sebagian_kecil": "1/4"}
    assert AmbangRating.from_dict(ambang.to_dict()) == ambang
    assert AmbangRating.from_dict({}) == AMBANG_DEFAULT
    assert AmbangRating.from_dict({"sebagian_kecil": "0"}) == AmbangRating(sebagian_kecil=Fraction(0))
    with pytest.raises(ValueError, match="Kunci tidak dikenal"):
        AmbangRating.from_dict({"mayoritas": "1/2"})
    with pytest.raises(ValueError, match="harus berupa objek"):
        AmbangRating.from_dict(["1/2"])  # type: ignore[arg-type]


# --- properties of the hasil suggestion ---------------------------------------------------------------

ratings = st.sampled_from(list(Rating))
items = st.builds(RatingRhk, st.sampled_from(list(JenisRhk)), ratings)
rhk_lists = st.lists(items, min_size=1, max_size=12)
fractions_besar = st.fractions(min_value=Fraction(1, 2), max_value=Fraction(19, 20), max_denominator=20)
fractions_kecil = st.fractions(min_value=Fraction(0), max_value=Fraction(1, 2), max_denominator=20)
ambangs = st.builds(AmbangRating, fractions_besar, fractions_kecil)


def reference(rhk_list: list[RatingRhk]) -> Rating:
    """The default rule written out in integers: most = 2x > n, small part = 3x <= n."""
    utama = [r.rating for r in rhk_list if r.jenis is U]
    tambahan = [r.rating for r in rhk_list if r.jenis is T]
    base, lift = (utama, tambahan.count(D)) if utama else (tambahan, 0)
    a, s, b, n = base.count(D), base.count(S), base.count(B), len(base)
    if b == 0 and 2 * (a + lift) > n + lift:
        return D
    if 3 * b <= n and 2 * (a + s + lift) > n + lift:
        return S
    return B


@given(rhk_lists)
def test_agrees_with_integer_reference(rhk_list):
    assert suggest_hasil(rhk_list).rating is reference(rhk_list)


@given(rhk_lists, st.data(), st.one_of(st.none(), ambangs))
def test_improving_one_rhk_never_lowers_the_suggestion(rhk_list, data, ambang):
    i = data.draw(st.integers(0, len(rhk_list) - 1))
    better = data.draw(st.sampled_from([r for r in Rating if r >= rhk_list[i].rating]))
    improved = list(rhk_list)
    improved[i] = RatingRhk(rhk_list[i].jenis, better)
    assert suggest_hasil(improved, ambang).rating >= suggest_hasil(rhk_list, ambang).rating


@given(rhk_lists, st.one_of(st.none(), ambangs))
def test_diatas_needs_no_rhk_utama_below(rhk_list, ambang):
    if suggest_hasil(rhk_list, ambang).rating is D:
        assert not any(r.jenis is U and r.rating is B for r in rhk_list)


@given(st.lists(ratings, max_size=6), st.lists(ratings, max_size=6), st.data(), st.one_of(st.none(), ambangs))
def test_most_utama_below_is_dibawah(others, tambahan, data, ambang):
    below = data.draw(st.integers(len(others) + 1, len(others) + 6))  # more than half of the RHK utama
    utama = [*others, *[B] * below]
    rhk_list = [RatingRhk(U, r) for r in data.draw(st.permutations(utama))] + [
        RatingRhk(T, r) for r in tambahan
    ]
    assert suggest_hasil(rhk_list, ambang).rating is B


@given(st.integers(1, 8), st.lists(ratings, max_size=8), st.one_of(st.none(), ambangs))
def test_all_utama_above_is_diatas_whatever_the_tambahan(n_utama, tambahan, ambang):
    rhk_list = [RatingRhk(U, D)] * n_utama + [RatingRhk(T, r) for r in tambahan]
    assert suggest_hasil(rhk_list, ambang).rating is D


@given(rhk_lists, st.lists(items.filter(lambda r: r.jenis is T), max_size=5), st.one_of(st.none(), ambangs))
def test_adding_rhk_tambahan_never_lowers(rhk_list, extra, ambang):
    assume(any(r.jenis is U for r in rhk_list))
    assert suggest_hasil(rhk_list + extra, ambang).rating >= suggest_hasil(rhk_list, ambang).rating


@given(rhk_lists, st.randoms(use_true_random=False))
def test_order_of_rhk_does_not_matter(rhk_list, rnd):
    shuffled = list(rhk_list)
    rnd.shuffle(shuffled)
    assert suggest_hasil(shuffled) == suggest_hasil(rhk_list)


@given(rhk_lists, fractions_besar, fractions_besar, fractions_kecil, fractions_kecil)
def test_stricter_thresholds_never_give_a_better_suggestion(rhk_list, b1, b2, k1, k2):
    lenient = AmbangRating(min(b1, b2), max(k1, k2))
    strict = AmbangRating(max(b1, b2), min(k1, k2))
    assert suggest_hasil(rhk_list, strict).rating <= suggest_hasil(rhk_list, lenient).rating


# --- rating perilaku kerja ----------------------------------------------------------------------------


def perilaku(codes: str) -> dict[str, Rating]:
    """``perilaku("DDDDSSS")``: the seven values in BerAKHLAK order."""
    code = {"D": D, "S": S, "B": B}
    return {k: code[c] for k, c in zip(KODE, codes, strict=True)}


PERILAKU_CASES = [
    # Diatas: consistently lives the values and guards them: most values Diatas and none below
    ("all seven above", "DDDDDDD", D),
    ("four of seven above is most", "DDDDSSS", D),
    ("three of seven above is not most", "DDDSSSS", S),
    ("six above but one below", "DDDDDDB", S),
    # Sesuai: consistently lives the values (at most a small part, 2 of 7, not yet consistent)
    ("all as expected", "SSSSSSS", S),
    ("one below", "SSSSSSB", S),
    ("two below", "DDDDDBB", S),
    # Dibawah: not yet consistently (more than a third of the values below)
    ("three below", "DDDDBBB", B),
    ("three below among as expected", "SSSSBBB", B),
    ("all below", "BBBBBBB", B),
]


@pytest.mark.parametrize(("case", "codes", "expected"), PERILAKU_CASES, ids=[c[0] for c in PERILAKU_CASES])
def test_perilaku_cases(case, codes, expected):
    assert suggest_perilaku(perilaku(codes)).rating is expected


def test_perilaku_explanation_names_the_values_below():
    saran = suggest_perilaku(perilaku("DDDDBBB"))
    assert "3 dari 7 nilai di bawah ekspektasi (Loyal, Adaptif, Kolaboratif)" in saran.alasan
    assert "belum secara konsisten" in saran.alasan
    assert saran.jumlah == Hitungan(4, 0, 3)
    sesuai = suggest_perilaku(perilaku("SSSSSDB")).alasan
    assert "1 dari 7 nilai di bawah ekspektasi (Kolaboratif)" in sesuai
    assert (
        "4 dari 7 nilai di atas ekspektasi (lebih dari separuh)"
        in suggest_perilaku(perilaku("DDDDSSS")).alasan
    )


def test_perilaku_kode_is_case_insensitive():
    nilai = {k.lower(): S for k in KODE}
    assert suggest_perilaku(nilai).rating is S


def test_perilaku_requires_all_seven_and_names_the_missing():
    nilai = perilaku("SSSSSSS")
    del nilai["KO"], nilai["LO"]
    with pytest.raises(ValueError, match=r"belum ada rating untuk Kompeten \(KO\), Loyal \(LO\)"):
        suggest_perilaku(nilai)
    with pytest.raises(ValueError, match="belum lengkap"):
        suggest_perilaku({})


def test_perilaku_unknown_or_repeated_kode():
    with pytest.raises(ValueError, match="tidak dikenal: 'XX'"):
        suggest_perilaku({**perilaku("SSSSSSS"), "XX": S})
    with pytest.raises(ValueError, match=r"Berorientasi Pelayanan \(BP\) dinilai lebih dari sekali"):
        suggest_perilaku({**perilaku("SSSSSSS"), "bp": S})
    with pytest.raises(ValueError, match="Rating perilaku Akuntabel tidak dikenal"):
        suggest_perilaku({**perilaku("SSSSSSS"), "AK": "baik"})  # type: ignore[dict-item]


def test_perilaku_strictest_threshold_any_below_is_dibawah():
    assert suggest_perilaku(perilaku("DDDDDDB"), AmbangRating(sebagian_kecil=Fraction(0))).rating is B


perilaku_maps = st.lists(ratings, min_size=7, max_size=7).map(lambda rs: dict(zip(KODE, rs, strict=True)))


@given(perilaku_maps, st.sampled_from(KODE), st.one_of(st.none(), ambangs))
def test_perilaku_improving_one_value_never_lowers(nilai, kode, ambang):
    for better in Rating:
        if better >= nilai[kode]:
            improved = {**nilai, kode: better}
            assert suggest_perilaku(improved, ambang).rating >= suggest_perilaku(nilai, ambang).rating


@given(perilaku_maps)
def test_perilaku_agrees_with_integer_reference(nilai):
    rs = list(nilai.values())
    a, b = rs.count(D), rs.count(B)
    expected = D if b == 0 and a >= 4 else S if b <= 2 else B
    assert suggest_perilaku(nilai).rating is expected


# --- head of a unit ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("capaian", "expected"),
    [
        (CapaianOrganisasi.ISTIMEWA, D),
        (CapaianOrganisasi.BAIK, S),
        (CapaianOrganisasi.BUTUH_PERBAIKAN, B),
        (CapaianOrganisasi.KURANG, B),
        (CapaianOrganisasi.SANGAT_KURANG, B),
    ],
)
def test_head_of_unit_follows_capaian(capaian, expected):
    saran = hasil_pimpinan(capaian, unit="Bidang Anggaran")
    assert saran.rating is expected is PIMPINAN_DEFAULT[capaian]
    assert f"unit Bidang Anggaran: {capaian.label} → {expected.label} (pemetaan bawaan)" in saran.alasan
    assert "bukan saran dari rating RHK" in saran.alasan


def test_head_of_unit_with_instansi_mapping():
    mapping = {CapaianOrganisasi.BUTUH_PERBAIKAN: S}
    saran = hasil_pimpinan(CapaianOrganisasi.BUTUH_PERBAIKAN, mapping)
    assert saran.rating is S
    assert "pemetaan instansi" in saran.alasan
    assert "unit yang dipimpinnya" in saran.alasan
    assert "pemetaan bawaan" in hasil_pimpinan(CapaianOrganisasi.KURANG, mapping).alasan


def test_head_of_unit_unknown_capaian():
    with pytest.raises(ValueError, match="Capaian kinerja organisasi tidak dikenal"):
        hasil_pimpinan("luar_biasa")  # type: ignore[arg-type]


@given(
    st.sampled_from(list(CapaianOrganisasi)),
    st.dictionaries(st.sampled_from(list(CapaianOrganisasi)), ratings),
)
def test_head_of_unit_reuses_kuadran(capaian, mapping):
    assert hasil_pimpinan(capaian, mapping).rating is rating_hasil_pimpinan(capaian, mapping)


# --- both suggestions and the predikat ----------------------------------------------------------------


@given(rhk_lists, perilaku_maps, st.one_of(st.none(), st.sampled_from(list(CapaianOrganisasi))))
def test_predikat_of_suggestions_is_always_the_kuadran(rhk_list, nilai, capaian):
    saran = saran_evaluasi(rhk_list, nilai, capaian_pimpinan=capaian)
    assert saran.predikat is predikat(saran.hasil.rating, saran.perilaku.rating)
    assert saran.predikat is KUADRAN[(saran.hasil.rating, saran.perilaku.rating)]
    if capaian is None:
        assert saran.hasil == suggest_hasil(rhk_list)
    else:
        assert saran.hasil.rating is rating_hasil_pimpinan(capaian)
    assert saran.perilaku == suggest_perilaku(nilai)


def test_head_of_unit_needs_no_rhk():
    saran = saran_evaluasi(
        [], perilaku("DDDDSSS"), capaian_pimpinan=CapaianOrganisasi.ISTIMEWA, unit="Biro Umum"
    )
    assert saran.hasil.rating is D
    assert saran.predikat.label == "Sangat Baik"


# --- capaian kinerja organisasi -----------------------------------------------------------------------

AMBANG_ORG = AmbangCapaianOrganisasi(Decimal(110), Decimal(100), Decimal(80), Decimal(60))


@pytest.mark.parametrize(
    ("average", "expected"),
    [
        ("150", CapaianOrganisasi.ISTIMEWA),
        ("110", CapaianOrganisasi.ISTIMEWA),  # each threshold is inclusive
        ("109.99", CapaianOrganisasi.BAIK),
        ("100", CapaianOrganisasi.BAIK),
        ("99.99", CapaianOrganisasi.BUTUH_PERBAIKAN),
        ("80", CapaianOrganisasi.BUTUH_PERBAIKAN),
        ("79.99", CapaianOrganisasi.KURANG),
        ("60", CapaianOrganisasi.KURANG),
        ("59.99", CapaianOrganisasi.SANGAT_KURANG),
        ("0", CapaianOrganisasi.SANGAT_KURANG),
    ],
)
def test_capaian_organisasi_levels(average, expected):
    assert suggest_capaian_organisasi([Decimal(average)], AMBANG_ORG) is expected


def test_capaian_organisasi_uses_the_rounded_average():
    assert rata_rata_capaian([Decimal("99.99"), Decimal("100")]) == Decimal("100.00")  # 99.995 -> 100.00
    assert (
        suggest_capaian_organisasi([Decimal("99.99"), Decimal("100")], AMBANG_ORG) is CapaianOrganisasi.BAIK
    )
    assert (
        suggest_capaian_organisasi([Decimal(120), Decimal(100), None, 80], AMBANG_ORG)
        is CapaianOrganisasi.BAIK
    )


@pytest.mark.parametrize("values", [[], [None], [None, None]])
def test_capaian_organisasi_without_capaian_is_no_suggestion(values):
    assert suggest_capaian_organisasi(values, AMBANG_ORG) is None
    assert rata_rata_capaian(values) is None


def test_capaian_organisasi_without_thresholds_is_no_suggestion():
    assert suggest_capaian_organisasi([Decimal(100)], None) is None


@pytest.mark.parametrize(
    ("values", "message"),
    [
        ([Decimal(-1)], "tidak boleh negatif"),
        ([99.5], "Decimal atau bilangan bulat"),
        ([Decimal("NaN")], "terhingga"),
    ],
)
def test_capaian_organisasi_bad_values(values, message):
    with pytest.raises(ValueError, match=message):
        suggest_capaian_organisasi(values, AMBANG_ORG)


@pytest.mark.parametrize(
    ("thresholds", "message"),
    [
        ((110, 110, 80, 60), r"menurun: Istimewa \(110%\) harus lebih tinggi dari Baik \(110%\)"),
        ((110, 100, 100.5, 60), "Decimal atau bilangan bulat"),
        ((110, 100, 60, 80), "Butuh Perbaikan .* lebih tinggi dari Kurang"),
        ((201, 100, 80, 60), "Istimewa harus antara 0 dan 200"),
        ((110, 100, 80, -1), "Kurang harus antara 0 dan 200"),
        ((Decimal("Infinity"), 100, 80, 60), "terhingga"),
    ],
)
def test_capaian_organisasi_bad_thresholds(thresholds, message):
    with pytest.raises(ValueError, match=message):
        AmbangCapaianOrganisasi(*thresholds)


def test_capaian_organisasi_threshold_edges_and_storage():
    ambang = AmbangCapaianOrganisasi(Decimal(200), Decimal("100.5"), 1, 0)
    assert ambang.batas(CapaianOrganisasi.BAIK) == Decimal("100.5")
    assert ambang.batas(CapaianOrganisasi.SANGAT_KURANG) is None
    assert suggest_capaian_organisasi([0], ambang) is CapaianOrganisasi.KURANG
    data = ambang.to_dict()
    assert data == {"istimewa": "200", "baik": "100.5", "butuh_perbaikan": "1", "kurang": "0"}
    assert AmbangCapaianOrganisasi.from_dict(data) == ambang
    with pytest.raises(ValueError, match="belum lengkap: Kurang"):
        AmbangCapaianOrganisasi.from_dict({k: v for k, v in data.items() if k != "kurang"})
    with pytest.raises(ValueError, match="Kunci tidak dikenal"):
        AmbangCapaianOrganisasi.from_dict({**data, "cukup": "70"})
    with pytest.raises(ValueError, match="bukan angka"):
        AmbangCapaianOrganisasi.from_dict({**data, "baik": "seratus"})


capaian_values = st.decimals(min_value=0, max_value=200, places=2, allow_nan=False, allow_infinity=False)


@given(st.lists(capaian_values, min_size=1, max_size=8), st.data())
def test_capaian_organisasi_is_monotone(values, data):
    i = data.draw(st.integers(0, len(values) - 1))
    higher = data.draw(st.decimals(min_value=values[i], max_value=200, places=2))
    raised = [*values[:i], higher, *values[i + 1 :]]
    before = suggest_capaian_organisasi(values, AMBANG_ORG)
    after = suggest_capaian_organisasi(raised, AMBANG_ORG)
    assert before is not None and after is not None and after >= before


# --- annual prefill -----------------------------------------------------------------------------------


def test_prefill_takes_the_last_rated_period_and_lists_every_period():
    saran = prefill_tahunan([(3, S), (1, D), (4, B), (2, S)])
    assert saran.rating is B
    assert saran.alasan.startswith("Diisi dari evaluasi periodik terakhir yang dinilai: Triwulan IV")
    assert (
        "Hasil semua periode: Triwulan I Diatas Ekspektasi; Triwulan II Sesuai Ekspektasi; "
        "Triwulan III Sesuai Ekspektasi; Triwulan IV Dibawah Ekspektasi." in saran.alasan
    )
    assert "Penilai menetapkan rating tahunan" in saran.alasan
    assert saran.jumlah == Hitungan(1, 2, 1)


def test_prefill_skips_unrated_periods_and_says_so():
    saran = prefill_tahunan([(1, D), (2, S), (3, None), (4, None)])
    assert saran.rating is S
    assert "Triwulan III belum dinilai" in saran.alasan
    assert "Perhatian, periode sesudahnya belum dinilai: Triwulan III, Triwulan IV." in saran.alasan
    assert "Perhatian" not in prefill_tahunan([(1, None), (2, S)]).alasan


@pytest.mark.parametrize(
    ("skema", "periodik", "name"),
    [
        (Skema.SEMESTERAN, [(1, D), (2, S)], "Semester II"),
        (Skema.BULANAN, [(11, D), (12, S)], "Desember"),
        (Skema.TRIWULANAN, [(2, D)], "Triwulan II"),
    ],
)
def test_prefill_names_periods_of_the_scheme(skema, periodik, name):
    assert f"terakhir yang dinilai: {name}" in prefill_tahunan(periodik, skema).alasan


@pytest.mark.parametrize(
    ("periodik", "message"),
    [
        ([], "Belum ada evaluasi periodik yang dinilai"),
        ([(1, None), (2, None)], "Belum ada evaluasi periodik yang dinilai"),
        ([(1, D), (1, S)], "Triwulan I disebut lebih dari sekali"),
        ([(5, D)], "Nomor periode 5 tidak ada pada skema triwulanan"),
        ([(0, D)], "Nomor periode 0"),
        ([(1, "baik")], "Rating periode Triwulan I tidak dikenal"),
    ],
)
def test_prefill_errors(periodik, message):
    with pytest.raises(ValueError, match=message):
        prefill_tahunan(periodik)


@given(st.dictionaries(st.integers(1, 4), st.one_of(st.none(), ratings), min_size=1))
def test_prefill_is_the_latest_rated_and_mentions_all(periods):
    rated = {n: r for n, r in periods.items() if r is not None}
    assume(rated)
    saran = prefill_tahunan(list(periods.items()))
    assert saran.rating is rated[max(rated)]
    for n in periods:
        assert f"Triwulan {['I', 'II', 'III', 'IV'][n - 1]} " in saran.alasan
    assert saran.jumlah.total == len(rated)


# --- two SKP in one year (mutation) -------------------------------------------------------------------


def test_mutation_takes_the_longer_skp():
    first = BagianSkp(date(2026, 1, 1), date(2026, 6, 30), S, "Analis Kebijakan")
    second = BagianSkp(date(2026, 7, 1), date(2026, 12, 31), D, "Kepala Subbagian Umum")
    saran = merge_mutasi([second, first])
    assert (first.hari, second.hari) == (181, 184)
    assert saran.rating is D
    assert (
        "SKP Analis Kebijakan (1 Januari 2026 – 30 Juni 2026, 181 hari): Sesuai Ekspektasi; "
        "SKP Kepala Subbagian Umum (1 Juli 2026 – 31 Desember 2026, 184 hari): Diatas Ekspektasi"
        in saran.alasan
    )
    assert "terpanjang: SKP Kepala Subbagian Umum (184 hari), Diatas Ekspektasi" in saran.alasan
    assert "Penilai SKP terakhir menetapkan rating tahunan" in saran.alasan
    assert saran.jumlah == Hitungan(1, 1, 0)


def test_mutation_earlier_longer_skp_wins():
    saran = merge_mutasi(
        [
            BagianSkp(date(2026, 1, 1), date(2026, 7, 31), B),
            BagianSkp(date(2026, 8, 1), date(2026, 12, 31), D),
        ]
    )
    assert saran.rating is B
    assert "SKP mulai 1 Januari 2026 (212 hari)" in saran.alasan


def test_mutation_tie_goes_to_the_later_skp():
    # 2024 is a leap year: 1 January-1 July and 2 July-31 December are both 183 days.
    first = BagianSkp(date(2024, 1, 1), date(2024, 7, 1), D)
    second = BagianSkp(date(2024, 7, 2), date(2024, 12, 31), B)
    assert first.hari == second.hari == 183
    saran = merge_mutasi([first, second])
    assert saran.rating is B
    assert "sama panjang; diambil SKP yang lebih akhir" in saran.alasan


def test_mutation_single_and_three_skp():
    only = merge_mutasi([BagianSkp(date(2026, 3, 1), date(2026, 12, 31), S)])
    assert only.rating is S and only.alasan.startswith("Hanya satu SKP pada tahun 2026")
    three = merge_mutasi(
        [
            BagianSkp(date(2026, 1, 1), date(2026, 3, 31), B),
            BagianSkp(date(2026, 4, 1), date(2026, 8, 31), D),
            BagianSkp(date(2026, 9, 15), date(2026, 12, 31), S),  # a gap between SKP is allowed
        ]
    )
    assert three.rating is D and three.alasan.startswith("3 SKP pada tahun 2026")


@pytest.mark.parametrize(
    ("parts", "message"),
    [
        ([], "Belum ada SKP"),
        (
            [
                BagianSkp(date(2026, 1, 1), date(2026, 7, 1), S),
                BagianSkp(date(2026, 7, 1), date(2026, 12, 31), D),
            ],
            "tumpang tindih",
        ),
        (
            [
                BagianSkp(date(2025, 1, 1), date(2025, 6, 30), S),
                BagianSkp(date(2026, 7, 1), date(2026, 12, 31), D),
            ],
            "satu tahun",
        ),
    ],
)
def test_mutation_errors(parts, message):
    with pytest.raises(ValueError, match=message):
        merge_mutasi(parts)


@pytest.mark.parametrize(
    ("mulai", "selesai", "rating", "message"),
    [
        (date(2026, 7, 1), date(2026, 6, 30), S, "sesudah tanggal selesainya"),
        (date(2025, 12, 1), date(2026, 1, 31), S, "satu tahun kinerja"),
        (date(2026, 1, 1), date(2026, 1, 31), "baik", "Rating SKP tidak dikenal"),
        ("2026-01-01", date(2026, 1, 31), S, "harus berupa tanggal"),
    ],
)
def test_bagian_skp_validation(mulai, selesai, rating, message):
    with pytest.raises(ValueError, match=message):
        BagianSkp(mulai, selesai, rating)


@st.composite
def skp_years(draw):
    """1-4 non-overlapping SKP in 2026, in random order."""
    cuts = sorted(draw(st.sets(st.integers(1, 364), min_size=0, max_size=3)))
    bounds = [0, *cuts, 365]
    start = date(2026, 1, 1)
    parts = []
    for lo, hi in zip(bounds, bounds[1:], strict=False):
        gap = draw(st.integers(0, max(0, hi - lo - 1)))
        parts.append(BagianSkp(start + timedelta(lo + gap), start + timedelta(hi - 1), draw(ratings)))
    return draw(st.permutations(parts))


@given(skp_years())
def test_mutation_suggestion_is_the_rating_of_a_longest_skp(parts):
    saran = merge_mutasi(parts)
    longest = max(p.hari for p in parts)
    latest_longest = max((p for p in parts if p.hari == longest), key=lambda p: p.mulai)
    assert saran.rating is latest_longest.rating
    assert saran.jumlah.total == len(parts)


@pytest.mark.parametrize(
    ("rating", "saran", "diubah"),
    [
        ("diatas_ekspektasi", "sesuai_ekspektasi", True),
        ("sesuai_ekspektasi", "sesuai_ekspektasi", False),
        ("", "sesuai_ekspektasi", False),  # not rated yet
        ("dibawah_ekspektasi", "", False),  # no suggestion (e.g. nothing rated when it was asked)
        ("", "", False),
    ],
)
def test_diubah_dari_saran(rating: str, saran: str, diubah: bool) -> None:
    assert rating_rules.diubah_dari_saran(rating, saran) is diubah
