"""Sending the demo's final evaluations to the strict fake SIASN (docs/rules.md §21.7–21.8): look-up
stored once, document uploaded once, both saves, a re-send updates the same record, failures and refused
gaps kept on the send record with the reason, the command end to end."""

from __future__ import annotations

import io
from collections.abc import Iterator

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from kinerja.demo import tindak_lanjut as demo_tindak_lanjut
from kinerja.penilaian.models import Evaluasi
from kinerja.tindak_lanjut.models import IdSiasnPegawai, KirimSiasn
from kinerja.tindak_lanjut.siasn import klien as k
from kinerja.tindak_lanjut.siasn.kirim import services
from tests.conftest import demo_dinilai
from tests.siasn_palsu import Server, SiasnPalsu

PELAKSANA = "199108162015031001"
KEPALA = "197205141998031003"
PDF = b"%PDF-1.4\n% evaluasi\n%%EOF\n"


@pytest.fixture(scope="module")
def seeded(django_db_setup, django_db_blocker):  # type: ignore[no-untyped-def]
    with demo_dinilai(django_db_blocker, demo_tindak_lanjut.seed) as instansi:
        yield instansi


@pytest.fixture
def inst(seeded, db):  # type: ignore[no-untyped-def]
    return seeded


@pytest.fixture
def palsu() -> Iterator[SiasnPalsu]:
    with Server() as state:
        yield state


@pytest.fixture
def klien(palsu: SiasnPalsu) -> k.KlienHttp:
    konf = k.Konfigurasi.from_env(palsu.lingkungan())
    assert konf is not None
    return k.KlienHttp(konf, sleep=lambda _: None)


def _ev(nip: str, tahun: int = 2026, nomor: int | None = 1) -> Evaluasi:
    qs = Evaluasi.objects.filter(pegawai_nip=nip, periode__tahun=tahun, status="final")
    return qs.get(periode_penilaian__nomor=nomor) if nomor else qs.get(jenis="tahunan")


def _pdf(ev: Evaluasi) -> tuple[str, bytes]:
    return f"Evaluasi-{ev.pegawai_nip}.pdf", PDF


def test_first_send_looks_up_uploads_and_saves_then_a_resend_updates(inst, palsu, klien) -> None:  # type: ignore[no-untyped-def]
    pns_id = palsu.tambah_pns(PELAKSANA, "Rahmat Hidayat")
    kirim = services.send(_ev(PELAKSANA), klien, _pdf)
    assert (kirim.status, kirim.pesan, kirim.percobaan) == ("terkirim", "", 1) and kirim.terkirim_pada
    assert IdSiasnPegawai.objects.get(pegawai__nip=PELAKSANA).pns_id == pns_id
    endpoint, body = palsu.riwayat[kirim.siasn_id]
    assert endpoint == "kinerjaperiodik/save" and body["pnsDinilaiId"] == pns_id and body["id"] == ""
    assert body["path"] == kirim.dokumen and body["path"][0]["dok_id"] == "890"

    lagi = services.send(_ev(PELAKSANA), klien, _pdf)
    assert lagi.siasn_id == kirim.siasn_id and lagi.percobaan == 2
    assert len(palsu.riwayat) == 1 and len(palsu.dokumen) == 1  # updated, not duplicated; no 2nd upload
    assert palsu.riwayat[kirim.siasn_id][1]["id"] == kirim.siasn_id
    lookups = [p for m, p, _ in palsu.log if "data-utama" in p]
    assert len(lookups) == 1  # the SIASN id was stored once
    assert KirimSiasn.history.filter(id=kirim.pk).count() >= 4


def test_annual_goes_to_skp22_with_its_document_type(inst, palsu, klien) -> None:  # type: ignore[no-untyped-def]
    palsu.tambah_pns(PELAKSANA)
    kirim = services.send(_ev(PELAKSANA, 2025, None), klien, _pdf)
    assert kirim.status == "terkirim" and kirim.endpoint == "skp22/save"
    endpoint, body = palsu.riwayat[kirim.siasn_id]
    assert endpoint == "skp22/save" and body["path"][0]["dok_id"] == "891" and "penilaiJabatan" in body


def test_a_failed_send_keeps_siasn_text_and_retries_count(inst, palsu, klien) -> None:  # type: ignore[no-untyped-def]
    kirim = services.send(_ev(PELAKSANA, nomor=2), klien, _pdf)  # SIASN does not know this NIP
    assert kirim.status == "gagal" and kirim.percobaan == 1
    assert (
        "Pencarian data utama: HTTP 404: Data PNS dengan NIP 199108162015031001 tidak ditemukan"
        in kirim.pesan
    )
    palsu.tambah_pns(PELAKSANA)
    palsu.gangguan += [429, 503]
    kirim = services.send(_ev(PELAKSANA, nomor=2), klien, _pdf)
    assert (kirim.status, kirim.pesan, kirim.percobaan) == ("terkirim", "", 2)


def test_a_refused_gap_is_recorded_and_nothing_is_posted(inst, palsu, klien) -> None:  # type: ignore[no-untyped-def]
    palsu.tambah_pns(KEPALA)
    # Last year's annual evaluation of the head as if the admin had rated it without recording his external
    # penilai (the demo records the Sekda): no penilai at all, the gap SIASN cannot take.
    kosong = dict.fromkeys(("nama", "nip", "pangkat", "jabatan_nama", "unit"), "")
    Evaluasi.objects.filter(pegawai_nip=KEPALA, periode__tahun=2025).update(
        penilai_eksternal=None, **{f"penilai_{k}": v for k, v in kosong.items()}
    )
    kirim = services.send(_ev(KEPALA, 2025, None), klien, _pdf)
    assert kirim.status == "gagal" and kirim.pesan.startswith(
        "Tidak dapat dikirim: Tidak ada pejabat penilai"
    )
    assert not palsu.riwayat and not palsu.dokumen


def test_command_sends_with_the_environment_and_the_real_pdf(inst, palsu, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    for nama in k.ENV:
        monkeypatch.delenv(nama, raising=False)
    with pytest.raises(CommandError, match="SIASN belum dikonfigurasi"):
        call_command("siasn_kirim", "--tahun", "2026")
    for nama, nilai in palsu.lingkungan().items():
        monkeypatch.setenv(nama, nilai)
    palsu.tambah_pns(PELAKSANA)
    out, err = io.StringIO(), io.StringIO()
    call_command(
        "siasn_kirim", "--tahun", "2026", "--periode", "3", "--nip", PELAKSANA, stdout=out, stderr=err
    )
    assert "1 terkirim, 0 gagal." in out.getvalue(), err.getvalue()
    (dok,) = palsu.dokumen.values()
    assert dok["dok_nama"] == f"Evaluasi-{PELAKSANA}-2026-P3.pdf"
    monkeypatch.setenv("SIASN_SSO_PASSWORD", "")
    with pytest.raises(CommandError, match="SIASN_SSO_PASSWORD belum diisi"):
        call_command("siasn_kirim", "--tahun", "2026")


def test_the_command_never_sends_what_a_worker_is_sending(inst, palsu, klien, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    # §21.8: siasn_kirim holds the worker's claim while it sends, and skips a record a worker holds
    # (both creating at once would be two SIASN records).
    palsu.tambah_pns(PELAKSANA)
    ev = _ev(PELAKSANA, nomor=2)
    kirim, _ = KirimSiasn.objects.get_or_create(
        evaluasi=ev, defaults={"instansi_id": ev.instansi_id, "endpoint": "kinerjaperiodik/save"}
    )
    KirimSiasn.objects.filter(pk=kirim.pk).update(diproses_sejak=timezone.now())
    for nama, nilai in palsu.lingkungan().items():
        monkeypatch.setenv(nama, nilai)
    out, err = io.StringIO(), io.StringIO()
    call_command(
        "siasn_kirim", "--tahun", "2026", "--periode", "2", "--nip", PELAKSANA, stdout=out, stderr=err
    )
    assert "1 dilewati" in out.getvalue() and "sedang dikirim oleh worker" in err.getvalue()
    assert not palsu.riwayat

    KirimSiasn.objects.filter(pk=kirim.pk).update(diproses_sejak=None)
    dipegang = []
    simpan = klien.save

    def save(endpoint, body):  # type: ignore[no-untyped-def]
        dipegang.append(KirimSiasn.objects.get(pk=kirim.pk).diproses_sejak is not None)
        return simpan(endpoint, body)

    monkeypatch.setattr(klien, "save", save)
    hasil = services.send_now(ev, klien, _pdf)
    assert hasil is not None and hasil.status == "terkirim" and dipegang == [True]
    assert KirimSiasn.objects.get(pk=kirim.pk).diproses_sejak is None  # released
