"""Workflow table of SKP / Perjanjian Kinerja: every (status, aksi, peran) combination."""

import itertools

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kinerja.rules.alur import Aksi, Peran, Status, TransisiDitolak, aksi_tersedia, dapat_diubah, transisi

ALLOWED = {
    (Status.DRAFT, Aksi.AJUKAN, Peran.PEMILIK): Status.DIAJUKAN,
    (Status.DIKEMBALIKAN, Aksi.AJUKAN, Peran.PEMILIK): Status.DIAJUKAN,
    (Status.DIAJUKAN, Aksi.TARIK, Peran.PEMILIK): Status.DRAFT,
    (Status.DIAJUKAN, Aksi.SETUJUI, Peran.PENYETUJU): Status.DISETUJUI,
    (Status.DIAJUKAN, Aksi.KEMBALIKAN, Peran.PENYETUJU): Status.DIKEMBALIKAN,
    (Status.DISETUJUI, Aksi.AJUKAN_PERUBAHAN, Peran.PEMILIK): Status.DRAFT,
}


@pytest.mark.parametrize("status,aksi,peran", list(itertools.product(Status, Aksi, Peran)))
def test_every_combination(status, aksi, peran):
    expected = ALLOWED.get((status, aksi, peran))
    if expected is None:
        with pytest.raises(TransisiDitolak):
            transisi(status, aksi, peran, catatan="alasan")
    else:
        assert transisi(status, aksi, peran, catatan="alasan") is expected


def test_returning_needs_a_note():
    with pytest.raises(TransisiDitolak, match="wajib disertai catatan"):
        transisi(Status.DIAJUKAN, Aksi.KEMBALIKAN, Peran.PENYETUJU, catatan="   ")


def test_messages_say_who_and_from_where():
    with pytest.raises(TransisiDitolak, match="hanya dapat dilakukan oleh pejabat penilai"):
        transisi(Status.DIAJUKAN, Aksi.SETUJUI, Peran.PEMILIK)
    with pytest.raises(TransisiDitolak, match="berstatus disetujui"):
        transisi(Status.DISETUJUI, Aksi.AJUKAN, Peran.PEMILIK)


def test_only_draft_and_returned_are_editable():
    assert {s for s in Status if dapat_diubah(s)} == {Status.DRAFT, Status.DIKEMBALIKAN}


@given(st.sampled_from(list(Status)), st.sampled_from(list(Peran)))
def test_aksi_tersedia_agrees_with_transisi(status, peran):
    for aksi in Aksi:
        try:
            transisi(status, aksi, peran, catatan="x")
            allowed = True
        except TransisiDitolak:
            allowed = False
        assert (aksi in aksi_tersedia(status, peran)) == allowed


@given(st.lists(st.tuples(st.sampled_from(list(Aksi)), st.sampled_from(list(Peran))), max_size=12))
def test_an_approved_document_only_leaves_approval_through_a_change_request(steps):
    status = Status.DRAFT
    for aksi, peran in steps:
        try:
            new = transisi(status, aksi, peran, catatan="x")
        except TransisiDitolak:
            continue
        if status is Status.DISETUJUI:
            assert aksi is Aksi.AJUKAN_PERUBAHAN and new is Status.DRAFT
        status = new
