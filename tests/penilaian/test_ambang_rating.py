"""The instansi's thresholds for the suggested ratings ("sebagian besar" / "sebagian kecil") and its
capaian organisasi → rating hasil kerja mapping of a unit head (Pengaturan instansi) drive the suggestions
of the per-evaluation services and of the whole-periode evaluation alike; final evaluations keep theirs.

Cast (tests/builders.py, built once for the module): the kepala → the kabid (head of the bidang) → Rahmat,
a pelaksana whose SKP has two RHK utama; the evaluation deadlines are ahead.
"""

from __future__ import annotations

import pytest

from kinerja.organisasi import services as org_services
from kinerja.organisasi.models import Instansi, PeriodePenilaian, User
from kinerja.penilaian import services
from kinerja.penilaian.evaluasi import massal as services_massal
from kinerja.penilaian.models import Evaluasi
from kinerja.perencanaan.models import Rhk, Skp
from kinerja.rules.kuadran import PIMPINAN_DEFAULT
from tests import builders as b
from tests.conftest import perpanjang_batas_evaluasi
from tests.penilaian.conftest import nilai_semua

pytestmark = [pytest.mark.django_db, pytest.mark.data_kecil]

A, S, B = "diatas", "sesuai", "dibawah"


def _bangun() -> b.Tim:
    tim = b.atasan_dan_bawahan(bawahan={"nama": "Rahmat Hidayat"})
    b.skp_disetujui(tim.kepala)
    b.skp_disetujui(tim.atasan)
    b.skp_disetujui(tim.bawahan, rhk=["Tersusunnya rekap surat", "Tersusunnya rekap kinerja"])
    perpanjang_batas_evaluasi(tim.instansi)
    return tim


_tim, tim = b.pemeran_modul(_bangun, "tim")


def siap(pegawai) -> Evaluasi:  # type: ignore[no-untyped-def]
    """The opened TW I evaluation of ``pegawai``, with the realisasi entered."""
    skp = Skp.objects.select_related("periode", "pegawai").get(pegawai=pegawai)
    return b.evaluasi_dibuka(skp, b.periode_penilaian(skp.periode, 1))


def _atur(instansi: Instansi, **pengaturan) -> None:  # type: ignore[no-untyped-def]
    admin = User.objects.get(admin_instansi=instansi)
    org_services.update_pengaturan_instansi(instansi, admin, **pengaturan)
    instansi.refresh_from_db()


def _hitung_ulang(ev: Evaluasi, oleh: User) -> Evaluasi:
    """Opening an existing evaluation again recomputes its suggestions (while it is not final)."""
    return services.open_evaluasi(ev.skp, ev.periode_penilaian, oleh)


def _massal(ev: Evaluasi) -> services_massal.HasilEvaluasi:
    """The whole-periode result for ``ev``, read as a new request would (the instansi's current settings)."""
    pp = PeriodePenilaian.objects.select_related("periode__instansi").get(pk=ev.periode_penilaian_id)
    return services_massal.evaluasi_massal(pp).evaluasi[ev.pk]


@pytest.fixture
def lima_rhk(tim) -> Evaluasi:  # type: ignore[no-untyped-def]
    """Rahmat's TW I evaluation with five RHK utama: 3 Diatas, 2 Sesuai; values 4 Diatas, 3 Sesuai."""
    skp = Skp.objects.get(pegawai=tim.bawahan)
    for i in range(3):  # his SKP has two RHK utama
        Rhk.objects.create(skp=skp, jenis="utama", teks=f"RHK uji ambang {i + 1}", urutan=50 + i)
    ev = siap(tim.bawahan)
    assert ev.rating_rhk.count() == 5
    return nilai_semua(ev, tim.atasan.user, [A, A, A, S, S], [A, A, A, A, S, S, S])


def test_raising_sebagian_besar_changes_the_suggestion(tim, lima_rhk):
    kabid, instansi = tim.atasan.user, tim.instansi
    ev = lima_rhk
    # Bawaan: more than half -> 3 of 5 RHK and 4 of 7 values above expectation is Diatas.
    assert instansi.ambang_rating is None
    assert (ev.saran_hasil, ev.saran_perilaku) == (A, A)
    assert "lebih dari separuh" in ev.saran_hasil_alasan

    _atur(instansi, ambang_rating={"sebagian_besar": "7/10", "sebagian_kecil": "1/3"})
    # Stored suggestions stay until they are computed again...
    ev.refresh_from_db()
    assert (ev.saran_hasil, ev.saran_perilaku) == (A, A)
    # ...and the suggestions computed afterwards use the instansi's 70 %.
    ev = _hitung_ulang(ev, kabid)
    assert (ev.saran_hasil, ev.saran_perilaku) == (S, S)
    assert "3 dari 5" in ev.saran_hasil_alasan and "tidak lebih dari 70%" in ev.saran_hasil_alasan
    assert "tidak lebih dari 70%" in ev.saran_perilaku_alasan
    # Rating one more RHK recomputes with the instansi's thresholds too: 4 of 5 is more than 70 %.
    row = ev.rating_rhk.order_by("urutan").last()
    ev = services.rate_rhk(ev, row.rhk, A, "", kabid)
    assert ev.saran_hasil == A

    # Back to the bawaan.
    _atur(instansi, ambang_rating=None)
    ev = services.rate_rhk(ev, row.rhk, S, "", kabid)
    ev = _hitung_ulang(ev, kabid)
    assert (ev.saran_hasil, ev.saran_perilaku) == (A, A)


def test_sebagian_kecil_zero_makes_any_value_below_expectation_dibawah(tim):
    kabid = tim.atasan.user
    ev = nilai_semua(siap(tim.bawahan), kabid, S, [S, S, S, S, S, S, B])
    assert ev.saran_perilaku == S  # 1 of 7 is at most a third
    _atur(tim.instansi, ambang_rating={"sebagian_besar": "1/2", "sebagian_kecil": "0"})
    ev = _hitung_ulang(ev, kabid)
    assert ev.saran_perilaku == B
    assert "lebih dari nol" in ev.saran_perilaku_alasan
    assert _massal(ev).saran_perilaku == B


def test_evaluasi_massal_agrees_with_the_services_under_custom_thresholds(tim, lima_rhk):
    kabid = tim.atasan.user
    ev = services.set_rating(_tanpa_realisasi(lima_rhk, kabid), kabid)
    assert (ev.rating_hasil, ev.rating_perilaku, ev.predikat) == (A, A, "sangat_baik")
    before = _massal(ev)
    assert (before.saran_hasil, before.saran_perilaku, before.predikat) == (A, A, "sangat_baik")

    _atur(tim.instansi, ambang_rating={"sebagian_besar": "7/10", "sebagian_kecil": "1/4"})
    # The whole-periode evaluation computes afresh with the instansi's thresholds...
    massal = _massal(ev)
    assert (massal.saran_hasil, massal.saran_perilaku) == (S, S)
    # ...and ratings accepted as suggested follow, as they do in the services.
    ev = _hitung_ulang(ev, kabid)
    assert (ev.saran_hasil, ev.saran_perilaku, ev.rating_hasil, ev.rating_perilaku) == (S, S, S, S)
    assert (massal.rating_hasil, massal.rating_perilaku, massal.predikat) == (S, S, ev.predikat)
    assert massal.predikat == "baik"

    # A final evaluation keeps the values it was finalised with, whatever the thresholds become.
    Evaluasi.objects.filter(pk=ev.pk).update(status="final")
    _atur(tim.instansi, ambang_rating=None)
    final = _massal(ev)
    assert final.final and (final.saran_hasil, final.rating_hasil, final.predikat) == (S, S, "baik")
    ev = _hitung_ulang(Evaluasi.objects.get(pk=ev.pk), kabid)
    assert (ev.saran_hasil, ev.rating_hasil) == (S, S)


def _tanpa_realisasi(ev: Evaluasi, oleh: User) -> Evaluasi:
    """The added RHK have no indikator: the penilai marks them 'tidak ada realisasi' so the rating can be
    decided."""
    for row in ev.rating_rhk.filter(rhk__teks__startswith="RHK uji ambang"):
        ev = services.mark_tanpa_realisasi(ev, row.rhk, "RHK uji tanpa indikator.", oleh)
    return ev


def test_the_instansi_mapping_decides_a_unit_heads_rating(tim):
    kepala = tim.kepala.user
    ev = siap(tim.atasan)
    assert ev.dasar_hasil == "pimpinan"
    bpkp = tim.bidang
    services.set_capaian_organisasi(bpkp, ev.periode, ev.periode_penilaian, "baik", "", kepala)
    ev.refresh_from_db()
    assert ev.saran_hasil == S and "pemetaan bawaan" in ev.saran_hasil_alasan

    pemetaan = {c.value: r.value for c, r in PIMPINAN_DEFAULT.items()} | {"baik": A}
    _atur(tim.instansi, pemetaan_rating_pimpinan=pemetaan)
    assert _massal(ev).saran_hasil == A
    ev = _hitung_ulang(ev, kepala)
    assert ev.saran_hasil == A and "Baik → Diatas Ekspektasi (pemetaan instansi)" in ev.saran_hasil_alasan
    # Changing the capaian re-runs it with the mapping as well.
    services.set_capaian_organisasi(bpkp, ev.periode, ev.periode_penilaian, "kurang", "Revisi", kepala)
    ev.refresh_from_db()
    assert ev.saran_hasil == B
    assert _massal(ev).saran_hasil == B
