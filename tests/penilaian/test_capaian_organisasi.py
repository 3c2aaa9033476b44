"""Capaian kinerja organisasi: who sets it, one row per unit and periode (and the year), the suggestion from
the IKU capaian of the unit head's SKP with the instansi's thresholds, and the audit trail."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from kinerja.organisasi.models import UnitKerja, User
from kinerja.pelaksanaan.models import Realisasi
from kinerja.penilaian import services
from kinerja.penilaian.models import CapaianOrganisasiUnit
from kinerja.perencanaan.models import Indikator
from kinerja.permissions.penilaian import may_set_capaian_unit
from tests.penilaian.conftest import FUNGSIONAL, KABID, KBMP, KEPALA, skp_of, tw, user_of

pytestmark = pytest.mark.django_db

PPK = services.KeputusanPpk("Bupati Contoh", "800/12/KPTS/2026", datetime.date(2026, 1, 5))
AMBANG = {"istimewa": "110", "baik": "95", "butuh_perbaikan": "80", "kurang": "60"}


def unit(instansi, kode: str) -> UnitKerja:  # type: ignore[no-untyped-def]
    return UnitKerja.objects.get(instansi=instansi, kode=kode)


@pytest.fixture
def periode(demo_instansi):  # type: ignore[no-untyped-def]
    return skp_of(KABID).periode


def test_the_head_of_the_unit_above_sets_it_with_history(demo_instansi, periode):
    bpkp, kepala = unit(demo_instansi, "BPKP"), user_of(KEPALA)
    tw1 = tw(skp_of(KABID), 1)
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
            instansi=demo_instansi,
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
        ("BPKP", KEPALA, True),  # head of the unit above
        ("BPKP", KABID, False),  # the unit's own head
        ("BPKP", FUNGSIONAL, False),
        ("BPKP", KBMP, False),  # head of a sibling unit
        ("BPKP", "admin", False),  # the admin only for the top unit
        ("SUBUM", "197608222000122001", True),  # the Sekretaris heads the Sekretariat above
        ("SUBUM", KEPALA, False),
        ("BKPSDM", "admin", True),  # top unit: the admin on the PPK's written decision ...
        ("BKPSDM", KEPALA, False),  # ... never the instansi's head: it becomes his own rating hasil kerja
        ("BKPSDM", KABID, False),
        ("BKPSDM", "admin-lain", False),
    ],
)
def test_who_sets_it(demo_instansi, other_instansi, periode, kode, who, allowed):
    user = User.objects.get(username=who) if not who.isdigit() else user_of(who)
    target = unit(demo_instansi, kode)
    if allowed:
        obj = services.set_capaian_organisasi(target, periode, None, "baik", "", user, PPK)
        assert obj.nilai == "baik"
    else:
        with pytest.raises(PermissionDenied):
            services.set_capaian_organisasi(target, periode, None, "baik", "", user, PPK)
        assert not CapaianOrganisasiUnit.objects.filter(unit=target).exists()
    assert may_set_capaian_unit(user, target, timezone.localdate()) is allowed


def test_the_head_is_told_why_he_does_not_set_his_own_unit(demo_instansi, periode):
    with pytest.raises(PermissionDenied, match="Anda memimpin Badan .*ditetapkan oleh tingkat di atasnya"):
        services.set_capaian_organisasi(
            unit(demo_instansi, "BKPSDM"), periode, None, "istimewa", "", user_of(KEPALA), PPK
        )


def test_the_admin_records_the_ppks_written_decision(demo_instansi, periode):
    top, admin = unit(demo_instansi, "BKPSDM"), User.objects.get(username="admin")
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
    bpkp = services.set_capaian_organisasi(
        unit(demo_instansi, "BPKP"), periode, None, "baik", "", user_of(KEPALA), PPK
    )
    assert (bpkp.ppk_pejabat, bpkp.ppk_nomor, bpkp.ppk_tanggal) == ("", "", None)


def test_bad_input_names_the_field(demo_instansi, periode, other_instansi):
    bpkp, kepala = unit(demo_instansi, "BPKP"), user_of(KEPALA)
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


def _realisasi_kabid(persen: Decimal, nomor: int) -> None:
    """The kabid's numeric indikator (target 100 % per triwulan) realised at `persen`."""
    skp = skp_of(KABID)
    for ind in Indikator.objects.filter(rhk__skp=skp, target_angka__isnull=False):
        Realisasi.objects.update_or_create(
            indikator=ind, periode_penilaian=tw(skp, nomor), defaults={"nilai_angka": persen}
        )


def test_suggestion_from_the_heads_iku_capaian_and_thresholds(demo_instansi, periode):
    bpkp = unit(demo_instansi, "BPKP")
    tw1 = tw(skp_of(KABID), 1)
    _realisasi_kabid(Decimal(90), 1)
    saran = services.saran_capaian_organisasi(bpkp, tw1)
    assert saran.nilai is None and "belum menetapkan ambang" in saran.alasan  # no thresholds: no suggestion
    assert saran.rata_rata == Decimal("90.00")
    demo_instansi.ambang_capaian_organisasi = AMBANG
    demo_instansi.save()
    bpkp = unit(demo_instansi, "BPKP")
    saran = services.saran_capaian_organisasi(bpkp, tw1)
    assert saran.nilai is not None and saran.nilai.value == "butuh_perbaikan"  # 90 % >= 80, < 95
    assert "90%" in saran.alasan
    obj = services.set_capaian_organisasi(bpkp, periode, tw1, "baik", "", user_of(KEPALA))
    assert (obj.nilai, obj.saran) == ("baik", "butuh_perbaikan")  # the head decides; the suggestion is kept
    # Annual: the year's capaian (average consolidation over the periods entered).
    _realisasi_kabid(Decimal(120), 2)
    tahunan = services.saran_capaian_organisasi(bpkp, None, periode)
    assert tahunan.rata_rata == Decimal("105.00") and tahunan.nilai.value == "baik"
    # A unit whose head has entered no realisasi yet gets no suggestion, and says why.
    bmp = services.saran_capaian_organisasi(unit(demo_instansi, "BMP"), tw1)
    assert bmp.nilai is None and "Belum ada capaian indikator angka" in bmp.alasan


def test_annual_suggestion_never_sums_a_range_target(demo_instansi, periode):
    """Range targets stored with "sum" (data from before the form refused it): the year's capaian is the
    average (or, as the instansi chooses, the last) of the period capaian, never 170/90 (docs/rules.md §4)."""
    bpkp = unit(demo_instansi, "BPKP")
    skp = skp_of(KABID)
    iku = Indikator.objects.filter(rhk__skp=skp, target_angka__isnull=False)
    assert iku.exists()
    iku.update(target_angka=Decimal(80), target_angka_atas=Decimal(90), konsolidasi="sum")
    _realisasi_kabid(Decimal(85), 1)
    _realisasi_kabid(Decimal(85), 2)
    assert services.saran_capaian_organisasi(bpkp, None, periode).rata_rata == Decimal("100.00")
    _realisasi_kabid(Decimal(70), 1)  # 87.50
    _realisasi_kabid(Decimal(92), 2)  # 102.22
    assert services.saran_capaian_organisasi(bpkp, None, periode).rata_rata == Decimal("94.86")
    demo_instansi.konsolidasi_rentang = "last"
    demo_instansi.save()
    assert services.saran_capaian_organisasi(bpkp, None, periode).rata_rata == Decimal("102.22")
    # An indikator's own "average" is kept whatever the instansi's choice for stored sums.
    iku.update(konsolidasi="average")
    assert services.saran_capaian_organisasi(bpkp, None, periode).rata_rata == Decimal("94.86")
