"""NIP parsing, validation messages, display format, round trip; the number of an external penilai."""

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kinerja.rules.nip import NipInfo, format_nip, is_valid, nomor_penilai_eksternal, normalize, parse


@pytest.mark.parametrize(
    ("nip", "expected"),
    [
        (
            "198503152010012001",
            NipInfo("198503152010012001", date(1985, 3, 15), 2010, 1, "P", 1, False),
        ),
        (
            "199001012015031002",
            NipInfo("199001012015031002", date(1990, 1, 1), 2015, 3, "L", 2, False),
        ),
        (
            "19850315 201001 2 001",
            NipInfo("198503152010012001", date(1985, 3, 15), 2010, 1, "P", 1, False),
        ),
        (
            " 1985031520100\t12001\n",
            NipInfo("198503152010012001", date(1985, 3, 15), 2010, 1, "P", 1, False),
        ),
        (
            "198710132021211999",  # PPPK: year of appointment + "21"
            NipInfo("198710132021211999", date(1987, 10, 13), 2021, None, "L", 999, True),
        ),
        (
            "199202292019121123",  # leap day
            NipInfo("199202292019121123", date(1992, 2, 29), 2019, 12, "L", 123, False),
        ),
        (
            "198503152002012001",  # exactly 17 years between the birth year and the TMT year
            NipInfo("198503152002012001", date(1985, 3, 15), 2002, 1, "P", 1, False),
        ),
    ],
)
def test_valid(nip, expected):
    assert parse(nip) == expected
    assert is_valid(nip)


def test_tmt_as_date():
    assert parse("198503152010012001").tmt == date(2010, 1, 1)
    assert parse("199001012015031002").tmt == date(2015, 3, 1)
    assert parse("198710132021211001").tmt == date(2021, 1, 1)


@pytest.mark.parametrize(
    ("nip", "message"),
    [
        ("", "NIP harus 18 digit angka"),
        ("12345", "NIP harus 18 digit angka"),
        ("1985031520100120011", "NIP harus 18 digit angka"),
        ("19850315201001200", "NIP harus 18 digit angka"),
        ("19850315201001200A", "NIP harus 18 digit angka"),
        ("1985-03-15-201001-2-001", "NIP harus 18 digit angka"),
        ("١٩٨٥٠٣١٥٢٠١٠٠١٢٠٠١", "NIP harus 18 digit angka"),  # non-ASCII digits
        ("198513322010012001", "Tanggal lahir pada NIP tidak valid: 19851332"),
        ("198502302010012001", "Tanggal lahir pada NIP tidak valid: 19850230"),
        ("199302292019031001", "Tanggal lahir pada NIP tidak valid: 19930229"),
        ("000001012010012001", "Tanggal lahir pada NIP tidak valid: 00000101"),
        ("185003152010012001", r"Tanggal lahir pada NIP tidak valid: 18500315 \(tahun sebelum 1900\)"),
        ("198503152010132001", "TMT pada NIP tidak valid: 201013"),
        ("198503152010002001", "TMT pada NIP tidak valid: 201000"),
        ("198503152010202001", "TMT pada NIP tidak valid: 201020"),
        (
            "198503152010013001",
            "Digit jenis kelamin pada NIP harus 1 \\(laki-laki\\) atau 2 \\(perempuan\\), bukan 3",
        ),
        ("198503152010010001", "bukan 0"),
        ("198503152010012000", "Nomor urut pada NIP tidak boleh 000"),
        ("198503152000012001", "tahun TMT paling cepat 17 tahun setelah tahun lahir"),
        ("198503151980012001", "tahun TMT paling cepat 17 tahun"),
        ("198503152000212001", "tahun TMT paling cepat 17 tahun"),  # PPPK too
    ],
)
def test_invalid(nip, message):
    with pytest.raises(ValueError, match=message):
        parse(nip)
    assert not is_valid(nip)


def test_not_a_string():
    with pytest.raises(ValueError, match="NIP harus berupa teks"):
        parse(198503152010012001)  # type: ignore[arg-type]
    with pytest.raises(ValueError):
        parse(None)  # type: ignore[arg-type]


def test_format_nip():
    assert format_nip("198503152010012001") == "19850315 201001 2 001"
    assert format_nip("19850315 201001 2 001") == "19850315 201001 2 001"
    assert normalize("19850315 201001 2 001") == "198503152010012001"
    with pytest.raises(ValueError, match="NIP harus 18 digit angka"):
        format_nip("12345")


@st.composite
def valid_nips(draw):
    lahir = draw(st.dates(min_value=date(1940, 1, 1), max_value=date(2008, 12, 31)))
    tmt_tahun = draw(st.integers(min_value=lahir.year + 17, max_value=2040))
    pppk = draw(st.booleans())
    tmt_bulan = None if pppk else draw(st.integers(1, 12))
    sex = draw(st.sampled_from("12"))
    urut = draw(st.integers(1, 999))
    text = f"{lahir:%Y%m%d}{tmt_tahun:04d}{'21' if pppk else f'{tmt_bulan:02d}'}{sex}{urut:03d}"
    return text, NipInfo(text, lahir, tmt_tahun, tmt_bulan, "L" if sex == "1" else "P", urut, pppk)


@given(valid_nips())
def test_generated_valid_nips_round_trip(case):
    text, expected = case
    info = parse(text)
    assert info == expected
    assert parse(format_nip(text)) == info
    rebuilt = (
        f"{info.tanggal_lahir:%Y%m%d}{info.tmt_tahun:04d}"
        f"{'21' if info.is_pppk else f'{info.tmt_bulan:02d}'}"
        f"{'1' if info.jenis_kelamin == 'L' else '2'}{info.nomor_urut:03d}"
    )
    assert rebuilt == text


@given(st.text(max_size=25))
def test_parse_only_ever_raises_value_error(text):
    try:
        parse(text)
    except ValueError as error:
        assert str(error)


# --- the number of a penilai outside the instansi (docs/rules.md §15.1) -------------------------------------


@pytest.mark.parametrize(
    ("status", "nomor", "hasil"),
    [
        ("ASN", "196805121990031004", "196805121990031004"),
        ("ASN", "19680512 199003 1 004", "196805121990031004"),
        ("ASN", "199001012022212001", "199001012022212001"),  # NI PPPK
        ("NON ASN", "3201011204700003", "3201011204700003"),
        ("NON ASN", "3201 0152 0470 0003", "3201015204700003"),  # a woman: day 12 + 40
        ("NON ASN", "3201013112990001", "3201013112990001"),
    ],
)
def test_nomor_penilai_eksternal_accepts(status: str, nomor: str, hasil: str) -> None:
    assert nomor_penilai_eksternal(status, nomor) == hasil


@pytest.mark.parametrize(
    ("status", "nomor", "pesan"),
    [
        ("ASN", "", "NIP penilai eksternal (kosong) tidak sah: NIP harus 18 digit angka"),
        ("ASN", "12345", "NIP penilai eksternal (12345) tidak sah"),
        ("ASN", "3201011204700003", "NIP harus 18 digit angka"),  # a NIK for an ASN
        ("ASN", "196813121990031004", "Tanggal lahir pada NIP tidak valid"),
        (
            "NON ASN",
            "196805121990031004",
            "harus 16 digit angka; yang diisi \u201c196805121990031004\u201d (18",
        ),
        ("NON ASN", "", "yang diisi \u201ckosong\u201d (0 karakter)"),
        ("NON ASN", "320101120470000X", "harus 16 digit angka"),
        ("NON ASN", "3201013204700003", "digit 7-12 harus tanggal lahir DDMMYY"),  # day 32
        ("NON ASN", "3201017204700003", "tertulis 720470"),  # day 72 (a woman's 32)
        ("NON ASN", "3201011213700003", "bulan 01-12"),
        ("NON ASN", "3201011204700000", "nomor urut (4 digit terakhir) 0000"),
        ("PPPK", "196805121990031004", "harus ASN atau NON ASN"),
    ],
)
def test_nomor_penilai_eksternal_refuses_with_a_message(status: str, nomor: str, pesan: str) -> None:
    with pytest.raises(ValueError) as exc:
        nomor_penilai_eksternal(status, nomor)
    assert pesan in str(exc.value)
