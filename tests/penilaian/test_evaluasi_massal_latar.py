"""The evaluation of every rating group as a background job (page "Semua evaluasi instansi"): only the
instansi's admin starts it, a double press runs it once, its summary and workbook name every group with its
status and reason, a refusal fails the job with its reason, and who started it is kept."""

from __future__ import annotations

from io import BytesIO

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from openpyxl import load_workbook

from kinerja.organisasi.models import User
from kinerja.pekerjaan import services as pekerjaan_services
from kinerja.pekerjaan.models import Pekerjaan
from kinerja.penilaian.evaluasi import massal
from kinerja.perencanaan.models import Skp
from kinerja.rules import distribusi as distribusi_rules
from kinerja.rules.types import CapaianOrganisasi, Predikat
from tests import builders as b
from tests.penilaian.conftest import Tujuh

pytestmark = [pytest.mark.django_db, pytest.mark.data_kecil]

URL = "/penilaian/instansi/evaluasi-massal/"


@pytest.fixture
def p(tujuh: Tujuh) -> Tujuh:
    return tujuh


def _pp(p: Tujuh):  # type: ignore[no-untyped-def]
    return b.periode_penilaian(Skp.objects.get(pegawai=p.fungsional).periode, 1)


def _halaman(user: User, periode: str = "1") -> str:
    return b.klien(user).get(reverse("penilaian:instansi_evaluasi"), {"periode": periode}).content.decode()


def test_admin_computes_every_group_with_summary_and_workbook(p, django_capture_on_commit_callbacks) -> None:  # type: ignore[no-untyped-def]
    for pegawai in (p.fungsional, p.pelaksana):
        b.evaluasi_dinilai(Skp.objects.select_related("periode", "pegawai").get(pegawai=pegawai), _pp(p))
    admin = p.tim.admin
    assert "Hitung seluruh kelompok" in _halaman(admin)
    with django_capture_on_commit_callbacks(execute=True):
        r = b.klien(admin).post(URL, {"periode": "1"})
    assert r.status_code == 302 and r["Location"] == f"{reverse('penilaian:instansi_evaluasi')}?periode=1"
    job = Pekerjaan.objects.get(jenis=massal.JENIS_PEKERJAAN)
    assert (job.status, job.kunci, job.pemilik_id) == ("selesai", massal.kunci_pekerjaan(_pp(p)), admin.pk)
    assert job.judul == "Evaluasi seluruh kelompok Triwulan I 2026"
    assert job.ringkasan.startswith(
        "2 evaluasi periodik dihitung: 0 final, 2 dengan predikat, 0 belum lengkap dinilai. 1 kelompok: "
        "0 melanggar pola distribusi, 1 belum memiliki capaian kinerja organisasi."
    )
    assert job.selesai == job.jumlah == 2
    ws = load_workbook(BytesIO(job.berkas.open("rb").read())).active
    assert ws["A1"].value == "Evaluasi seluruh kelompok Triwulan I 2026"
    baris = [c.value for c in ws[5]]
    assert baris[0] == p.tim.bidang.nama and baris[1] == p.kabid.nama and baris[2] == 2
    assert baris[-2:] == ["Belum dapat diperiksa", "Capaian kinerja organisasi unit ini belum ditetapkan."]
    assert ws.max_row == 5
    # The page shows the outcome and offers the workbook; who started it is kept in the job's history.
    html = _halaman(admin)
    assert "2 evaluasi periodik dihitung" in html and f"/pekerjaan/{job.pk}/unduh/" in html
    # Once done, one way to run it again: the job's own "Buat ulang" (with the same periode).
    assert "Buat ulang" in html and "Hitung seluruh kelompok" not in html
    assert job.history.get(history_type="+").history_user_id == admin.pk


def test_a_double_press_queues_one_job(p, antrean, django_capture_on_commit_callbacks) -> None:  # type: ignore[no-untyped-def]
    c = b.klien(p.tim.admin)
    for _ in range(2):
        with django_capture_on_commit_callbacks(execute=True):
            c.post(URL, {"periode": "1"})
    assert Pekerjaan.objects.filter(jenis=massal.JENIS_PEKERJAAN).count() == 1 and len(antrean.results) == 1
    html = c.get(reverse("penilaian:instansi_evaluasi"), {"periode": "1"}).content.decode()
    assert "masih berjalan; tunggu hingga selesai" in html and "menunggu giliran" in html
    assert "Hitung seluruh kelompok" not in html  # no button while it runs
    # The annual tab has no periodic groups to compute.
    assert "judul-evaluasi-massal" not in _halaman(p.tim.admin, "akhir")


def test_only_the_instansi_admin_may_start_it(p) -> None:  # type: ignore[no-untyped-def]
    kabid = User.objects.get(pegawai=p.kabid)
    lain = b.atasan_dan_bawahan()
    assert b.klien(kabid).post(URL, {"periode": "1"}).status_code == 403
    # Another instansi's admin computes their own instansi's groups, never this one's.
    assert b.klien(lain.admin).post(URL, {"periode": "1"}).status_code == 302
    assert b.klien(p.tim.admin).post(URL, {"periode": "9"}).status_code == 404
    assert list(Pekerjaan.objects.values_list("instansi", flat=True)) == [lain.instansi.pk]
    pp = _pp(p)
    for user in (kabid, lain.admin):
        assert not user.has_perm("penilaian.evaluate_instansi", pp.periode)
        with pytest.raises(PermissionDenied):
            massal.start_evaluasi_massal(pp, user)
    assert p.tim.admin.has_perm("penilaian.evaluate_instansi", pp.periode)


def test_a_refusal_at_run_time_fails_the_job_with_its_reason(
    p, antrean, django_capture_on_commit_callbacks
) -> None:  # type: ignore[no-untyped-def]
    admin = p.tim.admin
    with django_capture_on_commit_callbacks(execute=True):
        job = massal.start_evaluasi_massal(_pp(p), admin)
    User.objects.filter(pk=admin.pk).update(admin_instansi=None)  # no longer the admin when the worker runs
    pekerjaan_services.jalankan(job.pk)
    job.refresh_from_db()
    assert job.status == "gagal"
    assert job.alasan == (
        "Hanya admin kepegawaian instansi ini yang dapat menghitung evaluasi seluruh kelompok."
    )


def test_violating_groups_are_named_with_their_reason(
    p, monkeypatch, django_capture_on_commit_callbacks
) -> None:  # type: ignore[no-untyped-def]
    jumlah = {pr: 0 for pr in Predikat} | {Predikat.SANGAT_BAIK: 7}
    cek = distribusi_rules.check(CapaianOrganisasi.BAIK, jumlah, anggota=7)
    assert cek.violations
    kel = massal.HasilKelompok(
        p.kabid.pk, p.tim.bidang.pk, CapaianOrganisasi.BAIK, list(range(7)), jumlah, cek
    )
    monkeypatch.setattr(massal, "evaluasi_massal", lambda _pp, _lapor: massal.EvaluasiMassal({}, [kel]))
    with django_capture_on_commit_callbacks(execute=True):
        job = massal.start_evaluasi_massal(_pp(p), p.tim.admin)
    job.refresh_from_db()
    alasan = "; ".join(f.message for f in cek.violations)
    assert "1 kelompok: 1 melanggar pola distribusi" in job.ringkasan
    assert f"{p.tim.bidang.nama} (penilai {p.kabid.nama}): {alasan}" in job.ringkasan
    ws = load_workbook(BytesIO(job.berkas.open("rb").read())).active
    assert [c.value for c in ws[5]][-3:] == ["Baik", "Melanggar pola distribusi", alasan]
