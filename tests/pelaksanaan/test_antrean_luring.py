"""The phone's offline queue on the server (docs/rules.md §35): a queued catatan carries kunci_klien and a
repeat returns the catatan saved first; a queued realisasi is the value of its (indikator, periode), so a
repeat changes nothing; both answer JSON (200 sent, 422 refused with the message) to the queue.

Cast (tests/pelaksanaan/conftest.py); time frozen at Tuesday 24 November 2026 10:00 (TW IV open).
"""

from __future__ import annotations

import datetime
import uuid

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from kinerja.organisasi.models import User
from kinerja.pelaksanaan.catatan import services as svc
from kinerja.pelaksanaan.models import CatatanKegiatan, Realisasi
from kinerja.perencanaan.models import Indikator, Skp

pytestmark = pytest.mark.django_db

NOW = timezone.make_aware(datetime.datetime(2026, 11, 24, 10, 0))
ANTREAN = {"HTTP_X_ANTREAN_LURING": "1", "HTTP_ACCEPT": "application/json"}


@pytest.fixture(autouse=True)
def frozen(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setattr("django.utils.timezone.now", lambda: NOW)


def client_of(user: User) -> Client:
    c = Client()
    c.force_login(user)
    return c


def catatan(kunci: str, **kw: str) -> dict[str, str]:
    data = {"tanggal": "2026-11-24", "kegiatan": "Menyusun notulen rapat", "kunci_klien": kunci}
    data.update(kw)
    return data


def test_catatan_dikirim_ulang_tidak_ganda(pemilik, rekan) -> None:  # type: ignore[no-untyped-def]
    kunci = str(uuid.uuid4())
    c = client_of(pemilik)
    url = reverse("pelaksanaan:catatan")
    r = c.post(url, catatan(kunci), **ANTREAN)
    assert r.status_code == 200 and r.json()["ok"] is True
    pertama = CatatanKegiatan.objects.get(pegawai=pemilik.pegawai)
    assert str(pertama.kunci_klien) == kunci and r.json()["id"] == pertama.pk
    # the answer was lost and the phone sends the same item again (even with another text): the same row
    r = c.post(url, catatan(kunci, kegiatan="Menyusun notulen rapat (ulang)"), **ANTREAN)
    assert r.status_code == 200 and r.json()["id"] == pertama.pk
    assert CatatanKegiatan.objects.filter(pegawai=pemilik.pegawai).count() == 1
    # another pegawai's key space is their own: the same key is a new catatan of theirs
    r = client_of(rekan).post(url, catatan(kunci), **ANTREAN)
    assert r.status_code == 422  # the colleague has no approved SKP in the cast
    assert CatatanKegiatan.objects.filter(kunci_klien=kunci).count() == 1


def test_catatan_tanpa_kunci_tetap_seperti_biasa(pemilik) -> None:  # type: ignore[no-untyped-def]
    c = client_of(pemilik)
    url = reverse("pelaksanaan:catatan")
    c.post(url, catatan(""))
    c.post(url, catatan(""))
    assert CatatanKegiatan.objects.filter(pegawai=pemilik.pegawai, kunci_klien__isnull=True).count() == 2


def test_service_kunci_sama_mengembalikan_yang_pertama(pemilik) -> None:  # type: ignore[no-untyped-def]
    kunci = uuid.uuid4()
    data = svc.DataCatatan(tanggal=datetime.date(2026, 11, 24), kegiatan="Rapat", kunci_klien=kunci)
    a = svc.save_catatan(pemilik, data)
    b = svc.save_catatan(pemilik, data)
    assert a.pk == b.pk and CatatanKegiatan.objects.filter(kunci_klien=kunci).count() == 1


def test_catatan_ditolak_dijawab_422_dengan_pesan(pemilik) -> None:  # type: ignore[no-untyped-def]
    r = client_of(pemilik).post(
        reverse("pelaksanaan:catatan"), catatan(str(uuid.uuid4()), tanggal="2026-11-25"), **ANTREAN
    )
    assert r.status_code == 422 and r.json()["ok"] is False
    assert r.json()["pesan"] == "Tanggal: Tanggal kegiatan tidak boleh setelah hari ini."
    assert not CatatanKegiatan.objects.exists()


def test_sesi_berakhir_dialihkan_ke_login() -> None:
    r = Client().post(reverse("pelaksanaan:catatan"), catatan(str(uuid.uuid4())), **ANTREAN)
    assert r.status_code == 302 and r["Location"].startswith(reverse("login"))


def _indikator(pemilik: User) -> tuple[Skp, Indikator]:
    skp = Skp.objects.filter(pegawai=pemilik.pegawai).order_by("-mulai").first()
    assert skp is not None
    ind = Indikator.objects.filter(rhk__skp=skp).order_by("rhk__jenis", "rhk__urutan", "urutan", "pk")[0]
    return skp, ind


def test_realisasi_dikirim_ulang_idempoten(pemilik, penilai) -> None:  # type: ignore[no-untyped-def]
    skp, ind = _indikator(pemilik)
    url = reverse("pelaksanaan:realisasi_simpan", args=[skp.pk, ind.pk, 4])
    p = f"i{ind.pk}-"
    data = {p + "nilai_teks": "Laporan selesai", p + "narasi": "Dipaparkan", p + "versi": "0"}
    c = client_of(pemilik)
    r = c.post(url, data, **ANTREAN)
    assert r.status_code == 200 and r.json()["ok"] is True
    real = Realisasi.objects.get(indikator=ind, periode_penilaian__nomor=4)
    assert real.versi == 1 and real.history.count() == 1
    # the same item again (its versi 0 is now stale): the same value is already stored, nothing changes
    r = c.post(url, data, **ANTREAN)
    assert r.status_code == 200 and r.json()["id"] == real.pk
    real.refresh_from_db()
    assert real.versi == 1 and real.history.count() == 1 and real.nilai_teks == "Laporan selesai"
    assert Realisasi.objects.filter(indikator=ind).count() == 1
    # a different value on the stale versi is still a conflict: refused, with the message
    r = c.post(url, {**data, p + "nilai_teks": "Lain"}, **ANTREAN)
    assert r.status_code == 422 and "perangkat lain" in r.json()["pesan"]
    real.refresh_from_db()
    assert real.nilai_teks == "Laporan selesai"
    # the penilai may not write the owner's realisasi, queued or not
    assert client_of(penilai).post(url, data, **ANTREAN).status_code == 403
