"""Keberatan services (docs/rules.md §18): the filing window's edges, who may do what, the decision
changing the predikat only through the kuadran, withdrawal, routing, the revised document, notifications
and the audit trail.

Cast (tests/builders.py, built once for the module): the kepala (no penilai, no atasan: the admin rates;
the PPK's official decides) → the kabid (penilai) → Ika (fungsional) and her colleague Rahmat; another
bidang's head (the Kepala Bidang Mutasi). As in tests/tindak_lanjut/keberatan_data.py, the evaluation is
opened through the service and then marked final directly: rating and finalising a group is tested in
tests/penilaian; here only a final predikat with a known ``final_pada`` matters.
"""

from __future__ import annotations

import dataclasses
import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.test import Client
from django.utils import timezone

from kinerja.dokumen.models import Dokumen
from kinerja.notifikasi.models import Notifikasi
from kinerja.organisasi.models import Instansi, Pegawai, PeriodePenilaian, User
from kinerja.penilaian import services as penilaian
from kinerja.penilaian.models import Evaluasi
from kinerja.perencanaan.models import Skp
from kinerja.rules.kuadran import predikat as kuadran
from kinerja.rules.types import Predikat, Rating
from kinerja.tindak_lanjut.keberatan import selectors as sel
from kinerja.tindak_lanjut.keberatan import services
from kinerja.tindak_lanjut.models import Keberatan, LampiranKeberatan
from tests import builders as b
from tests.tindak_lanjut.keberatan_data import JAKARTA, pdf

pytestmark = pytest.mark.django_db


@dataclasses.dataclass
class Pemeran(b.Pemeran):
    pelaksana: Pegawai  # Rahmat: a colleague of Ika (same penilai)
    kbmp: Pegawai  # Kepala Bidang Mutasi dan Promosi: another unit's penilai

    @property
    def ika(self) -> Pegawai:
        return self.tim.bawahan


def _bangun() -> Pemeran:
    tim = b.atasan_dan_bawahan(jenis_bawahan="fungsional", bawahan={"nama": "Ika Pratiwi"})
    b.skp_disetujui(tim.kepala)
    b.skp_disetujui(tim.atasan)
    b.skp_disetujui(tim.bawahan)
    pelaksana = b.pegawai_di(tim.bawahan.penempatan.get().jabatan, nama="Rahmat Hidayat")
    b.skp_disetujui(pelaksana)
    bidang = b.UnitKerjaFactory(instansi=tim.instansi, parent=tim.unit, nama="Bidang Mutasi")
    j_kbmp = b.JabatanFactory(
        unit=bidang,
        nama="Kepala Bidang Mutasi",
        jenis="administrator",
        parent=tim.kepala.penempatan.get().jabatan,
        pimpinan_unit=True,
    )
    return Pemeran(tim, pelaksana, b.pegawai_di(j_kbmp))


_p, p = b.pemeran_modul(_bangun, "p")


def user_of(nip: str) -> User:
    return User.objects.select_related("pegawai").get(pegawai__nip=nip)


def evaluasi_final(
    nip: str,
    *,
    tahunan: bool = True,
    final_pada: datetime.datetime | None = None,
    hasil: str = "sesuai",
    perilaku: str = "sesuai",
) -> Evaluasi:
    """A final evaluation (annual by default) of the pegawai ``nip`` with the given ratings, final at
    ``final_pada`` (now)."""
    skp = (
        Skp.objects.select_related("periode", "pegawai", "penilai")
        .filter(pegawai__nip=nip, status="disetujui")
        .order_by("-mulai")
        .first()
    )
    penilai = b.penilai_dari(skp)
    pp = None if tahunan else PeriodePenilaian.objects.get(periode=skp.periode, nomor=1)
    ev = penilaian.open_evaluasi(skp, pp, penilai)
    ev = Evaluasi.objects.get(pk=ev.pk)
    ev.rating_hasil, ev.rating_perilaku = hasil, perilaku
    ev.status, ev.final_pada, ev.final_oleh = "final", final_pada or timezone.now(), penilai
    ev._history_user = penilai  # type: ignore[attr-defined]
    ev.save()
    return Evaluasi.objects.select_related("instansi", "periode", "periode_penilaian").get(pk=ev.pk)


def ajukan(ev: Evaluasi, alasan: str = "Capaian RHK saya melebihi target.", **kw: object) -> Keberatan:
    return services.ajukan(ev, user_of(ev.pegawai.nip), alasan, **kw)  # type: ignore[arg-type]


def atur(instansi: Instansi, **kw: object) -> None:
    Instansi.objects.filter(pk=instansi.pk).update(**kw)


def _pada(tanggal: datetime.date, jam: int = 10) -> datetime.datetime:
    return datetime.datetime(tanggal.year, tanggal.month, tanggal.day, jam, tzinfo=JAKARTA)


# --- the window -------------------------------------------------------------------------------------------


@pytest.mark.parametrize(("hari", "boleh"), [(0, True), (14, True), (15, False)])
def test_window_day_14_in_day_15_out(p, hari, boleh):
    terbit = datetime.date(2026, 3, 2)
    ev = evaluasi_final(p.ika.nip, final_pada=_pada(terbit))
    sekarang = _pada(terbit + datetime.timedelta(days=hari), 23)
    if boleh:
        k = ajukan(ev, sekarang=sekarang)
        assert k.status == "diajukan" and k.diajukan_pada == sekarang
    else:
        with pytest.raises(
            ValidationError,
            match=r"Batas pengajuan keberatan \(14 hari sejak dokumen "
            r"diterbitkan 2 Maret 2026\) berakhir 16 Maret 2026",
        ):
            ajukan(ev, sekarang=sekarang)
        assert not Keberatan.objects.filter(evaluasi=ev).exists()


def test_window_counts_from_the_local_date_the_evaluation_became_final(p):
    # 20:00 UTC on 1 March is 03:00 on 2 March in Jakarta: day 0 is 2 March, so 16 March is still in time.
    ev = evaluasi_final(p.ika.nip, final_pada=datetime.datetime(2026, 3, 1, 20, tzinfo=datetime.UTC))
    assert sel.tanggal_terbit(ev) == datetime.date(2026, 3, 2)
    assert sel.status_pengajuan(ev, _pada(datetime.date(2026, 3, 16), 23)).boleh
    assert not sel.status_pengajuan(ev, _pada(datetime.date(2026, 3, 17), 0)).boleh


def test_configured_window_and_deadlines(p):
    atur(p.tim.instansi, keberatan_hari_pengajuan=3, keberatan_hari_penjelasan=2, keberatan_hari_keputusan=7)
    terbit = datetime.date(2026, 3, 2)
    ev = evaluasi_final(p.ika.nip, final_pada=_pada(terbit))
    with pytest.raises(ValidationError, match="berakhir 5 Maret 2026"):
        ajukan(ev, sekarang=_pada(datetime.date(2026, 3, 6)))
    k = ajukan(ev, sekarang=_pada(datetime.date(2026, 3, 5)))
    assert k.batas_penjelasan == datetime.date(2026, 3, 7) and k.batas_keputusan == datetime.date(2026, 3, 12)


def test_periodic_only_when_the_instansi_allows_it(p):
    ev = evaluasi_final(p.ika.nip, tahunan=False)
    with pytest.raises(ValidationError, match="hanya dapat diajukan atas predikat kinerja tahunan"):
        ajukan(ev)
    atur(p.tim.instansi, keberatan_periodik=True)
    assert ajukan(ev).status == "diajukan"


def test_not_final_refused(p):
    ev = evaluasi_final(p.ika.nip)
    Evaluasi.objects.filter(pk=ev.pk).update(status="dibuka_kembali")
    with pytest.raises(ValidationError, match="predikat yang sudah final"):
        ajukan(Evaluasi.objects.get(pk=ev.pk))


# --- filing -----------------------------------------------------------------------------------------------


def test_filing_keeps_the_result_the_roles_and_registers_the_document(p):
    ev = evaluasi_final(p.ika.nip, hasil="sesuai", perilaku="dibawah")
    k = ajukan(ev, lampiran=[pdf()])
    assert (k.rating_hasil_awal, k.rating_perilaku_awal) == ("sesuai", "dibawah")
    assert k.predikat_awal == ev.predikat == kuadran(Rating.SESUAI, Rating.DIBAWAH).value
    assert k.penilai.nip == p.kabid.nip and k.pemutus.nip == p.kepala.nip
    assert k.dokumen_awal is not None and k.dokumen_awal.objek_id == ev.pk and k.dokumen_awal.revisi == 1
    assert k.dokumen_awal.jenis == Dokumen.Jenis.PREDIKAT
    (lamp,) = k.lampiran.all()
    assert (
        lamp.nama_asli == "bukti.pdf"
        and lamp.jenis == "application/pdf"
        and lamp.berkas.read() == pdf().berkas.read()
    )
    hari = sel.hari_ini()
    assert k.batas_penjelasan == hari + datetime.timedelta(days=5)
    assert k.batas_keputusan == hari + datetime.timedelta(days=14)
    h = k.history.get()
    assert h.history_type == "+" and h.history_user.pegawai.nip == p.ika.nip
    assert (
        LampiranKeberatan.history.filter(keberatan_id=k.pk, history_user__pegawai__nip=p.ika.nip).count() == 1
    )


def test_only_the_evaluated_pegawai_files(p):
    ev = evaluasi_final(p.ika.nip)
    for who in (user_of(p.pelaksana.nip), user_of(p.kabid.nip), user_of(p.kepala.nip), p.tim.admin):
        with pytest.raises(PermissionDenied, match="hanya dapat diajukan oleh pegawai yang dinilai"):
            services.ajukan(ev, who, "Tidak setuju.")
    assert not Keberatan.objects.exists()


def test_reasons_required_and_one_open_per_evaluation(p):
    ev = evaluasi_final(p.ika.nip)
    with pytest.raises(ValidationError) as exc:
        ajukan(ev, alasan="   ")
    assert exc.value.message_dict == {"alasan": ["Isi alasan keberatan."]}
    ajukan(ev)
    with pytest.raises(ValidationError, match="Sudah ada keberatan yang belum diputus"):
        ajukan(ev, alasan="Lagi.")


def test_attachments_checked_like_bukti_dukung(p):
    ev = evaluasi_final(p.ika.nip)
    with pytest.raises(ValidationError) as exc:
        ajukan(ev, lampiran=[pdf("program.pdf", b"MZ\x90\x00" + b"\x00" * 100)])
    assert "executable" in exc.value.message_dict["lampiran"][0]
    atur(p.tim.instansi, batas_ukuran_bukti_mb=1)
    besar = b"%PDF-1.4\n" + b"0" * (1024 * 1024 + 10)
    with pytest.raises(ValidationError, match="melebihi batas 1 MB"):
        ajukan(Evaluasi.objects.get(pk=ev.pk), lampiran=[pdf("besar.pdf", besar)])
    with pytest.raises(ValidationError, match="paling banyak 5 berkas"):
        ajukan(ev, lampiran=[pdf(f"b{i}.pdf") for i in range(6)])
    assert not Keberatan.objects.exists() and not LampiranKeberatan.objects.exists()


def test_attachment_added_later_by_the_pegawai_only_before_the_penjelasan(p):
    k = ajukan(evaluasi_final(p.ika.nip))
    with pytest.raises(PermissionDenied):
        services.add_lampiran(k, user_of(p.kabid.nip), pdf())
    services.add_lampiran(k, user_of(p.ika.nip), pdf("kedua.pdf"))
    services.jelaskan(k, user_of(p.kabid.nip), "Rating sesuai bukti.")
    with pytest.raises(ValidationError, match="sebelum pejabat penilai memberi penjelasan"):
        services.add_lampiran(k, user_of(p.ika.nip), pdf("ketiga.pdf"))
    assert [lamp.nama_asli for lamp in k.lampiran.all()] == ["kedua.pdf"]


# --- roles ------------------------------------------------------------------------------------------------


def test_only_the_penilai_explains(p):
    k = ajukan(evaluasi_final(p.ika.nip))
    for who in (user_of(p.ika.nip), user_of(p.kepala.nip), user_of(p.kbmp.nip), p.tim.admin):
        with pytest.raises(PermissionDenied, match="hanya dapat dilakukan oleh pejabat penilai"):
            services.jelaskan(k, who, "Penjelasan.")
    with pytest.raises(ValidationError) as exc:
        services.jelaskan(k, user_of(p.kabid.nip), " ")
    assert exc.value.message_dict == {"penjelasan": ["Isi penjelasan pejabat penilai."]}
    k = services.jelaskan(k, user_of(p.kabid.nip), "Dua RHK di bawah target.")
    assert k.status == "dijelaskan" and k.dijelaskan_oleh.pegawai.nip == p.kabid.nip
    with pytest.raises(ValidationError, match="tidak dapat dilakukan pada keberatan berstatus dijelaskan"):
        services.jelaskan(k, user_of(p.kabid.nip), "Lagi.")


def test_only_the_atasan_decides_and_after_the_penjelasan(p):
    k = ajukan(evaluasi_final(p.ika.nip))
    for who in (user_of(p.ika.nip), user_of(p.kabid.nip), user_of(p.kbmp.nip), p.tim.admin):
        with pytest.raises(PermissionDenied, match="hanya dapat dilakukan oleh atasan pejabat penilai"):
            services.putuskan(k, who, "ditolak", "Tidak beralasan.")
    with pytest.raises(ValidationError, match="setelah pejabat penilai memberi penjelasan"):
        services.putuskan(k, user_of(p.kepala.nip), "ditolak", "Tidak beralasan.")
    # Once the penjelasan deadline has passed without one, the atasan decides without it.
    lewat = _pada(k.batas_penjelasan + datetime.timedelta(days=1))
    k = services.putuskan(k, user_of(p.kepala.nip), "ditolak", "Tidak beralasan.", sekarang=lewat)
    assert k.status == "ditolak" and k.diputus_pada == lewat


def test_decision_needs_a_choice_and_a_pertimbangan(p):
    k = services.jelaskan(ajukan(evaluasi_final(p.ika.nip)), user_of(p.kabid.nip), "Sudah sesuai.")
    with pytest.raises(ValidationError) as exc:
        services.putuskan(k, user_of(p.kepala.nip), "", "x")
    assert "keputusan" in exc.value.message_dict
    with pytest.raises(ValidationError) as exc:
        services.putuskan(k, user_of(p.kepala.nip), "ditolak", "")
    assert exc.value.message_dict == {"pertimbangan": ["Isi pertimbangan keputusan."]}
    with pytest.raises(ValidationError, match="mengubah paling sedikit satu rating"):
        services.putuskan(k, user_of(p.kepala.nip), "dikabulkan", "Ya.", "sesuai", "sesuai")
    with pytest.raises(ValidationError) as exc:
        services.putuskan(k, user_of(p.kepala.nip), "dikabulkan", "Ya.", "luar_biasa", "")
    assert "rating_hasil" in exc.value.message_dict


# --- the decision -----------------------------------------------------------------------------------------


def test_rejected_keeps_the_predikat_and_the_document(p):
    ev = evaluasi_final(p.ika.nip)
    k = services.jelaskan(ajukan(ev), user_of(p.kabid.nip), "Sudah sesuai.")
    k = services.putuskan(k, user_of(p.kepala.nip), "ditolak", "Bukti tidak mendukung.")
    ev.refresh_from_db()
    assert k.status == "ditolak" and k.predikat_akhir == ev.predikat == "baik" and k.dokumen_revisi is None
    assert ev.versi == Evaluasi.objects.get(pk=ev.pk).versi and not ev.alasan_ubah_hasil
    assert Dokumen.objects.filter(objek_id=ev.pk, digantikan_oleh__isnull=False).count() == 0
    with pytest.raises(ValidationError):
        services.tarik(k, user_of(p.ika.nip))
    # The decision is final: no second keberatan against the same evaluation.
    assert "sudah diputus" in sel.status_pengajuan(ev).alasan
    with pytest.raises(ValidationError, match="sudah diputus"):
        ajukan(ev)


@pytest.mark.parametrize(
    ("hasil", "perilaku", "baru_hasil", "baru_perilaku"),
    [
        ("sesuai", "sesuai", "diatas", ""),  # blank keeps the rating
        ("sesuai", "dibawah", "", "sesuai"),
        ("dibawah", "dibawah", "sesuai", "diatas"),
    ],
)
def test_granted_changes_the_predikat_only_through_the_kuadran(p, hasil, perilaku, baru_hasil, baru_perilaku):
    ev = evaluasi_final(p.ika.nip, hasil=hasil, perilaku=perilaku)
    versi = ev.versi
    k = services.jelaskan(ajukan(ev), user_of(p.kabid.nip), "Penjelasan.")
    k = services.putuskan(
        k, user_of(p.kepala.nip), "dikabulkan", "Bukti baru meyakinkan.", baru_hasil, baru_perilaku
    )
    ev = Evaluasi.objects.get(pk=ev.pk)
    h, pr = baru_hasil or hasil, baru_perilaku or perilaku
    assert (ev.rating_hasil, ev.rating_perilaku) == (h, pr) == (k.rating_hasil_baru, k.rating_perilaku_baru)
    assert ev.predikat == k.predikat_akhir == kuadran(Rating(h), Rating(pr)).value
    assert ev.is_final and ev.versi == versi + 1
    alasan = "Diubah atas keputusan keberatan: Bukti baru meyakinkan."
    assert ev.alasan_ubah_hasil == (alasan if baru_hasil else "")
    assert ev.alasan_ubah_perilaku == (alasan if baru_perilaku else "")
    terakhir = ev.history.latest()
    assert terakhir.history_user.pegawai.nip == p.kepala.nip and terakhir.predikat == ev.predikat


def test_granted_produces_a_revised_document_and_supersedes_the_old_one(p, client):
    ev = evaluasi_final(p.ika.nip, hasil="sesuai", perilaku="sesuai")
    k = services.jelaskan(ajukan(ev), user_of(p.kabid.nip), "Penjelasan.")
    lama = k.dokumen_awal
    k = services.putuskan(
        k,
        user_of(p.kepala.nip),
        "dikabulkan",
        "Dikabulkan.",
        "diatas",
        "diatas",
        sekarang=_pada(datetime.date(2026, 7, 1)),
    )
    baru = k.dokumen_revisi
    lama.refresh_from_db()
    assert baru.revisi == 2 and baru.pk != lama.pk and baru.sha256 != lama.sha256
    assert lama.digantikan_oleh_id == baru.pk
    assert lama.digantikan_alasan == "Predikat diubah atas keputusan keberatan 1 Juli 2026"
    assert baru.digantikan_oleh_id is None
    assert Predikat(k.predikat_akhir) is Predikat.SANGAT_BAIK
    html = client.get(f"/verifikasi/{lama.token}/").content.decode()
    assert "Digantikan oleh revisi 2" in html and f"/verifikasi/{baru.token}/" in html
    assert "Digantikan oleh" not in client.get(f"/verifikasi/{baru.token}/").content.decode()


def test_decision_refused_when_the_evaluation_was_reopened(p):
    ev = evaluasi_final(p.ika.nip)
    k = services.jelaskan(ajukan(ev), user_of(p.kabid.nip), "Penjelasan.")
    Evaluasi.objects.filter(pk=ev.pk).update(status="dibuka_kembali")
    with pytest.raises(ValidationError, match="tidak lagi final"):
        services.putuskan(k, user_of(p.kepala.nip), "dikabulkan", "Ya.", "diatas", "")
    assert Keberatan.objects.get(pk=k.pk).status == "dijelaskan"


def _difinalisasi_ulang(ev: Evaluasi, pada: datetime.datetime) -> Evaluasi:
    """The admin reopened ``ev`` and its group was finalised again at ``pada`` (a new result and notice)."""
    Evaluasi.objects.filter(pk=ev.pk).update(
        finalisasi_ke=F("finalisasi_ke") + 1, final_pada=pada, diberitahu_pada=pada
    )
    return Evaluasi.objects.select_related("instansi", "periode", "periode_penilaian").get(pk=ev.pk)


def test_refinalised_result_may_be_objected_to_again_the_old_keberatan_stays(p):
    ev = evaluasi_final(p.ika.nip, final_pada=_pada(datetime.date(2026, 3, 2)))
    k = services.jelaskan(
        ajukan(ev, sekarang=_pada(datetime.date(2026, 3, 3))), user_of(p.kabid.nip), "Sudah sesuai."
    )
    k = services.putuskan(
        k, user_of(p.kepala.nip), "ditolak", "Tidak beralasan.", sekarang=_pada(datetime.date(2026, 3, 9))
    )
    assert "sudah diputus" in sel.status_pengajuan(ev, _pada(datetime.date(2026, 3, 10))).alasan
    # Reopened and finalised again on 20 April: a new document, a new window counted from its notice.
    ev = _difinalisasi_ulang(ev, _pada(datetime.date(2026, 4, 20)))
    status = sel.status_pengajuan(ev, _pada(datetime.date(2026, 4, 21)))
    assert status.boleh and status.batas == datetime.date(2026, 5, 4)
    kedua = ajukan(ev, "Hasil baru juga tidak sesuai.", sekarang=_pada(datetime.date(2026, 4, 21)))
    assert kedua.finalisasi_ke == ev.finalisasi_ke == k.finalisasi_ke + 1
    assert Keberatan.objects.get(pk=k.pk).status == "ditolak"  # the old one stays readable
    assert [x.pk for x in sel.untuk_evaluasi(ev, user_of(p.ika.nip)).daftar] == [kedua.pk, k.pk]
    c = Client()
    c.force_login(user_of(p.ika.nip))
    html = c.get(f"/penilaian/evaluasi/{ev.pk}/").content.decode()
    assert html.count("atas hasil sebelum evaluasi dibuka kembali") == 1  # the old one, readable


def test_an_open_keberatan_of_a_replaced_result_cannot_be_decided(p):
    ev = evaluasi_final(p.ika.nip)
    k = services.jelaskan(ajukan(ev), user_of(p.kabid.nip), "Penjelasan.")
    ev = _difinalisasi_ulang(ev, timezone.now())
    with pytest.raises(ValidationError, match="hasil yang dikeberatan sudah diganti"):
        services.putuskan(k, user_of(p.kepala.nip), "ditolak", "Tidak beralasan.")
    assert sel.status_pengajuan(ev).boleh  # the open one is of the old result
    services.tarik(k, user_of(p.ika.nip))
    assert ajukan(ev).finalisasi_ke == ev.finalisasi_ke


def test_database_allows_one_decided_keberatan_per_result(p):
    ev = evaluasi_final(p.ika.nip)
    k = services.jelaskan(ajukan(ev), user_of(p.kabid.nip), "Penjelasan.")
    k = services.putuskan(k, user_of(p.kepala.nip), "ditolak", "Tidak beralasan.")
    salinan = Keberatan.objects.get(pk=k.pk)
    salinan.pk = None
    with pytest.raises(IntegrityError), transaction.atomic():
        salinan.save()
    salinan.finalisasi_ke = k.finalisasi_ke + 1
    salinan.save()  # another result: allowed


# --- withdrawal -------------------------------------------------------------------------------------------


def test_withdrawal_by_the_pegawai_before_the_decision_then_file_again(p):
    ev = evaluasi_final(p.ika.nip)
    k = ajukan(ev)
    for who in (user_of(p.kabid.nip), user_of(p.kepala.nip), p.tim.admin):
        with pytest.raises(PermissionDenied, match="hanya dapat dilakukan oleh pegawai yang mengajukan"):
            services.tarik(k, who)
    k = services.tarik(k, user_of(p.ika.nip), "Sudah berdialog dengan atasan.")
    assert k.status == "ditarik" and k.ditarik_alasan == "Sudah berdialog dengan atasan."
    with pytest.raises(ValidationError, match="berstatus ditarik"):
        services.tarik(k, user_of(p.ika.nip))
    with pytest.raises(ValidationError):
        services.jelaskan(k, user_of(p.kabid.nip), "x")
    kedua = ajukan(ev, alasan="Saya ajukan lagi.")
    assert kedua.status == "diajukan"
    assert Notifikasi.objects.filter(kunci=f"keberatan-ditarik:{k.pk}:{k.penilai_id}").exists()


# --- the top of the instansi: routing ---------------------------------------------------------------------


def test_top_without_atasan_admin_explains_and_routes_to_the_ppk_official(p, other_instansi):
    ev = evaluasi_final(p.kepala.nip)
    assert ev.penilai_id is None and ev.atasan_penilai_id is None
    k = ajukan(ev)
    assert k.penilai is None and k.pemutus is None
    adm = p.tim.admin
    assert Notifikasi.objects.filter(penerima=adm, kunci=f"keberatan-tanpa-pemutus:{k.pk}:{adm.pk}").exists()
    assert Notifikasi.objects.filter(penerima=adm, kunci=f"keberatan-diajukan:{k.pk}:{adm.pk}").exists()
    k = services.jelaskan(k, adm, "Dinilai sesuai capaian organisasi.")  # the admin rated the kepala
    with pytest.raises(PermissionDenied, match="belum memiliki pemutus"):
        services.putuskan(k, user_of(p.kabid.nip), "ditolak", "x")
    sekda = Pegawai.objects.get(nip=p.kbmp.nip)  # stands for the official the PPK designated
    with pytest.raises(PermissionDenied):
        services.reassign_pemutus(k, User.objects.get(username="admin-lain"), sekda, "SK PPK")
    with pytest.raises(PermissionDenied):
        services.reassign_pemutus(k, user_of(p.kabid.nip), sekda, "SK PPK")
    with pytest.raises(ValidationError) as exc:
        services.reassign_pemutus(k, adm, sekda, "")
    assert "alasan" in exc.value.message_dict
    with pytest.raises(ValidationError) as exc:
        services.reassign_pemutus(k, adm, Pegawai.objects.get(nip=p.kepala.nip), "SK PPK")
    assert "pemutus" in exc.value.message_dict
    with pytest.raises(ValidationError) as exc:
        services.reassign_pemutus(k, adm, Pegawai.objects.get(instansi=other_instansi), "SK PPK")
    assert "pemutus" in exc.value.message_dict
    k = services.reassign_pemutus(k, adm, sekda, "SK PPK nomor 800/12 tentang penunjukan pejabat.")
    assert k.pemutus_id == sekda.pk and k.pemutus_dialihkan_oleh == adm
    assert Notifikasi.objects.filter(
        kunci=f"keberatan-dialihkan:{k.pk}:{sekda.pk}", penerima__pegawai=sekda
    ).exists()
    k = services.putuskan(k, user_of(p.kbmp.nip), "dikabulkan", "Capaian organisasi dikoreksi.", "diatas", "")
    assert k.status == "dikabulkan"
    with pytest.raises(ValidationError, match="tidak dapat dialihkan"):
        services.reassign_pemutus(k, adm, Pegawai.objects.get(nip=p.kabid.nip), "x")


# --- notifications and audit ------------------------------------------------------------------------------


def test_notifications_each_step_once(p):
    ev = evaluasi_final(p.ika.nip)
    k = ajukan(ev)
    kabid, kepala, ika = user_of(p.kabid.nip), user_of(p.kepala.nip), user_of(p.ika.nip)
    n = Notifikasi.objects.get(kunci=f"keberatan-diajukan:{k.pk}")
    assert (
        n.penerima == kabid
        and "mohon penjelasan" in n.judul
        and n.tautan == f"/tindak-lanjut/keberatan/{k.pk}/"
    )
    assert not Notifikasi.objects.filter(kunci__startswith=f"keberatan-tanpa-pemutus:{k.pk}").exists()
    k = services.jelaskan(k, kabid, "Penjelasan.")
    assert Notifikasi.objects.get(kunci=f"keberatan-dijelaskan:{k.pk}:{k.pemutus_id}").penerima == kepala
    k = services.putuskan(k, kepala, "dikabulkan", "Ya.", "diatas", "diatas")
    n = Notifikasi.objects.get(kunci=f"keberatan-diputus:{k.pk}")
    assert n.penerima == ika and n.judul == "Keberatan Anda dikabulkan" and "Sangat Baik" in n.isi
    services._beritahu_diputus(k)  # idempotent by key
    assert Notifikasi.objects.filter(kunci__startswith=f"keberatan-diputus:{k.pk}").count() == 1


def test_every_step_is_in_the_history_with_its_user(p):
    k = ajukan(evaluasi_final(p.ika.nip))
    k = services.jelaskan(k, user_of(p.kabid.nip), "Penjelasan.")
    k = services.reassign_pemutus(
        k, p.tim.admin, Pegawai.objects.get(nip=p.kbmp.nip), "Kepala sedang cuti panjang."
    )
    k = services.putuskan(k, user_of(p.kbmp.nip), "ditolak", "Tidak beralasan.")
    rows = list(k.history.order_by("history_id").values_list("status", "history_user__username", "versi"))
    assert rows == [
        ("diajukan", p.ika.nip, 1),
        ("dijelaskan", p.kabid.nip, 2),
        ("dijelaskan", p.tim.admin.username, 3),
        ("ditolak", p.kbmp.nip, 4),
    ]


def test_overdue_flags(p):
    k = ajukan(evaluasi_final(p.ika.nip))
    hari = k.batas_penjelasan
    assert not sel.terlambat_penjelasan(k, hari)
    assert sel.terlambat_penjelasan(k, hari + datetime.timedelta(days=1))
    assert not sel.terlambat_keputusan(k, k.batas_keputusan)
    assert sel.terlambat_keputusan(k, k.batas_keputusan + datetime.timedelta(days=1))
    k = services.jelaskan(k, user_of(p.kabid.nip), "x")
    assert not sel.terlambat_penjelasan(k, hari + datetime.timedelta(days=9))
