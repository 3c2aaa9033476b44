"""TPP rules: the six worked examples, each variant's table (bracket edges, missing records, paid and cut
absences, the hukuman disiplin window, caps, rounding), validation, the dict round trip, and properties."""

from dataclasses import replace
from datetime import date, timedelta
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kinerja.rules.jenis_hari import JenisHari, StatusHari
from kinerja.rules.tpp import (
    PRESET,
    AturanHukuman,
    AturanTpp,
    Batas,
    Braket,
    DasarPotongan,
    EvaluasiFinal,
    HukumanDisiplin,
    JenisPeristiwa,
    KinerjaBulan,
    Pembagian,
    Pembulatan,
    Peristiwa,
    PotonganHarian,
    SatuanHarian,
    Segmen,
    SumberKinerja,
    TingkatHukuman,
    dari_dict,
    hari_perkiraan,
    hitung_tpp,
    ke_dict,
    pilih_predikat,
    teks_tanggal,
    validasi,
)
from kinerja.rules.types import Predikat

D = Decimal
KLASIK = PRESET["kementerian"]
PISAH = PRESET["pemda_60_40"]
TITIK = PRESET["per_titik"]
PENUH = KinerjaBulan(capaian=D(100))
MARET = date(2026, 3, 1)


def bulan(
    khusus: dict[int, StatusHari] | None = None, libur: frozenset[int] = frozenset(), awal: date = MARET
) -> list[StatusHari]:
    """A month of days: weekdays HADIR and clean, weekends and ``libur`` not working days; ``khusus``
    replaces a day by its number."""
    khusus = khusus or {}
    hari = []
    t = awal
    while t.month == awal.month:
        if t.day in khusus:
            hari.append(khusus[t.day])
        elif t.weekday() >= 5:
            hari.append(StatusHari(t, JenisHari.BUKAN_HARI_KERJA, False))
        elif t.day in libur:
            hari.append(StatusHari(t, JenisHari.LIBUR, False))
        else:
            hari.append(StatusHari(t, JenisHari.HADIR, True))
        t += timedelta(days=1)
    return hari


def h(day: int, jenis: JenisHari = JenisHari.HADIR, **kw: object) -> StatusHari:
    return StatusHari(MARET.replace(day=day), jenis, True, **kw)  # type: ignore[arg-type]


def seg(pagu: int, mulai: int = 1, selesai: int = 31) -> list[Segmen]:
    return [Segmen(MARET.replace(day=mulai), MARET.replace(day=selesai), D(pagu))]


def persen(aturan: AturanTpp, khusus: dict[int, StatusHari]) -> Decimal:
    return hitung_tpp(aturan, seg(1_000_000), bulan(khusus), [], PENUH).segmen[0].persen_potongan


# --- the six worked examples ------------------------------------------------------------------------


def test_example_1_classic_tk_tl_psw() -> None:
    hari = bulan({2: h(2, JenisHari.TK), 3: h(3, JenisHari.TK), 4: h(4, JenisHari.TK), 9: h(9, menit_tl=25)})
    hari = [x if x.tanggal.day != 10 else h(10, menit_psw=70) for x in hari]
    hasil = hitung_tpp(KLASIK, seg(8_000_000), hari, [], KinerjaBulan())
    assert hasil.segmen[0].persen_potongan == D("16.75")
    assert hasil.potongan == D(1_340_000)
    assert hasil.bruto == D(6_660_000)
    assert "  TL 25 menit (9 Maret) → 0,5 %" in hasil.keterangan
    assert "  TK (2 Maret) → 5 %" in hasil.keterangan
    assert "  PSW 70 menit (10 Maret) → 1,25 %" in hasil.keterangan


def test_example_2_cuti_tahunan_is_not_cut() -> None:
    hari = bulan({d: h(d, JenisHari.CUTI_TAHUNAN) for d in (2, 3, 4, 5, 6)})
    hasil = hitung_tpp(KLASIK, seg(8_000_000), hari, [], KinerjaBulan())
    assert hasil.segmen[0].rincian == ()
    assert hasil.bruto == D(8_000_000)


def test_example_3_per_checkpoint() -> None:
    khusus = {2: h(2, JenisHari.TK), 3: h(3, JenisHari.TK)} | {d: h(d, menit_tl=10) for d in (4, 5, 6)}
    hasil = hitung_tpp(TITIK, seg(6_000_000), bulan(khusus), [], KinerjaBulan())
    assert hasil.segmen[0].persen_potongan == D(19)
    assert hasil.bruto == D(4_860_000)


def test_example_4_brackets_on_the_disiplin_part() -> None:
    khusus = {2: h(2, menit_tl=10), 3: h(3, menit_tl=12), 4: h(4, menit_tl=29), 5: h(5, menit_tl=45)}
    hasil = hitung_tpp(PISAH, seg(5_000_000), bulan(khusus), [], PENUH)
    s = hasil.segmen[0]
    assert s.persen_potongan == D("2.5")  # of the disiplin part
    assert s.potongan * 100 / s.jumlah == D("1.0")  # of the pagu
    assert hasil.bruto == D(4_950_000)


def test_example_5_sixty_forty_with_capaian() -> None:
    aturan = replace(PISAH, apel=D(10))  # one apel missed = 10 % of the disiplin part
    hasil = hitung_tpp(
        aturan,
        seg(5_000_000),
        bulan(),
        [Peristiwa(date(2026, 3, 2), JenisPeristiwa.APEL)],
        KinerjaBulan(capaian=D(85)),
    )
    s = hasil.segmen[0]
    assert s.kinerja_dibayar == D(2_550_000) and s.disiplin_dibayar == D(1_800_000)
    assert hasil.bruto == D(4_350_000)
    assert hasil.sumber_kinerja == "Capaian kinerja 85 % → 85 %"


def test_example_6_mutation_mid_month() -> None:
    hari = bulan(libur=frozenset({19}))  # 21 working days; the 10th is 13 March
    segmen = [
        Segmen(date(2026, 3, 1), date(2026, 3, 13), D(4_200_000)),
        Segmen(date(2026, 3, 14), date(2026, 3, 31), D(6_300_000)),
    ]
    hasil = hitung_tpp(KLASIK, segmen, hari, [], KinerjaBulan())
    assert hasil.hari_kerja_bulan == 21
    assert [s.hari_kerja for s in hasil.segmen] == [10, 11]
    assert [s.dibayar for s in hasil.segmen] == [D(2_000_000), D(3_300_000)]
    assert hasil.bruto == D(5_300_000)


# --- tables per variant -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("menit", "hasil"),
    [
        (0, "0"),
        (1, "0.5"),
        (30, "0.5"),
        (31, "1"),
        (60, "1"),
        (61, "1.25"),
        (90, "1.25"),
        (91, "1.5"),
        (600, "1.5"),
    ],
)
def test_classic_bracket_edges_for_tl_and_psw(menit: int, hasil: str) -> None:
    assert persen(KLASIK, {2: h(2, menit_tl=menit)}) == D(hasil)
    assert persen(KLASIK, {2: h(2, menit_psw=menit)}) == D(hasil)
    assert persen(KLASIK, {2: h(2, menit_tl=menit, menit_psw=menit)}) == 2 * D(hasil)


@pytest.mark.parametrize(
    ("menit", "hasil"), [(0, "0"), (1, "1"), (15, "1"), (16, "2"), (30, "2"), (31, "2.5"), (90, "2.5")]
)
def test_per_checkpoint_bracket_edges(menit: int, hasil: str) -> None:
    assert persen(TITIK, {2: h(2, menit_tl=menit)}) == D(hasil)
    assert persen(TITIK, {2: h(2, menit_psw=menit)}) == D(hasil)


@pytest.mark.parametrize(("aturan", "hasil"), [(KLASIK, "1.5"), (TITIK, "4")])
def test_a_missing_record_and_it_replaces_the_minutes(aturan: AturanTpp, hasil: str) -> None:
    assert persen(aturan, {2: h(2, tanpa_masuk=True, menit_tl=200)}) == D(hasil)
    assert persen(aturan, {2: h(2, tanpa_pulang=True, menit_psw=5)}) == D(hasil)
    assert persen(aturan, {2: h(2, tanpa_masuk=True, tanpa_pulang=True)}) == 2 * D(hasil)


def test_kejaksaan_flat_brackets() -> None:
    aturan = PRESET["kejaksaan"]
    assert persen(aturan, {2: h(2, menit_tl=1), 3: h(3, menit_tl=300), 4: h(4, tanpa_masuk=True)}) == D(4)


@pytest.mark.parametrize(
    ("jenis", "potongan"),
    [
        (JenisHari.CUTI_TAHUNAN, 0),
        (JenisHari.DINAS_LUAR, 0),
        (JenisHari.CUTI_SAKIT, 0),
        (JenisHari.IZIN, 44_000),  # 2 % of the pagu
        (JenisHari.TK, 110_000),  # 5 % of the pagu
        (JenisHari.CLTN, 100_000),  # the whole day's amount: 2 200 000 / 22
        (JenisHari.CUTI_BESAR, 100_000),
        (JenisHari.TUGAS_BELAJAR, 50_000),  # half the day's amount
    ],
)
def test_paid_and_cut_absences(jenis: JenisHari, potongan: int) -> None:
    hasil = hitung_tpp(KLASIK, seg(2_200_000), bulan({2: h(2, jenis)}), [], KinerjaBulan())
    assert hasil.bruto == 2_200_000 - potongan
    if potongan:
        assert hasil.segmen[0].rincian[0].teks.startswith(jenis.label if jenis is not JenisHari.TK else "TK")


def test_the_paid_set_is_data() -> None:
    aturan = replace(KLASIK, dibayar=KLASIK.dibayar | {JenisHari.IZIN})
    assert persen(aturan, {2: h(2, JenisHari.IZIN)}) == 0


def test_a_non_working_day_is_never_cut() -> None:
    sabtu = StatusHari(date(2026, 3, 7), JenisHari.TK, False)
    assert persen(KLASIK, {7: sabtu}) == 0


def test_tk_as_the_whole_day_on_the_daily_base() -> None:
    aturan = replace(KLASIK, dasar=DasarPotongan.HARIAN, tk=PotonganHarian(D(100), SatuanHarian.HARI))
    hasil = hitung_tpp(aturan, seg(2_200_000), bulan({2: h(2, JenisHari.TK)}), [], KinerjaBulan())
    assert hasil.bruto == D(2_100_000)
    tl = hitung_tpp(aturan, seg(2_200_000), bulan({2: h(2, menit_tl=5)}), [], KinerjaBulan())
    assert tl.bruto == D(2_200_000) - D(500)  # 0,5 % of the day's 100 000


def test_apel_and_atribut_per_occurrence() -> None:
    aturan = replace(KLASIK, apel=D("2.5"), atribut=D(2))
    peristiwa = [
        Peristiwa(date(2026, 3, 2), JenisPeristiwa.APEL),
        Peristiwa(date(2026, 3, 9), JenisPeristiwa.APEL),
        Peristiwa(date(2026, 3, 3), JenisPeristiwa.ATRIBUT),
        Peristiwa(date(2026, 4, 3), JenisPeristiwa.ATRIBUT),  # outside the month's segment
    ]
    hasil = hitung_tpp(aturan, seg(1_000_000), bulan(), peristiwa, KinerjaBulan())
    assert hasil.segmen[0].persen_potongan == D(7)
    assert "  Tidak mengikuti apel/upacara (2 Maret) → 2,5 %" in hasil.keterangan


@pytest.mark.parametrize(
    ("keputusan", "berikut", "kena"),
    [
        (date(2026, 1, 15), False, True),  # month 3 of 3
        (date(2025, 12, 31), False, False),  # ended in February
        (date(2026, 3, 31), False, True),  # decided this month
        (date(2026, 4, 1), False, False),  # not yet
        (date(2026, 1, 15), True, True),  # Feb, Mar, Apr
        (date(2026, 3, 2), True, False),  # starts in April
        (date(2025, 12, 15), True, True),  # Jan, Feb, Mar
    ],
)
def test_the_hukuman_disiplin_window(keputusan: date, berikut: bool, kena: bool) -> None:
    hukuman = dict(KLASIK.hukuman) | {TingkatHukuman.SEDANG: AturanHukuman(D(25), 3)}
    aturan = replace(KLASIK, hukuman=hukuman, hukuman_mulai_bulan_berikut=berikut)
    hasil = hitung_tpp(
        aturan, seg(1_000_000), bulan(), [HukumanDisiplin(keputusan, TingkatHukuman.SEDANG)], KinerjaBulan()
    )
    assert hasil.segmen[0].persen_potongan == (D(25) if kena else 0)


def test_a_whole_month_tk_pays_nothing() -> None:
    semua_tk = {x.tanggal.day: h(x.tanggal.day, JenisHari.TK) for x in bulan() if x.hari_kerja}
    hasil = hitung_tpp(KLASIK, seg(8_000_000), bulan(semua_tk), [], KinerjaBulan())
    s = hasil.segmen[0]
    assert s.persen_potongan == 110 and s.kena_batas and s.potongan == D(8_000_000)
    assert hasil.bruto == 0
    assert any("Potongan dibatasi Rp8.000.000" in k for k in hasil.keterangan)


def test_the_cap_on_the_disiplin_part_keeps_the_kinerja_part() -> None:
    semua_tk = {x.tanggal.day: h(x.tanggal.day, JenisHari.TK) for x in bulan() if x.hari_kerja}
    hasil = hitung_tpp(PISAH, seg(5_000_000), bulan(semua_tk), [], PENUH)
    assert hasil.bruto == D(3_000_000)
    on_pagu = replace(PISAH, dasar=DasarPotongan.PAGU, batas=Batas.BAGIAN_DISIPLIN)
    hasil = hitung_tpp(on_pagu, seg(5_000_000), bulan(semua_tk), [], PENUH)
    assert hasil.segmen[0].batas == D(2_000_000) and hasil.bruto == D(3_000_000)
    tanpa_batas_disiplin = replace(on_pagu, batas=Batas.DASAR)
    assert hitung_tpp(tanpa_batas_disiplin, seg(5_000_000), bulan(semua_tk), [], PENUH).bruto == 0


@pytest.mark.parametrize(("cara", "bruto"), [(Pembulatan.TERDEKAT, 996), (Pembulatan.KE_BAWAH, 995)])
def test_rounding_after_summing(cara: Pembulatan, bruto: int) -> None:
    aturan = replace(KLASIK, pembulatan=cara)
    hasil = hitung_tpp(aturan, seg(1001), bulan({2: h(2, menit_tl=5)}), [], KinerjaBulan())
    assert hasil.potongan == D("5.005")
    assert hasil.bruto == D(bruto)


@pytest.mark.parametrize(
    ("kinerja", "faktor", "sumber"),
    [
        (KinerjaBulan(capaian=D(120)), D(100), "Capaian kinerja 120 % → 100 %"),
        (KinerjaBulan(capaian=D("87.5")), D("87.5"), "Capaian kinerja 87,5 % → 87,5 %"),
        (KinerjaBulan(), D(0), "Capaian kinerja belum ada → 0 %"),
    ],
)
def test_kinerja_from_capaian(kinerja: KinerjaBulan, faktor: Decimal, sumber: str) -> None:
    hasil = hitung_tpp(PISAH, seg(1_000_000), bulan(), [], kinerja)
    assert (hasil.faktor_kinerja, hasil.sumber_kinerja) == (faktor, sumber)
    assert hasil.bruto == D(400_000) + D(600_000) * faktor / 100


def test_kinerja_from_predikat_and_from_late_entry() -> None:
    tabel = {Predikat.SANGAT_BAIK: D(100), Predikat.BAIK: D(90), Predikat.BUTUH_PERBAIKAN: D(70)} | {
        Predikat.KURANG: D(50),
        Predikat.SANGAT_KURANG: D(25),
    }
    aturan = replace(KLASIK, sumber_kinerja=SumberKinerja.PREDIKAT, tabel_predikat=tabel)
    assert validasi(aturan) == {}
    hasil = hitung_tpp(aturan, seg(1_000_000), bulan(), [], KinerjaBulan(predikat=Predikat.BAIK))
    assert hasil.bruto == D(900_000) and hasil.sumber_kinerja == "Predikat Baik → 90 %"
    dki = replace(KLASIK, terlambat_isi=D(10))
    assert hitung_tpp(dki, seg(1_000_000), bulan(), [], KinerjaBulan(terlambat=True)).bruto == D(900_000)
    assert hitung_tpp(dki, seg(1_000_000), bulan(), [], KinerjaBulan()).bruto == D(1_000_000)


def test_days_outside_every_segment_are_neither_paid_nor_cut() -> None:
    hasil = hitung_tpp(KLASIK, seg(2_200_000, 16, 31), bulan({2: h(2, JenisHari.TK)}), [], KinerjaBulan())
    assert hasil.segmen[0].hari_kerja == 12 and hasil.bruto == D(1_200_000)


def test_bad_input_is_refused() -> None:
    with pytest.raises(ValueError, match="tidak memiliki hari kerja"):
        hitung_tpp(KLASIK, seg(1), [StatusHari(MARET, JenisHari.LIBUR, False)], [], KinerjaBulan())
    with pytest.raises(ValueError, match="tumpang tindih pada 10 Maret"):
        hitung_tpp(KLASIK, seg(1, 1, 10) + seg(1, 10, 31), bulan(), [], KinerjaBulan())


def test_dates_in_indonesian() -> None:
    assert teks_tanggal(date(2026, 3, 7)) == "7 Maret"
    assert teks_tanggal(date(2026, 8, 17)) == "17 Agustus"


# --- validation and the dict --------------------------------------------------------------------------


@pytest.mark.parametrize("nama", list(PRESET))
def test_presets_validate(nama: str) -> None:
    assert validasi(PRESET[nama]) == {}


@pytest.mark.parametrize(
    ("ubah", "lokasi", "pesan"),
    [
        ({"nama": " "}, "nama", "Nama aturan wajib diisi."),
        ({"tanpa_masuk": D(101)}, "tanpa_masuk", "Tidak ada rekam masuk harus antara 0 dan 100 %."),
        ({"apel": D("-1")}, "apel", "Tidak mengikuti apel harus antara 0 dan 100 %."),
        ({"atribut": D("1.234")}, "atribut", "Pelanggaran atribut paling banyak dua angka di belakang koma."),
        ({"tk": PotonganHarian(D("NaN"))}, "tk.persen", "Tanpa keterangan (TK) harus berupa angka."),
        (
            {"braket_tl": (Braket(1, 30, D(1)), Braket(32, None, D(2)))},
            "braket_tl[2].dari",
            "Terlambat (TL) baris 2: harus mulai dari menit ke-31.",
        ),
        (
            {"braket_psw": (Braket(1, 30, D(1)),)},
            "braket_psw[1].sampai",
            "Pulang sebelum waktu (PSW) baris 1: baris terakhir harus tanpa batas atas (dan seterusnya).",
        ),
        (
            {"braket_tl": (Braket(1, None, D(1)), Braket(2, None, D(1)))},
            "braket_tl[1].sampai",
            "Terlambat (TL) baris 1: hanya baris terakhir yang boleh tanpa batas.",
        ),
        (
            {"braket_tl": (Braket(1, 0, D(1)),)},
            "braket_tl[1].sampai",
            "Terlambat (TL) baris 1: menit akhir lebih kecil dari menit awal.",
        ),
        (
            {"bagian_kinerja": D(60)},
            "bagian_kinerja",
            "Bagian kinerja hanya diisi bila TPP dibagi kinerja dan disiplin.",
        ),
        (
            {"dibayar": frozenset({JenisHari.TK})},
            "dibayar",
            "Hanya jenis ketidakhadiran yang dapat dibayar penuh (bukan: Tanpa keterangan).",
        ),
        ({"hukuman": {}}, "hukuman.ringan", "Hukuman disiplin ringan wajib diisi."),
        (
            {"hukuman": {t: AturanHukuman(D(1), 37) for t in TingkatHukuman}},
            "hukuman.berat.bulan",
            "Lama potongan hukuman disiplin berat harus antara 0 dan 36 bulan.",
        ),
        (
            {"sumber_kinerja": SumberKinerja.PREDIKAT},
            "tabel_predikat.baik",
            "Persentase untuk predikat Baik wajib diisi.",
        ),
    ],
)
def test_validation_messages(ubah: dict[str, object], lokasi: str, pesan: str) -> None:
    assert validasi(replace(KLASIK, **ubah))[lokasi] == pesan  # type: ignore[arg-type]


def test_a_split_of_100_percent_leaves_no_disiplin_part() -> None:
    galat = validasi(replace(PISAH, bagian_kinerja=D(100)))
    assert galat == {
        "bagian_kinerja": "Bagian kinerja 100 % tidak menyisakan bagian disiplin untuk dipotong."
    }


def test_dict_is_json_and_versioned() -> None:
    import json

    d = ke_dict(PISAH)
    assert d["versi_skema"] == 1
    assert dari_dict(json.loads(json.dumps(d))) == PISAH
    with pytest.raises(ValueError, match="Versi skema aturan TPP 2 tidak dikenal"):
        dari_dict(d | {"versi_skema": 2})
    with pytest.raises(ValueError, match="tidak lengkap: tk tidak ada"):
        dari_dict({k: v for k, v in d.items() if k != "tk"})
    with pytest.raises(ValueError, match="apel: harus berupa angka"):
        dari_dict(d | {"apel": "x"})


# --- properties -------------------------------------------------------------------------------------

persen_st = st.decimals(min_value=0, max_value=100, places=2)
jenis_st = st.sampled_from([j for j in JenisHari if j not in {JenisHari.LIBUR, JenisHari.BUKAN_HARI_KERJA}])


@st.composite
def hari_st(draw: st.DrawFn) -> StatusHari:
    return StatusHari(
        date(2026, 3, 1),
        draw(jenis_st),
        True,
        menit_tl=draw(st.integers(0, 300)),
        menit_psw=draw(st.integers(0, 300)),
        tanpa_masuk=draw(st.booleans()),
        tanpa_pulang=draw(st.booleans()),
    )


@st.composite
def aturan_st(draw: st.DrawFn) -> AturanTpp:
    dasar = draw(st.sampled_from(list(PRESET.values())))
    pisah = draw(st.booleans())
    return replace(
        dasar,
        pembagian=Pembagian.PISAH if pisah else Pembagian.KALI_KINERJA,
        bagian_kinerja=draw(st.decimals(min_value=0, max_value=99, places=2)) if pisah else D(0),
        dasar=draw(st.sampled_from(list(DasarPotongan))),
        batas=draw(st.sampled_from(list(Batas))),
        tk=PotonganHarian(draw(persen_st), draw(st.sampled_from(list(SatuanHarian)))),
        apel=draw(persen_st),
        tanpa_masuk=draw(persen_st),
        sumber_kinerja=draw(st.sampled_from([SumberKinerja.CAPAIAN, SumberKinerja.PENUH])),
        terlambat_isi=draw(persen_st),
        hukuman={t: AturanHukuman(draw(persen_st), draw(st.integers(0, 36))) for t in TingkatHukuman},
        pembulatan=draw(st.sampled_from(list(Pembulatan))),
    )


@settings(max_examples=150, deadline=None)
@given(
    aturan=aturan_st(),
    khusus=st.lists(hari_st(), max_size=25),
    pagu=st.integers(0, 50_000_000),
    apel=st.lists(st.integers(1, 31), max_size=10),
    capaian=st.none() | st.decimals(min_value=0, max_value=150, places=2),
    terlambat=st.booleans(),
)
def test_cuts_and_pay_stay_in_bounds(
    aturan: AturanTpp,
    khusus: list[StatusHari],
    pagu: int,
    apel: list[int],
    capaian: Decimal | None,
    terlambat: bool,
) -> None:
    assert validasi(aturan) == {}
    kerja = [x.tanggal.day for x in bulan() if x.hari_kerja]
    # March 2026 has 22 working days: the drawn days replace the first ones, the rest are ignored.
    ganti = {d: replace(x, tanggal=MARET.replace(day=d)) for d, x in zip(kerja, khusus, strict=False)}
    peristiwa: list[Peristiwa | HukumanDisiplin] = [
        Peristiwa(MARET.replace(day=d), JenisPeristiwa.APEL) for d in apel
    ]
    peristiwa.append(HukumanDisiplin(date(2026, 2, 1), TingkatHukuman.BERAT))
    hasil = hitung_tpp(aturan, seg(pagu), bulan(ganti), peristiwa, KinerjaBulan(capaian, None, terlambat))
    for s in hasil.segmen:
        assert 0 <= s.potongan <= s.batas
        assert s.potongan <= s.jumlah
        assert 0 <= s.dibayar <= s.jumlah
    assert 0 <= hasil.bruto <= pagu


@settings(max_examples=100, deadline=None)
@given(
    potong=st.lists(st.integers(1, 30), max_size=3, unique=True),
    pagu=st.lists(st.integers(0, 30_000_000), min_size=4, max_size=4),
)
def test_pro_rata_segments_add_up_for_a_clean_month(potong: list[int], pagu: list[int]) -> None:
    batas = [0, *sorted(potong), 31]
    segmen = [
        Segmen(MARET.replace(day=a + 1), MARET.replace(day=b), D(pagu[i]))
        for i, (a, b) in enumerate(zip(batas, batas[1:], strict=False))
    ]
    hari = bulan()
    hasil = hitung_tpp(KLASIK, segmen, hari, [], KinerjaBulan())
    assert sum(s.hari_kerja for s in hasil.segmen) == hasil.hari_kerja_bulan
    harapan = (
        sum(
            (
                s.pagu * sum(1 for x in hari if x.hari_kerja and s.mulai <= x.tanggal <= s.selesai)
                for s in segmen
            ),
            D(0),
        )
        / hasil.hari_kerja_bulan
    )
    assert abs(hasil.bruto - harapan) <= D("0.5")
    sama = [replace(s, pagu=D(pagu[0])) for s in segmen]
    assert hitung_tpp(KLASIK, sama, hari, [], KinerjaBulan()).bruto == pagu[0]


@settings(max_examples=100, deadline=None)
@given(aturan=aturan_st())
def test_dict_round_trip_is_identity(aturan: AturanTpp) -> None:
    assert dari_dict(ke_dict(aturan)) == aturan


def test_every_cut_line_carries_its_kind() -> None:
    from kinerja.rules.tpp import HukumanDisiplin, JenisPotongan, TingkatHukuman

    aturan = replace(
        KLASIK,
        apel=D(1),
        atribut=D(1),
        hukuman={**KLASIK.hukuman, TingkatHukuman.RINGAN: AturanHukuman(D(5), 3)},
    )
    khusus = {
        2: h(2, JenisHari.TK),
        3: h(3, JenisHari.IZIN),
        4: h(4, JenisHari.TUGAS_BELAJAR),
        5: h(5, menit_tl=10),
        6: h(6, menit_psw=10),
        9: h(9, tanpa_masuk=True, tanpa_pulang=True),
        10: h(10, JenisHari.CUTI_BESAR),
    }
    peristiwa = [
        Peristiwa(date(2026, 3, 11), JenisPeristiwa.APEL),
        Peristiwa(date(2026, 3, 12), JenisPeristiwa.ATRIBUT),
        HukumanDisiplin(date(2026, 2, 1), TingkatHukuman.RINGAN),
    ]
    hasil = hitung_tpp(aturan, seg(1_000_000), bulan(khusus), peristiwa, KinerjaBulan())
    jenis = {(r.tanggal.day if r.tanggal else 0, r.jenis) for r in hasil.segmen[0].rincian}
    assert jenis == {
        (1, JenisPotongan.HUKUMAN),
        (2, JenisPotongan.TK),
        (3, JenisPotongan.IZIN),
        (4, JenisPotongan.TUGAS_BELAJAR),
        (5, JenisPotongan.TL),
        (6, JenisPotongan.PSW),
        (9, JenisPotongan.TANPA_REKAM),
        (10, JenisPotongan.ABSEN_LAIN),
        (11, JenisPotongan.APEL),
        (12, JenisPotongan.ATRIBUT),
    }


def test_hari_perkiraan_days_not_over_yet():
    """An estimate of a month in progress: later days and today's missing taps cost nothing yet."""
    hari_ini = date(2026, 12, 7)
    kemarin, besok = hari_ini - timedelta(days=1), hari_ini + timedelta(days=1)
    tk = lambda t: StatusHari(t, JenisHari.TK, hari_kerja=True)  # noqa: E731
    hadir = StatusHari(hari_ini, JenisHari.HADIR, hari_kerja=True, menit_tl=5, tanpa_pulang=True)
    libur = StatusHari(besok, JenisHari.LIBUR, hari_kerja=False)
    a, b, c, d = hari_perkiraan([tk(kemarin), hadir, tk(besok), libur], hari_ini)
    assert a.jenis is JenisHari.TK  # over: stays
    assert b.jenis is JenisHari.HADIR and b.menit_tl == 5 and not b.tanpa_pulang
    assert c.jenis is JenisHari.HADIR and c.alasan == ("Belum berlangsung",)
    assert d is libur
    assert [h.jenis for h in hari_perkiraan([tk(hari_ini)], hari_ini)] == [JenisHari.HADIR]


# --- which evaluation pays the month (docs/rules.md §28.3) ----------------------------------------------

T1 = EvaluasiFinal(
    date(2026, 1, 1), date(2026, 3, 31), date(2026, 4, 10), Predikat.SANGAT_BAIK, False, "Triwulan I 2026"
)
T2 = EvaluasiFinal(
    date(2026, 4, 1), date(2026, 6, 30), date(2026, 7, 8), Predikat.BUTUH_PERBAIKAN, False, "Triwulan II 2026"
)
TH25 = EvaluasiFinal(
    date(2025, 1, 1), date(2025, 12, 31), date(2026, 1, 20), Predikat.KURANG, True, "tahunan 2025"
)
TH26 = EvaluasiFinal(
    date(2026, 1, 1), date(2026, 12, 31), date(2027, 1, 15), Predikat.BAIK, True, "tahunan 2026"
)


@pytest.mark.parametrize(
    ("evaluasi", "bulan", "predikat", "asal"),
    [
        ([T1, T2, TH25], 2, Predikat.SANGAT_BAIK, "evaluasi Triwulan I 2026"),  # final, periode contains it
        ([T1, T2, TH25], 5, Predikat.BUTUH_PERBAIKAN, "evaluasi Triwulan II 2026"),
        # Triwulan III not final yet: the last one decided before the month.
        ([T1, T2, TH25], 8, Predikat.BUTUH_PERBAIKAN, "evaluasi Triwulan II 2026, evaluasi final terakhir"),
        ([T2, T1], 9, Predikat.BUTUH_PERBAIKAN, "evaluasi Triwulan II 2026, evaluasi final terakhir"),
        ([TH25], 3, Predikat.KURANG, "evaluasi tahunan 2025, evaluasi final terakhir"),  # annual only
        ([TH26, T1], 2, Predikat.SANGAT_BAIK, "evaluasi Triwulan I 2026"),  # periodic beats annual
        ([TH26, T1], 10, Predikat.BAIK, "evaluasi tahunan 2026"),  # annual of the year, no periodic
        ([T2], 2, Predikat.BAIK, "anggapan: belum ada evaluasi final"),  # only later ones → fallback
        ([], 2, Predikat.BAIK, "anggapan: belum ada evaluasi final"),
    ],
)
def test_pilih_predikat(evaluasi: list[EvaluasiFinal], bulan: int, predikat: Predikat, asal: str) -> None:
    awal = date(2026, bulan, 1)
    akhir = (awal + timedelta(days=32)).replace(day=1) - timedelta(days=1)
    assert pilih_predikat(evaluasi, awal, akhir) == (predikat, asal)


def test_pilih_predikat_fallback_is_a_parameter() -> None:
    assert (
        pilih_predikat([], MARET, date(2026, 3, 31), Predikat.BUTUH_PERBAIKAN)[0] is Predikat.BUTUH_PERBAIKAN
    )


TABEL = {
    Predikat.SANGAT_BAIK: D(100),
    Predikat.BAIK: D(90),
    Predikat.BUTUH_PERBAIKAN: D(70),
    Predikat.KURANG: D(50),
    Predikat.SANGAT_KURANG: D(25),
}


def test_capaian_source_reads_the_predikat_through_the_table() -> None:
    kinerja = KinerjaBulan(predikat=Predikat.BAIK, asal_predikat="evaluasi Triwulan I 2026")
    hasil = hitung_tpp(replace(PISAH, tabel_predikat=TABEL), seg(1_000_000), bulan(), [], kinerja)
    assert hasil.sumber_kinerja == "Predikat Baik (evaluasi Triwulan I 2026) → 90 %"
    assert hasil.bruto == D(400_000) + D(540_000)
    kosong = hitung_tpp(PISAH, seg(1_000_000), bulan(), [], kinerja)
    assert (
        kosong.sumber_kinerja
        == "Predikat Baik (evaluasi Triwulan I 2026) tidak ada di tabel predikat aturan → 0 %"
    )
    assert kosong.bruto == D(400_000)
    aturan = replace(KLASIK, sumber_kinerja=SumberKinerja.PREDIKAT, tabel_predikat=TABEL)
    hasil = hitung_tpp(aturan, seg(1_000_000), bulan(), [], kinerja)
    assert hasil.sumber_kinerja == "Predikat Baik (evaluasi Triwulan I 2026) → 90 %"
