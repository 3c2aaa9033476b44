"""Bulk SKP approval from the penilai's inbox (docs/rules.md §33.7).

Cast (tests/builders.py `atasan_dan_bawahan`): the atasan (kabid) rates the bawahan and their colleagues;
another kabid of the same instansi rates a pegawai of their own. Submitted SKP are put in the inbox
directly (status and submission time), the approval goes through the services.
"""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from kinerja.organisasi.models import Pegawai, User
from kinerja.pelaksanaan.umpan_balik.models import UmpanBalik
from kinerja.perencanaan import selectors, services
from kinerja.perencanaan.models import LogAlur, Skp, SkpVersi
from tests import builders as b

pytestmark = pytest.mark.django_db

INBOX = reverse("skp:persetujuan")
SETUJUI = reverse("skp:setujui_massal")


def ajukan(pegawai: Pegawai, hari_lalu: int = 2) -> Skp:
    """A draft SKP of `pegawai`, submitted `hari_lalu` days ago."""
    skp = b.SkpFactory(pegawai=pegawai)
    skp.status, skp.diajukan_pada = "diajukan", timezone.now() - datetime.timedelta(days=hari_lalu)
    skp.save()
    return skp


def utas(skp: Skp, oleh: User, pada: datetime.datetime, balasan: list[datetime.datetime] = ()) -> UmpanBalik:
    """A thread on the SKP's first RHK (or the SKP) started at `pada`, with replies at `balasan`."""
    induk = UmpanBalik.objects.create(skp=skp, oleh=oleh, teks="Perjelas targetnya.")
    UmpanBalik.objects.filter(pk=induk.pk).update(pada=pada)
    for t in balasan:
        r = UmpanBalik.objects.create(skp=skp, induk=induk, oleh=oleh, teks="Sudah diperjelas.")
        UmpanBalik.objects.filter(pk=r.pk).update(pada=t)
    return induk


def client_of(user: User) -> Client:
    c = Client()
    c.force_login(user)
    return c


@pytest.fixture
def tim():
    return b.atasan_dan_bawahan(bawahan={"nama": "Rahmat Hidayat"})


@pytest.fixture
def kabid(tim) -> User:
    return tim.atasan.user


def rekan(tim, nama: str) -> Pegawai:
    return b.pegawai_di(tim.bawahan.penempatan.get().jabatan, nama=nama)


def bidang_lain(tim) -> Pegawai:
    """A pegawai rated by another kabid of the same instansi."""
    unit = b.UnitKerjaFactory(instansi=tim.instansi, parent=tim.unit, nama="Bidang Lain")
    j_kabid = b.JabatanFactory(
        unit=unit, jenis="administrator", parent=tim.kepala.penempatan.get().jabatan, pimpinan_unit=True
    )
    b.pegawai_di(j_kabid)
    return b.pegawai_di(b.JabatanFactory(unit=unit, parent=j_kabid), nama="Pegawai Bidang Lain")


def test_eligible_are_approved_and_audited_others_skipped_with_reason(tim, kabid):
    bersih = ajukan(tim.bawahan)
    selesai = ajukan(rekan(tim, "Sari Dewi"))  # its thread ended before this submission
    utas(selesai, kabid, selesai.diajukan_pada - datetime.timedelta(days=3))
    terbuka = ajukan(rekan(tim, "Budi Santoso"))
    utas(terbuka, kabid, terbuka.diajukan_pada - datetime.timedelta(days=3), [timezone.now()])
    asing = ajukan(bidang_lain(tim))

    c = client_of(kabid)
    page = c.get(INBOX).content.decode()
    assert f'name="skp" value="{bersih.pk}"' in page and f'name="skp" value="{selesai.pk}"' in page
    assert f'name="skp" value="{terbuka.pk}"' not in page
    assert "Ada 1 komentar terbuka — buka SKP" in page and "Setujui yang dipilih" in page

    # the checkbox is never trusted: the open one and another kabid's SKP are sent anyway
    ids = [bersih.pk, selesai.pk, terbuka.pk, asing.pk]
    response = c.post(SETUJUI, {"skp": [str(i) for i in ids]}, follow=True)
    body = response.content.decode()
    assert "2 SKP disetujui; 2 dilewati: Budi Santoso (Ada 1 komentar terbuka — buka SKP)" in body
    assert f"SKP #{asing.pk} (bukan bawahan Anda)" in body and "Pegawai Bidang Lain" not in body
    for skp in (bersih, selesai):
        skp.refresh_from_db()
        assert skp.status == "disetujui" and skp.disetujui_oleh == kabid
        assert LogAlur.objects.get(skp=skp, aksi="setujui").oleh == kabid
        assert SkpVersi.objects.get(skp=skp).disetujui_oleh == kabid
    for skp in (terbuka, asing):
        skp.refresh_from_db()
        assert skp.status == "diajukan"
        assert not LogAlur.objects.filter(skp=skp, aksi="setujui").exists()


def test_a_reply_before_the_resubmission_settles_the_thread(tim, kabid):
    skp = ajukan(tim.bawahan, hari_lalu=1)
    awal = skp.diajukan_pada
    utas(skp, kabid, awal - datetime.timedelta(days=5), [awal - datetime.timedelta(days=2)])
    utas(skp, kabid, awal - datetime.timedelta(days=5), [awal + datetime.timedelta(hours=1)])
    assert selectors.kelayakan_massal([skp]) == {skp.pk: "Ada 1 komentar terbuka — buka SKP"}
    skp.diajukan_pada = timezone.now()  # submitted again after the conversation
    skp.save()
    assert selectors.kelayakan_massal([skp]) == {skp.pk: None}


def test_one_failing_skp_does_not_undo_the_others(tim, kabid, monkeypatch):
    pertama, kedua = ajukan(tim.bawahan), ajukan(rekan(tim, "Sari Dewi"))
    asli = services.approve_skp

    def gagal_pada_kedua(skp, oleh):
        asli(skp, oleh)  # written, then refused: its own transaction rolls it back
        if skp.pk == kedua.pk:
            raise ValidationError("Gagal menyimpan versi.")
        return skp

    monkeypatch.setattr(services, "approve_skp", gagal_pada_kedua)
    hasil = services.approve_skp_massal([pertama.pk, kedua.pk], kabid)
    assert [s.pk for s in hasil.disetujui] == [pertama.pk]
    assert hasil.dilewati == [(kedua.pk, "Sari Dewi", "Gagal menyimpan versi.")]
    assert Skp.objects.get(pk=pertama.pk).status == "disetujui"
    assert Skp.objects.get(pk=kedua.pk).status == "diajukan"
    assert not LogAlur.objects.filter(skp=kedua, aksi="setujui").exists()


def test_pegawai_and_another_instansis_admin_cannot(tim, kabid, other_instansi):
    skp = ajukan(tim.bawahan)
    sendiri = client_of(tim.bawahan.user).post(SETUJUI, {"skp": [str(skp.pk)]}, follow=True)
    assert "0 SKP disetujui; 1 dilewati" in sendiri.content.decode()
    admin_lain = client_of(User.objects.get(username="admin-lain")).post(SETUJUI, {"skp": [str(skp.pk)]})
    assert admin_lain.status_code == 403
    hasil = services.approve_skp_massal([skp.pk], tim.admin)  # an admin account without a pegawai
    assert hasil.disetujui == [] and hasil.dilewati[0][2] == "bukan bawahan Anda"
    assert Skp.objects.get(pk=skp.pk).status == "diajukan"
    assert client_of(kabid).get(SETUJUI).status_code == 405


def test_nothing_chosen_says_so(kabid):
    response = client_of(kabid).post(SETUJUI, {"skp": ["x"]}, follow=True)
    assert "Pilih SKP yang akan disetujui" in response.content.decode()


def test_inbox_queries_are_flat_in_its_rows(tim, kabid, django_assert_max_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    c = client_of(kabid)
    c.get(INBOX)  # warm the caches
    counts = []
    for jumlah in (5, 25):
        while Skp.objects.filter(penilai=tim.atasan, status="diajukan").count() < jumlah:
            skp = ajukan(rekan(tim, f"Rekan {Skp.objects.count()}"))
            utas(skp, kabid, skp.diajukan_pada - datetime.timedelta(days=1), [timezone.now()])
        with django_assert_max_num_queries(12), CaptureQueriesContext(connection) as ctx:
            page = c.get(INBOX).content.decode()
        assert page.count("Ada 1 komentar terbuka") == jumlah
        counts.append(len(ctx.captured_queries))
    assert counts[0] == counts[1], counts
