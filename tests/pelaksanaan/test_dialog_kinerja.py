"""Dialog kinerja: only the SKP's penilai (or atasan penilai) records one, both sides see it, follow-ups are
closed by their responsible person and stay on both dashboards until then (overdue ones flagged).

Cast (tests/pelaksanaan/conftest.py `orang`): the kabid is the penilai of the pelaksana, the kepala the
atasan penilai; the fungsional is a peer; `other_instansi` brings a foreign admin.
"""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from kinerja.notifikasi.models import Notifikasi
from kinerja.organisasi.models import User
from kinerja.pelaksanaan.dialog import services as services_dialog
from kinerja.pelaksanaan.models import DialogKinerja, TindakLanjutDialog
from kinerja.perencanaan.models import Skp
from tests import builders as b

pytestmark = pytest.mark.django_db

# Roles of the cast (keys of `orang`).
PELAKSANA = "pelaksana"
KABID = "kabid"
KEPALA = "kepala"
FUNGSIONAL = "fungsional"


def client_of(user: User | str) -> Client:
    c = Client()
    c.force_login(user if isinstance(user, User) else User.objects.get(username=user))
    return c


@pytest.fixture
def skp(tim: b.Tim) -> Skp:
    skp = Skp.objects.select_related("pegawai", "penilai").get(pegawai=tim.bawahan, status="disetujui")
    assert skp.penilai == tim.atasan and skp.atasan_penilai == tim.kepala
    return skp


def _post(skp: Skp, **extra: object) -> dict[str, object]:
    hari_ini = timezone.localdate()
    data: dict[str, object] = {
        "tanggal": (hari_ini - datetime.timedelta(days=10)).isoformat(),
        "topik": "Capaian triwulan III dan kendala data kepegawaian",
        "kesepakatan": "Data dilengkapi sebelum rapat pimpinan",
        "tl0-teks": "Melengkapi data mutasi pegawai",
        "tl0-penanggung_jawab": str(skp.pegawai_id),
        "tl0-batas_waktu": (hari_ini + datetime.timedelta(days=7)).isoformat(),
        "tl1-teks": "Meminta akses aplikasi SIASN untuk pegawai",
        "tl1-penanggung_jawab": str(skp.penilai_id),
        "tl1-batas_waktu": (hari_ini - datetime.timedelta(days=1)).isoformat(),  # already overdue
        "tl2-teks": "",
    }
    data.update(extra)
    return data


def test_only_penilai_or_atasan_records(orang, skp, other_instansi) -> None:  # type: ignore[no-untyped-def]
    url = reverse("pelaksanaan:dialog_skp", args=[skp.pk])
    # The pegawai sees the page without a form and may not post.
    pegawai = client_of(orang[PELAKSANA])
    html = pegawai.get(url).content.decode()
    assert "Catat dialog baru" not in html
    assert pegawai.post(url, _post(skp)).status_code == 403
    # A peer and a foreign admin see nothing.
    for who in (FUNGSIONAL, "admin-lain"):
        assert client_of(orang.get(who) or who).get(url).status_code == 403, who
        assert client_of(orang.get(who) or who).post(url, _post(skp)).status_code == 403, who
    # The admin of the instansi reads but does not record.
    assert client_of(orang["admin"]).get(url).status_code == 200
    assert client_of(orang["admin"]).post(url, _post(skp)).status_code == 403
    assert not DialogKinerja.objects.exists()
    # The penilai records, and so may the atasan penilai.
    assert "Catat dialog baru" in client_of(orang[KABID]).get(url).content.decode()
    assert client_of(orang[KABID]).post(url, _post(skp)).status_code == 302
    atasan = _post(skp, **{"tl1-penanggung_jawab": str(skp.atasan_penilai_id)})
    assert client_of(orang[KEPALA]).post(url, atasan).status_code == 302
    assert DialogKinerja.objects.filter(skp=skp).count() == 2
    assert TindakLanjutDialog.objects.filter(penanggung_jawab=skp.atasan_penilai).count() == 1


def test_invalid_input_is_refused(orang, skp) -> None:  # type: ignore[no-untyped-def]
    kabid = orang[KABID]
    besok = timezone.localdate() + datetime.timedelta(days=1)
    with pytest.raises(ValidationError) as exc:
        services_dialog.record_dialog(skp, kabid, tanggal=besok, topik="")
    assert set(exc.value.message_dict) == {"tanggal", "topik"}
    fungsional = orang[FUNGSIONAL].pegawai_id
    with pytest.raises(ValidationError):
        services_dialog.record_dialog(
            skp,
            kabid,
            tanggal=timezone.localdate(),
            topik="Capaian",
            tindak_lanjut=[services_dialog.TindakLanjutInput("x", fungsional, besok)],
        )
    with pytest.raises(PermissionDenied):
        services_dialog.record_dialog(skp, orang[FUNGSIONAL], tanggal=timezone.localdate(), topik="Capaian")
    # A follow-up row without a due date is refused by the form, nothing is saved.
    r = client_of(orang[KABID]).post(
        reverse("pelaksanaan:dialog_skp", args=[skp.pk]), _post(skp, **{"tl0-batas_waktu": ""})
    )
    assert r.status_code == 200 and "Isi batas waktu." in r.content.decode()
    assert not DialogKinerja.objects.exists()


def test_follow_up_lifecycle_on_both_dashboards(orang, skp) -> None:  # type: ignore[no-untyped-def]
    client_of(orang[KABID]).post(reverse("pelaksanaan:dialog_skp", args=[skp.pk]), _post(skp))
    milik_pegawai = TindakLanjutDialog.objects.get(penanggung_jawab=skp.pegawai)
    milik_penilai = TindakLanjutDialog.objects.get(penanggung_jawab=skp.penilai)
    pegawai, penilai = client_of(orang[PELAKSANA]), client_of(orang[KABID])

    # Both see the dialog on their list and both open follow-ups on their dashboard; overdue is flagged.
    assert "Capaian triwulan III" in pegawai.get(reverse("pelaksanaan:dialog")).content.decode()
    assert "Capaian triwulan III" in penilai.get(reverse("pelaksanaan:dialog")).content.decode()
    for c in (pegawai, penilai):
        home = c.get(reverse("dashboard:home")).content.decode()
        assert "Tindak lanjut dialog kinerja" in home
        assert "Melengkapi data mutasi pegawai" in home and "Meminta akses aplikasi SIASN" in home
        assert "terlambat" in home
    # A peer's dashboard shows nothing of it.
    assert (
        "Tindak lanjut dialog kinerja"
        not in client_of(orang[FUNGSIONAL]).get(reverse("dashboard:home")).content.decode()
    )

    # Only the responsible person closes a follow-up.
    url = reverse("pelaksanaan:dialog_selesai", args=[milik_penilai.pk])
    assert pegawai.post(url).status_code == 403
    assert client_of(orang[FUNGSIONAL]).post(url).status_code == 403
    r = pegawai.post(reverse("pelaksanaan:dialog_selesai", args=[milik_pegawai.pk]), {"next": "/"})
    assert r.status_code == 302 and r["Location"] == "/"
    milik_pegawai.refresh_from_db()
    assert milik_pegawai.selesai_pada is not None
    for c in (pegawai, penilai):
        home = c.get(reverse("dashboard:home")).content.decode()
        assert "Melengkapi data mutasi pegawai" not in home and "Meminta akses aplikasi SIASN" in home

    # Reopening brings it back; once both are done the card disappears.
    pegawai.post(reverse("pelaksanaan:dialog_selesai", args=[milik_pegawai.pk]), {"selesai": "0"})
    assert "Melengkapi data mutasi pegawai" in penilai.get(reverse("dashboard:home")).content.decode()
    pegawai.post(reverse("pelaksanaan:dialog_selesai", args=[milik_pegawai.pk]))
    penilai.post(url, {"next": "https://evil.example/"})  # an outside `next` is ignored
    for c in (pegawai, penilai):
        assert "Tindak lanjut dialog kinerja" not in c.get(reverse("dashboard:home")).content.decode()
    # The done follow-ups stay visible on the dialog page.
    html = pegawai.get(reverse("pelaksanaan:dialog_skp", args=[skp.pk])).content.decode()
    assert html.count('badge text-bg-success">selesai') == 2


# --- edit and delete by the one who recorded the dialog ---------------------------------------------------


def _catat(skp: Skp, recorder: User) -> DialogKinerja:
    """A dialog recorded by `recorder` ten days ago with two follow-ups (pegawai, recorder)."""
    hari_ini = timezone.localdate()
    return services_dialog.record_dialog(
        skp,
        recorder,
        tanggal=hari_ini - datetime.timedelta(days=10),
        topik="Capaian triwulan III",
        kesepakatan="Data dilengkapi",
        tindak_lanjut=[
            services_dialog.TindakLanjutInput(
                "Melengkapi data mutasi", skp.pegawai_id, hari_ini + datetime.timedelta(days=7)
            ),
            services_dialog.TindakLanjutInput(
                "Meminta akses SIASN", recorder.pegawai_id, hari_ini + datetime.timedelta(days=3)
            ),
        ],
    )


def _ubah_data(dialog: DialogKinerja, **extra: object) -> dict[str, object]:
    """The edit form as shown: the open follow-ups in rows tl0.. (by due date), two empty rows."""
    data: dict[str, object] = {
        "tanggal": dialog.tanggal.isoformat(),
        "topik": dialog.topik,
        "kesepakatan": dialog.kesepakatan,
    }
    terbuka = list(dialog.tindak_lanjut.filter(selesai_pada__isnull=True).order_by("batas_waktu", "pk"))
    for i, t in enumerate(terbuka):
        data.update(
            {
                f"tl{i}-pk": str(t.pk),
                f"tl{i}-teks": t.teks,
                f"tl{i}-penanggung_jawab": str(t.penanggung_jawab_id),
                f"tl{i}-batas_waktu": t.batas_waktu.isoformat(),
            }
        )
    data["jumlah_baris"] = str(len(terbuka) + 2)
    data.update(extra)
    return data


def test_only_the_recorder_edits_and_deletes(orang, skp, other_instansi) -> None:  # type: ignore[no-untyped-def]
    dialog = _catat(skp, orang[KABID])
    ubah = reverse("pelaksanaan:dialog_ubah", args=[dialog.pk])
    hapus = reverse("pelaksanaan:dialog_hapus", args=[dialog.pk])
    halaman = reverse("pelaksanaan:dialog_skp", args=[skp.pk])
    # The recorder sees the buttons on the dialog and opens the prefilled form and the confirmation.
    html = client_of(orang[KABID]).get(halaman).content.decode()
    assert ubah in html and hapus in html
    html = client_of(orang[KABID]).get(ubah).content.decode()
    assert "Capaian triwulan III" in html and "Melengkapi data mutasi" in html and "Simpan perubahan" in html
    assert "Hapus dialog kinerja?" in client_of(orang[KABID]).get(hapus).content.decode()
    # The pegawai, the atasan penilai (who may record dialogs of this SKP but did not record this one),
    # the admin of the instansi, a peer and a foreign admin: no buttons, 403 on both pages and posts.
    for who in (PELAKSANA, KEPALA, "admin", FUNGSIONAL, "admin-lain"):
        c = client_of(orang.get(who) or who)
        if who in (PELAKSANA, KEPALA, "admin"):
            html = c.get(halaman).content.decode()
            assert ubah not in html and hapus not in html, who
        for url in (ubah, hapus):
            assert c.get(url).status_code == 403, (who, url)
        assert c.post(ubah, _ubah_data(dialog, topik="Diubah")).status_code == 403, who
        assert c.post(hapus).status_code == 403, who
    dialog.refresh_from_db()
    assert dialog.topik == "Capaian triwulan III"
    with pytest.raises(PermissionDenied):
        services_dialog.delete_dialog(dialog, orang[KEPALA])
    with pytest.raises(PermissionDenied):
        services_dialog.update_dialog(dialog, orang[PELAKSANA], tanggal=dialog.tanggal, topik="x")
    assert (
        client_of(orang[KABID]).get(reverse("pelaksanaan:dialog_ubah", args=[dialog.pk + 999])).status_code
        == 404
    )
    # Deleting needs a POST; GET only asks.
    assert DialogKinerja.objects.filter(pk=dialog.pk).exists()


def test_recorder_changes_dialog_and_open_follow_ups(orang, skp) -> None:  # type: ignore[no-untyped-def]
    dialog = _catat(skp, orang[KABID])
    mutasi = dialog.tindak_lanjut.get(teks="Melengkapi data mutasi")
    siasn = dialog.tindak_lanjut.get(teks="Meminta akses SIASN")
    hari_ini = timezone.localdate()
    data = _ubah_data(
        dialog,
        tanggal=(hari_ini - datetime.timedelta(days=12)).isoformat(),
        topik="Capaian triwulan III dan kendala data",
        kesepakatan="",
        **{
            # rows are by due date: tl0 = SIASN (3 days), tl1 = mutasi (7 days)
            "tl0-hapus": "on",
            "tl1-teks": "Melengkapi data mutasi dan pensiun",
            "tl1-batas_waktu": (hari_ini + datetime.timedelta(days=14)).isoformat(),
            "tl2-teks": "Mengikuti pelatihan SIASN",
            "tl2-penanggung_jawab": str(skp.pegawai_id),
            "tl2-batas_waktu": (hari_ini + datetime.timedelta(days=30)).isoformat(),
        },
    )
    r = client_of(orang[KABID]).post(reverse("pelaksanaan:dialog_ubah", args=[dialog.pk]), data)
    assert r.status_code == 302, r.content.decode()[:3000]
    assert r["Location"].endswith(f"#dialog-{dialog.pk}")
    dialog.refresh_from_db()
    assert dialog.tanggal == hari_ini - datetime.timedelta(days=12)
    assert (dialog.topik, dialog.kesepakatan) == ("Capaian triwulan III dan kendala data", "")
    sisa = {t.teks: t for t in dialog.tindak_lanjut.all()}
    assert set(sisa) == {"Melengkapi data mutasi dan pensiun", "Mengikuti pelatihan SIASN"}
    assert sisa["Melengkapi data mutasi dan pensiun"].pk == mutasi.pk  # changed in place
    assert not TindakLanjutDialog.objects.filter(pk=siasn.pk).exists()
    # Every change is audited with its author.
    kabid = orang[KABID]
    assert dialog.history.first().history_user == kabid  # type: ignore[union-attr]
    assert mutasi.history.first().history_user == kabid  # type: ignore[union-attr]
    deleted = TindakLanjutDialog.history.filter(id=siasn.pk).order_by("-history_date").first()
    assert deleted.history_type == "-" and deleted.history_user == kabid  # type: ignore[union-attr]
    # Saving the form unchanged writes no history record.
    n = dialog.history.count()
    client_of(orang[KABID]).post(reverse("pelaksanaan:dialog_ubah", args=[dialog.pk]), _ubah_data(dialog))
    assert dialog.history.count() == n


def test_edit_uses_the_same_validation_and_keeps_done_follow_ups(orang, skp) -> None:  # type: ignore[no-untyped-def]
    dialog = _catat(skp, orang[KABID])
    mutasi = dialog.tindak_lanjut.get(teks="Melengkapi data mutasi")
    services_dialog.mark_selesai(mutasi, orang[PELAKSANA])
    kabid = client_of(orang[KABID])
    url = reverse("pelaksanaan:dialog_ubah", args=[dialog.pk])
    # The done follow-up is listed read-only, not as a form row.
    html = kabid.get(url).content.decode()
    assert "Tindak lanjut yang sudah selesai" in html
    assert f'value="{mutasi.pk}"' not in html
    besok = (timezone.localdate() + datetime.timedelta(days=1)).isoformat()
    r = kabid.post(url, _ubah_data(dialog, tanggal=besok))
    assert r.status_code == 200 and "tanggal tidak boleh di masa depan" in r.content.decode()
    with pytest.raises(ValidationError) as exc:
        services_dialog.update_dialog(dialog, orang[KABID], tanggal=dialog.tanggal, topik=" ")
    assert exc.value.message_dict == {"topik": ["Wajib diisi."]}
    fungsional = orang[FUNGSIONAL].pegawai_id
    r = kabid.post(url, _ubah_data(dialog, **{"tl0-penanggung_jawab": str(fungsional)}))
    assert r.status_code == 200 and "bukan salah satu dari pilihan yang tersedia" in r.content.decode()
    with pytest.raises(ValidationError) as exc:
        services_dialog.update_dialog(
            dialog,
            orang[KABID],
            tanggal=dialog.tanggal,
            topik="Capaian",
            tindak_lanjut=[
                services_dialog.TindakLanjutInput("x", fungsional, timezone.localdate()),
            ],
        )
    assert "Penanggung jawab" in exc.value.message_dict["tindak_lanjut"][0]
    # A row naming the follow-up closed in the meantime (a stale form) is refused.
    stale = _ubah_data(
        dialog,
        **{
            "tl1-pk": str(mutasi.pk),
            "tl1-teks": "Diubah di tab lama",
            "tl1-penanggung_jawab": str(skp.pegawai_id),
            "tl1-batas_waktu": mutasi.batas_waktu.isoformat(),
        },
    )
    r = kabid.post(url, stale)
    assert r.status_code == 200 and "sudah ditandai selesai" in r.content.decode()
    # The dialog date may not move past the due date of a follow-up already done.
    lewat = (mutasi.batas_waktu + datetime.timedelta(days=1)).isoformat()
    with pytest.raises(ValidationError) as exc:
        services_dialog.update_dialog(
            dialog, orang[KABID], tanggal=datetime.date.fromisoformat(lewat), topik="x"
        )
    assert "tanggal" in exc.value.message_dict
    # Removing every open follow-up keeps the done one.
    siasn = dialog.tindak_lanjut.get(teks="Meminta akses SIASN")
    r = kabid.post(url, _ubah_data(dialog, **{"tl0-teks": ""}))
    assert r.status_code == 302
    assert not TindakLanjutDialog.objects.filter(pk=siasn.pk).exists()
    assert list(dialog.tindak_lanjut.values_list("pk", flat=True)) == [mutasi.pk]
    mutasi.refresh_from_db()
    assert mutasi.teks == "Melengkapi data mutasi" and mutasi.selesai_pada is not None


def test_recorder_deletes_dialog_after_confirmation(orang, skp) -> None:  # type: ignore[no-untyped-def]
    dialog = _catat(skp, orang[KABID])
    tl_ids = list(dialog.tindak_lanjut.values_list("pk", flat=True))
    kabid = client_of(orang[KABID])
    url = reverse("pelaksanaan:dialog_hapus", args=[dialog.pk])
    html = kabid.get(url).content.decode()
    assert "2 tindak lanjutnya" in html and "Ya, hapus dialog" in html
    assert 'method="post"' in html
    r = kabid.post(url)
    assert r.status_code == 302 and r["Location"] == reverse("pelaksanaan:dialog_skp", args=[skp.pk])
    assert not DialogKinerja.objects.filter(pk=dialog.pk).exists()
    assert not TindakLanjutDialog.objects.filter(pk__in=tl_ids).exists()
    kabid_user = orang[KABID]
    hapus = DialogKinerja.history.filter(id=dialog.pk, history_type="-").get()
    assert hapus.history_user == kabid_user
    assert set(
        TindakLanjutDialog.history.filter(id__in=tl_ids, history_type="-").values_list(
            "history_user", flat=True
        )
    ) == {kabid_user.pk}
    # The open follow-ups left both dashboards.
    for who in (KABID, PELAKSANA):
        assert (
            "Melengkapi data mutasi"
            not in client_of(orang.get(who) or who).get(reverse("dashboard:home")).content.decode()
        )
    assert kabid.post(url).status_code == 404


# --- notifications ----------------------------------------------------------------------------------------


def _notif(penerima: User, jenis: str) -> list[Notifikasi]:
    return list(Notifikasi.objects.filter(penerima=penerima, jenis=jenis).order_by("pk"))


def test_recording_notifies_the_pegawai_once_with_their_follow_ups(orang, skp) -> None:  # type: ignore[no-untyped-def]
    r = client_of(orang[KABID]).post(reverse("pelaksanaan:dialog_skp", args=[skp.pk]), _post(skp))
    assert r.status_code == 302
    dialog = DialogKinerja.objects.get(skp=skp)
    (n,) = _notif(orang[PELAKSANA], "dialog_kinerja")
    assert n.kunci == f"dialog:{dialog.pk}" and "Dialog kinerja dicatat oleh" in n.judul
    assert "Capaian triwulan III" in n.isi and "Melengkapi data mutasi pegawai" in n.isi
    assert "Meminta akses aplikasi SIASN" not in n.isi  # the penilai's own follow-up
    assert n.tautan == reverse("pelaksanaan:dialog_skp", args=[skp.pk]) + f"#dialog-{dialog.pk}"
    # The pegawai's follow-up is in that one notification; the recorder is told nothing.
    assert _notif(orang[PELAKSANA], "tindak_lanjut") == []
    assert (
        Notifikasi.objects.filter(
            penerima=orang[KABID], jenis__in=["dialog_kinerja", "tindak_lanjut"]
        ).count()
        == 0
    )
    # Calling it again (a retried request) adds nothing.
    from kinerja.pelaksanaan.notifikasi import services as notifikasi

    notifikasi.dialog_baru(dialog, list(dialog.tindak_lanjut.all()))
    assert len(_notif(orang[PELAKSANA], "dialog_kinerja")) == 1
    # The bell page lists it.
    assert (
        "Dialog kinerja dicatat oleh"
        in client_of(orang[PELAKSANA]).get(reverse("pelaksanaan:notifikasi")).content.decode()
    )


def test_follow_up_added_or_handed_over_on_edit_notifies_its_person(orang, skp) -> None:  # type: ignore[no-untyped-def]
    dialog = _catat(skp, orang[KEPALA])  # the atasan penilai records this one
    assert len(_notif(orang[PELAKSANA], "dialog_kinerja")) == 1
    hari_ini = timezone.localdate()
    data = _ubah_data(
        dialog,
        **{
            # tl0 = SIASN (the kepala's own), handed to the pegawai; tl2 new for the pegawai; tl3 new for
            # the kepala himself.
            "tl0-penanggung_jawab": str(skp.pegawai_id),
            "tl2-teks": "Menyusun jadwal pengumpulan data",
            "tl2-penanggung_jawab": str(skp.pegawai_id),
            "tl2-batas_waktu": (hari_ini + datetime.timedelta(days=5)).isoformat(),
            "tl3-teks": "Menyurati BKD",
            "tl3-penanggung_jawab": str(skp.atasan_penilai_id),
            "tl3-batas_waktu": (hari_ini + datetime.timedelta(days=5)).isoformat(),
        },
    )
    r = client_of(orang[KEPALA]).post(reverse("pelaksanaan:dialog_ubah", args=[dialog.pk]), data)
    assert r.status_code == 302, r.content.decode()[:3000]
    baru = _notif(orang[PELAKSANA], "tindak_lanjut")
    assert sorted(n.isi.split("\n")[0] for n in baru) == [
        "Meminta akses SIASN",
        "Menyusun jadwal pengumpulan data",
    ]
    susun = dialog.tindak_lanjut.get(teks="Menyusun jadwal pengumpulan data")
    n = next(n for n in baru if n.isi.startswith("Menyusun"))
    assert n.kunci == f"tindak-lanjut:{susun.pk}:{skp.pegawai_id}"
    assert n.tautan.endswith(f"#tl-{susun.pk}") and "Tindak lanjut dialog kinerja dari" in n.judul
    assert _notif(orang[KEPALA], "tindak_lanjut") == []  # his own follow-up tells him nothing
    # The edit is not a new dialog: no second dialog notification; saving again sends nothing more.
    assert len(_notif(orang[PELAKSANA], "dialog_kinerja")) == 1
    client_of(orang[KEPALA]).post(reverse("pelaksanaan:dialog_ubah", args=[dialog.pk]), _ubah_data(dialog))
    assert len(_notif(orang[PELAKSANA], "tindak_lanjut")) == 2


# --- query counts -----------------------------------------------------------------------------------------


def _banyak_dialog(skp: Skp, jumlah: int, mulai: int = 0) -> None:
    """`jumlah` dialogs recorded by the penilai, each with a done and an open follow-up."""
    kabid = User.objects.get(pegawai=skp.penilai_id)
    hari_ini = timezone.localdate()
    for i in range(mulai, mulai + jumlah):
        d = DialogKinerja.objects.create(
            skp=skp, tanggal=hari_ini - datetime.timedelta(days=i), topik=f"Topik {i}", dicatat_oleh=kabid
        )
        TindakLanjutDialog.objects.create(
            dialog=d, teks=f"Tugas {i}", penanggung_jawab_id=skp.pegawai_id, batas_waktu=hari_ini
        )
        TindakLanjutDialog.objects.create(
            dialog=d,
            teks=f"Selesai {i}",
            penanggung_jawab_id=kabid.pegawai_id,
            batas_waktu=hari_ini,
            selesai_pada=timezone.now(),
        )


def _jumlah_query(c: Client, url: str) -> int:
    c.get(url)  # warm up session and user caches
    with CaptureQueriesContext(connection) as ctx:
        r = c.get(url)
    assert r.status_code == 200
    return len(ctx.captured_queries)


def test_dialog_pages_query_count_does_not_grow_with_rows(orang, skp) -> None:  # type: ignore[no-untyped-def]
    pages = [
        (KABID, reverse("pelaksanaan:dialog")),
        (PELAKSANA, reverse("pelaksanaan:dialog")),
        (KABID, reverse("pelaksanaan:dialog_skp", args=[skp.pk])),
        (PELAKSANA, reverse("pelaksanaan:dialog_skp", args=[skp.pk])),
        ("admin", reverse("pelaksanaan:dialog_skp", args=[skp.pk])),
    ]
    _banyak_dialog(skp, 2)
    sedikit = [_jumlah_query(client_of(orang[who]), url) for who, url in pages]
    _banyak_dialog(skp, 10, mulai=2)
    banyak = [_jumlah_query(client_of(orang[who]), url) for who, url in pages]
    html = client_of(orang[KABID]).get(reverse("pelaksanaan:dialog")).content.decode()
    assert html.count('id="dialog-') == 12 and "Selesai 11" in html
    assert banyak == sedikit, list(zip(pages, sedikit, banyak, strict=True))


def test_admin_reads_dialogs_without_a_dead_link(orang, skp) -> None:  # type: ignore[no-untyped-def]
    """The admin (no pegawai) may read an SKP's dialogs; the breadcrumb leads to the pegawai, not to the
    pegawai-only "my dialogs" page (which is 403 for them)."""
    admin = client_of(orang["admin"])
    html = admin.get(reverse("pelaksanaan:dialog_skp", args=[skp.pk])).content.decode()
    assert f'href="{reverse("pelaksanaan:dialog")}"' not in html.split("<main", 1)[-1].split("</nav>", 1)[0]
    assert reverse("organisasi:pegawai_detail", args=[skp.pegawai_id]) in html
    assert admin.get(reverse("pelaksanaan:dialog")).status_code == 403
