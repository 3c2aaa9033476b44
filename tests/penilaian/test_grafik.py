"""The pola distribusi chart: data per capaian curve, the template (browser markup) and the PDF print."""

from __future__ import annotations

import re
import shutil
import subprocess
import tempfile
from decimal import Decimal
from pathlib import Path

import pytest
from django.template.loader import render_to_string
from django.utils import translation
from hypothesis import given, settings
from hypothesis import strategies as st

from kinerja.common.pdf import render_pdf
from kinerja.penilaian import grafik as grafik_mod
from kinerja.penilaian.grafik import data_grafik
from kinerja.rules.distribusi import (
    DEFAULT_RULES,
    Constraint,
    ConstraintKind,
    DistribusiRule,
    allowed_counts,
    check,
)
from kinerja.rules.types import CapaianOrganisasi, Predikat

SB, B, BP, K, SK = list(Predikat)
IST, BAIK, CUKUP, KUR, SKUR = list(CapaianOrganisasi)
NB = "\u00a0"
TEMPLATE = "penilaian/_grafik_distribusi.html"


def c(sb=0, b=0, bp=0, k=0, sk=0):
    return {SB: sb, B: b, BP: bp, K: k, SK: sk}


def kolom(g, p):
    return next(k for k in g.kolom if k.predikat is p)


def render(g) -> str:
    with translation.override("id"):
        return render_to_string(TEMPLATE, {"grafik": g})


def pdf_text(content: bytes) -> str:
    assert content.startswith(b"%PDF-"), content[:20]
    tool = shutil.which("pdftotext")
    assert tool, "pdftotext (poppler-utils) is required: scripts/ensure-system-packages.sh installs it"
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "grafik.pdf"
        path.write_bytes(content)
        out = subprocess.run([tool, "-enc", "UTF-8", str(path), "-"], capture_output=True, check=True)
    return " ".join(out.stdout.decode().split())


# capaian, counts breaking the curve, predikat outside on their own, combined sets not met, counts within it
CURVES = [
    (IST, c(sb=8, b=2), {SB}, set(), c(sb=7, b=3)),
    (BAIK, c(sb=2, b=9, sk=1), {B}, {frozenset({BP, K})}, c(sb=3, b=7, bp=1, k=1)),
    (CUKUP, c(sb=2, b=3, bp=5), {SB, BP}, set(), c(sb=1, b=3, bp=6)),
    (KUR, c(sb=2, b=2, bp=1, k=6), {SB, BP, K}, set(), c(sb=1, b=1, bp=2, k=7)),
    (SKUR, c(sb=1, b=2, sk=7), {SB}, {frozenset({BP, K})}, c(b=2, bp=1, sk=7)),
]


@pytest.mark.parametrize(("capaian", "counts", "outside", "combined_broken", "_ok"), CURVES)
def test_a_violating_group_marks_exactly_the_predikat_outside_its_curve(
    capaian, counts, outside, combined_broken, _ok
):
    cek = check(capaian, counts)
    g = data_grafik(cek)
    n = sum(counts.values())
    allowed = allowed_counts(capaian, n)
    assert g.applicable and not g.ok and g.ada_di_luar
    for k in g.kolom:
        assert (k.jumlah, k.minimum, k.maksimum) == (
            counts[k.predikat],
            allowed[k.predikat].minimum,
            allowed[k.predikat].maximum,
        )
        assert k.di_luar is (k.predikat in outside), k.predikat
        if k.di_luar:
            expected = "Melebihi batas" if k.jumlah > k.maksimum else "Kurang dari batas"
            assert k.status == expected and k.status_singkat in {"melebihi", "kurang"}
        else:
            assert k.status == "Sesuai" and k.status_singkat == ""
    assert {frozenset(x.predikat) for x in g.gabungan if not x.terpenuhi} == combined_broken
    assert [t.pesan for t in g.pelanggaran] == [f.message for f in cek.violations]
    assert g.keterangan == (
        f"Capaian organisasi {capaian.label} · {n} pegawai · {len(cek.violations)} pelanggaran"
        + (f" · {len(cek.warnings)} peringatan" if cek.warnings else "")
    )
    assert g.sebagian_besar == DEFAULT_RULES[capaian].bulk.label
    assert [k.sebagian_besar for k in g.kolom] == [p is DEFAULT_RULES[capaian].bulk for p in Predikat]


@pytest.mark.parametrize(("capaian", "_bad", "_outside", "_combined", "counts"), CURVES)
def test_a_compliant_group_has_nothing_outside(capaian, _bad, _outside, _combined, counts):
    cek = check(capaian, counts)
    assert cek.ok
    g = data_grafik(cek)
    assert g.ok and not g.ada_di_luar and not g.pelanggaran
    assert all(k.status == "Sesuai" and not k.di_luar for k in g.kolom)
    assert all(x.terpenuhi and x.status == "Sesuai" for x in g.gabungan)
    assert g.keterangan.startswith(f"Capaian organisasi {capaian.label} · {sum(counts.values())} pegawai · ")
    assert "sesuai pola distribusi" in g.keterangan
    html = render(g)
    assert 'data-di-luar="ya"' not in html and "Pelanggaran pola distribusi" not in html


def test_bounds_are_shown_as_counts_and_shares():
    g = data_grafik(check(BAIK, c(sb=2, b=9, sk=1)))  # n = 12: B ≤ floor(8.4) = 8
    assert kolom(g, B).batas == f"≤{NB}8 (70{NB}%)"
    assert kolom(g, B).batas_singkat == f"≤{NB}8 (70{NB}%)"
    assert kolom(g, SB).batas == "bebas"
    assert kolom(g, B).persen == f"75{NB}%" and kolom(g, SK).persen == f"8{NB}%"
    (bp_k,) = g.gabungan
    assert bp_k.label == "Butuh Perbaikan + Kurang/Misconduct"
    assert bp_k.batas == f"≥{NB}1 (harus ada)" and bp_k.jumlah == 0 and bp_k.status == "Tidak terpenuhi"
    assert kolom(g, BP).catatan == (f"bersama Kurang/Misconduct: ≥{NB}1 (harus ada)",)
    assert kolom(g, K).catatan == (f"bersama Butuh Perbaikan: ≥{NB}1 (harus ada)",)

    kurang = data_grafik(check(KUR, c(sb=1, b=1, bp=2, k=7)))  # n = 11
    assert kolom(kurang, K).batas == f"≥{NB}7 (60{NB}%)"
    assert kolom(kurang, BP).batas == f"≥{NB}2 (10{NB}%)"
    assert kolom(kurang, SB).batas == f"≤{NB}1 (10{NB}%)"

    sk = data_grafik(check(SKUR, c(b=2, bp=1, sk=7)))
    assert kolom(sk, SB).batas == "0 (tidak boleh ada)" and kolom(sk, SB).batas_singkat == "tidak boleh ada"
    assert sk.gabungan[0].batas == f"≥{NB}1 (10{NB}%)"


def test_min_allowed_is_explained():
    rules = {IST: DistribusiRule(SB, (Constraint(ConstraintKind.MAX, frozenset({SB}), Decimal("0.7"), 1),))}
    g = data_grafik(check(IST, c(sb=1), rules), rules=rules)  # floor(0.7) = 0, raised to 1
    assert kolom(g, SB).batas == f"≤{NB}1 (70{NB}%; minimal 1 diizinkan)"
    assert kolom(g, SB).batas_singkat == f"≤{NB}1 (70{NB}%)"
    assert kolom(g, SB).status == "Sesuai"


def test_bar_geometry_is_precomputed_to_scale():
    g = data_grafik(check(BAIK, c(sb=2, b=9, sk=1)))  # n = 12: axis 0..12 step 2
    assert [s.label for s in g.sumbu] == ["0", "2", "4", "6", "8", "10", "12"]
    bottom, top = float(g.plot_bawah), float(g.plot_atas)
    assert float(g.sumbu[0].y) == bottom and float(g.sumbu[-1].y) == top
    per_pegawai = (bottom - top) / 12
    for k in g.kolom:
        height = float(k.batang_tinggi)
        assert float(k.batang_y) + height == pytest.approx(bottom, abs=0.1)
        if k.jumlah:
            assert height == pytest.approx(k.jumlah * per_pegawai, abs=0.1)
        else:
            assert 0 < height < 2  # an empty column still shows a hairline on the axis
    baik = kolom(g, B)
    assert baik.pita and float(baik.pita_y) == pytest.approx(bottom - 8 * per_pegawai, abs=0.1)
    assert float(baik.garis_atas_y) == pytest.approx(bottom - 8 * per_pegawai, abs=0.1)
    assert baik.garis_bawah_y == "" and baik.penanda_atas == f"≤{NB}8"
    assert not kolom(g, SB).pita and kolom(g, SB).garis_atas_y == ""
    centres = [float(k.tengah) for k in g.kolom]
    assert centres == sorted(centres) and float(g.plot_kiri) < centres[0] < centres[-1] < float(g.plot_kanan)
    # The bracket of "harus ada BP atau K" joins exactly the BP and K columns.
    (bp_k,) = g.gabungan
    assert bp_k.tanda_x == (kolom(g, BP).tengah, kolom(g, K).tengah)
    assert float(bp_k.y) > float(g.batas_y)
    assert float(g.tinggi) > float(bp_k.teks_y)


def test_labels_move_above_a_bound_line_they_would_cross():
    g = data_grafik(check(CUKUP, c(sb=2, b=3, bp=5)))  # BP 5, at least 6: the line is just above the bar
    bp = kolom(g, BP)
    line = float(bp.garis_bawah_y)
    assert line < float(bp.batang_y)
    assert float(bp.nilai_y) + 3 < line and float(bp.status_y) < float(bp.nilai_y)


@settings(max_examples=150, deadline=None)
@given(
    capaian=st.sampled_from(list(CapaianOrganisasi)),
    counts=st.lists(st.integers(0, 40), min_size=5, max_size=5),
)
def test_chart_agrees_with_the_check_for_any_group(capaian, counts):
    cek = check(capaian, dict(zip(Predikat, counts, strict=True)))
    g = data_grafik(cek, kunci="p")
    broken = {f.predikat for f in cek.violations}
    for k in g.kolom:
        assert k.di_luar is ((k.predikat,) in broken)
        bottom, top = float(g.plot_bawah), float(g.plot_atas)
        if g.n:
            assert top - 0.1 <= float(k.batang_y) <= bottom
            # no bound line crosses the labels above the bar, and they stay below the legend
            label_top = float(k.status_y if k.di_luar else k.nilai_y) - 11
            for line in (k.garis_atas_y, k.garis_bawah_y):
                if line:
                    assert not label_top - 2 <= float(line) <= float(k.nilai_y) + 4
            assert label_top > 20
    for x in g.gabungan:
        assert x.terpenuhi is (x.predikat not in broken)
    assert g.ok is cek.ok


def test_not_applicable_group_shows_the_reason_and_judges_nobody():
    cek = check(KUR, c(k=1))  # K ≥ 1 and BP ≥ 1 need two pegawai
    assert not cek.applicable
    g = data_grafik(cek)
    assert not g.applicable and not g.ada_di_luar
    assert all(k.status == "—" and not k.di_luar for k in g.kolom)
    assert g.keterangan == "Capaian organisasi Kurang · 1 pegawai · pola distribusi tidak dapat diterapkan"
    html = render(g)
    assert "Pola distribusi tidak dapat diterapkan." in html
    assert "membutuhkan paling sedikit 2 pegawai" in html
    assert "<svg" in html and 'data-di-luar="ya"' not in html


def test_empty_group_shows_the_rule_in_shares_instead_of_a_chart():
    g = data_grafik(check(BAIK, {}))
    assert g.kosong and g.n == 0 and not g.applicable
    assert g.keterangan == "Capaian organisasi Baik · belum ada pegawai yang dinilai"
    assert g.aturan == (
        f"Baik paling banyak 70{NB}%",
        "Harus ada paling sedikit 1 pegawai dengan predikat Butuh Perbaikan atau Kurang/Misconduct",
    )
    html = render(g)
    assert "<svg" not in html and "<table" not in html
    assert "belum ada pegawai yang dinilai di kelompok ini" in html
    assert f"Baik paling banyak 70{NB}%" in html
    assert "Ketentuan untuk capaian organisasi Baik (sebagian besar pegawai: Baik)" in html


def test_missing_rule_is_not_shown_as_free():
    rules = {IST: DEFAULT_RULES[IST]}
    g = data_grafik(check(BAIK, c(b=3), rules), rules=rules)
    assert not g.applicable and g.sebagian_besar == ""
    assert all(k.batas == "tidak ada ketentuan" and k.batas_singkat == "—" for k in g.kolom)
    assert "Belum ada ketentuan pola distribusi untuk capaian Baik." in render(g)


def test_rules_must_be_those_of_the_check():
    custom = {**DEFAULT_RULES, BAIK: DistribusiRule(SB, DEFAULT_RULES[BAIK].constraints)}
    cek = check(BAIK, c(b=5, bp=1), custom)
    assert data_grafik(cek, rules=custom).sebagian_besar == "Sangat Baik"
    stricter = {
        **DEFAULT_RULES,
        BAIK: DistribusiRule(B, (Constraint(ConstraintKind.MAX, frozenset({B}), Decimal("0.5")),)),
    }
    with pytest.raises(ValueError, match="berbeda dari yang dipakai pemeriksaan"):
        data_grafik(check(BAIK, c(b=5, bp=1), stricter))  # checked with custom rules, drawn with defaults
    with pytest.raises(ValueError, match="tidak memuat capaian Baik"):
        data_grafik(check(BAIK, c(b=5, bp=1)), rules={IST: DEFAULT_RULES[IST]})
    with pytest.raises(ValueError, match="padahal pemeriksaan tidak menemukannya"):
        data_grafik(check(BAIK, c(b=5), {IST: DEFAULT_RULES[IST]}))


def test_names_are_listed_for_an_exceeded_maximum_and_must_match_the_counts():
    cek = check(BAIK, c(sb=1, b=9, sk=2))  # B over 8; BP + K none
    names = {SB: ["Ani"], B: [f"Pegawai {i}" for i in range(9)], SK: ["Sari", "Tono"]}
    g = data_grafik(cek, pegawai=names)
    by_message = {t.pesan: t.nama for t in g.pelanggaran}
    assert by_message[next(f.message for f in cek.violations if f.predikat == (B,))] == tuple(names[B])
    assert by_message[next(f.message for f in cek.violations if f.predikat == (BP, K))] == ()
    html = render(g)
    assert "Pegawai: Pegawai 0, Pegawai 1" in html
    with pytest.raises(ValueError, match="Jumlah nama pegawai untuk predikat Baik"):
        data_grafik(cek, pegawai={**names, B: ["Satu"]})
    with pytest.raises(ValueError, match="Nama pegawai untuk predikat Sangat Kurang tidak diberikan"):
        data_grafik(cek, pegawai={SB: ["Ani"], B: names[B]})
    with pytest.raises(ValueError, match="Predikat tidak dikenal"):
        data_grafik(cek, pegawai={**names, "hebat": []})


def test_sebagian_besar_warning_is_listed():
    cek = check(IST, c(sb=2, b=5))
    g = data_grafik(cek)
    assert g.ok and [t.pesan for t in g.peringatan] == [w.message for w in cek.warnings]
    assert g.keterangan.endswith("sesuai pola distribusi · 1 peringatan")
    html = render(g)
    assert "Peringatan (1)" in html and "Sebagian besar pegawai seharusnya berpredikat Sangat Baik" in html


def test_svg_ids_are_unique_per_chart_and_safe():
    cek = check(IST, c(sb=8, b=2))
    first, second = data_grafik(cek), data_grafik(cek)
    assert first.id != second.id
    assert data_grafik(cek, kunci="unit 7/tw 2").id == "grafik-distribusi-unit-7-tw-2"


def test_template_markup_is_self_contained_and_accessible():
    g = data_grafik(check(BAIK, c(sb=2, b=9, sk=1)), kunci="uji")
    html = render(g)
    assert '<figure id="grafik-distribusi-uji"' in html
    assert "<figcaption" in html and "Capaian organisasi Baik · 12 pegawai · 2 pelanggaran" in html
    assert 'role="img" aria-labelledby="grafik-distribusi-uji-judul grafik-distribusi-uji-desk"' in html
    assert (
        '<title id="grafik-distribusi-uji-judul">Pola distribusi predikat kinerja — capaian organisasi Baik'
        in html
    )
    desc = re.search(r'<desc id="grafik-distribusi-uji-desk">(.*?)</desc>', html, re.S)
    assert desc and f"Baik: 9 pegawai, batas ≤{NB}8 (70{NB}%), melebihi batas." in desc[1]
    # The outside bar is hatched (readable in black and white) and labelled; the others are plain.
    assert '<pattern id="grafik-distribusi-uji-luar"' in html
    assert html.count('data-di-luar="ya"') == 1
    assert re.search(r'<rect [^>]*fill="url\(#grafik-distribusi-uji-luar\)"[^>]*data-di-luar="ya"', html)
    assert ">melebihi</text>" in html
    assert html.count('fill="#2f5d8a"><title>') == 4
    # The allowed band of Baik with its dashed upper bound, the "harus ada" bracket, the table.
    assert f'height="{kolom(g, B).pita_tinggi}" fill="#cfe8d7"' in html
    assert 'stroke-dasharray="5 3"' in html
    assert "Gabungan ≥\u00a01 (harus ada) · saat ini 0 · tidak terpenuhi" in html
    for label in ("Sangat Baik", "Baik", "Butuh Perbaikan", "Kurang/Misconduct", "Sangat Kurang"):
        assert re.search(rf'<th scope="row"[^>]*>{re.escape(label)}( <small|</th>)', html), label
    assert f'<td style="padding:.25em .5em;border:1px solid #adb5bd">≤{NB}8 (70{NB}%)</td>' in html
    assert "Melebihi batas" in html and "Tidak terpenuhi" in html
    assert "Pelanggaran pola distribusi (2)" in html
    # No script, no external resource, no class the PDF stylesheet would have to know.
    assert "<script" not in html and "src=" not in html and "href=" not in html and "<link" not in html
    assert not re.search(r"url\((?!#grafik-distribusi-uji-luar\))", html)


def test_svg_numbers_are_never_localised():
    """LANGUAGE_CODE "id" writes 12,5 for a float in a template; the chart passes strings with a dot."""
    g = data_grafik(check(KUR, c(sb=1, b=1, bp=2, k=7)))  # n = 11: non-integer positions
    assert any("." in k.batang_tinggi for k in g.kolom)
    with translation.override("id"):
        html = render_to_string(TEMPLATE, {"grafik": g})
    values = re.findall(r'\s(?:x|y|x1|x2|y1|y2|width|height)="([^"]*)"', html)
    assert values and all(re.fullmatch(r"-?\d+(\.\d)?%?", v) for v in values), values
    assert re.search(r'viewBox="0 0 640 \d+(\.\d)?"', html)


def test_chart_prints_through_weasyprint():
    charts = [
        data_grafik(check(BAIK, c(sb=2, b=9, sk=1))),
        data_grafik(check(KUR, c(k=1))),
        data_grafik(check(CUKUP, {})),
    ]
    body = "".join(render(g) for g in charts)
    content = render_pdf(
        f'<!doctype html><html lang="id"><head><meta charset="utf-8"></head><body>{body}</body></html>'
    )
    assert content.startswith(b"%PDF")
    text = pdf_text(content)
    for label in ("Sangat Baik", "Butuh Perbaikan", "Kurang/Misconduct", "Sangat Kurang"):
        assert text.count(label) >= 2, label  # in the SVG and in the table
    assert "Capaian organisasi Baik · 12 pegawai · 2 pelanggaran" in text
    assert "Melebihi batas" in text and "melebihi" in text  # table status and the label over the bar
    assert "Jumlah pegawai" in text and "Rentang yang diizinkan" in text  # table footer and SVG legend
    assert "Gabungan" in text and "tidak terpenuhi" in text
    assert "Pola distribusi tidak dapat diterapkan." in text
    assert "belum ada pegawai yang dinilai" in text


def test_module_stays_free_of_django():
    source = Path(grafik_mod.__file__).read_text(encoding="utf-8")
    assert "django" not in re.sub(r'""".*?"""', "", source, flags=re.S).lower()
