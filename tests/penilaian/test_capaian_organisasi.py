"""Capaian kinerja organisasi: who sets it, one row per unit and periode (and the year), the suggestion from
the IKU capaian of the unit head's SKP with the instansi's thresholds, and the audit trail.

Cast (tests/builders.py, built once for the module; the instansi's unit heads have kuantitatif SKP): the
kepala heads the top unit; under it the kabid heads the bidang (a fungsional works there, his IKU is
100 % per triwulan, averaged over the year), the Kepala Bidang Mutasi a sibling bidang, and the Sekretaris
the Sekretariat, which has a Subbagian Umum under it.
"""

from __future__ import annotations

import dataclasses
import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from kinerja.organisasi.models import Pegawai, UnitKerja, User
from kinerja.pelaksanaan.models import Realisasi
from kinerja.penilaian import services
from kinerja.penilaian.models import CapaianOrganisasiUnit
from kinerja.perencanaan.models import Indikator, IndikatorTargetPeriode, Skp
from kinerja.permissions.penilaian import may_set_capaian_unit
from tests import builders as b

pytestmark = [pytest.mark.django_db, pytest.mark.data_kecil]

PPK = services.KeputusanPpk("Bupati Contoh", "800/12/KPTS/2026", datetime.date(2026, 1, 5))
AMBANG = {"istimewa": "110", "baik": "95", "butuh_perbaikan": "80", "kurang": "60"}


@dataclasses.dataclass
class Pemeran(b.Pemeran):
    kbmp: Pegawai  # Kepala Bidang Mutasi: heads a sibling bidang
    sekretaris: Pegawai  # heads the Sekretariat
    bmp: UnitKerja
    subum: UnitKerja  # Subbagian Umum, under the Sekretariat

    @property
    def fungsional(self) -> Pegawai:
        return self.tim.bawahan


def _bangun() -> Pemeran:
    tim = b.atasan_dan_bawahan(jenis_bawahan="fungsional")
    tim.instansi.skp_kuantitatif_struktural = True
    tim.instansi.save()
    j_kepala = tim.kepala.penempatan.get().jabatan

    def bidang(nama: str, kepala: str, parent: UnitKerja = tim.unit) -> tuple[UnitKerja, Pegawai]:
        unit = b.UnitKerjaFactory(instansi=tim.instansi, parent=parent, nama=nama)
        jab = b.JabatanFactory(
            unit=unit, nama=kepala, jenis="administrator", parent=j_kepala, pimpinan_unit=True
        )
        return unit, b.pegawai_di(jab)

    b.skp_disetujui(tim.kepala)
    b.skp_disetujui(tim.atasan, target_angka=100)
    # The unit's IKU as the demo's heads report it: 100 % in every triwulan, averaged over the year.
    Indikator.objects.filter(rhk__skp__pegawai=tim.atasan).update(konsolidasi="average", satuan="%")
    IndikatorTargetPeriode.objects.filter(indikator__rhk__skp__pegawai=tim.atasan).update(target_angka=100)
    bmp, kbmp = bidang("Bidang Mutasi", "Kepala Bidang Mutasi")
    b.skp_disetujui(kbmp)
    sekretariat, sekretaris = bidang("Sekretariat", "Sekretaris")
    subum = b.UnitKerjaFactory(instansi=tim.instansi, parent=sekretariat, nama="Subbagian Umum")
    return Pemeran(tim, kbmp, sekretaris, bmp, subum)


_p, p = b.pemeran_modul(_bangun, "p")


@pytest.fixture
def periode(p):  # type: ignore[no-untyped-def]
    return p.tim.periode


def skp_kabid(p: Pemeran) -> Skp:
    return Skp.objects.select_related("periode").get(pegawai=p.kabid)


def test_the_head_of_the_unit_above_sets_it_with_history(p, periode):
    bpkp, kepala = p.tim.bidang, p.kepala.user
    tw1 = p.tim.pp(1)
    obj = services.set_capaian_organisasi(bpkp, periode, tw1, "baik", " Sesuai laporan TW I ", kepala)
    assert (obj.nilai, obj.catatan, obj.ditetapkan_oleh) == ("baik", "Sesuai laporan TW I", kepala)
    again = services.set_capaian_organisasi(bpkp, periode, tw1, "istimewa", "Revisi", kepala)
    assert again.pk == obj.pk and CapaianOrganisasiUnit.objects.filter(unit=bpkp).count() == 1
    riwayat = list(obj.history.order_by("history_date").values_list("nilai", "history_user_id"))
    assert riwayat == [("baik", kepala.pk), ("istimewa", kepala.pk)]
    # The annual value is its own row, unique too (the null periode_penilaian case).
    services.set_capaian_organisasi(bpkp, periode, None, "baik", "", kepala)
    services.set_capaian_organisasi(bpkp, periode, None, "kurang", "", kepala)
    assert (
        CapaianOrganisasiUnit.objects.filter(unit=bpkp, periode_penilaian__isnull=True).get().nilai
        == "kurang"
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        CapaianOrganisasiUnit.objects.create(
            instansi=p.tim.instansi,
            unit=bpkp,
            periode=periode,
            periode_penilaian=None,
            nilai="baik",
            ditetapkan_oleh=kepala,
            ditetapkan_pada=timezone.now(),
        )


@pytest.mark.parametrize(
    ("kode", "who", "allowed"),
    [
        ("bidang", "kepala", True),  # head of the unit above
        ("bidang", "kabid", False),  # the unit's own head
        ("bidang", "fungsional", False),
        ("bidang", "kbmp", False),  # head of a sibling unit
        ("bidang", "admin", False),  # the admin only for the top unit
        ("subum", "sekretaris", True),  # the Sekretaris heads the Sekretariat above
        ("subum", "kepala", False),
        ("unit", "admin", True),  # top unit: the admin on the PPK's written decision ...
        ("unit", "kepala", False),  # ... never the instansi's head: it becomes his own rating hasil kerja
        ("unit", "kabid", False),
        ("unit", "admin-lain", False),
    ],
)
def test_who_sets_it(p, other_instansi, periode, kode, who, allowed):
    if who == "admin-lain":
        user = User.objects.get(username=who)
    else:
        user = p.tim.admin if who == "admin" else getattr(p, who).user
    target = p.subum if kode == "subum" else getattr(p.tim, kode)
    if allowed:
        obj = services.set_capaian_organisasi(target, periode, None, "baik", "", user, PPK)
        assert obj.nilai == "baik"
    else:
        with pytest.raises(PermissionDenied):
            services.set_capaian_organisasi(target, periode, None, "baik", "", user, PPK)
        assert not CapaianOrganisasiUnit.objects.filter(unit=target).exists()
    assert may_set_capaian_unit(user, target, timezone.localdate()) is allowed


def test_the_head_is_told_why_he_does_not_set_his_own_unit(p, periode):
    with pytest.raises(PermissionDenied, match="Anda memimpin Badan .*ditetapkan oleh tingkat di atasnya"):
        services.set_capaian_organisasi(p.tim.unit, periode, None, "istimewa", "", p.kepala.user, PPK)


def test_the_admin_records_the_ppks_written_decision(p, periode):
    top, admin = p.tim.unit, p.tim.admin
    with pytest.raises(ValidationError) as exc:
        services.set_capaian_organisasi(top, periode, None, "baik", "", admin)
    assert set(exc.value.message_dict) == {"ppk_pejabat", "ppk_nomor", "ppk_tanggal"}
    besok = timezone.localdate() + datetime.timedelta(days=1)
    with pytest.raises(ValidationError, match="tidak boleh di masa depan"):
        services.set_capaian_organisasi(
            top, periode, None, "baik", "", admin, services.KeputusanPpk("Bupati", "800/1", besok)
        )
    assert not CapaianOrganisasiUnit.objects.filter(unit=top).exists()
    obj = services.set_capaian_organisasi(top, periode, None, "baik", "", admin, PPK)
    assert (obj.ppk_pejabat, obj.ppk_nomor, obj.ppk_tanggal) == (PPK.pejabat, PPK.nomor, PPK.tanggal)
    assert obj.history.get().ppk_nomor == PPK.nomor  # audited
    # A head above sets a lower unit: no PPK decision is recorded there.
    bpkp = services.set_capaian_organisasi(p.tim.bidang, periode, None, "baik", "", p.kepala.user, PPK)
    assert (bpkp.ppk_pejabat, bpkp.ppk_nomor, bpkp.ppk_tanggal) == ("", "", None)


def test_bad_input_names_the_field(p, periode, other_instansi):
    bpkp, kepala = p.tim.bidang, p.kepala.user
    with pytest.raises(ValidationError) as exc:
        services.set_capaian_organisasi(bpkp, periode, None, "luar_biasa", "", kepala)
    assert "nilai" in exc.value.message_dict
    from kinerja.organisasi import services as org_services
    from kinerja.rules.jadwal import Skema

    lain = org_services.create_periode(other_instansi, 2026, Skema.TRIWULANAN)
    with pytest.raises(ValidationError) as exc:
        services.set_capaian_organisasi(bpkp, lain, None, "baik", "", kepala)
    assert "periode" in exc.value.message_dict
    with pytest.raises(ValidationError) as exc:
        services.set_capaian_organisasi(bpkp, periode, lain.periode_penilaian.first(), "baik", "", kepala)
    assert "periode_penilaian" in exc.value.message_dict


def _realisasi_kabid(p: Pemeran, persen: Decimal, nomor: int) -> None:
    """The kabid's numeric indikator (target 100 % per triwulan) realised at `persen`."""
    for ind in Indikator.objects.filter(rhk__skp=skp_kabid(p), target_angka__isnull=False):
        Realisasi.objects.update_or_create(
            indikator=ind, periode_penilaian=p.tim.pp(nomor), defaults={"nilai_angka": persen}
        )


def test_suggestion_from_the_heads_iku_capaian_and_thresholds(p, periode):
    bpkp, instansi = p.tim.bidang, p.tim.instansi
    tw1 = p.tim.pp(1)
    _realisasi_kabid(p, Decimal(90), 1)
    saran = services.saran_capaian_organisasi(bpkp, tw1)
    assert saran.nilai is None and "belum menetapkan ambang" in saran.alasan  # no thresholds: no suggestion
    assert saran.rata_rata == Decimal("90.00")
    instansi.ambang_capaian_organisasi = AMBANG
    instansi.save()
    bpkp = b.segar(bpkp)
    saran = services.saran_capaian_organisasi(bpkp, tw1)
    assert saran.nilai is not None and saran.nilai.value == "butuh_perbaikan"  # 90 % >= 80, < 95
    assert "90%" in saran.alasan
    obj = services.set_capaian_organisasi(bpkp, periode, tw1, "baik", "", p.kepala.user)
    assert (obj.nilai, obj.saran) == ("baik", "butuh_perbaikan")  # the head decides; the suggestion is kept
    # Annual: the year's capaian (average consolidation over the periods entered).
    _realisasi_kabid(p, Decimal(120), 2)
    tahunan = services.saran_capaian_organisasi(bpkp, None, periode)
    assert tahunan.rata_rata == Decimal("105.00") and tahunan.nilai.value == "baik"
    # A unit whose head has entered no realisasi yet gets no suggestion, and says why.
    bmp = services.saran_capaian_organisasi(b.segar(p.bmp), tw1)
    assert bmp.nilai is None and "Belum ada capaian indikator angka" in bmp.alasan


def test_annual_suggestion_never_sums_a_range_target(p, periode):
    """Range targets stored with "sum" (data from before the form refused it): the year's capaian is the
    average (or, as the instansi chooses, the last) of the period capaian, never 170/90 (docs/rules.md §4)."""
    bpkp, instansi = p.tim.bidang, p.tim.instansi
    iku = Indikator.objects.filter(rhk__skp=skp_kabid(p), target_angka__isnull=False)
    assert iku.exists()
    iku.update(target_angka=Decimal(80), target_angka_atas=Decimal(90), konsolidasi="sum")
    _realisasi_kabid(p, Decimal(85), 1)
    _realisasi_kabid(p, Decimal(85), 2)
    assert services.saran_capaian_organisasi(bpkp, None, periode).rata_rata == Decimal("100.00")
    _realisasi_kabid(p, Decimal(70), 1)  # 87.50
    _realisasi_kabid(p, Decimal(92), 2)  # 102.22
    assert services.saran_capaian_organisasi(bpkp, None, periode).rata_rata == Decimal("94.86")
    instansi.konsolidasi_rentang = "last"
    instansi.save()
    assert services.saran_capaian_organisasi(bpkp, None, periode).rata_rata == Decimal("102.22")
    # An indikator's own "average" is kept whatever the instansi's choice for stored sums.
    iku.update(konsolidasi="average")
    assert services.saran_capaian_organisasi(bpkp, None, periode).rata_rata == Decimal("94.86")
