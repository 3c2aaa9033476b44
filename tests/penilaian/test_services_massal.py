"""Bulk paths of the evaluation stage: several ratings of one evaluation in one write (same checks as the
single-rating services), and the whole-periode evaluation against the per-evaluation results.

Cast: `Tujuh` (tests/penilaian/conftest.py, built once for the module): Ika (fungsional) and Rahmat
(pelaksana) rated by the kabid; the Kepala Bidang Mutasi is another unit's penilai.
"""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from kinerja.organisasi.models import Pegawai
from kinerja.penilaian import services
from kinerja.penilaian.evaluasi import massal as services_massal
from kinerja.penilaian.models import Evaluasi
from kinerja.perencanaan.models import Skp
from kinerja.rules.perilaku import BERAKHLAK
from tests import builders as b
from tests.penilaian.conftest import Tujuh

pytestmark = [pytest.mark.django_db, pytest.mark.data_kecil]


@pytest.fixture
def p(tujuh: Tujuh) -> Tujuh:
    return tujuh


def siap(pegawai: Pegawai) -> Evaluasi:
    """The opened TW I evaluation of ``pegawai``, with the realisasi entered."""
    skp = Skp.objects.select_related("periode", "pegawai").get(pegawai=pegawai)
    return b.evaluasi_dibuka(skp, b.periode_penilaian(skp.periode, 1))


def test_nilai_semua_sekali_tulis_dan_saran_dihitung(p) -> None:  # type: ignore[no-untyped-def]
    ev = siap(p.fungsional)
    kabid = p.kabid.user
    rows = list(ev.rating_rhk.order_by("urutan"))
    versi = ev.versi
    ev = services_massal.rate_rhk_semua(ev, {r.rhk_id: "diatas" for r in rows}, kabid, versi=versi)
    assert ev.versi == versi + 1 and ev.saran_hasil == "diatas"
    nilai = {n.kode: "sesuai" for n in BERAKHLAK}
    nilai["bp"] = "dibawah"  # case-insensitive kode
    ev = services_massal.rate_perilaku_semua(ev, nilai, kabid, catatan={"BP": "Terlambat melayani"})
    assert ev.versi == versi + 2 and ev.saran_perilaku == "sesuai"
    assert ev.rating_perilaku_set.get(kode="BP").catatan == "Terlambat melayani"
    ev = services.set_rating(ev, kabid)
    assert ev.predikat == "baik"
    # Same result as the single-rating services, and the whole-periode evaluation agrees.
    hasil = services_massal.evaluasi_massal(ev.periode_penilaian).evaluasi[ev.pk]
    assert (hasil.saran_hasil, hasil.saran_perilaku, hasil.predikat) == ("diatas", "sesuai", "baik")
    # Clearing one value removes the perilaku suggestion; an unchanged value writes no history.
    jumlah = ev.rating_perilaku_set.get(kode="AK").history.count()
    ev = services_massal.rate_perilaku_semua(ev, {"AK": "sesuai", "KO": None}, kabid)
    assert ev.saran_perilaku == "" and ev.rating_perilaku_set.get(kode="AK").history.count() == jumlah


def test_nilai_semua_pemeriksaan_sama(p) -> None:  # type: ignore[no-untyped-def]
    ev = siap(p.pelaksana)
    kabid, lain = p.kabid.user, p.kbmp.user
    rhk = ev.rating_rhk.first().rhk_id
    with pytest.raises(PermissionDenied):
        services_massal.rate_rhk_semua(ev, {rhk: "sesuai"}, lain)
    with pytest.raises(PermissionDenied):
        services_massal.rate_perilaku_semua(ev, {"BP": "sesuai"}, p.pelaksana.user)
    with pytest.raises(ValidationError) as exc:
        services_massal.rate_perilaku_semua(ev, {"XX": "sesuai"}, kabid)
    assert "kode" in exc.value.message_dict
    with pytest.raises(ValidationError) as exc:
        services_massal.rate_rhk_semua(ev, {rhk: "luar biasa"}, kabid)
    assert "rating" in exc.value.message_dict
    with pytest.raises(ValidationError) as exc:
        services_massal.rate_rhk_semua(ev, {rhk: "sesuai"}, kabid, versi=ev.versi - 1)
    assert exc.value.code == "konflik"
    assert not Evaluasi.objects.get(pk=ev.pk).rating_rhk.exclude(rating="").exists()
    # Final: refused.
    Evaluasi.objects.filter(pk=ev.pk).update(status="final")
    with pytest.raises(ValidationError):
        services_massal.rate_perilaku_semua(Evaluasi.objects.get(pk=ev.pk), {"BP": "sesuai"}, kabid)
