"""Time spent on a catatan kegiatan (docs/rules.md §34): typed as hours and minutes or from jam mulai and
selesai, checked in Indonesian, at most 24 hours a day together; and the offline queue's `kunci_klien`: the
same key from the same pegawai again gives back the stored catatan (service, form and API).

Cast: tests/pelaksanaan/conftest.py. Time is frozen at Wednesday 25 November 2026 10:00 (TW IV open).
"""

from __future__ import annotations

import datetime
import uuid

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from kinerja.organisasi.models import User
from kinerja.pelaksanaan.catatan import services as svc
from kinerja.pelaksanaan.models import CatatanKegiatan
from tests import builders as b

pytestmark = pytest.mark.django_db

NOW = timezone.make_aware(datetime.datetime(2026, 11, 25, 10, 0))
HARI = datetime.date(2026, 11, 25)


@pytest.fixture(autouse=True)
def frozen(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setattr("django.utils.timezone.now", lambda: NOW)


def client_of(user: User) -> Client:
    c = Client()
    c.force_login(user)
    return c


def data(**kw: object) -> svc.DataCatatan:
    d = svc.DataCatatan(tanggal=HARI, kegiatan="Menyusun laporan")
    for k, v in kw.items():
        setattr(d, k, v)
    return d


def form(**kw: str) -> dict[str, str]:
    isi = {"tanggal": "2026-11-25", "kegiatan": "Menyusun draf", "untuk": "", "tautan": ""}
    isi.update(kw)
    return isi


def test_durasi_dari_jam_dan_jam_menit(pemilik) -> None:  # type: ignore[no-untyped-def]
    c = svc.save_catatan(pemilik, data(durasi_jam=1, durasi_menit=30))
    assert c.durasi_menit == 90
    c = svc.save_catatan(
        pemilik, data(jam_mulai=datetime.time(8, 0), jam_selesai=datetime.time(10, 15), kegiatan="Rapat")
    )
    assert c.durasi_menit == 135
    # both given and agreeing: fine; disagreeing: refused, saying both numbers
    c = svc.save_catatan(
        pemilik,
        data(jam_mulai=datetime.time(13, 0), jam_selesai=datetime.time(14, 0), durasi_jam=1, durasi_menit=0),
    )
    assert c.durasi_menit == 60
    with pytest.raises(ValidationError) as e:
        svc.save_catatan(
            pemilik, data(jam_mulai=datetime.time(13, 0), jam_selesai=datetime.time(14, 0), durasi_jam=2)
        )
    assert (
        "2 jam" in e.value.message_dict["durasi_jam"][0] and "1 jam" in e.value.message_dict["durasi_jam"][0]
    )
    # without any: no time spent (optional)
    assert svc.save_catatan(pemilik, data()).durasi_menit is None


def test_total_sehari_paling_lama_24_jam(pemilik) -> None:  # type: ignore[no-untyped-def]
    svc.save_catatan(pemilik, data(durasi_jam=23))
    with pytest.raises(ValidationError) as e:
        svc.save_catatan(pemilik, data(durasi_jam=1, durasi_menit=30))
    assert "lebih dari 24 jam" in e.value.message_dict["durasi_jam"][0]
    assert CatatanKegiatan.objects.filter(pegawai=pemilik.pegawai).count() == 1  # nothing half-saved
    # editing a catatan does not count itself twice
    c = CatatanKegiatan.objects.get(pegawai=pemilik.pegawai)
    assert svc.save_catatan(pemilik, data(durasi_jam=24), catatan=c).durasi_menit == 24 * 60


def test_form_lama_jam_menit_dan_pesan(pemilik) -> None:  # type: ignore[no-untyped-def]
    c = client_of(pemilik)
    url = reverse("pelaksanaan:catatan")
    html = c.get(url).content.decode()
    assert 'name="durasi_jam"' in html and 'name="durasi_menit"' in html and 'name="kunci_klien"' in html
    r = c.post(url, form(durasi_jam="1", durasi_menit="30"))
    assert r.status_code == 302
    assert CatatanKegiatan.objects.get(pegawai=pemilik.pegawai).durasi_menit == 90
    html = c.post(url, form(durasi_menit="75")).content.decode()
    assert "Menit diisi 0 sampai 59." in html
    html = c.post(url, form(jam_mulai="08:00", jam_selesai="09:00", durasi_jam="3")).content.decode()
    assert "tidak sama dengan selisih jam mulai dan selesai" in html
    html = c.post(url, form(durasi_jam="0", durasi_menit="0")).content.decode()
    assert "Lama kegiatan harus lebih dari 0 menit." in html
    assert CatatanKegiatan.objects.filter(pegawai=pemilik.pegawai).count() == 1


def test_kunci_klien_sekali_saja(pemilik, rekan) -> None:  # type: ignore[no-untyped-def]
    kunci = uuid.uuid4()
    a = svc.save_catatan(pemilik, data(kunci_klien=kunci, durasi_jam=1))
    a2 = svc.save_catatan(pemilik, data(kunci_klien=kunci, kegiatan="dikirim ulang"))
    assert a.pk == a2.pk and a2.kegiatan == "Menyusun laporan"
    assert CatatanKegiatan.objects.filter(pegawai=pemilik.pegawai).count() == 1
    # the form's hidden field
    c = client_of(pemilik)
    url = reverse("pelaksanaan:catatan")
    kunci2 = str(uuid.uuid4())
    c.post(url, form(kunci_klien=kunci2))
    c.post(url, form(kunci_klien=kunci2))
    assert CatatanKegiatan.objects.filter(pegawai=pemilik.pegawai, kunci_klien=kunci2).count() == 1


def test_api_kunci_klien_dan_durasi(pemilik) -> None:  # type: ignore[no-untyped-def]
    c = client_of(pemilik)
    kunci = str(uuid.uuid4())
    isi = {"tanggal": "2026-11-25", "kegiatan": "Dari ponsel", "durasi_menit": 95, "kunci_klien": kunci}
    r1 = c.post("/api/v1/catatan-kegiatan", isi, content_type="application/json")
    assert r1.status_code == 201, r1.content
    assert r1.json()["durasi_menit"] == 95
    r2 = c.post("/api/v1/catatan-kegiatan", isi, content_type="application/json")
    assert r2.status_code == 200 and r2.json()["id"] == r1.json()["id"]
    assert CatatanKegiatan.objects.filter(pegawai=pemilik.pegawai).count() == 1
    r3 = c.post(
        "/api/v1/catatan-kegiatan",
        {
            "tanggal": "2026-11-25",
            "kegiatan": "x",
            "jam_mulai": "08:00",
            "jam_selesai": "09:00",
            "durasi_menit": 30,
        },
        content_type="application/json",
    )
    assert r3.status_code == 422 and r3.json()["detail"][0]["loc"][-1] == "durasi_menit"


def test_kunci_klien_milik_pegawai_lain_tidak_terbaca(pemilik, rekan) -> None:  # type: ignore[no-untyped-def]
    """The same key from another pegawai is another catatan (the key is unique per pegawai)."""
    b.skp_disetujui(rekan.pegawai)
    kunci = uuid.uuid4()
    a = svc.save_catatan(pemilik, data(kunci_klien=kunci))
    c = svc.save_catatan(rekan, data(kunci_klien=kunci))
    assert a.pk != c.pk and c.pegawai_id == rekan.pegawai_id
