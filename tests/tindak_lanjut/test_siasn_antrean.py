"""SIASN sends in the background (docs/rules.md §21.9), against the strict fake SIASN: a final evaluation is
queued after commit when SIASN is configured (nothing otherwise), a passing trouble is tried again with
backoff up to the maximum, a refusal is final at once, a re-send updates the same SIASN record, a
superseded or running request does nothing twice, and ``siasn_kirim --antre``.

Small data (tests/builders.py): the kabid rates one pelaksana; his group is finalised through
`finalise_kelompok` (the real path), which tells tindak_lanjut by the signal ``evaluasi_final``."""

from __future__ import annotations

import datetime
import io
from collections.abc import Iterator

import pytest
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from django.test import override_settings
from django.utils import timezone

from kinerja.penilaian import services as penilaian
from kinerja.penilaian.kelompok import services as kelompok
from kinerja.penilaian.models import Evaluasi
from kinerja.rules import siasn as kode
from kinerja.tindak_lanjut.models import KirimSiasn
from kinerja.tindak_lanjut.siasn import klien as k
from kinerja.tindak_lanjut.siasn.kirim import services, tasks
from tests import builders as b
from tests.siasn_palsu import Server, SiasnPalsu

pytestmark = pytest.mark.django_db


def _bangun() -> b.Tim:
    tim = b.atasan_dan_bawahan(bawahan={"nama": "Rahmat Hidayat"})
    b.skp_disetujui(tim.kepala)
    b.skp_disetujui(tim.atasan)
    b.skp_disetujui(tim.bawahan)
    return tim


_tim, tim = b.pemeran_modul(_bangun, "tim")


@pytest.fixture
def palsu() -> Iterator[SiasnPalsu]:
    with Server() as state:
        yield state


@pytest.fixture
def siasn(palsu: SiasnPalsu, monkeypatch: pytest.MonkeyPatch) -> SiasnPalsu:
    """SIASN configured in the environment, pointing at the fake; the client's own backoff does not sleep."""
    for nama, nilai in palsu.lingkungan().items():
        monkeypatch.setenv(nama, nilai)

    def klien() -> k.KlienHttp:
        konf = k.Konfigurasi.from_env()
        assert konf is not None
        return k.KlienHttp(konf, sleep=lambda _: None)

    monkeypatch.setattr(services, "klien_from_env", klien)
    return palsu


def _final(tim: b.Tim, nomor: int = 1) -> Evaluasi:
    skp = tim.bawahan.skp.get()
    return b.evaluasi_final(skp, tim.pp(nomor))


def _kirim(ev: Evaluasi) -> KirimSiasn:
    return KirimSiasn.objects.get(evaluasi=ev)


def test_final_evaluation_is_queued_after_commit(
    tim, siasn, antrean, django_capture_on_commit_callbacks
) -> None:  # type: ignore[no-untyped-def]
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        ev = _final(tim)
        kirim = _kirim(ev)
        assert kirim.status == "antri" and antrean.results == []  # nothing before the commit
    assert callbacks
    (hasil,) = antrean.results
    assert hasil.task.func is tasks.send_evaluasi_siasn.func and hasil.args == [kirim.pk, kirim.tiket]
    assert kirim.diminta_oleh is None and kirim.diminta_pada and kirim.endpoint == "kinerjaperiodik/save"
    assert kode.tindakan(kirim.jenis_gagal) is None


def test_nothing_is_queued_without_siasn(
    tim, antrean, monkeypatch, django_capture_on_commit_callbacks
) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.delenv("SIASN_GATEWAY_URL", raising=False)
    with django_capture_on_commit_callbacks(execute=True):
        ev = _final(tim)
    assert not KirimSiasn.objects.filter(evaluasi=ev).exists() and antrean.results == []


def test_only_the_instansi_named_in_siasn_instansi(
    tim, siasn, antrean, django_capture_on_commit_callbacks
) -> None:  # type: ignore[no-untyped-def]
    with override_settings(SIASN_INSTANSI=["LAIN"]), django_capture_on_commit_callbacks(execute=True):
        ev = _final(tim)
    assert not KirimSiasn.objects.filter(evaluasi=ev).exists()
    assert services.is_siasn_configured(tim.instansi)  # every instansi when the setting is empty


def test_the_worker_sends_at_once_and_a_resend_updates_the_same_record(
    tim, siasn, django_capture_on_commit_callbacks
) -> None:  # type: ignore[no-untyped-def]
    siasn.tambah_pns(tim.bawahan.nip, "Rahmat Hidayat")
    with django_capture_on_commit_callbacks(execute=True):
        ev = _final(tim)  # ImmediateBackend: the task runs when the finalisation commits
    kirim = _kirim(ev)
    assert (kirim.status, kirim.percobaan, kirim.jenis_gagal) == ("terkirim", 1, "")
    assert kirim.siasn_id in siasn.riwayat and kirim.terkirim_pada and kirim.berikutnya_pada is None

    with django_capture_on_commit_callbacks(execute=True):
        lagi = services.resend(kirim, tim.admin)
    assert lagi.diminta_oleh == tim.admin
    kirim.refresh_from_db()
    assert kirim.status == "terkirim" and len(siasn.riwayat) == 1  # updated, not added
    assert siasn.riwayat[kirim.siasn_id][1]["id"] == kirim.siasn_id
    riwayat = KirimSiasn.history.filter(id=kirim.pk, diminta_oleh=tim.admin)
    assert riwayat.filter(history_user=tim.admin).exists()  # who asked, and when, in the history


def test_a_changed_final_result_is_sent_again_with_its_new_document(
    tim, siasn, django_capture_on_commit_callbacks
) -> None:  # type: ignore[no-untyped-def]
    siasn.tambah_pns(tim.bawahan.nip)
    with django_capture_on_commit_callbacks(execute=True):
        ev = _final(tim)
    pertama = _kirim(ev)
    with django_capture_on_commit_callbacks(execute=True):
        ev = penilaian.reopen(ev, tim.admin, "Salah ketik rating.")
        oleh, sekarang = b.penilai_dari(ev.skp), b.saat_menilai(ev.skp, tim.pp(1))
        for row in ev.rating_rhk.all():
            ev = penilaian.rate_rhk(ev, row.rhk, "diatas", "", oleh, sekarang=sekarang)
        penilaian.set_rating(ev, oleh, sekarang=sekarang)
        kelompok.finalise_kelompok(tim.atasan, tim.periode, tim.pp(1), oleh, "Uji.")
    kirim = _kirim(ev)
    assert kirim.status == "terkirim" and kirim.siasn_id == pertama.siasn_id and len(siasn.riwayat) == 1
    assert kirim.dokumen != pertama.dokumen and len(siasn.dokumen) == 2  # the new result's document
    assert siasn.riwayat[kirim.siasn_id][1]["hasilKinerjaNilai"] == 1


def test_a_granted_keberatan_sends_the_changed_result_to_the_same_record(
    tim, siasn, django_capture_on_commit_callbacks
) -> None:  # type: ignore[no-untyped-def]
    from kinerja.tindak_lanjut.keberatan import services as keberatan

    siasn.tambah_pns(tim.bawahan.nip)
    type(tim.instansi).objects.filter(pk=tim.instansi.pk).update(keberatan_periodik=True)
    with django_capture_on_commit_callbacks(execute=True):
        ev = _final(tim)
    pertama = _kirim(ev)
    assert siasn.riwayat[pertama.siasn_id][1]["hasilKinerjaNilai"] == 2
    k = b.keberatan(ev)
    sekarang = ev.final_pada + datetime.timedelta(days=2)
    k = keberatan.jelaskan(k, tim.atasan.user, "Sudah sesuai pedoman.", sekarang=sekarang)
    with django_capture_on_commit_callbacks(execute=True):
        keberatan.putuskan(k, tim.kepala.user, "dikabulkan", "Bukti baru.", "diatas", None, sekarang=sekarang)
    kirim = _kirim(ev)
    assert kirim.status == "terkirim" and kirim.siasn_id == pertama.siasn_id and len(siasn.riwayat) == 1
    assert siasn.riwayat[kirim.siasn_id][1]["hasilKinerjaNilai"] == 1  # SIASN's record now says Diatas


def _antri(tim: b.Tim, django_capture_on_commit_callbacks) -> KirimSiasn:  # type: ignore[no-untyped-def]
    with django_capture_on_commit_callbacks(execute=False):
        ev = _final(tim)
    return _kirim(ev)


def test_an_unexpected_error_fails_the_record_instead_of_leaving_it_queued(
    tim, siasn, antrean, django_capture_on_commit_callbacks
) -> None:  # type: ignore[no-untyped-def]
    # §21.9: the PDF (or anything of Kinerja's) failing must not leave the record "antri" with no task.
    siasn.tambah_pns(tim.bawahan.nip)
    kirim = _antri(tim, django_capture_on_commit_callbacks)

    def rusak(ev: Evaluasi) -> tuple[str, bytes]:
        raise RuntimeError("font hilang")

    with pytest.raises(RuntimeError):
        services.run_send(kirim.pk, kirim.tiket, dokumen=rusak)
    kirim.refresh_from_db()
    assert (kirim.status, kirim.jenis_gagal, kirim.diproses_sejak) == ("gagal", "galat_kinerja", None)
    assert "RuntimeError" in kirim.pesan and "font hilang" not in kirim.pesan and not siasn.riwayat
    tindakan = kode.tindakan(kirim.jenis_gagal)
    assert tindakan is not None and tindakan.pelaku == "Pengelola server"


def test_resending_a_failed_record_uploads_its_document_again(
    tim, siasn, django_capture_on_commit_callbacks
) -> None:  # type: ignore[no-untyped-def]
    # §21.9: SIASN refusing the stored document reference is not something an admin can correct: a resend
    # of a failed record uploads the document again (a record sent fine keeps its document).
    siasn.tambah_pns(tim.bawahan.nip)
    with django_capture_on_commit_callbacks(execute=True):
        ev = _final(tim)
    kirim = _kirim(ev)
    with django_capture_on_commit_callbacks(execute=True):
        services.resend(kirim, tim.admin)
    assert len(siasn.dokumen) == 1  # sent fine: the same document
    siasn.dokumen.clear()  # SIASN lost the document
    with django_capture_on_commit_callbacks(execute=True):
        services.resend(_kirim(ev), tim.admin)
    gagal = _kirim(ev)
    assert gagal.status == "gagal" and "tidak ada" in gagal.pesan
    with django_capture_on_commit_callbacks(execute=True):
        services.resend(gagal, tim.admin)
    kirim = _kirim(ev)
    assert kirim.status == "terkirim" and len(siasn.dokumen) == 1 and kirim.dokumen != gagal.dokumen
    assert len(siasn.riwayat) == 1


def test_a_passing_trouble_is_retried_with_backoff(
    tim, siasn, antrean, django_capture_on_commit_callbacks
) -> None:  # type: ignore[no-untyped-def]
    siasn.tambah_pns(tim.bawahan.nip)
    kirim = _antri(tim, django_capture_on_commit_callbacks)
    siasn.gangguan += [503] * 10  # the client's own five attempts, twice
    for n, jeda in ((1, 300), (2, 600)):
        mulai = timezone.now()
        assert tasks.send_evaluasi_siasn.call(kirim.pk, kirim.tiket) == "antri"
        kirim.refresh_from_db()
        assert (kirim.status, kirim.percobaan, kirim.jenis_gagal) == ("antri", n, "gangguan")
        assert kirim.pesan == "Pencarian data utama: HTTP 503: Down"
        assert kirim.diproses_sejak is None  # released
        tugas = antrean.results[-1]
        assert len(antrean.results) == n and tugas.task.run_after == kirim.berikutnya_pada
        assert tugas.args == [kirim.pk, kirim.tiket]
        selisih = (kirim.berikutnya_pada - mulai).total_seconds()
        assert jeda - 1 <= selisih <= jeda + 5
        tindakan = kode.tindakan(kirim.jenis_gagal, masih_diulang=True)
        assert tindakan is not None and tindakan.pelaku == "Tidak ada"
    assert tasks.send_evaluasi_siasn.call(kirim.pk, kirim.tiket) == "terkirim"  # SIASN is back


@override_settings(SIASN_ANTREAN_PERCOBAAN=2)
def test_the_queue_gives_up_after_the_maximum(
    tim, siasn, antrean, django_capture_on_commit_callbacks
) -> None:  # type: ignore[no-untyped-def]
    kirim = _antri(tim, django_capture_on_commit_callbacks)
    siasn.gangguan += [429] * 10
    tasks.send_evaluasi_siasn.call(kirim.pk, kirim.tiket)
    assert tasks.send_evaluasi_siasn.call(kirim.pk, kirim.tiket) == "gagal"
    kirim.refresh_from_db()
    assert (kirim.status, kirim.percobaan, kirim.jenis_gagal) == ("gagal", 2, "gangguan")
    assert kirim.berikutnya_pada is None and len(antrean.results) == 1  # no third attempt
    tindakan = kode.tindakan(kirim.jenis_gagal)
    assert tindakan is not None and tindakan.pelaku == "Admin kepegawaian"


def test_a_refusal_is_final_at_once(tim, siasn, antrean, django_capture_on_commit_callbacks) -> None:  # type: ignore[no-untyped-def]
    kirim = _antri(tim, django_capture_on_commit_callbacks)  # SIASN does not know the NIP: 404
    assert tasks.send_evaluasi_siasn.call(kirim.pk, kirim.tiket) == "gagal"
    kirim.refresh_from_db()
    assert kirim.jenis_gagal == "data_bkn" and "tidak ditemukan" in kirim.pesan and antrean.results == []
    assert kode.tindakan(kirim.jenis_gagal).pelaku == "BKPSDM melalui SIASN"  # type: ignore[union-attr]


def test_a_400_on_save_keeps_siasn_text_and_is_not_retried(
    tim, siasn, antrean, django_capture_on_commit_callbacks
) -> None:  # type: ignore[no-untyped-def]
    from kinerja.tindak_lanjut.models import IdSiasnPegawai

    siasn.tambah_pns(tim.bawahan.nip)
    IdSiasnPegawai.objects.create(pegawai=tim.bawahan, pns_id="ID-LAMA", dicari_pada=timezone.now())
    kirim = _antri(tim, django_capture_on_commit_callbacks)
    assert tasks.send_evaluasi_siasn.call(kirim.pk, kirim.tiket) == "gagal"
    kirim.refresh_from_db()
    assert kirim.pesan == "HTTP 400: pnsDinilaiId tidak ditemukan" and kirim.percobaan == 1
    assert kirim.jenis_gagal == "data_bkn" and antrean.results == []


def test_superseded_or_running_requests_do_nothing_twice(
    tim, siasn, antrean, django_capture_on_commit_callbacks
) -> None:  # type: ignore[no-untyped-def]
    siasn.tambah_pns(tim.bawahan.nip)
    kirim = _antri(tim, django_capture_on_commit_callbacks)
    lama = kirim.tiket
    with django_capture_on_commit_callbacks(execute=True):
        services.resend(kirim, tim.admin)  # a newer request: its task is enqueued (Dummy: not run)
    kirim.refresh_from_db()
    assert kirim.tiket == lama + 1
    assert tasks.send_evaluasi_siasn.call(kirim.pk, lama) == "lewat" and not siasn.riwayat
    # Another worker is sending it: this run waits a minute instead of sending at the same time.
    KirimSiasn.objects.filter(pk=kirim.pk).update(diproses_sejak=timezone.now())
    antrean.clear()
    assert tasks.send_evaluasi_siasn.call(kirim.pk, kirim.tiket) == "lewat" and not siasn.riwayat
    (tunggu,) = antrean.results
    assert tunggu.task.run_after is not None and tunggu.args == [kirim.pk, kirim.tiket]
    # A claim older than the limit is a worker that died: taken over.
    lama_sekali = timezone.now() - services.KLAIM_KEDALUWARSA - datetime.timedelta(seconds=1)
    KirimSiasn.objects.filter(pk=kirim.pk).update(diproses_sejak=lama_sekali)
    assert tasks.send_evaluasi_siasn.call(kirim.pk, kirim.tiket) == "terkirim"
    assert tasks.send_evaluasi_siasn.call(kirim.pk, kirim.tiket) == "lewat"  # done: not sent twice
    assert len([p for m, p, _ in siasn.log if p.endswith("/save")]) == 1


def test_a_send_finishing_after_a_newer_request_leaves_it_queued(
    tim, siasn, antrean, django_capture_on_commit_callbacks
) -> None:  # type: ignore[no-untyped-def]
    siasn.tambah_pns(tim.bawahan.nip)
    kirim = _antri(tim, django_capture_on_commit_callbacks)
    ev = Evaluasi.objects.get(pk=kirim.evaluasi_id)
    hasil = services.send(ev, services.klien_from_env(), None, tiket=kirim.tiket - 1)
    assert hasil.status == "antri" and hasil.siasn_id  # the id is kept; the newer request still waits


def test_without_configuration_the_record_says_so(
    tim, siasn, monkeypatch, django_capture_on_commit_callbacks
) -> None:  # type: ignore[no-untyped-def]
    kirim = _antri(tim, django_capture_on_commit_callbacks)
    monkeypatch.setenv("SIASN_SSO_PASSWORD", "")
    monkeypatch.setattr(services, "klien_from_env", k.klien_from_env)
    assert tasks.send_evaluasi_siasn.call(kirim.pk, kirim.tiket) == "gagal"
    kirim.refresh_from_db()
    assert "SIASN_SSO_PASSWORD belum diisi" in kirim.pesan and kirim.jenis_gagal == "akses"
    assert kode.tindakan(kirim.jenis_gagal).pelaku == "Pengelola server"  # type: ignore[union-attr]


def test_resend_is_refused_when_not_configured_or_not_final(
    tim, siasn, monkeypatch, django_capture_on_commit_callbacks
) -> None:  # type: ignore[no-untyped-def]
    kirim = _antri(tim, django_capture_on_commit_callbacks)
    penilaian.reopen(Evaluasi.objects.get(pk=kirim.evaluasi_id), tim.admin, "Perlu ditinjau.")
    with pytest.raises(ValidationError, match="tidak final lagi"):
        services.resend(kirim, tim.admin)
    monkeypatch.delenv("SIASN_GATEWAY_URL")
    with pytest.raises(ValidationError, match="SIASN belum dikonfigurasi"):
        services.resend(kirim, tim.admin)


def test_command_queues_with_antre(tim, siasn, antrean, django_capture_on_commit_callbacks) -> None:  # type: ignore[no-untyped-def]
    with override_settings(SIASN_INSTANSI=["LAIN"]), django_capture_on_commit_callbacks(execute=True):
        ev = _final(tim)  # not queued: the setting names another instansi
    out = io.StringIO()
    with django_capture_on_commit_callbacks(execute=True):
        call_command("siasn_kirim", "--tahun", str(tim.periode.tahun), "--antre", stdout=out)
    assert "1 evaluasi dimasukkan ke antrean SIASN" in out.getvalue()
    assert _kirim(ev).status == "antri" and len(antrean.results) == 1
    with pytest.raises(CommandError, match="--antre dan --dry-run"):
        call_command("siasn_kirim", "--tahun", "2026", "--antre", "--dry-run")
