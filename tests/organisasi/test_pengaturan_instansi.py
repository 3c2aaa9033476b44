"""Pengaturan instansi: the admin kepegawaian changes the CONFIG settings of their own instansi, audited."""

import datetime
import re

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from kinerja.organisasi import services
from kinerja.organisasi.forms import PengaturanInstansiForm
from kinerja.organisasi.models import Instansi, Pegawai, User
from kinerja.perencanaan import services as skp_services
from kinerja.rules.jadwal import Skema

pytestmark = pytest.mark.django_db

URL = reverse("organisasi:pengaturan")
KABID_MUTASI = "197811302003121004"  # administrator (Kepala Bidang Mutasi dan Promosi)
KABID_PKP = "197904182005012005"  # administrator (Kepala Bidang Penilaian Kinerja dan Penghargaan)
PELAKSANA = "199108162015031001"


def _data(instansi: Instansi, **overrides: object) -> dict[str, object]:
    """The form as posted: the instansi's current values, with `overrides`; unchecked boxes are left out."""
    data: dict[str, object] = {name: getattr(instansi, name) for name in services.PENGATURAN_INSTANSI}
    data.update(overrides)
    ambang = data.pop("ambang_capaian_organisasi", None) or {}
    for i, kunci in enumerate(("istimewa", "baik", "butuh_perbaikan", "kurang")):  # four number inputs
        data[f"ambang_capaian_organisasi_{i}"] = ambang.get(kunci, "")
    return {k: v for k, v in data.items() if v is not False and v is not None}


def _history_count(instansi: Instansi) -> int:
    return instansi.history.count()


def test_admin_sees_the_settings_in_groups_with_defaults_explained(client_for, demo_instansi):
    response = client_for("admin").get(URL)
    assert response.status_code == 200
    html = response.content.decode()
    for judul in ("Identitas instansi", "SKP: model kuantitatif", "Pelaksanaan", "Penilaian"):
        assert f">{judul}</legend>" in html
    assert "Bawaan: 10 MB" in html and "Bawaan: 7 hari" in html
    assert "SKP yang sudah ada tetap memakai modelnya" in html
    assert 'name="batas_ukuran_bukti_mb" value="10"' in html


def test_the_kepegawaian_menu_links_the_page_for_admins_only(client_for):
    assert URL in client_for("admin").get("/").content.decode()
    assert URL not in client_for("kabid").get("/").content.decode()


def test_admin_changes_settings_and_history_names_who_and_what(client_for, demo_instansi):
    before = _history_count(demo_instansi)
    client = client_for("admin")
    response = client.post(
        URL, _data(demo_instansi, batas_ukuran_bukti_mb=25, lama_buka_kunci_hari=14, kota="Kota Sukamaju")
    )
    assert response.status_code == 302 and response["Location"] == URL
    demo_instansi.refresh_from_db()
    assert (demo_instansi.batas_ukuran_bukti_mb, demo_instansi.lama_buka_kunci_hari) == (25, 14)
    assert demo_instansi.kota == "Kota Sukamaju"
    assert _history_count(demo_instansi) == before + 1
    row = demo_instansi.history.first()
    assert row.history_user == User.objects.get(username="admin")

    html = client.get(URL).content.decode()
    assert "Pengaturan instansi disimpan." in html
    assert "oleh Admin Kepegawaian BKPSDM" in html
    assert (
        'Ukuran maksimal bukti dukung: <span class="text-muted">10 MB</span> → <strong>25 MB</strong>' in html
    )
    assert (
        'Lama buka kunci realisasi: <span class="text-muted">7 hari</span> → <strong>14 hari</strong>' in html
    )


def test_admin_sets_the_penilaian_settings(client_for, demo_instansi):
    assert (demo_instansi.distribusi_mode, demo_instansi.kelompok_distribusi) == ("peringatan", "penilai")
    assert demo_instansi.ambang_capaian_organisasi is None
    html = client_for("admin").get(URL).content.decode()
    assert 'name="ambang_capaian_organisasi_0"' in html and 'aria-label="Ambang Istimewa (%)"' in html
    assert "Bawaan: peringatan saja." in html
    ambang = {"istimewa": "110", "baik": "95", "butuh_perbaikan": "80", "kurang": "60"}
    response = client_for("admin").post(
        URL,
        _data(
            demo_instansi,
            distribusi_mode="blokir",
            kelompok_distribusi="unit",
            ambang_capaian_organisasi=ambang,
        ),
    )
    assert response.status_code == 302
    demo_instansi.refresh_from_db()
    assert (demo_instansi.distribusi_mode, demo_instansi.kelompok_distribusi) == ("blokir", "unit")
    assert demo_instansi.ambang_capaian_organisasi == ambang
    # Emptying all four thresholds turns the suggestion off again.
    client_for("admin").post(URL, _data(demo_instansi, ambang_capaian_organisasi=None))
    demo_instansi.refresh_from_db()
    assert demo_instansi.ambang_capaian_organisasi is None


@pytest.mark.parametrize(
    ("ambang", "message"),
    [
        ({"istimewa": "110", "baik": "95"}, "Isi keempat ambang, atau kosongkan semuanya"),
        (
            {"istimewa": "90", "baik": "95", "butuh_perbaikan": "80", "kurang": "60"},
            "Ambang capaian harus menurun",
        ),
        ({"istimewa": "250", "baik": "95", "butuh_perbaikan": "80", "kurang": "60"}, "paling besar 200%"),
    ],
)
def test_invalid_thresholds_are_refused(client_for, demo_instansi, ambang, message):
    response = client_for("admin").post(URL, _data(demo_instansi, ambang_capaian_organisasi=ambang))
    assert response.status_code == 200
    assert message in response.content.decode()
    demo_instansi.refresh_from_db()
    assert demo_instansi.ambang_capaian_organisasi is None


def test_service_checks_thresholds_and_choices(demo_instansi):
    admin = User.objects.get(username="admin")
    with pytest.raises(ValidationError) as exc:
        services.ubah_pengaturan_instansi(
            demo_instansi, admin, ambang_capaian_organisasi={"istimewa": "50", "baik": "95"}
        )
    assert "ambang_capaian_organisasi" in exc.value.message_dict
    with pytest.raises(ValidationError) as exc:
        services.ubah_pengaturan_instansi(demo_instansi, admin, distribusi_mode="bebas")
    assert "distribusi_mode" in exc.value.message_dict


def test_saving_unchanged_settings_writes_no_history(client_for, demo_instansi):
    before = _history_count(demo_instansi)
    assert client_for("admin").post(URL, _data(demo_instansi)).status_code == 302
    assert _history_count(demo_instansi) == before


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("batas_ukuran_bukti_mb", "0", "Ukuran maksimal bukti dukung paling kecil 1 MB."),
        ("batas_ukuran_bukti_mb", "100", "Ukuran maksimal bukti dukung paling besar 50 MB."),
        ("batas_ukuran_bukti_mb", "lima", "Ukuran maksimal bukti dukung harus bilangan bulat (MB)."),
        ("lama_buka_kunci_hari", "0", "Lama buka kunci realisasi paling singkat 1 hari."),
        ("lama_buka_kunci_hari", "61", "Lama buka kunci realisasi paling lama 60 hari."),
        ("lama_buka_kunci_hari", "", "Isi lama buka kunci realisasi."),
        ("nama", "", "Isi nama instansi."),
    ],
)
def test_invalid_values_are_refused_with_the_message_at_the_field(
    client_for, demo_instansi, field, value, message
):
    before = _history_count(demo_instansi)
    response = client_for("admin").post(URL, _data(demo_instansi, **{field: value}))
    assert response.status_code == 200
    html = response.content.decode()
    assert f'<ul class="errorlist" id="id_{field}_errors"><li>{message}</li></ul>' in html
    assert "Pengaturan belum dapat disimpan" in html
    assert re.search(
        rf'<(input|textarea)[^>]*name="{field}"[^>]*aria-describedby="id_{field}_bantuan id_{field}_errors"'
        r'[^>]*aria-invalid="true"',
        html,
    )
    assert _history_count(demo_instansi) == before
    fresh = Instansi.objects.get(pk=demo_instansi.pk)
    assert (fresh.nama, fresh.batas_ukuran_bukti_mb, fresh.lama_buka_kunci_hari) == (
        demo_instansi.nama,
        demo_instansi.batas_ukuran_bukti_mb,
        demo_instansi.lama_buka_kunci_hari,
    )


def test_service_checks_ranges_itself(demo_instansi):
    admin = User.objects.get(username="admin")
    with pytest.raises(ValidationError) as exc:
        services.ubah_pengaturan_instansi(
            demo_instansi, admin, batas_ukuran_bukti_mb=51, lama_buka_kunci_hari=0
        )
    assert set(exc.value.message_dict) == {"batas_ukuran_bukti_mb", "lama_buka_kunci_hari"}
    assert "dari 1 sampai 50" in exc.value.message_dict["batas_ukuran_bukti_mb"][0]


@pytest.mark.parametrize("role", ["kepala", "kabid", "fungsional", "pelaksana"])
def test_pegawai_get_403(client_for, demo_instansi, role):
    client = client_for(role)
    assert client.get(URL).status_code == 403
    assert client.post(URL, _data(demo_instansi, batas_ukuran_bukti_mb=30)).status_code == 403
    demo_instansi.refresh_from_db()
    assert demo_instansi.batas_ukuran_bukti_mb == 10


def test_admin_of_another_instansi_sees_and_changes_only_their_own(demo_instansi, other_instansi):
    client = Client()
    client.force_login(User.objects.get(username="admin-lain"))
    html = client.get(URL).content.decode()
    assert "Dinas Lain" in html and demo_instansi.nama not in html
    assert client.post(URL, _data(other_instansi, batas_ukuran_bukti_mb=30)).status_code == 302
    demo_instansi.refresh_from_db()
    other_instansi.refresh_from_db()
    assert (demo_instansi.batas_ukuran_bukti_mb, other_instansi.batas_ukuran_bukti_mb) == (10, 30)
    with pytest.raises(PermissionDenied):
        services.ubah_pengaturan_instansi(
            demo_instansi, User.objects.get(username="admin-lain"), batas_ukuran_bukti_mb=30
        )
    demo_instansi.refresh_from_db()
    assert demo_instansi.batas_ukuran_bukti_mb == 10


def test_superuser_works_on_the_instansi_they_switched_to(demo_instansi, other_instansi):
    root = User.objects.create(username="root", is_superuser=True, is_staff=True)
    client = Client()
    client.force_login(root)
    client.post(reverse("organisasi:pilih_instansi"), {"instansi": other_instansi.pk})
    assert client.post(URL, _data(other_instansi, lama_buka_kunci_hari=3)).status_code == 302
    other_instansi.refresh_from_db()
    demo_instansi.refresh_from_db()
    assert (other_instansi.lama_buka_kunci_hari, demo_instansi.lama_buka_kunci_hari) == (3, 7)
    assert other_instansi.history.first().history_user == root


def test_anonymous_is_sent_to_login(client, demo_instansi):
    response = client.get(URL)
    assert response.status_code == 302 and response["Location"].startswith("/login/")
    response = client.post(URL, _data(demo_instansi, batas_ukuran_bukti_mb=30))
    assert response.status_code == 302 and response["Location"].startswith("/login/")


def test_every_setting_is_in_exactly_one_group():
    grouped = [name for k in PengaturanInstansiForm.KELOMPOK for name in k.fields]
    assert sorted(grouped) == sorted(services.PENGATURAN_INSTANSI)
    assert len(grouped) == len(set(grouped))


def _history_rows(instansi: Instansi, n: int, tag: str) -> None:
    """n changes, each by a different admin (with and without a pegawai record)."""
    pegawai = list(Pegawai.objects.filter(instansi=instansi, user__isnull=False).order_by("pk")[:n])
    for i in range(n):
        if i % 2:
            user = User.objects.create(username=f"admin-riwayat-{tag}-{i}", admin_instansi=instansi)
        else:
            user = User.objects.get(pegawai=pegawai[i])
            user.admin_instansi = instansi
            user.save(update_fields=["admin_instansi"])
        services.ubah_pengaturan_instansi(instansi, user, lama_buka_kunci_hari=8 + i % 2, kota=f"Kota {i}")


def _queries(client: Client) -> tuple[int, str]:
    assert client.get(URL).status_code == 200  # warm-up: per-process caches (content types, templates)
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(URL)
    assert response.status_code == 200
    return len(ctx.captured_queries), response.content.decode()


def test_query_count_does_not_grow_with_history(client_for, demo_instansi):
    client = client_for("admin")
    _history_rows(demo_instansi, 2, "a")
    small, html_small = _queries(client)
    _history_rows(demo_instansi, 20, "b")
    large, html_large = _queries(client)
    assert html_large.count("Kota tempat penandatanganan:") == 22
    assert html_small.count("Kota tempat penandatanganan:") == 2
    assert small == large


def test_new_skp_follows_the_struktural_setting_and_old_skp_keep_their_model(demo_instansi):
    admin = User.objects.get(username="admin")
    periode = services.create_periode(demo_instansi, 2027, Skema.TRIWULANAN)
    services.ubah_pengaturan_instansi(demo_instansi, admin, skp_kuantitatif_struktural=False)

    def buat(nip: str):  # noqa: ANN202
        pegawai = Pegawai.objects.select_related("instansi").get(nip=nip)
        return skp_services.buat_skp(
            pegawai, periode, User.objects.get(pegawai=pegawai), datetime.date(2027, 1, 4)
        )

    sebelum = buat(KABID_MUTASI)
    assert sebelum.model == "kualitatif"

    services.ubah_pengaturan_instansi(demo_instansi, admin, skp_kuantitatif_struktural=True)
    sesudah = buat(KABID_PKP)
    assert sesudah.model == "kuantitatif"
    assert buat(PELAKSANA).model == "kualitatif"  # not struktural: unaffected
    sebelum.refresh_from_db()
    assert sebelum.model == "kualitatif"  # an existing SKP keeps its model
