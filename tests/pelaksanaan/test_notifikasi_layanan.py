"""Notifications: `kirim` is idempotent by key and emails once after commit (only users with an address);
SKP returned / approved and new feedback notify the right person; the bell counts with one query.

Cast (tests/pelaksanaan/conftest.py): the bawahan (pemilik) is rated by the atasan (penilai, the kabid).
"""

from __future__ import annotations

import pytest
from django.db import transaction
from django.test import Client
from django.urls import reverse

from kinerja.notifikasi import services as notifikasi
from kinerja.notifikasi.models import Notifikasi
from kinerja.organisasi.models import User
from kinerja.pelaksanaan.umpan_balik import services as services_umpan_balik
from kinerja.perencanaan import services as skp_services
from kinerja.perencanaan.models import Rhk, Skp
from tests import builders as b

pytestmark = pytest.mark.django_db


def test_kirim_records_once_and_emails_once_after_commit(
    pemilik, mailoutbox, django_capture_on_commit_callbacks
):
    u = pemilik
    u.email = "rahmat@example.go.id"
    u.save()
    with django_capture_on_commit_callbacks(execute=True):
        a = notifikasi.kirim(u, "uji", "uji:1", "Judul", "Isi pesan", "/realisasi/")
        b = notifikasi.kirim(u, "uji", "uji:1", "Judul lain", "Isi lain")
    assert a.pk == b.pk and Notifikasi.objects.filter(kunci="uji:1").count() == 1
    assert len(mailoutbox) == 1
    mail = mailoutbox[0]
    assert mail.to == ["rahmat@example.go.id"] and mail.subject == "[Kinerja] Judul"
    assert "Isi pesan" in mail.body and "/realisasi/" in mail.body
    a.refresh_from_db()
    assert a.email_terkirim is True


def test_no_email_address_means_in_app_only_and_a_rollback_sends_nothing(
    pemilik, mailoutbox, django_capture_on_commit_callbacks
):
    u = pemilik
    u.email = ""
    u.save()
    with django_capture_on_commit_callbacks(execute=True):
        notifikasi.kirim(u, "uji", "uji:2", "Tanpa email", "Isi")
    assert Notifikasi.objects.filter(kunci="uji:2", email_terkirim=False).exists() and mailoutbox == []
    u.email = "rahmat@example.go.id"
    u.save()
    with django_capture_on_commit_callbacks(execute=True):
        try:
            with transaction.atomic():
                notifikasi.kirim(u, "uji", "uji:3", "Batal", "Isi")
                raise RuntimeError("refused later in the same transaction")
        except RuntimeError:
            pass
    assert not Notifikasi.objects.filter(kunci="uji:3").exists() and mailoutbox == []


def _skp_dikembalikan(tim: b.Tim) -> Skp:
    """A new colleague of the bawahan's SKP, filled, submitted and returned by the penilai."""
    pegawai = b.pegawai_di(tim.bawahan.penempatan.get().jabatan)
    skp = b.SkpFactory(pegawai=pegawai, periode=tim.periode)
    owner = pegawai.user
    rhk, _ = skp_services.save_rhk(
        skp, owner, teks="Tersusunnya laporan uji", intervensi=skp_services.pilihan_intervensi(skp).first()
    )
    skp_services.save_indikator(
        rhk,
        owner,
        teks="Laporan tersedia",
        aspek="kuantitas",
        target_teks="Tersedia setiap periode",
        target_periode={n: "Tersedia" for n in range(1, 5)},
    )
    skp_services.submit_skp(skp, owner)
    skp_services.return_skp(skp, User.objects.get(pegawai_id=skp.penilai_id), "Perbaiki RHK.")
    return Skp.objects.select_related("periode").get(pk=skp.pk, status="dikembalikan")


def test_skp_returned_then_approved_notifies_the_owner(tim):
    skp = _skp_dikembalikan(tim)
    owner = User.objects.get(pegawai_id=skp.pegawai_id)
    penilai = User.objects.get(pegawai_id=skp.penilai_id)
    Notifikasi.objects.filter(penerima=owner).delete()  # the first return's own
    skp_services.submit_skp(skp, owner)
    assert not Notifikasi.objects.filter(penerima=owner).exists()  # submitting tells the owner nothing
    skp_services.return_skp(skp, penilai, "Lengkapi indikator kualitas.")
    skp_services.submit_skp(skp, owner)
    skp_services.approve_skp(skp, penilai)
    jenis = list(Notifikasi.objects.filter(penerima=owner).order_by("pk").values_list("jenis", "judul"))
    assert jenis == [
        ("skp_kembalikan", f"SKP {skp.periode.tahun} Anda dikembalikan untuk diperbaiki"),
        ("skp_setujui", f"SKP {skp.periode.tahun} Anda disetujui"),
    ]
    kembali = Notifikasi.objects.get(penerima=owner, jenis="skp_kembalikan")
    assert "Lengkapi indikator kualitas." in kembali.isi
    assert kembali.tautan == reverse("skp:detail", args=[skp.pk])


def test_feedback_notifies_the_owner_and_the_owners_reply_notifies_the_author(tim, pemilik, penilai):
    skp = Skp.objects.get(pegawai=tim.bawahan, status="disetujui")
    rhk = Rhk.objects.filter(skp=skp).first()
    kabid, owner = penilai, pemilik
    Notifikasi.objects.filter(penerima__in=[kabid, owner]).delete()  # the SKP approval's own
    utas = services_umpan_balik.give_umpan_balik(skp, kabid, item=f"rhk:{rhk.pk}", teks="Bagus sekali.")
    n = Notifikasi.objects.get(penerima=owner)
    assert (
        n.jenis == "umpan_balik"
        and n.isi == "Bagus sekali."
        and n.tautan == reverse("pelaksanaan:umpan_balik")
    )
    services_umpan_balik.reply_umpan_balik(utas, owner, "Terima kasih, Bu.")
    balasan = Notifikasi.objects.get(penerima=kabid)
    assert balasan.isi == "Terima kasih, Bu." and balasan.tautan == reverse(
        "pelaksanaan:umpan_balik_skp", args=[skp.pk]
    )
    services_umpan_balik.reply_umpan_balik(utas, kabid, "Sama-sama.")
    assert Notifikasi.objects.filter(penerima=owner).count() == 2


def test_page_bell_open_and_mark_all(pemilik, penilai, django_assert_max_num_queries):
    owner = pemilik
    Notifikasi.objects.filter(penerima=owner).delete()  # the SKP approval's own
    for i in range(3):
        notifikasi.kirim(
            owner, "uji", f"uji:hal:{i}", f"Pemberitahuan {i}", "Isi", reverse("pelaksanaan:umpan_balik")
        )
    notifikasi.kirim(penilai, "uji", "uji:lain", "Untuk kabid", "Rahasia kabid")
    client = Client()
    client.force_login(owner)
    html = client.get(reverse("pelaksanaan:notifikasi")).content.decode()
    assert "Pemberitahuan 2" in html and "Rahasia kabid" not in html
    assert "bi-bell-fill" in html and '>3<span class="visually-hidden"> baru</span>' in html
    first = Notifikasi.objects.get(kunci="uji:hal:0")
    response = client.post(reverse("pelaksanaan:notifikasi_buka", args=[first.pk]))
    assert response.status_code == 302 and response["Location"] == reverse("pelaksanaan:umpan_balik")
    first.refresh_from_db()
    assert first.dibaca_pada is not None
    other = Notifikasi.objects.get(kunci="uji:lain")
    assert client.post(reverse("pelaksanaan:notifikasi_buka", args=[other.pk])).status_code == 404
    assert client.get(reverse("pelaksanaan:notifikasi_buka", args=[first.pk])).status_code == 405
    client.post(reverse("pelaksanaan:notifikasi_baca_semua"))
    assert not Notifikasi.objects.filter(penerima=owner, dibaca_pada=None).exists()
    other.refresh_from_db()
    assert other.dibaca_pada is None
    html = client.get(reverse("pelaksanaan:notifikasi")).content.decode()
    assert "bi-bell-fill" not in html and "bi-bell" in html
    assert Client().get(reverse("pelaksanaan:notifikasi")).status_code == 302  # login first


def test_the_bell_is_one_count_query(pemilik):
    owner = pemilik
    for i in range(5):
        notifikasi.kirim(owner, "uji", f"uji:q:{i}", "Judul", "Isi")
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = Client()
    client.force_login(owner)
    with CaptureQueriesContext(connection) as ctx:
        client.get(reverse("pelaksanaan:umpan_balik"))
    bell = [q["sql"] for q in ctx.captured_queries if "pelaksanaan_notifikasi" in q["sql"]]
    assert len(bell) == 1 and "COUNT" in bell[0].upper()


def test_tanpa_email_records_in_the_app_only(pemilik, mailoutbox, django_capture_on_commit_callbacks):
    u = pemilik
    u.email = "pemilik@example.go.id"
    u.save()
    assert u.email  # a pegawai with an address
    with django_capture_on_commit_callbacks(execute=True), notifikasi.tanpa_email():
        notifikasi.kirim(u, "uji", "uji:diam", "Diam", "Isi")
    assert Notifikasi.objects.filter(kunci="uji:diam").exists() and mailoutbox == []
