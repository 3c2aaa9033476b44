"""Which submitted SKP may be approved in bulk (docs/rules.md §33.7)."""

import datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kinerja.rules.persetujuan import ALASAN_BUKAN_DIAJUKAN, boleh_setujui_massal, utas_terbuka

AJU = datetime.datetime(2026, 1, 20, 9, 0, tzinfo=datetime.UTC)
SEBELUM = AJU - datetime.timedelta(days=1)
SESUDAH = AJU + datetime.timedelta(minutes=1)


@pytest.mark.parametrize(
    ("diajukan", "utas", "diajukan_pada", "alasan"),
    [
        (True, [], AJU, None),
        (True, [SEBELUM], AJU, None),
        (True, [AJU], AJU, None),  # written at the very moment of submission: part of the previous round
        (True, [SESUDAH], AJU, "Ada 1 komentar terbuka — buka SKP"),
        (True, [SEBELUM, SESUDAH, SESUDAH], AJU, "Ada 2 komentar terbuka — buka SKP"),
        (True, [SEBELUM], None, "Ada 1 komentar terbuka — buka SKP"),  # no submission time: fail safe
        (True, [], None, None),
        (False, [], AJU, ALASAN_BUKAN_DIAJUKAN),
        (False, [SESUDAH], AJU, ALASAN_BUKAN_DIAJUKAN),
    ],
)
def test_table(diajukan, utas, diajukan_pada, alasan):
    assert boleh_setujui_massal(diajukan, utas, diajukan_pada) == alasan


waktu = st.datetimes(min_value=datetime.datetime(2025, 1, 1), max_value=datetime.datetime(2027, 12, 31)).map(
    lambda d: d.replace(tzinfo=datetime.UTC)
)


@given(st.lists(waktu, max_size=12), waktu)
def test_eligible_exactly_when_no_thread_is_newer_than_the_submission(utas, diajukan_pada):
    alasan = boleh_setujui_massal(True, utas, diajukan_pada)
    assert (alasan is None) == all(t <= diajukan_pada for t in utas)
    assert utas_terbuka(utas, diajukan_pada) == sum(t > diajukan_pada for t in utas)


@given(st.lists(waktu, max_size=12), waktu, waktu)
def test_a_later_submission_never_opens_a_thread(utas, a, b):
    lama, baru = min(a, b), max(a, b)
    assert utas_terbuka(utas, baru) <= utas_terbuka(utas, lama)


@given(st.lists(waktu, max_size=12), st.one_of(st.none(), waktu))
def test_not_submitted_is_never_eligible(utas, diajukan_pada):
    assert boleh_setujui_massal(False, utas, diajukan_pada) == ALASAN_BUKAN_DIAJUKAN
