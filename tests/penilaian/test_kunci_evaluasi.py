"""The deadline lock of evaluations (docs/rules.md §14.4): after the periode's batas evaluasi (annual: the
batas evaluasi tahunan) no rating changes; the admin kepegawaian unlocks one evaluation with a reason for
the instansi's number of days (audited); opening and finalising stay possible; reopening a final
evaluation after the deadline unlocks it. Pages and API say so in Indonesian.

This module replaces the package's autouse fixture that moves the deadlines ahead: here TW I's batas
evaluasi is yesterday and writes "on time" pass ``sekarang`` explicitly.

Cast: `Tujuh` (tests/penilaian/conftest.py, built once for the module), the kabid's group of seven.
"""

from __future__ import annotations

import datetime
import json

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from kinerja.organisasi.models import Pegawai, User
from kinerja.organisasi.services import update_periode_deadlines
from kinerja.penilaian import selectors, services
from kinerja.penilaian.evaluasi import massal as services_massal
from kinerja.penilaian.kelompok import services as services_kelompok
from kinerja.penilaian.models import Evaluasi
from kinerja.perencanaan.models import Skp
from kinerja.rules.perilaku import BERAKHLAK
from tests import builders as b
from tests.conftest import WAKTU_UJI
from tests.penilaian.conftest import Tujuh

pytestmark = pytest.mark.django_db

# The day before the suite's fixed clock (tests/conftest.py), not before the machine's date: this module is
# imported before the clock is fixed, and the two dates differ after midnight in Jakarta.
KEMARIN = WAKTU_UJI.date() - datetime.timedelta(days=1)


@pytest.fixture
def p(tujuh: Tujuh) -> Tujuh:
    return tujuh


@pytest.fixture(autouse=True)
def _batas_evaluasi(p):  # type: ignore[no-untyped-def]
    """TW I of the cast's year: its batas evaluasi was yesterday."""
    pp = p.tim.pp(1)
    update_periode_deadlines(
        pp.periode,
        pp.periode.batas_skp,
        pp.periode.batas_evaluasi_tahunan,
        {pp.pk: (pp.batas_realisasi, KEMARIN)},
    )


@pytest.fixture
def siap(p):  # type: ignore[no-untyped-def]
    """siap(pegawai, nomor=1) -> the opened evaluation (None: annual), with the realisasi entered."""

    def buka(pegawai: Pegawai, nomor: int | None = 1) -> Evaluasi:
        skp = Skp.objects.select_related("periode", "pegawai").get(pegawai=pegawai)
        return b.evaluasi_dibuka(skp, p.tim.pp(nomor) if nomor else None)

    return buka


def _pada(tanggal: datetime.date, jam: int = 9) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(tanggal, datetime.time(jam)))


TEPAT_WAKTU = _pada(KEMARIN, 23)  # the last evening before the lock


def _nilai(ev: Evaluasi, oleh: User, sekarang: datetime.datetime | None = TEPAT_WAKTU) -> Evaluasi:
    """Rate every RHK and value Sesuai and accept the suggestions, at ``sekarang``."""
    for row in ev.rating_rhk.order_by("urutan"):
        ev = services.rate_rhk(ev, row.rhk, "sesuai", "", oleh, sekarang=sekarang)
    for n in BERAKHLAK:
        ev = services.rate_perilaku(ev, n.kode, "sesuai", "", oleh, sekarang=sekarang)
    return services.set_rating(ev, oleh, sekarang=sekarang)


def _ev_ika(siap, p: Tujuh) -> Evaluasi:  # type: ignore[no-untyped-def]
    return siap(p.fungsional)  # opening after the deadline is allowed


# --- services --------------------------------------------------------------------------------------------


def _tulis_semua(ev: Evaluasi, kabid: User, kepala: User) -> dict[str, object]:
    row = ev.rating_rhk.order_by("urutan").first()
    return {
        "nilai_rhk": lambda: services.rate_rhk(ev, row.rhk, "diatas", "", kabid),
        "nilai_perilaku": lambda: services.rate_perilaku(ev, "BP", "diatas", "", kabid),
        "tanpa_realisasi": lambda: services.mark_tanpa_realisasi(ev, row.rhk, "Cuti", kabid),
        "set_rating": lambda: services.set_rating(ev, kabid),
        "sesuaikan_atasan": lambda: services.adjust_by_atasan(ev, kepala, "Kalibrasi", "diatas"),
        "nilai_rhk_semua": lambda: services_massal.rate_rhk_semua(ev, {row.rhk_id: "diatas"}, kabid),
        "nilai_perilaku_semua": lambda: services_massal.rate_perilaku_semua(ev, {"BP": "diatas"}, kabid),
    }


@pytest.mark.parametrize(
    "aksi",
    [
        "nilai_rhk",
        "nilai_perilaku",
        "tanpa_realisasi",
        "set_rating",
        "sesuaikan_atasan",
        "nilai_rhk_semua",
        "nilai_perilaku_semua",
    ],
)
def test_every_rating_write_is_refused_after_the_deadline(siap, p, aksi):  # type: ignore[no-untyped-def]
    kabid, kepala = p.kabid.user, p.kepala.user
    ev = _nilai(_ev_ika(siap, p), kabid)  # rated in time
    sebelum = Evaluasi.objects.get(pk=ev.pk)
    with pytest.raises(ValidationError) as exc:
        _tulis_semua(ev, kabid, kepala)[aksi]()  # type: ignore[operator]
    pesan = " ".join(exc.value.messages)
    assert f"Batas evaluasi Triwulan I ({KEMARIN.day}" in pesan and "sudah lewat" in pesan
    assert "Minta admin kepegawaian membuka kunci" in pesan
    sesudah = Evaluasi.objects.get(pk=ev.pk)
    assert (sesudah.versi, sesudah.rating_hasil, sesudah.rating_perilaku) == (
        sebelum.versi,
        sebelum.rating_hasil,
        sebelum.rating_perilaku,
    )


def test_the_deadline_day_itself_is_still_open(siap, p):  # type: ignore[no-untyped-def]
    ev = _nilai(_ev_ika(siap, p), p.kabid.user, sekarang=_pada(KEMARIN, 23))
    assert ev.predikat == "baik" and selectors.status_kunci(ev, _pada(KEMARIN, 23)).terbuka
    assert not selectors.status_kunci(ev).terbuka  # today


def test_admin_unlocks_with_a_reason_for_the_instansi_days_and_it_is_audited(siap, p):  # type: ignore[no-untyped-def]
    kabid, admin, instansi = p.kabid.user, p.tim.admin, p.tim.instansi
    ev = _ev_ika(siap, p)
    with pytest.raises(PermissionDenied, match="Hanya admin kepegawaian"):
        services.unlock_evaluasi(ev, kabid, "Saya lupa")
    with pytest.raises(ValidationError, match="alasan membuka kunci"):
        services.unlock_evaluasi(ev, admin, "  ")
    instansi.lama_buka_kunci_hari = 3
    instansi.save()
    sekarang = timezone.now()
    ev = services.unlock_evaluasi(ev, admin, "Pejabat penilai cuti sakit sampai batas evaluasi.", sekarang)
    assert ev.kunci_dibuka_sampai == sekarang + datetime.timedelta(days=3)
    assert ev.kunci_dibuka_oleh == admin and ev.kunci_dibuka_alasan.startswith("Pejabat penilai cuti")
    status = selectors.status_kunci(ev)
    assert (
        status.terbuka
        and status.terlambat
        and "kunci evaluasi ini dibuka oleh admin kepegawaian sampai" in status.alasan
    )
    ev = _nilai(ev, kabid, sekarang=None)  # now, within the unlock
    assert ev.predikat == "baik"
    catatan = ev.history.filter(kunci_dibuka_alasan__startswith="Pejabat penilai cuti").order_by(
        "history_date"
    )
    assert catatan.first().history_user == admin
    # The unlock expires: three days later the ratings are locked again.
    nanti = ev.kunci_dibuka_sampai + datetime.timedelta(minutes=1)
    with pytest.raises(ValidationError, match="sudah lewat"):
        services.rate_perilaku(ev, "BP", "diatas", "", kabid, sekarang=nanti)


def test_unlock_is_refused_before_the_deadline_and_for_another_instansi(siap, p, other_instansi):  # type: ignore[no-untyped-def]
    admin = p.tim.admin
    ev = _ev_ika(siap, p)
    with pytest.raises(ValidationError, match="belum terkunci"):
        services.unlock_evaluasi(ev, admin, "Uji", sekarang=TEPAT_WAKTU)
    with pytest.raises(PermissionDenied):
        services.unlock_evaluasi(ev, User.objects.get(username="admin-lain"), "Uji")


def _kelompok_dinilai(siap, p: Tujuh) -> tuple:  # type: ignore[no-untyped-def]
    """The kabid's seven bawahan rated in time; the bidang's capaian Baik (set after the deadline)."""
    kabid = p.kabid.user
    for skp in p.skp_bawahan():
        _nilai(siap(skp.pegawai), kabid)
    pp = p.tim.pp(1)
    services.set_capaian_organisasi(p.tim.bidang, p.tim.periode, pp, "baik", "", p.kepala.user)
    return p.kabid, p.tim.periode, pp


def test_finalising_after_the_deadline_is_allowed_and_reopening_unlocks(siap, p):  # type: ignore[no-untyped-def]
    kabid, admin = p.kabid.user, p.tim.admin
    penilai, periode, pp = _kelompok_dinilai(siap, p)
    fin = services_kelompok.finalise_kelompok(
        penilai, periode, pp, kabid, "Semua sesuai target; kalibrasi tahunan."
    )
    assert fin.jumlah_pegawai == 7
    ev = Evaluasi.objects.get(pegawai=p.fungsional, periode_penilaian=pp)
    assert ev.is_final and ev.kunci_dibuka_sampai is None
    with pytest.raises(ValidationError, match="sudah final"):
        services.unlock_evaluasi(ev, admin, "Koreksi")  # a final one is reopened, not unlocked
    ev = services.reopen(ev, admin, "Koreksi rating perilaku atas keberatan lisan.")
    assert ev.kunci_dibuka_sampai is not None and ev.kunci_dibuka_alasan.startswith("Koreksi rating")
    ev = services.rate_perilaku(ev, "BP", "diatas", "", kabid)  # open again for the penilai
    assert ev.rating_perilaku_set.get(kode="BP").rating == "diatas"


def test_annual_evaluation_follows_the_annual_deadline(siap, p):  # type: ignore[no-untyped-def]
    ev = siap(p.fungsional, None)
    batas = ev.periode.batas_evaluasi_tahunan
    assert ev.batas_evaluasi == batas
    assert selectors.status_kunci(ev, _pada(batas, 20)).terbuka
    terkunci = selectors.status_kunci(ev, _pada(batas + datetime.timedelta(days=1)))
    assert not terkunci.terbuka and f"Batas evaluasi tahunan {ev.periode.tahun}" in terkunci.alasan


# --- pages -----------------------------------------------------------------------------------------------


def _klien(user: User) -> Client:
    return b.klien(user)


def test_page_after_the_deadline_is_read_only_and_the_admin_unlocks_it(siap, p):  # type: ignore[no-untyped-def]
    kabid, admin = p.kabid.user, p.tim.admin
    ev = _ev_ika(siap, p)
    halaman = reverse("penilaian:evaluasi", args=[ev.pk])
    buka = reverse("penilaian:evaluasi_buka_kunci", args=[ev.pk])
    html = _klien(kabid).get(halaman).content.decode()
    assert "sudah lewat; rating tidak dapat diubah lagi" in html
    assert 'name="rating"' not in html and "Tetapkan rating" not in html and buka not in html
    assert _klien(kabid).post(buka, {"alasan": "x"}).status_code == 403
    html = _klien(admin).get(halaman).content.decode()
    assert buka in html and "Buka kunci evaluasi (admin kepegawaian)" in html
    resp = _klien(admin).post(buka, {"alasan": ""})
    assert resp.status_code == 200 and "Tuliskan alasan membuka kunci evaluasi ini." in resp.content.decode()
    resp = _klien(admin).post(buka, {"alasan": "Server instansi mati pada hari batas evaluasi."}, follow=True)
    assert "Kunci evaluasi dibuka sampai" in resp.content.decode()
    html = _klien(kabid).get(halaman).content.decode()
    assert "kunci evaluasi ini dibuka oleh admin kepegawaian sampai" in html and 'name="rating"' in html
    assert "Server instansi mati" in html  # the reason is shown to the penilai and kept in the history


def test_page_before_the_deadline_tells_the_penilai_when_it_locks(siap, p):  # type: ignore[no-untyped-def]
    pp = p.tim.pp(1)
    besok = timezone.localdate() + datetime.timedelta(days=1)
    update_periode_deadlines(
        pp.periode,
        pp.periode.batas_skp,
        pp.periode.batas_evaluasi_tahunan,
        {pp.pk: (pp.batas_realisasi, besok)},
    )
    ev = _ev_ika(siap, p)
    html = _klien(p.kabid.user).get(reverse("penilaian:evaluasi", args=[ev.pk])).content.decode()
    assert "Evaluasi Triwulan I terbuka sampai" in html and "Sesudah itu rating terkunci." in html
    assert 'name="rating"' in html


# --- API -------------------------------------------------------------------------------------------------


def test_api_refuses_after_the_deadline_and_the_admin_unlocks(siap, p):  # type: ignore[no-untyped-def]
    kabid, admin = p.kabid.user, p.tim.admin
    ev = _ev_ika(siap, p)
    row = ev.rating_rhk.order_by("urutan").first()
    api = f"/api/v1/penilaian/evaluasi/{ev.pk}"
    k = _klien(kabid)
    data = k.get(api).json()
    assert data["terkunci"] is True and data["dapat_dinilai"] is False
    assert data["batas_evaluasi"] == KEMARIN.isoformat() and "sudah lewat" in data["status_kunci"]
    resp = k.put(
        f"{api}/rhk/{row.rhk_id}",
        json.dumps({"rating": "sesuai", "catatan": "", "versi": data["versi"]}),
        content_type="application/json",
    )
    assert resp.status_code == 422 and "sudah lewat" in resp.content.decode()
    assert k.post(f"{api}/buka-kunci", {"alasan": "x"}, content_type="application/json").status_code == 403
    a = _klien(admin)
    resp = a.post(f"{api}/buka-kunci", {"alasan": "Penilai dinas luar."}, content_type="application/json")
    assert resp.status_code == 200 and resp.json()["terkunci"] is False
    assert resp.json()["kunci_dibuka_alasan"] == "Penilai dinas luar."
    resp = k.put(
        f"{api}/rhk/{row.rhk_id}",
        json.dumps({"rating": "sesuai", "catatan": "", "versi": resp.json()["versi"]}),
        content_type="application/json",
    )
    assert resp.status_code == 200, resp.content


def test_list_marks_locked_rows_and_offers_only_lihat(siap, p):  # type: ignore[no-untyped-def]
    ev = _ev_ika(siap, p)
    html = _klien(p.kabid.user).get(reverse("penilaian:index") + "?periode=1").content.decode()
    assert "sudah lewat, rating terkunci" in html
    baris = html.split(ev.pegawai_nama)[1].split("</tr>")[0]
    assert "terkunci" in baris and "Lihat<span" in baris and "Nilai<span" not in baris
    services.unlock_evaluasi(ev, p.tim.admin, "Penilai cuti.")
    html = _klien(p.kabid.user).get(reverse("penilaian:index") + "?periode=1").content.decode()
    baris = html.split(ev.pegawai_nama)[1].split("</tr>")[0]
    assert "terkunci" not in baris and "Nilai<span" in baris
