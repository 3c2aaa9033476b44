"""Follow-up lists (penghargaan, pengembangan, pembinaan, tinjauan sanksi) and angka kredit: membership,
the two-years flag, a configured sanksi set, angka kredit numbers, page / PDF / xlsx, who may see, flat
query counts (docs/rules.md §19)."""

from __future__ import annotations

import datetime
import io
from decimal import Decimal

import pytest
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from kinerja.organisasi.models import Instansi, Jabatan, Periode, PeriodePenilaian, UnitKerja, User
from kinerja.penilaian.models import Evaluasi, JenisEvaluasi
from kinerja.perencanaan.models import Skp
from kinerja.rules import Jenjang, Predikat
from kinerja.rules.angka_kredit import angka_kredit
from kinerja.rules.tindak_lanjut import Kategori
from kinerja.tindak_lanjut.laporan import selectors as sel
from tests.dokumen.conftest import page_size_mm, pdf_text

KABID = "197904182005012005"  # heads BPKP
KSUBUM = "198103152006041002"  # heads SUBUM (another unit)
IKA = "198506282010012004"  # fungsional Ahli Muda (PKP-AMU1)
YUSUF = "197510232001121002"  # Ahli Madya
ANDI = "198712092011011003"  # Ahli Muda
GALIH = "199304112019031003"  # Ahli Pertama
TRI = "199601202020122002"  # Ahli Pertama
BAYU = "199910012024211001"  # Pemula
RAHMAT = "199108162015031001"  # pelaksana

RATING = {  # (rating hasil, rating perilaku) giving each predikat (kuadran)
    Predikat.SANGAT_BAIK: ("diatas", "diatas"),
    Predikat.BAIK: ("sesuai", "sesuai"),
    Predikat.BUTUH_PERBAIKAN: ("dibawah", "sesuai"),
    Predikat.KURANG: ("sesuai", "dibawah"),
    Predikat.SANGAT_KURANG: ("dibawah", "dibawah"),
}
SB, B, BP, K, SK = Predikat


def _periode(instansi: Instansi, tahun: int) -> Periode:
    return Periode.objects.get_or_create(
        instansi=instansi,
        tahun=tahun,
        defaults={
            "batas_skp": datetime.date(tahun, 1, 31),
            "batas_evaluasi_tahunan": datetime.date(tahun + 1, 1, 31),
        },
    )[0]


def _skp_2026(nip: str) -> Skp:
    return Skp.objects.filter(pegawai__nip=nip, periode__tahun=2026).order_by("-mulai").first()  # type: ignore[return-value]


def _skp(nip: str, tahun: int, mulai=None, selesai=None, jabatan: Jabatan | None = None) -> Skp:
    """An approved SKP of an earlier year, copied from the pegawai's demo SKP of 2026."""
    s = _skp_2026(nip)
    s.pk = None
    s._state.adding = True
    s.periode = _periode(s.instansi, tahun)
    s.mulai = mulai or datetime.date(tahun, 1, 1)
    s.selesai = selesai or datetime.date(tahun, 12, 31)
    s.batas = datetime.date(tahun, 1, 31)
    s.status = "disetujui"
    if jabatan is not None:
        s.jabatan, s.pegawai_jabatan, s.pegawai_jenjang = jabatan, jabatan.nama, jabatan.jenjang
    s.save()
    return s


def _final(
    skp: Skp, predikat: Predikat, pp: PeriodePenilaian | None = None, status: str = "final"
) -> Evaluasi:
    """A FINAL evaluation written directly: the rating / finalisation workflow is tested in
    tests/penilaian; these reports only read final rows (the predikat is derived by Evaluasi.save)."""
    hasil, perilaku = RATING[predikat]
    ev = Evaluasi(
        instansi=skp.instansi,
        jenis=JenisEvaluasi.PERIODIK if pp else JenisEvaluasi.TAHUNAN,
        skp=skp,
        pegawai=skp.pegawai,
        periode=skp.periode,
        periode_penilaian=pp,
        status=status,
        penilai=skp.penilai,
        unit=skp.unit,
        unit_kelompok=skp.unit,
        pegawai_nama=skp.pegawai_nama,
        pegawai_nip=skp.pegawai_nip,
        pegawai_pangkat=skp.pegawai_pangkat,
        pegawai_jabatan=skp.pegawai_jabatan,
        pegawai_unit=skp.pegawai_unit,
        rating_hasil=hasil,
        rating_perilaku=perilaku,
        final_pada=timezone.now() if status == "final" else None,
    )
    ev.save()
    assert ev.predikat == predikat.value
    return ev


@pytest.fixture
def riwayat(demo_instansi: Instansi) -> dict[str, object]:
    """Final annual evaluations of 2024 and 2025 (and two final periodic ones of 2026 for Ika).

    BPKP (the kabid's unit): Ika SB/SB (2025 after a mutation from a pelaksana post on 15 July), Yusuf
    SB/B, Andi B/B, Rahmat B/-, Galih BP/BP, Tri K/SK, Bayu a DRAFT annual (not counted). SUBUM: one pegawai
    SK in 2025 only."""
    tahun_lalu = {IKA: SB, YUSUF: B, ANDI: B, GALIH: BP, TRI: SK}
    for nip, p in tahun_lalu.items():
        _final(_skp(nip, 2024), p)
    pl2 = Jabatan.objects.get(instansi=demo_instansi, kode="PKP-PL2")
    _skp(IKA, 2025, datetime.date(2025, 1, 1), datetime.date(2025, 7, 14), jabatan=pl2)
    _final(_skp(IKA, 2025, datetime.date(2025, 7, 15)), SB)
    for nip, p in {YUSUF: SB, ANDI: B, RAHMAT: B, GALIH: BP, TRI: K}.items():
        _final(_skp(nip, 2025), p)
    _final(_skp(BAYU, 2025), SB, status="draft")
    subum = Skp.objects.filter(unit__kode="SUBUM", periode__tahun=2026).exclude(pegawai__nip=KSUBUM).first()
    g = _final(_skp(subum.pegawai.nip, 2025), SK)
    ika26 = _skp_2026(IKA)
    tw = {pp.nomor: pp for pp in PeriodePenilaian.objects.filter(periode=ika26.periode)}
    _final(ika26, B, tw[1])
    _final(ika26, SB, tw[2])
    return {"subum": g}


def _login(nip: str) -> Client:
    c = Client()
    c.force_login(User.objects.get(pegawai__nip=nip))
    return c


def _url(name: str, **q: object) -> str:
    return reverse(f"tindak_lanjut:{name}") + ("?" + "&".join(f"{k}={v}" for k, v in q.items()) if q else "")


def _unit(kode: str) -> UnitKerja:
    return UnitKerja.objects.get(kode=kode)


# --- membership --------------------------------------------------------------------------------------------


def _isi(daftar: sel.DaftarTindakLanjut) -> dict[Kategori, list[tuple[str, bool]]]:
    return {k.kategori: [(b.nip, b.dua_tahun) for b in k.baris] for k in daftar.kelompok}


def test_lists_of_a_unit_with_two_years_flag(riwayat, demo_instansi):
    daftar = sel.list_tindak_lanjut(demo_instansi, 2025, _unit("BPKP"))
    assert daftar.jumlah_final == 6  # Bayu's draft does not count; SUBUM is another unit
    assert _isi(daftar) == {
        Kategori.PENGHARGAAN: [(IKA, True), (YUSUF, False)],  # two years first
        Kategori.PENGEMBANGAN: [(ANDI, True)],
        Kategori.PEMBINAAN: [(GALIH, True)],
        Kategori.TINJAUAN_SANKSI: [(TRI, True)],
    }
    ika = daftar.kelompok[0].baris[0]
    assert (ika.predikat, ika.predikat_lalu) == (SB, SB)
    assert "talent pool" in ika.keterangan
    assert daftar.kelompok[0].baris[1].predikat_lalu is B


def test_lists_of_the_whole_instansi_and_a_year_without_history(riwayat, demo_instansi):
    g = riwayat["subum"]
    daftar = sel.list_tindak_lanjut(demo_instansi, 2025, None)
    assert daftar.jumlah_final == 7
    assert _isi(daftar)[Kategori.TINJAUAN_SANKSI] == [(TRI, True), (g.pegawai_nip, False)]
    # 2024: nothing before it, so no "two years"; Baik once is on no list.
    d24 = sel.list_tindak_lanjut(demo_instansi, 2024, None)
    assert _isi(d24) == {
        Kategori.PENGHARGAAN: [(IKA, False)],
        Kategori.PENGEMBANGAN: [],
        Kategori.PEMBINAAN: [(GALIH, False)],
        Kategori.TINJAUAN_SANKSI: [(TRI, False)],
    }
    # 2026 has only periodic finals: no annual, nothing listed.
    assert sel.list_tindak_lanjut(demo_instansi, 2026, None).jumlah_final == 0
    assert sel.tahun_tahunan_final(demo_instansi) == [2025, 2024]


def test_configured_sanksi_set(riwayat, demo_instansi):
    demo_instansi.predikat_tinjauan_sanksi = [Predikat.SANGAT_KURANG.value]
    demo_instansi.save()
    daftar = sel.list_tindak_lanjut(demo_instansi, 2025, None)
    isi = _isi(daftar)
    # Kurang is no longer "not meeting the target": Tri is coached; the year before was SK, not the same.
    assert isi[Kategori.PEMBINAAN] == [(GALIH, True), (TRI, False)]
    assert isi[Kategori.TINJAUAN_SANKSI] == [(riwayat["subum"].pegawai_nip, False)]
    assert daftar.predikat_sanksi == (SK,)


# --- angka kredit ------------------------------------------------------------------------------------------


def test_angka_kredit_annual_with_mutation_and_running_total(riwayat, demo_instansi):
    lap = sel.laporan_angka_kredit(demo_instansi, 2025, _unit("BPKP"))
    per = {b.nip: b for b in lap.baris}
    assert set(per) == {IKA, YUSUF, ANDI, GALIH, TRI}  # Rahmat is pelaksana; Bayu's annual is a draft
    ika = per[IKA]
    t = ika.tahun_ini
    assert not t.sementara and t.predikat_tahunan is SB
    # Jan–14 Jul at a pelaksana post (7 months: July's 1st is in it, nothing earned), 15 Jul–Dec Ahli Muda
    # (August to December, 5 months) x Sangat Baik: the default part-month rule (docs/rules.md §5).
    assert [(b.jenjang, b.bulan) for b in t.bagian_tahunan] == [(None, 7), (Jenjang.AHLI_MUDA, 5)]
    assert t.nilai == angka_kredit(Jenjang.AHLI_MUDA, SB, 5) == Decimal("15.625")
    assert [(r.tahun, r.nilai, r.kumulatif) for r in ika.riwayat] == [
        (2024, Decimal("37.500"), Decimal("37.500")),
        (2025, Decimal("15.625"), Decimal("53.125")),
    ]
    assert per[YUSUF].kumulatif == Decimal("93.750")  # Madya: Baik 37.5 + Sangat Baik 56.25
    assert per[TRI].kumulatif == Decimal("9.375")  # Pertama: SK 3.125 + Kurang 6.25
    assert not per[TRI].kumulatif_sementara


def test_angka_kredit_periodic_is_progress_until_the_annual(riwayat, demo_instansi):
    lap = sel.laporan_angka_kredit(demo_instansi, 2026, None)
    assert [b.nip for b in lap.baris] == [IKA]
    t = lap.baris[0].tahun_ini
    assert [(p.nomor, p.bulan, p.nilai) for p in t.periodik] == [
        (1, 3, angka_kredit(Jenjang.AHLI_MUDA, B, 3)),  # 6.250
        (2, 3, angka_kredit(Jenjang.AHLI_MUDA, SB, 3)),  # 9.375
    ]
    assert t.tahunan is None and t.sementara
    assert t.nilai == t.periodik_jumlah == Decimal("15.625")
    assert lap.baris[0].kumulatif == Decimal("68.750")  # 37.5 + 15.625 + 15.625
    assert lap.baris[0].kumulatif_sementara
    # Scope: another unit has no fungsional evaluated in 2026.
    assert sel.laporan_angka_kredit(demo_instansi, 2026, _unit("SUBUM")).baris == []


def test_angka_kredit_part_month_rule_is_the_instansi_setting(riwayat, demo_instansi):
    # CONFIG: "most days" gives July (17 of 31 days) to the Ahli Muda SKP from 15 July.
    demo_instansi.bulan_sebagian_angka_kredit = "sebagian_besar"
    demo_instansi.save()
    lap = sel.laporan_angka_kredit(demo_instansi, 2025, _unit("BPKP"))
    t = next(b for b in lap.baris if b.nip == IKA).tahun_ini
    assert [(b.jenjang, b.bulan) for b in t.bagian_tahunan] == [(None, 6), (Jenjang.AHLI_MUDA, 6)]
    assert t.nilai == Decimal("18.750")


def _tw(skp: Skp) -> dict[int, PeriodePenilaian]:
    return {pp.nomor: pp for pp in PeriodePenilaian.objects.filter(periode=skp.periode)}


@pytest.mark.parametrize(
    ("mulai", "bulan_tw", "tahunan"),
    [
        # From 1 March: Triwulan I has one month of it, not three; the year has ten.
        (datetime.date(2026, 3, 1), [(1, 1), (2, 3)], 10),
        # From 20 March: March is not counted (the SKP is not in force on 1 March); nine months, not ten.
        (datetime.date(2026, 3, 20), [(1, 0), (2, 3)], 9),
    ],
)
def test_angka_kredit_counts_only_the_months_the_skp_covers(riwayat, demo_instansi, mulai, bulan_tw, tahunan):
    skp = _skp_2026(ANDI)  # Ahli Muda
    skp.mulai = mulai
    skp.save()
    tw = _tw(skp)
    _final(skp, B, tw[1])
    _final(skp, B, tw[2])
    t = next(b for b in sel.laporan_angka_kredit(demo_instansi, 2026, None).baris if b.nip == ANDI).tahun_ini
    assert [(p.nomor, p.bulan) for p in t.periodik] == bulan_tw
    assert [p.nilai for p in t.periodik] == [
        angka_kredit(Jenjang.AHLI_MUDA, B, n) if n else Decimal("0.000") for _, n in bulan_tw
    ]
    bulan = sum(n for _, n in bulan_tw)
    assert t.periodik_jumlah == angka_kredit(Jenjang.AHLI_MUDA, B, bulan) and t.sementara
    # The annual evaluation of the same SKP: the months it covers, not the whole year.
    _final(skp, SB)
    t = next(b for b in sel.laporan_angka_kredit(demo_instansi, 2026, None).baris if b.nip == ANDI).tahun_ini
    assert [b.bulan for b in t.bagian_tahunan] == [tahunan]
    assert t.nilai == angka_kredit(Jenjang.AHLI_MUDA, SB, tahunan)


def test_angka_kredit_mutation_inside_a_triwulan_splits_its_months(riwayat, demo_instansi, client_for):
    # Galih (Ahli Pertama) moves to an Ahli Muda post on 16 August 2026. Triwulan III is evaluated once, on
    # the new SKP: July and August (the old SKP is in force on their 1st) count at Ahli Pertama, September at
    # Ahli Muda; never three months at Ahli Muda, never more than 12 in the year.
    lama = _skp_2026(GALIH)
    lama.selesai = datetime.date(2026, 8, 15)
    lama.save()
    amu = Jabatan.objects.get(instansi=demo_instansi, kode="PKP-AMU1")
    baru = _skp(GALIH, 2026, datetime.date(2026, 8, 16), jabatan=amu)
    tw = _tw(lama)
    for n in (1, 2):
        _final(lama, B, tw[n])
    for n in (3, 4):
        _final(baru, B, tw[n])
    t = next(b for b in sel.laporan_angka_kredit(demo_instansi, 2026, None).baris if b.nip == GALIH).tahun_ini
    assert [(p.nomor, p.jenjang, p.bulan) for p in t.periodik] == [
        (1, Jenjang.AHLI_PERTAMA, 3),
        (2, Jenjang.AHLI_PERTAMA, 3),
        (3, Jenjang.AHLI_PERTAMA, 2),
        (3, Jenjang.AHLI_MUDA, 1),
        (4, Jenjang.AHLI_MUDA, 3),
    ]
    assert sum(p.bulan for p in t.periodik) == 12
    assert t.periodik_jumlah == Decimal("16.667")  # 12.5 x 8/12 + 25 x 4/12, rounded once
    assert t.periodik_beberapa_jabatan
    html = client_for("admin").get(_url("laporan_angka_kredit", tahun=2026)).content.decode()
    assert f"Triwulan III ({amu.nama}): Baik, 1 bln" in html


# --- pages, PDF, xlsx -------------------------------------------------------------------------------------


def test_page_shows_lists_and_defaults_to_the_latest_final_year(riwayat, client_for):
    r = client_for("admin").get(_url("laporan_tindak_lanjut"))
    assert r.status_code == 200
    assert r.context["tahun"] == 2025 and r.context["unit"] is None
    html = r.content.decode()
    assert "Calon penghargaan" in html and "Dua tahun berturut-turut" in html
    assert _skp_2026(IKA).pegawai_nama in html


def test_empty_state(riwayat, client_for):
    r = client_for("admin").get(_url("laporan_tindak_lanjut", tahun=2026))
    assert r.status_code == 200
    assert "Belum ada evaluasi tahunan yang final untuk tahun 2026" in r.content.decode()
    r = client_for("admin").get(_url("laporan_angka_kredit", tahun=2026, unit=_unit("SUBUM").pk))
    assert "Belum ada evaluasi final jabatan fungsional untuk tahun 2026" in r.content.decode()


def test_empty_state_without_any_annual(demo_instansi, client_for):
    r = client_for("admin").get(_url("laporan_tindak_lanjut"))
    assert r.status_code == 200
    assert r.context["tahun"] == 2026
    assert "Belum ada evaluasi tahunan yang final untuk tahun 2026" in r.content.decode()
    assert client_for("admin").get(_url("laporan_tindak_lanjut_xlsx")).status_code == 200


def test_xlsx_tindak_lanjut_cells(riwayat, client_for):
    r = client_for("kabid").get(_url("laporan_tindak_lanjut_xlsx", tahun=2025))
    assert r.status_code == 200
    assert 'filename="Tindak-Lanjut-Predikat-BPKP-2025.xlsx"' in r["Content-Disposition"]
    ws = load_workbook(io.BytesIO(r.content)).active
    assert ws["A1"].value == "DAFTAR TINDAK LANJUT PREDIKAT KINERJA TAHUNAN"
    assert ws["A3"].value == "Unit kerja: Bidang Penilaian Kinerja dan Penghargaan"
    assert [c.value for c in ws[7]][:3] == ["No", "Tindak Lanjut", "Nama"]
    assert ws.freeze_panes == "D8"
    ika, yusuf = _skp_2026(IKA), _skp_2026(YUSUF)
    row8 = [c.value for c in ws[8]]
    assert row8[:3] == [1, "Calon penghargaan", ika.pegawai_nama]
    assert row8[3] == "19850628 201001 2 004"
    assert row8[6:9] == ["Sangat Baik", "Sangat Baik", "Ya"]
    row9 = [c.value for c in ws[9]]
    assert row9[2] == yusuf.pegawai_nama and row9[6:9] == ["Sangat Baik", "Baik", "Tidak"]
    assert [c.value for c in ws[12]][1:3] == ["Tinjauan sanksi", _skp_2026(TRI).pegawai_nama]
    assert ws[13][0].value is None  # the table ends after five rows


def test_xlsx_angka_kredit_cells(riwayat, client_for):
    r = client_for("admin").get(_url("laporan_angka_kredit_xlsx", tahun=2026))
    assert r.status_code == 200
    ws = load_workbook(io.BytesIO(r.content)).active
    assert ws.freeze_panes == "C8"
    row = [c.value for c in ws[8]]
    assert row[1] == _skp_2026(IKA).pegawai_nama
    assert row[4] == "Ahli Muda"
    assert row[6] == "Triwulan I: Baik, 3 bln = 6,250; Triwulan II: Sangat Baik, 3 bln = 9,375"
    assert row[7] == 15.625 and row[9] is None and row[10] == 15.625
    assert row[11:14] == ["Sementara (periodik)", 68.75, 2024]
    assert "sebagian dicakup: Bila tanggal 1-nya dalam masa SKP." in ws["A6"].value
    assert ws.cell(8, 13).number_format == "0.000"


def test_pdf_renders_with_names_and_signature(riwayat, client_for):
    r = client_for("kabid").get(_url("laporan_tindak_lanjut_pdf", tahun=2025))
    assert r.status_code == 200 and r["Content-Type"] == "application/pdf"
    assert r.content.startswith(b"%PDF")
    assert page_size_mm(r.content) == (210, 297)
    text = pdf_text(r.content)
    assert "DAFTAR TINDAK LANJUT PREDIKAT KINERJA PEGAWAI" in text and "TAHUN 2025" in text
    for nip in (IKA, YUSUF, ANDI, GALIH, TRI):
        assert _skp_2026(nip).pegawai_nama in text
    kabid = User.objects.get(pegawai__nip=KABID).pegawai
    assert kabid.nama_lengkap in text  # the unit head signs
    assert "Dua tahun berturut-turut" in text


def test_angka_kredit_page(riwayat, client_for):
    r = client_for("kabid").get(_url("laporan_angka_kredit"))
    assert r.status_code == 200
    assert r.context["tahun"] == 2026
    html = r.content.decode()
    assert "Angka kredit tahun adalah hasil evaluasi tahunan yang final" in html
    assert "15,625" in html and "68,750" in html  # localised (id) and "Sementara (periodik)" in html
    # The part-month rule in force.
    assert "sebagian dicakup SKP (Pengaturan instansi): Bila tanggal 1-nya dalam masa SKP." in html


# --- who may see -------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "name",
    [
        "laporan_tindak_lanjut",
        "laporan_tindak_lanjut_pdf",
        "laporan_tindak_lanjut_xlsx",
        "laporan_angka_kredit",
        "laporan_angka_kredit_xlsx",
    ],
)
def test_pegawai_and_other_instansi_are_refused(riwayat, client_for, other_instansi, name):
    for role in ("fungsional", "pelaksana"):
        assert client_for(role).get(_url(name, tahun=2025)).status_code == 403
    lain = Client()
    lain.force_login(User.objects.get(username="admin-lain"))
    # The other instansi's admin sees only their own instansi (empty), never a unit of the demo.
    assert lain.get(_url(name, tahun=2025, unit=_unit("BPKP").pk)).status_code == 403
    r = lain.get(_url(name))
    assert r.status_code == 200
    if name in ("laporan_tindak_lanjut", "laporan_angka_kredit"):
        assert _skp_2026(IKA).pegawai_nama not in r.content.decode()


def test_unit_heads_see_their_units_only(riwayat, client_for):
    kabid = client_for("kabid")  # head of BPKP and penilai of its pegawai
    r = kabid.get(_url("laporan_tindak_lanjut", tahun=2025))
    assert r.status_code == 200 and r.context["unit"].kode == "BPKP"
    assert [k for k, _ in r.context["unit_opsi"]] == [_unit("BPKP").pk]
    assert riwayat["subum"].pegawai_nama not in r.content.decode()
    assert kabid.get(_url("laporan_tindak_lanjut", tahun=2025, unit=_unit("SUBUM").pk)).status_code == 403
    assert kabid.get(_url("laporan_tindak_lanjut", tahun=2025, unit="x")).status_code == 403
    # The head of another unit sees theirs, not the kabid's.
    ksubum = _login(KSUBUM)
    r = ksubum.get(_url("laporan_tindak_lanjut", tahun=2025))
    assert r.status_code == 200 and r.context["unit"].kode == "SUBUM"
    html = r.content.decode()
    assert riwayat["subum"].pegawai_nama in html and _skp_2026(IKA).pegawai_nama not in html
    assert ksubum.get(_url("laporan_angka_kredit", unit=_unit("BPKP").pk)).status_code == 403
    # The kepala heads the top unit: every unit below it.
    r = client_for("kepala").get(_url("laporan_tindak_lanjut", tahun=2025, unit=_unit("SUBUM").pk))
    assert r.status_code == 200
    # No "whole instansi" choice for a head: the page defaults to the unit they head.
    r = client_for("kepala").get(_url("laporan_tindak_lanjut", tahun=2025))
    assert r.context["unit"].kode == "BKPSDM" and r.context["daftar"].jumlah_final == 7


def test_unknown_year_falls_back_to_the_default(riwayat, client_for):
    r = client_for("admin").get(_url("laporan_tindak_lanjut", tahun="abc"))
    assert r.context["tahun"] == 2025
    r = client_for("admin").get(_url("laporan_tindak_lanjut", tahun=1999))
    assert r.context["tahun"] == 2025
    assert 2024 in r.context["tahun_opsi"] and 2026 in r.context["tahun_opsi"]


def test_anonymous_is_sent_to_login(client):
    r = client.get(_url("laporan_tindak_lanjut"))
    assert r.status_code == 302


# --- query counts -----------------------------------------------------------------------------------------


def _queries(client: Client, url: str) -> int:
    cache.clear()  # each measure pays the same cold navigation (kinerja/common/cache.py)
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def test_query_counts_do_not_grow_with_rows(riwayat, demo_instansi, client_for):
    admin, kepala = client_for("admin"), client_for("kepala")
    urls = [
        _url("laporan_tindak_lanjut", tahun=2025),
        _url("laporan_angka_kredit", tahun=2025),
        _url("laporan_tindak_lanjut_xlsx", tahun=2025),
        _url("laporan_angka_kredit_xlsx", tahun=2025),
    ]
    kecil = [_queries(c, u) for c in (admin, kepala) for u in urls]
    # Twenty more pegawai with final annual evaluations in 2025 (and 2024 for the "two years" look-up).
    lain = (
        Skp.objects.filter(periode__tahun=2026)
        .exclude(pegawai__nip__in=[IKA, YUSUF, ANDI, GALIH, TRI, RAHMAT, BAYU])
        .exclude(pegawai__evaluasi__periode__tahun=2025)
        .values_list("pegawai__nip", flat=True)
        .distinct()[:20]
    )
    nips = list(lain)
    assert len(nips) >= 10
    for i, nip in enumerate(nips):
        p = list(Predikat)[i % 5]
        _final(_skp(nip, 2024), p)
        _final(_skp(nip, 2025), p)
    assert sel.list_tindak_lanjut(demo_instansi, 2025, None).jumlah_final >= 17
    besar = [_queries(c, u) for c in (admin, kepala) for u in urls]
    assert besar == kecil


def test_editing_the_jabatan_rows_jenjang_never_rewrites_earlier_years(riwayat, demo_instansi):
    """A jabatan row edited later (a promotion typed onto the row, a correction, a formasi row shared by many
    holders) leaves the angka kredit of the SKP made before it as they were (docs/rules.md §19.3)."""
    from kinerja.organisasi import services as org_services

    def tahun() -> list[tuple[int, Decimal]]:
        baris = next(b for b in sel.laporan_angka_kredit(demo_instansi, 2025, None).baris if b.nip == ANDI)
        assert baris.jenjang is Jenjang.AHLI_MUDA
        return [(r.tahun, r.nilai) for r in baris.riwayat]

    sebelum = tahun()
    assert sebelum == [(2024, Decimal("25.000")), (2025, Decimal("25.000"))]  # Baik, Ahli Muda (25)
    jabatan = Skp.objects.filter(pegawai__nip=ANDI).first().jabatan
    org_services.save_jabatan(jabatan, jenjang=Jenjang.AHLI_MADYA.value)
    assert tahun() == sebelum
