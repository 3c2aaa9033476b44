"""Dialog kinerja: only the SKP's penilai (or atasan penilai) records one, both sides see it, follow-ups are
closed by their responsible person and stay on both dashboards until then (overdue ones flagged).

Demo cast: the kabid is the penilai of the pelaksana, the kepala the atasan penilai; the fungsional is a
peer; `other_instansi` brings a foreign admin.
"""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from kinerja.organisasi.models import User
from kinerja.pelaksanaan import services_dialog
from kinerja.pelaksanaan.models import DialogKinerja, TindakLanjutDialog
from kinerja.perencanaan.models import Skp

pytestmark = pytest.mark.django_db

PELAKSANA = "199108162015031001"
KABID = "197904182005012005"
KEPALA = "197205141998031003"
FUNGSIONAL = "198506282010012004"


def client_of(username: str) -> Client:
    c = Client()
    c.force_login(User.objects.get(username=username))
    return c


@pytest.fixture
def skp(demo_instansi) -> Skp:  # type: ignore[no-untyped-def]
    skp = Skp.objects.select_related("pegawai", "penilai").get(pegawai__nip=PELAKSANA, status="disetujui")
    assert skp.penilai.nip == KABID and skp.atasan_penilai.nip == KEPALA
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


def test_only_penilai_or_atasan_records(skp, other_instansi) -> None:  # type: ignore[no-untyped-def]
    url = reverse("pelaksanaan:dialog_skp", args=[skp.pk])
    # The pegawai sees the page without a form and may not post.
    pegawai = client_of(PELAKSANA)
    html = pegawai.get(url).content.decode()
    assert "Catat dialog baru" not in html
    assert pegawai.post(url, _post(skp)).status_code == 403
    # A peer and a foreign admin see nothing.
    for who in (FUNGSIONAL, "admin-lain"):
        assert client_of(who).get(url).status_code == 403, who
        assert client_of(who).post(url, _post(skp)).status_code == 403, who
    # The admin of the instansi reads but does not record.
    assert client_of("admin").get(url).status_code == 200
    assert client_of("admin").post(url, _post(skp)).status_code == 403
    assert not DialogKinerja.objects.exists()
    # The penilai records, and so may the atasan penilai.
    assert "Catat dialog baru" in client_of(KABID).get(url).content.decode()
    assert client_of(KABID).post(url, _post(skp)).status_code == 302
    atasan = _post(skp, **{"tl1-penanggung_jawab": str(skp.atasan_penilai_id)})
    assert client_of(KEPALA).post(url, atasan).status_code == 302
    assert DialogKinerja.objects.filter(skp=skp).count() == 2
    assert TindakLanjutDialog.objects.filter(penanggung_jawab=skp.atasan_penilai).count() == 1


def test_invalid_input_is_refused(skp) -> None:  # type: ignore[no-untyped-def]
    kabid = User.objects.get(username=KABID)
    besok = timezone.localdate() + datetime.timedelta(days=1)
    with pytest.raises(ValidationError) as exc:
        services_dialog.catat_dialog(skp, kabid, tanggal=besok, topik="")
    assert set(exc.value.message_dict) == {"tanggal", "topik"}
    fungsional = User.objects.get(username=FUNGSIONAL).pegawai_id
    with pytest.raises(ValidationError):
        services_dialog.catat_dialog(
            skp,
            kabid,
            tanggal=timezone.localdate(),
            topik="Capaian",
            tindak_lanjut=[services_dialog.TindakLanjutInput("x", fungsional, besok)],
        )
    with pytest.raises(PermissionDenied):
        services_dialog.catat_dialog(
            skp, User.objects.get(username=FUNGSIONAL), tanggal=timezone.localdate(), topik="Capaian"
        )
    # A follow-up row without a due date is refused by the form, nothing is saved.
    r = client_of(KABID).post(
        reverse("pelaksanaan:dialog_skp", args=[skp.pk]), _post(skp, **{"tl0-batas_waktu": ""})
    )
    assert r.status_code == 200 and "Isi batas waktu." in r.content.decode()
    assert not DialogKinerja.objects.exists()


def test_follow_up_lifecycle_on_both_dashboards(skp) -> None:  # type: ignore[no-untyped-def]
    client_of(KABID).post(reverse("pelaksanaan:dialog_skp", args=[skp.pk]), _post(skp))
    milik_pegawai = TindakLanjutDialog.objects.get(penanggung_jawab=skp.pegawai)
    milik_penilai = TindakLanjutDialog.objects.get(penanggung_jawab=skp.penilai)
    pegawai, penilai = client_of(PELAKSANA), client_of(KABID)

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
        not in client_of(FUNGSIONAL).get(reverse("dashboard:home")).content.decode()
    )

    # Only the responsible person closes a follow-up.
    url = reverse("pelaksanaan:dialog_selesai", args=[milik_penilai.pk])
    assert pegawai.post(url).status_code == 403
    assert client_of(FUNGSIONAL).post(url).status_code == 403
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
