"""Computing the month's TPP (docs/rules.md §28): pro rata across a mutation, pagu and rule set in force,
closing and reopening, the recomputation on `kehadiran_berubah`, the rule set and pagu versions."""

from __future__ import annotations

import dataclasses
import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from kinerja.kehadiran.models import BulanTpp, PeristiwaDisiplin, TppPegawai
from kinerja.kehadiran.signals import kabarkan_perubahan
from kinerja.kehadiran.tpp import selectors as sel
from kinerja.kehadiran.tpp import services
from kinerja.organisasi.models import Penempatan
from kinerja.pekerjaan.models import Pekerjaan, Status
from kinerja.rules import tpp
from kinerja.rules.jenis_hari import JenisHari
from tests.builders import (
    InstansiFactory,
    JabatanFactory,
    PenempatanFactory,
    UnitKerjaFactory,
    admin_instansi,
    pegawai_di,
)

pytestmark = pytest.mark.django_db

JAN = datetime.date(2026, 1, 1)
# Without taps every working day is TK: no cut for it keeps the amounts readable.
TANPA_TK = dataclasses.replace(tpp.PRESET["kementerian"], nama="Uji", tk=tpp.PotonganHarian(Decimal(0)))


@pytest.fixture
def dunia():
    instansi = InstansiFactory()
    unit = UnitKerjaFactory(instansi=instansi)
    j9 = JabatanFactory(instansi=instansi, unit=unit, kelas_jabatan=9)
    j7 = JabatanFactory(instansi=instansi, unit=unit, kelas_jabatan=7, parent=j9)
    tanpa = JabatanFactory(
        instansi=instansi, unit=unit, kelas_jabatan=3, nama="Jabatan Tanpa Pagu", parent=j9
    )
    admin = admin_instansi(instansi)
    services.simpan_tabel_pagu(instansi, [(None, 7, "2200000"), (None, 9, 4_400_000)], JAN, "Perkada", admin)
    services.simpan_aturan(instansi, TANPA_TK, JAN, "Perkada TPP", admin)
    return instansi, unit, j7, j9, tanpa, admin


def _hitung(instansi, admin, capture, tahun=2026, bulan=3) -> Pekerjaan:
    with capture(execute=True):
        p = services.hitung_bulan(instansi, tahun, bulan, admin)
    p.refresh_from_db()
    return p


def test_mid_month_mutation_is_two_segments_pro_rata(dunia, django_capture_on_commit_callbacks):
    instansi, _, j7, j9, _, admin = dunia
    p = pegawai_di(j7)
    Penempatan.objects.filter(pegawai=p).update(selesai=datetime.date(2026, 3, 15))
    PenempatanFactory(pegawai=p, jabatan=j9, mulai=datetime.date(2026, 3, 16))
    job = _hitung(instansi, admin, django_capture_on_commit_callbacks)
    assert job.status == Status.SELESAI, job.alasan
    row = TppPegawai.objects.get(pegawai=p)
    # March 2026: 22 working days, 10 up to the 15th → 2 200 000 × 10/22 + 4 400 000 × 12/22.
    assert row.bruto == Decimal(1_000_000 + 2_400_000)
    assert [s["pagu"] for s in row.hasil["segmen"]] == ["2200000", "4400000"]
    assert row.jabatan_id == j9.pk
    assert BulanTpp.objects.get(instansi=instansi, tahun=2026, bulan=3).dihitung_pada is not None


def test_missing_pagu_is_skipped_and_listed(dunia, django_capture_on_commit_callbacks):
    instansi, _, j7, _, tanpa, admin = dunia
    ada = pegawai_di(j7)
    tidak = pegawai_di(tanpa)
    job = _hitung(instansi, admin, django_capture_on_commit_callbacks)
    assert set(TppPegawai.objects.values_list("pegawai_id", flat=True)) == {ada.pk}
    assert "1 dilewati" in job.ringkasan and tidak.nama in job.ringkasan
    assert "Jabatan Tanpa Pagu" in job.ringkasan


def test_no_rule_set_in_force_fails_the_job_with_a_message(dunia, django_capture_on_commit_callbacks):
    instansi, _, j7, _, _, admin = dunia
    pegawai_di(j7)
    job = _hitung(instansi, admin, django_capture_on_commit_callbacks, tahun=2025, bulan=12)
    assert job.status == Status.GAGAL and "Belum ada aturan TPP" in job.alasan


def test_rule_set_in_force_is_the_latest_started(dunia):
    instansi, *_, admin = dunia
    services.simpan_aturan(
        instansi, tpp.PRESET["pemda_60_40"], datetime.date(2026, 4, 1), "Perkada baru", admin
    )
    assert sel.aturan_berlaku(instansi.pk, datetime.date(2026, 3, 1)).nama == "Uji"
    assert sel.aturan_berlaku(instansi.pk, datetime.date(2026, 4, 1)).versi == 2


def test_closed_month_refuses_recompute_and_reopen_needs_a_reason(dunia, django_capture_on_commit_callbacks):
    instansi, _, j7, _, _, admin = dunia
    pegawai_di(j7)
    _hitung(instansi, admin, django_capture_on_commit_callbacks)
    b = BulanTpp.objects.get(instansi=instansi)
    with pytest.raises(ValidationError):
        services.buka_bulan(b, "alasan", admin)  # not closed yet
    services.tutup_bulan(b, admin)
    with pytest.raises(ValidationError, match="sudah ditutup"):
        services.hitung_bulan(instansi, 2026, 3, admin)
    with pytest.raises(ValidationError) as e:
        services.buka_bulan(b, "  ", admin)
    assert "alasan" in e.value.message_dict
    b = services.buka_bulan(b, "Koreksi kehadiran susulan", admin)
    assert not b.ditutup
    riwayat = list(
        b.history.order_by("history_date").values_list("ditutup", "alasan_buka", "history_user_id")
    )
    assert riwayat[-2:] == [(True, "", admin.pk), (False, "Koreksi kehadiran susulan", admin.pk)]


def test_only_the_instansi_admin_manages(dunia):
    instansi, unit, j7, *_ = dunia
    lain = admin_instansi(InstansiFactory(), "admin-lain")
    pegawai = pegawai_di(j7)
    for fungsi in (
        lambda u: services.hitung_bulan(instansi, 2026, 3, u),
        lambda u: services.simpan_aturan(instansi, TANPA_TK, JAN, "x", u),
        lambda u: services.catat_peristiwa(pegawai, JAN, "apel", "", u),
    ):
        for u in (lain, pegawai.user):
            with pytest.raises(PermissionDenied):
                fungsi(u)


def test_receiver_recomputes_an_open_computed_month(dunia, django_capture_on_commit_callbacks):
    instansi, _, j7, _, _, admin = dunia
    p = pegawai_di(j7)
    _hitung(instansi, admin, django_capture_on_commit_callbacks)
    assert TppPegawai.objects.get(pegawai=p).bruto == Decimal(2_200_000)
    services.simpan_aturan(
        instansi, dataclasses.replace(TANPA_TK, apel=Decimal(10)), datetime.date(2026, 3, 1), "Apel", admin
    )
    services.catat_peristiwa(p, datetime.date(2026, 3, 2), "apel", "", admin)
    with django_capture_on_commit_callbacks(execute=True):
        kabarkan_perubahan(instansi.pk, [p.pk], datetime.date(2026, 3, 2), datetime.date(2026, 3, 2))
    assert TppPegawai.objects.get(pegawai=p).bruto == Decimal(1_980_000)
    assert PeristiwaDisiplin.objects.get().history.get().history_user_id == admin.pk


def test_receiver_leaves_a_closed_month_alone(dunia, django_capture_on_commit_callbacks):
    instansi, _, j7, _, _, admin = dunia
    p = pegawai_di(j7)
    _hitung(instansi, admin, django_capture_on_commit_callbacks)
    services.tutup_bulan(BulanTpp.objects.get(), admin)
    services.catat_hukuman(p, datetime.date(2026, 3, 2), "berat", "SK/1", admin)
    with django_capture_on_commit_callbacks(execute=True):
        kabarkan_perubahan(instansi.pk, None, datetime.date(2026, 3, 1), datetime.date(2026, 3, 31))
    assert not Pekerjaan.objects.filter(status__in=[Status.ANTRE, Status.BERJALAN]).exists()
    assert TppPegawai.objects.get(pegawai=p).bruto == Decimal(2_200_000)


def test_bad_pagu_rows_and_rule_set_are_reported_at_their_field(dunia):
    instansi, *_, admin = dunia
    with pytest.raises(ValidationError) as e:
        services.simpan_tabel_pagu(instansi, [(None, 18, "1"), (None, 7, "abc")], None, "", admin)
    assert set(e.value.message_dict) == {"baris[1]", "baris[2]", "berlaku_mulai", "alasan"}
    salah = dataclasses.replace(TANPA_TK, apel=Decimal(120))
    with pytest.raises(ValidationError) as e:
        services.simpan_aturan(instansi, salah, JAN, "x", admin)
    assert "apel" in e.value.message_dict


def test_hasil_json_keeps_every_line_with_decimals_as_strings():
    from kinerja.kehadiran.tpp.hasil import hasil_ke_json
    from kinerja.rules.jenis_hari import StatusHari

    senin = datetime.date(2026, 3, 2)
    hari = [StatusHari(senin, JenisHari.HADIR, hari_kerja=True, menit_tl=25)]
    h = tpp.hitung_tpp(
        tpp.PRESET["kementerian"],
        [tpp.Segmen(senin, senin, Decimal(1_000_000))],
        hari,
        (),
        tpp.KinerjaBulan(),
    )
    j = hasil_ke_json(h)
    assert j["bruto"] == "995000"
    [r] = j["segmen"][0]["rincian"]
    assert r["teks"] == "TL 25 menit (2 Maret)" and r["persen"] == "0.5" and r["tanggal"] == "2026-03-02"


def test_realisasi_of_the_months_periode_counts_as_the_months_entry():
    """docs/rules.md §28.3: a realisasi of the triwulan saved from the month's first day to the deadline
    counts as the month's entry, as a catatan kegiatan does; one saved after the deadline does not."""
    from django.utils import timezone

    from kinerja.pelaksanaan.models import Realisasi
    from tests.builders import atasan_dan_bawahan, isi_realisasi, skp_disetujui

    tim = atasan_dan_bawahan()
    skp_disetujui(tim.kepala)
    skp_disetujui(tim.atasan)
    skp = skp_disetujui(tim.bawahan)
    baris = isi_realisasi(skp, tim.pp(1))  # Triwulan I: January–March
    batas = datetime.date(2026, 3, 5)
    pid = tim.bawahan.pk

    def disimpan(tanggal):
        waktu = timezone.make_aware(datetime.datetime.combine(tanggal, datetime.time(10)))
        Realisasi.objects.filter(pk__in=[r.pk for r in baris]).update(diubah_pada=waktu)

    disimpan(datetime.date(2026, 2, 20))
    assert sel.sudah_isi([pid], 2026, 2, batas) == {pid}
    disimpan(datetime.date(2026, 3, 6))  # after the deadline
    assert sel.sudah_isi([pid], 2026, 2, batas) == set()
    disimpan(datetime.date(2026, 1, 20))  # saved before February began: not February's entry
    assert sel.sudah_isi([pid], 2026, 2, batas) == set()
    assert sel.sudah_isi([pid], 2026, 1, datetime.date(2026, 2, 5)) == {pid}
