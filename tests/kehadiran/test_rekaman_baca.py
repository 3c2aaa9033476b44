"""The attlog and spreadsheet line readers (`kinerja.kehadiran.rekaman.baca`): pure, no database."""

from __future__ import annotations

import datetime

import pytest

from kinerja.kehadiran.rekaman import baca

KINI = datetime.datetime(2026, 12, 6, 10, 0)
BATAS = baca.Batas(KINI)


def _satu(line: str) -> object:
    hasil = list(baca.attlog([line], BATAS))
    assert len(hasil) == 1
    return hasil[0]


@pytest.mark.parametrize(
    ("line", "pin", "waktu"),
    [
        ("1001\t2026-11-02 07:55:01\t1\t0\t1\t0", "1001", datetime.datetime(2026, 11, 2, 7, 55, 1)),
        ("    77\t2026-11-02 16:05:00\t1\t1\t1\t0\r\n", "77", datetime.datetime(2026, 11, 2, 16, 5)),
        (
            "198506282010012004\t2026-11-02 07:30:00\t1\t0",
            "198506282010012004",
            datetime.datetime(2026, 11, 2, 7, 30),
        ),
        ("5\t2026-11-02T07:30\t1\t0\t1\t0\n", "5", datetime.datetime(2026, 11, 2, 7, 30)),
    ],
)
def test_good_lines(line: str, pin: str, waktu: datetime.datetime) -> None:
    assert _satu(line) == (1, pin, waktu)


@pytest.mark.parametrize(
    ("line", "kata"),
    [
        ("1001\t2026-11-02 07:55:01", "Kolom kurang"),
        ("1001 2026-11-02 07:55:01 1 0", "Kolom kurang"),
        ("\t2026-11-02 07:55:01\t1\t0", "PIN kosong"),
        ("1001\t2026-13-02 07:55:01\t1\t0", "tidak terbaca"),
        ("1001\t02/11/2026 07:55\t1\t0", "tidak terbaca"),
        ("1001\t2026-11-02 7:55\t1\t0", "tidak terbaca"),
        ("1001\t2026-12-07 07:55:00\t1\t0", "masa depan"),
        ("1001\t2025-10-01 07:55:00\t1\t0", "400 hari"),
    ],
)
def test_bad_lines_are_refused_with_a_reason(line: str, kata: str) -> None:
    tolak = _satu(line)
    assert isinstance(tolak, baca.Tolak)
    assert kata in tolak.alasan and tolak.baris == 1 and tolak.isi == line


def test_crlf_blank_lines_and_line_numbers() -> None:
    teks = "1\t2026-11-02 07:55:00\t1\t0\r\n\r\n  \r\n2\tx\t1\t0\r\n1\t2026-11-02 07:55:00\t1\t0\r\n"
    hasil = list(baca.attlog(teks.splitlines(), BATAS))
    assert hasil[0] == (1, "1", datetime.datetime(2026, 11, 2, 7, 55))
    assert isinstance(hasil[1], baca.Tolak) and hasil[1].baris == 4
    # a duplicate inside a file is read twice; the import stores it once
    assert hasil[2] == (5, "1", datetime.datetime(2026, 11, 2, 7, 55))


def test_spreadsheet_rows() -> None:
    rows = [
        (1, ("NIP", "Tanggal", "Jam")),
        (2, ("198506282010012004", datetime.datetime(2026, 11, 2), datetime.time(7, 30))),
        (3, ("198506282010012004", "03-11-2026", "16.05")),
        (4, (None, None, None)),
        (5, ("", "03-11-2026", "07:00")),
        (6, ("1985", "kemarin", "07:00")),
        (7, ("1985", "03-11-2026", "pagi")),
        (8, ("1985", "03-11-2030", "07:00")),
    ]
    hasil = list(baca.lembar(rows, BATAS))
    assert hasil[0] == (2, "198506282010012004", datetime.datetime(2026, 11, 2, 7, 30))
    assert hasil[1] == (3, "198506282010012004", datetime.datetime(2026, 11, 3, 16, 5))
    alasan = [(t.baris, t.alasan.split(" ")[1]) for t in hasil[2:]]  # type: ignore[union-attr]
    assert alasan == [(5, "NIP"), (6, "Tanggal"), (7, "Jam"), (8, "03-11-2030")]
