"""The plain-Indonesian statement of a rule set and the rule-set form's reading (docs/rules.md §28.1)."""

from __future__ import annotations

import dataclasses
from decimal import Decimal

from django.http import QueryDict

from kinerja.kehadiran.tpp import forms_atur
from kinerja.kehadiran.tpp.uraian import uraian
from kinerja.rules import tpp
from kinerja.rules.types import Predikat


def _semua(a: tpp.AturanTpp) -> list[str]:
    return [k for _, kalimat in uraian(a) for k in kalimat]


def test_klasik_brackets_stated_per_occurrence():
    teks = _semua(tpp.PRESET["kementerian"])
    assert "Terlambat 1–30 menit: dipotong 0,5 % dari pagu per kejadian" in teks
    assert "Terlambat 91 menit atau lebih: dipotong 1,5 % dari pagu per kejadian" in teks
    assert "Tugas belajar: dipotong 50 % dari TPP hari itu per hari" in teks
    assert "Tanpa keterangan (TK): dipotong 5 % dari pagu per hari" in teks
    assert "Hukuman disiplin ringan: tidak dipotong" in teks


def test_split_preset_names_both_parts_and_the_disiplin_base():
    teks = _semua(tpp.PRESET["pemda_60_40"])
    assert teks[0] == "TPP dibagi: bagian kinerja 60 % dan bagian disiplin 40 % dari pagu"
    assert "Terlambat 1–30 menit: dipotong 0,5 % dari bagian disiplin per kejadian" in teks


def test_hukuman_and_predikat_stated():
    a = dataclasses.replace(
        tpp.PRESET["kementerian"],
        hukuman={
            **tpp.PRESET["kementerian"].hukuman,
            tpp.TingkatHukuman.SEDANG: tpp.AturanHukuman(Decimal(25), 6),
        },
        sumber_kinerja=tpp.SumberKinerja.PREDIKAT,
        tabel_predikat={p: Decimal(100) for p in Predikat},
    )
    teks = _semua(a)
    assert "Hukuman disiplin sedang: dipotong 25 % selama 6 bulan" in teks
    assert "Predikat Sangat Baik: 100 %" in teks


def _post(isian: dict) -> QueryDict:
    q = QueryDict(mutable=True)
    for k, v in isian.items():
        if isinstance(v, list):
            q.setlist(k, v)
        elif isinstance(v, bool):
            if v:
                q[k] = "1"
        else:
            q[k] = v
    return q


def test_every_preset_survives_the_form_round_trip():
    for a in tpp.PRESET.values():
        baca, galat = forms_atur.baca_aturan(
            forms_atur.isian_dari_post(_post(forms_atur.isian_dari_aturan(a)))
        )
        assert galat == {}
        assert tpp.ke_dict(baca) == tpp.ke_dict(a)


def test_form_reads_comma_decimals_and_reports_bad_numbers_at_their_field():
    isian = forms_atur.isian_dari_aturan(tpp.PRESET["kementerian"])
    isian["braket_tl[1].persen"] = "0,75"
    isian["tk.persen"] = "lima"
    isian["hukuman.berat.bulan"] = "-1"
    baca, galat = forms_atur.baca_aturan(isian)
    assert baca.braket_tl[0].persen == Decimal("0.75")
    assert galat["tk.persen"] == "Tanpa keterangan (TK) harus berupa angka."
    assert "hukuman.berat.bulan" in galat
