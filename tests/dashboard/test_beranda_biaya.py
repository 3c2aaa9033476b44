"""What the dashboard costs per role (exact query counts, cold and cached), flat in the number of rows, and
that every cached value it shows is dropped by the write that changes it (kinerja/common/cache.py,
kinerja/dashboard/invalidasi.py). Cast: the demo instansi (tests/conftest.py) and, for the row counts, a
team of 10 or 30 bawahan built in bulk (kinerja/demo/bench/pelaksanaan.py)."""

from __future__ import annotations

import datetime
import re

import pytest
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from kinerja.demo.bench.pelaksanaan import create_instansi, create_kepala, create_staf
from kinerja.notifikasi import services as notifikasi
from kinerja.organisasi import services as org_services
from kinerja.organisasi.models import Jabatan, Pegawai, Penempatan, User
from kinerja.pelaksanaan.umpan_balik import services as umpan_balik
from kinerja.perencanaan import services as skp_services
from kinerja.perencanaan.models import Skp

pytestmark = pytest.mark.django_db

PELAKSANA = "199108162015031001"
KABID = "197904182005012005"
KEPALA = "197205141998031003"
WULAN = "199406222019032009"  # the demo's draft SKP, rated by the kabid
#: The penilai's to-do item "SKP to approve" (docs/rules.md §32) and its count.
MENUNGGU = r"Setujui SKP bawahan</a>: (\d+) SKP bawahan menunggu"


def _queries(client: Client) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get("/").status_code == 200
    return len(ctx.captured_queries)


def _cold_and_warm(client: Client) -> tuple[int, int]:
    client.get("/")
    cache.clear()
    cold = _queries(client)
    return cold, _queries(client)


def _html(client: Client) -> str:
    return client.get("/").content.decode()


@pytest.mark.parametrize(
    ("role", "cold", "warm"),
    [
        # cold: right after an invalidation (+ the user's two-step policy); cached: user, pegawai with
        # instansi, dialog follow-ups, final evaluations, keberatan lists, and the to-do list's periode with
        # its periods and open realisasi progress (the periode and an approved SKP, the latest umpan balik
        # and the bawahan table come from the cache)
        ("pelaksana", 20, 7),
        ("fungsional", 20, 7),
        ("kabid", 21, 7),
        ("kepala", 20, 7),
        # cached: user, keberatan lists, the instansi's keberatan counts, the instansi, and the to-do
        # list's periode with its periods and the failures of the instansi
        ("admin", 20, 6),
    ],
)
def test_queries_per_role(client_for, role: str, cold: int, warm: int) -> None:
    assert _cold_and_warm(client_for(role)) == (cold, warm)


def test_queries_of_a_superuser(demo_instansi) -> None:  # type: ignore[no-untyped-def]
    client = Client()
    client.force_login(User.objects.create(username="su-beranda", is_superuser=True, is_staff=True))
    assert _cold_and_warm(client) == (19, 6)


def _tim(n: int) -> tuple[Client, Client]:
    instansi, periode = create_instansi()
    kepala = create_kepala(instansi, periode)
    staf = create_staf(kepala, n)
    head, member = Client(), Client()
    head.force_login(kepala.user)
    member.force_login(User.objects.create(username=staf[0].nip, pegawai=staf[0]))
    return head, member


@pytest.mark.parametrize("n", [10, 30])
def test_queries_do_not_grow_with_the_bawahan(n: int) -> None:
    head, member = _tim(n)
    assert f'Bawahan yang saya nilai <span class="badge text-bg-secondary">{n}</span>' in _html(head)
    assert _cold_and_warm(head) == (19, 6)
    assert _cold_and_warm(member) == (20, 7)  # with an approved SKP: the open realisasi's progress


# --- invalidation: a write, then the next dashboard shows the new value --------------------------------


def _client(nip: str) -> Client:
    client = Client()
    client.force_login(User.objects.get(pegawai__nip=nip))
    return client


def test_a_new_penempatan_shows_at_once(demo_instansi, django_capture_on_commit_callbacks) -> None:  # type: ignore[no-untyped-def]
    client = _client(PELAKSANA)
    assert "Persetujuan SKP" not in _html(client)  # cached: not a penilai
    pegawai = Pegawai.objects.get(nip=PELAKSANA)
    sendiri = pegawai.penempatan.get(selesai=None).jabatan
    atas = Jabatan.objects.get(pk=sendiri.parent_id)
    with django_capture_on_commit_callbacks(execute=True):
        plt = org_services.save_penempatan(
            Penempatan(pegawai=pegawai, jabatan=atas),
            jenis="plt",
            mulai=datetime.date(2026, 1, 1),
        )
    html = _html(client)
    assert plt.get_jenis_display() in html and atas.nama in html  # the place on the dashboard
    assert "Persetujuan SKP" in html  # the role facts of the navigation


def test_a_submitted_skp_reaches_the_penilai_at_once(
    demo_instansi, django_capture_on_commit_callbacks
) -> None:  # type: ignore[no-untyped-def]
    kabid = _client(KABID)
    sebelum = re.search(MENUNGGU, _html(kabid))
    jumlah = int(sebelum.group(1)) if sebelum else 0
    skp = Skp.objects.filter(pegawai__nip=WULAN).order_by("-mulai").first()
    assert skp is not None and skp.status == "draft"
    with django_capture_on_commit_callbacks(execute=True):
        skp_services.submit_skp(skp, User.objects.get(pegawai__nip=WULAN))
    assert f"Setujui SKP bawahan</a>: {jumlah + 1} SKP bawahan menunggu" in _html(kabid)
    with django_capture_on_commit_callbacks(execute=True):
        skp_services.approve_skp(Skp.objects.get(pk=skp.pk), User.objects.get(pegawai__nip=KABID))
    html = _html(kabid)
    assert (
        (f"Setujui SKP bawahan</a>: {jumlah} SKP bawahan menunggu" in html)
        if jumlah
        else ("SKP bawahan menunggu" not in html)
    )


def test_a_new_penilai_of_a_waiting_skp_moves_the_count_at_once(
    demo_instansi, django_capture_on_commit_callbacks
) -> None:  # type: ignore[no-untyped-def]
    """The SKP's penilai changes (e.g. corrected after an atasan changed): both penilai see it at once."""
    kabid, kepala = _client(KABID), _client(KEPALA)
    skp = Skp.objects.filter(pegawai__nip=WULAN).order_by("-mulai").first()
    assert skp is not None
    with django_capture_on_commit_callbacks(execute=True):
        skp_services.submit_skp(skp, User.objects.get(pegawai__nip=WULAN))

    def jumlah(client: Client) -> int:
        found = re.search(MENUNGGU, _html(client))
        return int(found.group(1)) if found else 0

    kabid_sebelum, kepala_sebelum = jumlah(kabid), jumlah(kepala)  # both cached now
    assert kabid_sebelum >= 1
    skp = Skp.objects.get(pk=skp.pk)
    with django_capture_on_commit_callbacks(execute=True):
        skp.penilai = Pegawai.objects.get(nip=KEPALA)
        skp.save()
    assert jumlah(kabid) == kabid_sebelum - 1
    assert jumlah(kepala) == kepala_sebelum + 1


def test_umpan_balik_given_and_read_show_at_once(demo_instansi, django_capture_on_commit_callbacks) -> None:  # type: ignore[no-untyped-def]
    pelaksana = _client(PELAKSANA)
    owner = User.objects.get(pegawai__nip=PELAKSANA)
    umpan_balik.mark_read(owner)
    assert "umpan balik belum dibaca" not in _html(pelaksana)  # cached: nothing new
    skp = Skp.objects.filter(pegawai__nip=PELAKSANA, status="disetujui").order_by("-mulai").first()
    assert skp is not None
    with django_capture_on_commit_callbacks(execute=True):
        umpan_balik.give_umpan_balik(
            skp, User.objects.get(pegawai__nip=KABID), item=f"rhk:{skp.rhk.first().pk}", teks="Pertahankan."
        )
    html = _html(pelaksana)
    assert '1<span class="visually-hidden"> umpan balik belum dibaca' in html
    assert "1 belum dibaca</span>" in html  # the dashboard card
    with django_capture_on_commit_callbacks(execute=True):
        umpan_balik.mark_read(owner)
    assert "umpan balik belum dibaca" not in _html(pelaksana)


def test_a_notification_sent_and_read_shows_at_once(
    demo_instansi, django_capture_on_commit_callbacks
) -> None:  # type: ignore[no-untyped-def]
    pelaksana = _client(PELAKSANA)
    user = User.objects.get(pegawai__nip=PELAKSANA)
    notifikasi.mark_read(user)
    assert "bi-bell-fill" not in _html(pelaksana)
    with django_capture_on_commit_callbacks(execute=True):
        notifikasi.kirim(user, "uji", "uji-beranda-1", "Uji", "Isi")
    assert "bi-bell-fill" in _html(pelaksana)
    with django_capture_on_commit_callbacks(execute=True):
        notifikasi.mark_read(user)
    assert "bi-bell-fill" not in _html(pelaksana)


def test_the_admin_panel_follows_the_organisation_and_the_skp(
    client_for, demo_instansi, django_capture_on_commit_callbacks
) -> None:  # type: ignore[no-untyped-def]
    admin = client_for("admin")
    angka = re.compile(r'<div class="angka">(\d+)</div><div class="text-muted small">pegawai aktif')
    sebelum = int(angka.search(_html(admin)).group(1))  # type: ignore[union-attr]
    diajukan = re.compile(r"<strong>\d+</strong> disetujui, (\d+) diajukan")
    diajukan_sebelum = int(diajukan.search(_html(admin)).group(1))  # type: ignore[union-attr]
    with django_capture_on_commit_callbacks(execute=True):
        org_services.save_pegawai(
            Pegawai(instansi=demo_instansi), nip="199901012020011001", nama="Pegawai Baru"
        )
    assert int(angka.search(_html(admin)).group(1)) == sebelum + 1  # type: ignore[union-attr]
    skp = Skp.objects.filter(pegawai__nip=WULAN).order_by("-mulai").first()
    with django_capture_on_commit_callbacks(execute=True):
        skp_services.submit_skp(skp, User.objects.get(pegawai__nip=WULAN))  # type: ignore[arg-type]
    assert int(diajukan.search(_html(admin)).group(1)) == diajukan_sebelum + 1  # type: ignore[union-attr]


def test_the_own_skp_card_follows_a_change_of_an_approved_skp(
    demo_instansi, django_capture_on_commit_callbacks
) -> None:  # type: ignore[no-untyped-def]
    """An approved SKP's card is cached: a change request (back to draft) shows at once, and so do the
    submission and the penilai's approval of the new revision."""
    pelaksana = _client(PELAKSANA)
    skp = Skp.objects.filter(pegawai__nip=PELAKSANA, status="disetujui").order_by("-mulai").first()
    assert skp is not None
    assert f"(revisi {skp.revisi}) disetujui" in _html(pelaksana)
    assert "menunggu persetujuan" not in _html(pelaksana)  # cached: approved
    owner, kabid = User.objects.get(pegawai__nip=PELAKSANA), User.objects.get(pegawai__nip=KABID)
    with django_capture_on_commit_callbacks(execute=True):
        skp_services.submit_perubahan_skp(skp, owner)
    assert "masih draft" in _html(pelaksana)
    with django_capture_on_commit_callbacks(execute=True):
        skp_services.submit_skp(Skp.objects.get(pk=skp.pk), owner)
    assert "menunggu persetujuan" in _html(pelaksana)
    with django_capture_on_commit_callbacks(execute=True):
        skp_services.approve_skp(Skp.objects.get(pk=skp.pk), kabid)
    assert re.search(r"\(revisi \d+\) disetujui", _html(pelaksana))  # cached again
    with django_capture_on_commit_callbacks(execute=True):
        skp_services.submit_perubahan_skp(Skp.objects.get(pk=skp.pk), owner)
    assert "masih draft" in _html(pelaksana)


def test_a_deleted_skp_leaves_the_card_at_once(demo_instansi, django_capture_on_commit_callbacks) -> None:  # type: ignore[no-untyped-def]
    pelaksana = _client(PELAKSANA)
    assert "Anda belum membuat SKP" not in _html(pelaksana)  # cached: approved
    with django_capture_on_commit_callbacks(execute=True):
        for skp in Skp.objects.filter(pegawai__nip=PELAKSANA):
            skp.delete()
    assert "Anda belum membuat SKP" in _html(pelaksana)


def test_a_reply_of_the_owner_reaches_the_penilai_card_at_once(
    demo_instansi, django_capture_on_commit_callbacks
) -> None:  # type: ignore[no-untyped-def]
    kabid_user, owner = User.objects.get(pegawai__nip=KABID), User.objects.get(pegawai__nip=PELAKSANA)
    skp = Skp.objects.filter(pegawai__nip=PELAKSANA, status="disetujui").order_by("-mulai").first()
    assert skp is not None
    with django_capture_on_commit_callbacks(execute=True):
        induk = umpan_balik.give_umpan_balik(
            skp, kabid_user, item=f"rhk:{skp.rhk.first().pk}", teks="Tambah bukti."
        )
    umpan_balik.mark_read(kabid_user)
    kabid = _client(KABID)
    assert "Bukti sudah saya unggah." not in _html(kabid)  # cached
    with django_capture_on_commit_callbacks(execute=True):
        umpan_balik.reply_umpan_balik(induk, owner, "Bukti sudah saya unggah.")
    html = _html(kabid)
    assert "Bukti sudah saya unggah." in html and "membalas di SKP" in html


def test_a_renamed_bawahan_shows_in_the_table_at_once(
    demo_instansi, django_capture_on_commit_callbacks
) -> None:  # type: ignore[no-untyped-def]
    kabid = _client(KABID)
    html = _html(kabid)
    bawahan = Pegawai.objects.get(nip=WULAN)
    assert bawahan.nama in html and "Nama Baru Sekali" not in html  # cached table
    with django_capture_on_commit_callbacks(execute=True):
        org_services.save_pegawai(bawahan, nip=bawahan.nip, nama="Nama Baru Sekali")
    html = _html(kabid)
    assert "Nama Baru Sekali" in html and f'href="/organisasi/pegawai/{bawahan.pk}/"' in html
