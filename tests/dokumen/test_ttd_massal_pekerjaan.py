"""Signing many documents with one passphrase as a background job (docs/rules.md §29.6): N documents
signed, one failing does not stop the rest, a wrong passphrase signs none, the passphrase only ever in a
short-lived encrypted row (taken and deleted by the job) and never in the job's row, history or logs, a
double press starts one job, nobody signs another's slot."""

from __future__ import annotations

import datetime
import logging
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from kinerja.dokumen.models import Dokumen, KredensialSementara, PengaturanTtd, TandaTangan
from kinerja.dokumen.ttd import massal
from kinerja.dokumen.ttd import services as ttd_services
from kinerja.dokumen.ttd.penyedia import GagalTtd, Kredensial
from kinerja.pekerjaan import services as pekerjaan_services
from kinerja.pekerjaan.models import Pekerjaan
from tests import builders as b
from tests.dokumen.test_ttd_alur_skp import SANDI, _berkas, ca, daftarkan_sertifikat  # noqa: F401

pytestmark = pytest.mark.django_db

DASAR = "http://testserver/"


@pytest.fixture
def siap(skp_kecil: Any, user_kecil: Any, ca: Any) -> Any:  # noqa: F811
    """Signing by certificate on; the kabid (penilai of the fungsional and the pelaksana) registered."""
    PengaturanTtd.objects.create(instansi_id=skp_kecil("kabid").instansi_id, penyedia="sertifikat")
    kabid = user_kecil("kabid")
    daftarkan_sertifikat(ca, kabid)
    return kabid


def _pilihan(skp_kecil: Any, *peran: str) -> list[str]:
    return [f"skp:{skp_kecil(p).pk}" for p in peran]


def _mulai(user: Any, pilihan: list[str], sandi: str, capture: Any) -> Pekerjaan:
    with capture(execute=True):
        return massal.start_ttd_massal(user, pilihan, Kredensial(passphrase=sandi), DASAR)


def _ditandatangani(skp_kecil: Any, peran: str) -> list[str]:
    skp = skp_kecil(peran)
    return list(
        TandaTangan.objects.filter(dokumen__jenis="skp", dokumen__objek_id=skp.pk).values_list(
            "peran", flat=True
        )
    )


def _jejak(p: Pekerjaan) -> str:
    """Everything the database holds of the job: its row and its history rows."""
    baris = Pekerjaan.objects.filter(pk=p.pk).values().get()
    riwayat = list(Pekerjaan.history.filter(id=p.pk).values())
    return repr(baris) + repr(riwayat)


def _kredensial(kunci: str) -> str | None:
    return KredensialSementara.objects.filter(kunci=kunci).values_list("sandi", flat=True).first()


def test_the_job_signs_every_selected_document(
    siap: Any,
    skp_kecil: Any,
    antrean: Any,
    django_capture_on_commit_callbacks: Any,
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.DEBUG)
    pilihan = _pilihan(skp_kecil, "fungsional", "pelaksana")
    p = _mulai(siap, pilihan, SANDI, django_capture_on_commit_callbacks)
    kunci_rahasia = p.parameter["kunci_rahasia"]
    tersimpan = _kredensial(kunci_rahasia)
    assert tersimpan and SANDI not in tersimpan  # encrypted in its row
    assert len(antrean.results) == 1
    pekerjaan_services.jalankan(p.pk)
    p.refresh_from_db()
    assert p.status == "selesai", p.alasan
    assert p.ringkasan.startswith("2 dokumen ditandatangani.")
    assert p.ringkasan.count("✓") == 2 and (p.selesai, p.jumlah) == (2, 2)
    for peran in ("fungsional", "pelaksana"):
        assert _ditandatangani(skp_kecil, peran) == ["penilai"]
    assert _kredensial(kunci_rahasia) is None  # taken and deleted by the job
    assert SANDI not in _jejak(p) and SANDI not in caplog.text
    assert set(p.parameter) == {"kunci_rahasia", "pilihan", "dasar"}


def test_one_document_failing_does_not_stop_the_rest(
    siap: Any,
    skp_kecil: Any,
    antrean: Any,
    django_capture_on_commit_callbacks: Any,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    asli = ttd_services.tanda_tangani
    fungsional = skp_kecil("fungsional")

    def tanda_tangani(dok: Dokumen, *args: Any) -> Any:
        if dok.objek_id == fungsional.pk:
            raise GagalTtd(ttd_services.PESAN_BERUBAH)
        return asli(dok, *args)

    monkeypatch.setattr(ttd_services, "tanda_tangani", tanda_tangani)
    p = _mulai(
        siap, _pilihan(skp_kecil, "fungsional", "pelaksana"), SANDI, django_capture_on_commit_callbacks
    )
    pekerjaan_services.jalankan(p.pk)
    p.refresh_from_db()
    assert p.status == "selesai"
    assert p.ringkasan.startswith("1 dokumen ditandatangani, 1 gagal.")
    assert "✗ Sasaran Kinerja Pegawai Ika Puspitasari" in p.ringkasan and "cetak ulang" in p.ringkasan
    assert _ditandatangani(skp_kecil, "fungsional") == []
    assert _ditandatangani(skp_kecil, "pelaksana") == ["penilai"]


def test_a_wrong_passphrase_signs_none_and_says_why(
    siap: Any,
    skp_kecil: Any,
    antrean: Any,
    django_capture_on_commit_callbacks: Any,
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.DEBUG)
    salah = "sandi-yang-keliru-987"
    p = _mulai(
        siap, _pilihan(skp_kecil, "fungsional", "pelaksana"), salah, django_capture_on_commit_callbacks
    )
    pekerjaan_services.jalankan(p.pk)
    p.refresh_from_db()
    assert p.status == "gagal" and "Passphrase salah" in p.alasan and "Tidak ada dokumen" in p.alasan
    assert _ditandatangani(skp_kecil, "fungsional") == [] == _ditandatangani(skp_kecil, "pelaksana")
    assert _kredensial(p.parameter["kunci_rahasia"]) is None
    assert salah not in _jejak(p) and salah not in caplog.text


def test_a_restart_after_the_credential_expired_asks_again(
    siap: Any, skp_kecil: Any, antrean: Any, django_capture_on_commit_callbacks: Any
) -> None:
    p = _mulai(siap, _pilihan(skp_kecil, "pelaksana"), SANDI, django_capture_on_commit_callbacks)
    KredensialSementara.objects.filter(kunci=p.parameter["kunci_rahasia"]).update(
        kedaluwarsa=timezone.now() - datetime.timedelta(seconds=1)
    )  # the 10 minutes passed
    pekerjaan_services.jalankan(p.pk)
    p.refresh_from_db()
    assert p.status == "gagal" and "tidak tersedia" in p.alasan
    assert _ditandatangani(skp_kecil, "pelaksana") == []


def test_a_double_press_starts_one_job(
    siap: Any, skp_kecil: Any, login_kecil: Any, antrean: Any, django_capture_on_commit_callbacks: Any
) -> None:
    klien = login_kecil("kabid")
    data = {"pilih": _pilihan(skp_kecil, "fungsional", "pelaksana"), "passphrase": SANDI}
    with django_capture_on_commit_callbacks(execute=True):
        r1 = klien.post(reverse("ttd_menunggu"), data)
        r2 = klien.post(reverse("ttd_menunggu"), data)
    assert r1.status_code == r2.status_code == 302
    assert Pekerjaan.objects.filter(jenis=massal.JENIS_PEKERJAAN).count() == 1
    assert len(antrean.results) == 1
    html = klien.get(reverse("ttd_menunggu")).content.decode()
    assert "sedang ditandatangani" in html and "Tanda tangan 2 dokumen" in html and SANDI not in html


def test_a_missing_passphrase_is_asked_for_and_nothing_echoed(
    siap: Any, skp_kecil: Any, login_kecil: Any
) -> None:
    r = login_kecil("kabid").post(reverse("ttd_menunggu"), {"pilih": _pilihan(skp_kecil, "pelaksana")})
    assert r.status_code == 422 and "Passphrase wajib diisi." in r.content.decode()
    r = login_kecil("kabid").post(reverse("ttd_menunggu"), {"passphrase": SANDI})
    assert r.status_code == 422 and "Pilih paling sedikit satu dokumen." in r.content.decode()
    assert SANDI not in r.content.decode()
    assert not Pekerjaan.objects.exists()


def test_nobody_signs_another_s_slot(
    siap: Any,
    skp_kecil: Any,
    user_kecil: Any,
    login_kecil: Any,
    other_instansi: Any,
    django_capture_on_commit_callbacks: Any,
) -> None:
    from kinerja.organisasi.models import User

    kabid_punya = _pilihan(skp_kecil, "fungsional")  # the kabid's slot (penilai) on the fungsional's SKP
    # Another pegawai of the same instansi: the item is not in her list.
    r = login_kecil("pelaksana").post(reverse("ttd_menunggu"), {"pilih": kabid_punya, "passphrase": SANDI})
    assert r.status_code == 422 and "tidak lagi menunggu tanda tangan Anda" in r.content.decode()
    with pytest.raises(ValidationError):
        massal.start_ttd_massal(user_kecil("pelaksana"), kabid_punya, Kredensial(passphrase=SANDI), DASAR)
    # Another instansi's admin and the instansi's admin (no pegawai): nothing waits, the form is refused.
    for klien in (login_kecil("admin"), b.klien(User.objects.get(username="admin-lain"))):
        r = klien.post(reverse("ttd_menunggu"), {"pilih": kabid_punya, "passphrase": SANDI})
        assert r.status_code == 403
    with pytest.raises(PermissionDenied):
        massal.start_ttd_massal(user_kecil("admin"), kabid_punya, Kredensial(passphrase=SANDI), DASAR)
    assert not Pekerjaan.objects.exists()
    assert _ditandatangani(skp_kecil, "fungsional") == []


def test_the_job_checks_the_list_again_when_it_runs(
    siap: Any,
    skp_kecil: Any,
    antrean: Any,
    django_capture_on_commit_callbacks: Any,
) -> None:
    """Signing off between the press and the run: nothing is signed, each item says why."""
    p = _mulai(siap, _pilihan(skp_kecil, "pelaksana"), SANDI, django_capture_on_commit_callbacks)
    atur = PengaturanTtd.objects.get(instansi_id=skp_kecil("kabid").instansi_id)
    atur.penyedia = "nonaktif"
    atur.save()
    pekerjaan_services.jalankan(p.pk)
    p.refresh_from_db()
    assert p.status == "selesai" and "tidak lagi menunggu tanda tangan Anda" in p.ringkasan
    assert _ditandatangani(skp_kecil, "pelaksana") == []
