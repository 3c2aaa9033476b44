"""Pengaturan instansi: the admin kepegawaian changes the CONFIG settings of their own instansi, audited."""

import datetime
import re
from dataclasses import dataclass

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from kinerja.organisasi import services
from kinerja.organisasi.forms import PengaturanInstansiForm, persen_teks
from kinerja.organisasi.models import Instansi, Pegawai, User
from kinerja.perencanaan import services as skp_services
from kinerja.rules.jadwal import Skema
from kinerja.rules.kuadran import PIMPINAN_DEFAULT
from kinerja.rules.rating import AmbangRating
from kinerja.rules.types import CapaianOrganisasi
from tests import builders as b

pytestmark = pytest.mark.django_db

URL = reverse("organisasi:pengaturan")


@dataclass
class Kantor(b.Pemeran):
    """A small instansi, built once: the kepala heads the root unit, the kabid a bidang with a pelaksana
    (the tim's bawahan) and a fungsional; the head of a second bidang (`kabid_lain`) is, like the kabid,
    a pejabat struktural; the admin kepegawaian (Admin Kepegawaian Uji). Another instansi (Dinas Lain)
    has its own admin."""

    fungsional: Pegawai
    kabid_lain: Pegawai
    lain: Instansi
    admin_lain: User

    @property
    def pelaksana(self) -> Pegawai:
        return self.tim.bawahan


def _bangun() -> Kantor:
    tim = b.atasan_dan_bawahan(b.InstansiFactory(nama="Badan Kepegawaian Uji"))
    tim.admin.first_name, tim.admin.last_name = "Admin Kepegawaian", "Uji"
    tim.admin.save(update_fields=["first_name", "last_name"])
    j_kabid = tim.atasan.penempatan.get().jabatan
    fungsional = b.pegawai_di(
        b.JabatanFactory(unit=tim.bidang, jenis="fungsional", jenjang="ahli_muda", parent=j_kabid)
    )
    lain = b.InstansiFactory(nama="Dinas Lain")
    return Kantor(
        tim=tim,
        fungsional=fungsional,
        kabid_lain=b.kabid_lain(tim),
        lain=lain,
        admin_lain=b.admin_instansi(lain),
    )


# The cast of `_bangun`, fresh for each test.
_kantor, k = b.pemeran_modul(_bangun, "k", modul="_kantor")


@pytest.fixture
def instansi(k: Kantor) -> Instansi:
    return k.tim.instansi


@pytest.fixture
def admin(k: Kantor) -> User:
    return k.tim.admin


@pytest.fixture
def masuk(k: Kantor):  # type: ignore[no-untyped-def]
    """masuk("kabid") → a Client logged in as that member of the cast ("admin" or a pegawai's role)."""

    def klien(role: str) -> Client:
        return b.klien(k.tim.admin if role == "admin" else getattr(k, role).user)

    return klien


def _data(instansi: Instansi, **overrides: object) -> dict[str, object]:
    """The form as posted: the instansi's current values, with `overrides`; unchecked boxes are left out."""
    # The kop images are file inputs: a browser posts nothing for them unless a file is chosen.
    data: dict[str, object] = {
        name: getattr(instansi, name)
        for name in services.PENGATURAN_INSTANSI
        if name not in services.GAMBAR_KOP
    }
    data.update(overrides)
    ambang = data.pop("ambang_capaian_organisasi", None) or {}
    for i, kunci in enumerate(("istimewa", "baik", "butuh_perbaikan", "kurang")):  # four number inputs
        data[f"ambang_capaian_organisasi_{i}"] = ambang.get(kunci, "")
    # Two percentage inputs: a stored AmbangRating dict is shown as percentages, a tuple is typed as is.
    rating = data.pop("ambang_rating", None)
    if isinstance(rating, dict):
        shares = AmbangRating.from_dict(rating)
        rating = (persen_teks(shares.sebagian_besar), persen_teks(shares.sebagian_kecil))
    data["ambang_rating_0"], data["ambang_rating_1"] = rating or ("", "")
    # Five selects, one per capaian organisasi, always posted (the page preselects the bawaan).
    pemetaan = data.pop("pemetaan_rating_pimpinan", None) or {}
    for i, c in enumerate(CapaianOrganisasi):
        data[f"pemetaan_rating_pimpinan_{i}"] = pemetaan.get(c.value, PIMPINAN_DEFAULT[c].value)
    return {k: v for k, v in data.items() if v is not False and v is not None}


def _history_count(instansi: Instansi) -> int:
    return instansi.history.count()


def test_admin_sees_the_settings_in_groups_with_defaults_explained(masuk, instansi):
    response = masuk("admin").get(URL)
    assert response.status_code == 200
    html = response.content.decode()
    for judul in ("Identitas instansi", "SKP: model kuantitatif", "Pelaksanaan", "Penilaian"):
        assert f">{judul}</legend>" in html
    assert "Bawaan: 10 MB" in html and "Bawaan: 7 hari" in html
    assert "SKP yang sudah ada tetap memakai modelnya" in html
    assert 'name="batas_ukuran_bukti_mb" value="10"' in html


def test_the_kepegawaian_menu_links_the_page_for_admins_only(masuk):
    assert URL in masuk("admin").get("/").content.decode()
    assert URL not in masuk("kabid").get("/").content.decode()


def test_admin_changes_settings_and_history_names_who_and_what(masuk, instansi, admin):
    before = _history_count(instansi)
    client = masuk("admin")
    response = client.post(
        URL, _data(instansi, batas_ukuran_bukti_mb=25, lama_buka_kunci_hari=14, kota="Kota Sukamaju")
    )
    assert response.status_code == 302 and response["Location"] == URL
    instansi.refresh_from_db()
    assert (instansi.batas_ukuran_bukti_mb, instansi.lama_buka_kunci_hari) == (25, 14)
    assert instansi.kota == "Kota Sukamaju"
    assert _history_count(instansi) == before + 1
    row = instansi.history.first()
    assert row.history_user == admin

    html = client.get(URL).content.decode()
    assert "Pengaturan instansi disimpan." in html
    assert "oleh Admin Kepegawaian Uji" in html
    assert (
        'Ukuran maksimal bukti dukung: <span class="text-muted">10 MB</span> → <strong>25 MB</strong>' in html
    )
    assert (
        'Lama buka kunci realisasi: <span class="text-muted">7 hari</span> → <strong>14 hari</strong>' in html
    )


def test_admin_sets_the_penilaian_settings(masuk, instansi):
    assert (instansi.distribusi_mode, instansi.kelompok_distribusi) == ("peringatan", "penilai")
    assert instansi.ambang_capaian_organisasi is None
    html = masuk("admin").get(URL).content.decode()
    assert 'name="ambang_capaian_organisasi_0"' in html and 'aria-label="Ambang Istimewa (%)"' in html
    assert "Bawaan: peringatan saja." in html
    ambang = {"istimewa": "110", "baik": "95", "butuh_perbaikan": "80", "kurang": "60"}
    response = masuk("admin").post(
        URL,
        _data(
            instansi,
            distribusi_mode="blokir",
            kelompok_distribusi="unit",
            ambang_capaian_organisasi=ambang,
        ),
    )
    assert response.status_code == 302
    instansi.refresh_from_db()
    assert (instansi.distribusi_mode, instansi.kelompok_distribusi) == ("blokir", "unit")
    assert instansi.ambang_capaian_organisasi == ambang
    # Emptying all four thresholds turns the suggestion off again.
    masuk("admin").post(URL, _data(instansi, ambang_capaian_organisasi=None))
    instansi.refresh_from_db()
    assert instansi.ambang_capaian_organisasi is None


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
def test_invalid_thresholds_are_refused(masuk, instansi, ambang, message):
    response = masuk("admin").post(URL, _data(instansi, ambang_capaian_organisasi=ambang))
    assert response.status_code == 200
    assert message in response.content.decode()
    instansi.refresh_from_db()
    assert instansi.ambang_capaian_organisasi is None


def test_service_checks_thresholds_and_choices(instansi, admin):
    with pytest.raises(ValidationError) as exc:
        services.update_pengaturan_instansi(
            instansi, admin, ambang_capaian_organisasi={"istimewa": "50", "baik": "95"}
        )
    assert "ambang_capaian_organisasi" in exc.value.message_dict
    with pytest.raises(ValidationError) as exc:
        services.update_pengaturan_instansi(instansi, admin, distribusi_mode="bebas")
    assert "distribusi_mode" in exc.value.message_dict


def test_saving_unchanged_settings_writes_no_history(masuk, instansi):
    before = _history_count(instansi)
    assert masuk("admin").post(URL, _data(instansi)).status_code == 302
    assert _history_count(instansi) == before


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
def test_invalid_values_are_refused_with_the_message_at_the_field(masuk, instansi, field, value, message):
    before = _history_count(instansi)
    response = masuk("admin").post(URL, _data(instansi, **{field: value}))
    assert response.status_code == 200
    html = response.content.decode()
    assert f'<ul class="errorlist" id="id_{field}_errors"><li>{message}</li></ul>' in html
    assert "Pengaturan belum dapat disimpan" in html
    assert re.search(
        rf'<(input|textarea)[^>]*name="{field}"[^>]*aria-describedby="id_{field}_bantuan id_{field}_errors"'
        r'[^>]*aria-invalid="true"',
        html,
    )
    assert _history_count(instansi) == before
    fresh = Instansi.objects.get(pk=instansi.pk)
    assert (fresh.nama, fresh.batas_ukuran_bukti_mb, fresh.lama_buka_kunci_hari) == (
        instansi.nama,
        instansi.batas_ukuran_bukti_mb,
        instansi.lama_buka_kunci_hari,
    )


def test_service_checks_ranges_itself(instansi, admin):
    with pytest.raises(ValidationError) as exc:
        services.update_pengaturan_instansi(instansi, admin, batas_ukuran_bukti_mb=51, lama_buka_kunci_hari=0)
    assert set(exc.value.message_dict) == {"batas_ukuran_bukti_mb", "lama_buka_kunci_hari"}
    assert "dari 1 sampai 50" in exc.value.message_dict["batas_ukuran_bukti_mb"][0]


@pytest.mark.parametrize("role", ["kepala", "kabid", "fungsional", "pelaksana"])
def test_pegawai_get_403(masuk, instansi, role):
    client = masuk(role)
    assert client.get(URL).status_code == 403
    assert client.post(URL, _data(instansi, batas_ukuran_bukti_mb=30)).status_code == 403
    instansi.refresh_from_db()
    assert instansi.batas_ukuran_bukti_mb == 10


def test_admin_of_another_instansi_sees_and_changes_only_their_own(k, instansi):
    lain = k.lain
    client = b.klien(k.admin_lain)
    html = client.get(URL).content.decode()
    assert "Dinas Lain" in html and instansi.nama not in html
    assert client.post(URL, _data(lain, batas_ukuran_bukti_mb=30)).status_code == 302
    instansi.refresh_from_db()
    lain.refresh_from_db()
    assert (instansi.batas_ukuran_bukti_mb, lain.batas_ukuran_bukti_mb) == (10, 30)
    with pytest.raises(PermissionDenied):
        services.update_pengaturan_instansi(instansi, k.admin_lain, batas_ukuran_bukti_mb=30)
    instansi.refresh_from_db()
    assert instansi.batas_ukuran_bukti_mb == 10


def test_superuser_works_on_the_instansi_they_switched_to(k, instansi):
    lain = k.lain
    root = User.objects.create(username="root", is_superuser=True, is_staff=True)
    client = b.klien(root)
    client.post(reverse("organisasi:pilih_instansi"), {"instansi": lain.pk})
    assert client.post(URL, _data(lain, lama_buka_kunci_hari=3)).status_code == 302
    lain.refresh_from_db()
    instansi.refresh_from_db()
    assert (lain.lama_buka_kunci_hari, instansi.lama_buka_kunci_hari) == (3, 7)
    assert lain.history.first().history_user == root


def test_anonymous_is_sent_to_login(client, instansi):
    response = client.get(URL)
    assert response.status_code == 302 and response["Location"].startswith("/login/")
    response = client.post(URL, _data(instansi, batas_ukuran_bukti_mb=30))
    assert response.status_code == 302 and response["Location"].startswith("/login/")


def test_every_setting_is_in_exactly_one_group():
    grouped = [name for k in PengaturanInstansiForm.KELOMPOK for name in k.fields]
    assert sorted(grouped) == sorted(services.PENGATURAN_INSTANSI)
    assert len(grouped) == len(set(grouped))


def _history_rows(instansi: Instansi, n: int, tag: str) -> None:
    """n changes, each by a different admin (with and without a pegawai record)."""
    for i in range(n):
        if i % 2:
            user = User.objects.create(username=f"admin-riwayat-{tag}-{i}", admin_instansi=instansi)
        else:
            user = b.PegawaiFactory(instansi=instansi).user
            user.admin_instansi = instansi
            user.save(update_fields=["admin_instansi"])
        services.update_pengaturan_instansi(instansi, user, lama_buka_kunci_hari=8 + i % 2, kota=f"Kota {i}")


def _queries(client: Client) -> tuple[int, str]:
    assert client.get(URL).status_code == 200  # warm-up: per-process caches (content types, templates)
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(URL)
    assert response.status_code == 200
    return len(ctx.captured_queries), response.content.decode()


def test_query_count_does_not_grow_with_history(masuk, instansi):
    client = masuk("admin")
    _history_rows(instansi, 2, "a")
    small, html_small = _queries(client)
    _history_rows(instansi, 20, "b")
    large, html_large = _queries(client)
    assert html_large.count("Kota tempat penandatanganan:") == 22
    assert html_small.count("Kota tempat penandatanganan:") == 2
    assert small == large


def test_new_skp_follows_the_struktural_setting_and_old_skp_keep_their_model(k, instansi, admin):
    periode = services.create_periode(instansi, 2027, Skema.TRIWULANAN)
    services.update_pengaturan_instansi(instansi, admin, skp_kuantitatif_struktural=False)

    def buat(pegawai: Pegawai):  # noqa: ANN202
        return skp_services.create_skp(pegawai, periode, pegawai.user, datetime.date(2027, 1, 4))

    sebelum = buat(k.kabid)
    assert sebelum.model == "kualitatif"

    services.update_pengaturan_instansi(instansi, admin, skp_kuantitatif_struktural=True)
    sesudah = buat(k.kabid_lain)
    assert sesudah.model == "kuantitatif"
    assert buat(k.pelaksana).model == "kualitatif"  # not struktural: unaffected
    sebelum.refresh_from_db()
    assert sebelum.model == "kualitatif"  # an existing SKP keeps its model


# --- ambang saran rating and the head-of-unit mapping ---------------------------------------------------


def test_admin_sets_the_rating_thresholds_as_percentages(masuk, instansi):
    assert instansi.ambang_rating is None
    client = masuk("admin")
    html = client.get(URL).content.decode()
    assert "Sebagian besar: lebih dari" in html and "Sebagian kecil: paling banyak" in html
    assert 'name="ambang_rating_0"' in html and 'placeholder="50"' in html and 'placeholder="33.33"' in html
    assert "Bawaan: lebih dari 50% (separuh) dan paling banyak sepertiga" in html

    response = client.post(URL, _data(instansi, ambang_rating=("70", "25")))
    assert response.status_code == 302
    instansi.refresh_from_db()
    # Stored in AmbangRating's own form, exact fractions.
    assert instansi.ambang_rating == {"sebagian_besar": "7/10", "sebagian_kecil": "1/4"}
    html = client.get(URL).content.decode()
    assert 'name="ambang_rating_0" value="70"' in html and 'name="ambang_rating_1" value="25"' in html

    # 33.33 is read as exactly a third, 66.67 as two thirds; an empty input keeps its default.
    client.post(URL, _data(instansi, ambang_rating=("66.67", "")))
    instansi.refresh_from_db()
    assert instansi.ambang_rating == {"sebagian_besar": "2/3", "sebagian_kecil": "1/3"}
    client.post(URL, _data(instansi, ambang_rating=("62.5", "33.33")))
    instansi.refresh_from_db()
    assert instansi.ambang_rating == {"sebagian_besar": "5/8", "sebagian_kecil": "1/3"}
    # Re-saving the page unchanged writes nothing new (the shown percentages read back the same).
    before = _history_count(instansi)
    assert client.post(URL, _data(instansi)).status_code == 302
    assert _history_count(instansi) == before
    # Both empty, or the defaults typed in: bawaan, stored as empty.
    client.post(URL, _data(instansi, ambang_rating=("50", "33.33")))
    instansi.refresh_from_db()
    assert instansi.ambang_rating is None
    client.post(URL, _data(instansi, ambang_rating=("75", "")))
    client.post(URL, _data(instansi, ambang_rating=None))
    instansi.refresh_from_db()
    assert instansi.ambang_rating is None


@pytest.mark.parametrize(
    ("ketik", "message"),
    [
        (("40", ""), "Sebagian besar paling kecil 50%."),
        (("100", ""), "Sebagian besar paling besar 99.99%."),
        (("", "60"), "Sebagian kecil paling besar 50%."),
        (("", "-5"), "Sebagian kecil paling kecil 0%."),
        (("70,5", ""), "Sebagian besar harus berupa angka persen."),
        (("70.123", ""), "Sebagian besar paling banyak 2 angka di belakang koma."),
    ],
)
def test_invalid_rating_thresholds_are_refused(masuk, instansi, ketik, message):
    response = masuk("admin").post(URL, _data(instansi, ambang_rating=ketik))
    assert response.status_code == 200
    assert message in response.content.decode()
    instansi.refresh_from_db()
    assert instansi.ambang_rating is None


def test_service_checks_the_rating_thresholds_and_mapping(instansi, admin):
    for bad in ({"sebagian_besar": "1"}, {"sebagian_kecil": "0.6"}, {"lain": "1/2"}, {"sebagian_besar": 0.7}):
        with pytest.raises(ValidationError) as exc:
            services.update_pengaturan_instansi(instansi, admin, ambang_rating=bad)
        assert "ambang_rating" in exc.value.message_dict
    with pytest.raises(ValidationError) as exc:
        services.update_pengaturan_instansi(instansi, admin, pemetaan_rating_pimpinan={"istimewa": "diatas"})
    assert (
        "Pilih rating hasil kerja untuk capaian Baik" in exc.value.message_dict["pemetaan_rating_pimpinan"][0]
    )
    services.update_pengaturan_instansi(instansi, admin, ambang_rating={"sebagian_besar": "0.6"})
    instansi.refresh_from_db()
    assert instansi.ambang_rating == {"sebagian_besar": "3/5", "sebagian_kecil": "1/3"}
    assert services.ambang_rating_instansi(instansi) == AmbangRating("3/5", "1/3")


def test_admin_sets_the_head_of_unit_mapping(masuk, instansi):
    client = masuk("admin")
    html = client.get(URL).content.decode()
    assert 'name="pemetaan_rating_pimpinan_1"' in html
    assert '<option value="sesuai" selected>Sesuai Ekspektasi</option>' in html  # Baik -> Sesuai (bawaan)
    pemetaan = {c.value: r.value for c, r in PIMPINAN_DEFAULT.items()} | {"baik": "diatas"}
    assert client.post(URL, _data(instansi, pemetaan_rating_pimpinan=pemetaan)).status_code == 302
    instansi.refresh_from_db()
    assert instansi.pemetaan_rating_pimpinan == pemetaan
    assert services.pemetaan_pimpinan_instansi(instansi)[CapaianOrganisasi.BAIK] == "diatas"
    # A better capaian may not get a lower rating.
    salah = pemetaan | {"istimewa": "sesuai"}
    response = client.post(URL, _data(instansi, pemetaan_rating_pimpinan=salah))
    assert response.status_code == 200
    assert (
        "Capaian Istimewa tidak boleh mendapat rating lebih rendah dari capaian Baik"
        in response.content.decode()
    )
    # Back to the bawaan: stored as empty.
    client.post(URL, _data(instansi, pemetaan_rating_pimpinan=None))
    instansi.refresh_from_db()
    assert instansi.pemetaan_rating_pimpinan is None


def test_history_shows_the_json_and_choice_settings_readably(masuk, instansi):
    client = masuk("admin")
    ambang = {"istimewa": "110", "baik": "95", "butuh_perbaikan": "80", "kurang": "60"}
    pemetaan = {c.value: r.value for c, r in PIMPINAN_DEFAULT.items()} | {"baik": "diatas"}
    response = client.post(
        URL,
        _data(
            instansi,
            ambang_capaian_organisasi=ambang,
            ambang_rating=("70", "25"),
            pemetaan_rating_pimpinan=pemetaan,
            distribusi_mode="blokir",
        ),
    )
    assert response.status_code == 302
    html = client.get(URL).content.decode()
    riwayat = html[html.index('id="riwayat-pengaturan"') :]
    assert "{" not in riwayat  # no raw dict
    assert (
        'Ambang saran capaian kinerja organisasi: <span class="text-muted">(kosong: tanpa saran)</span> → '
        "<strong>Istimewa ≥ 110%, Baik ≥ 95%, Butuh Perbaikan ≥ 80%, Kurang ≥ 60%</strong>"
    ) in riwayat
    assert (
        '<span class="text-muted">(bawaan: lebih dari 50%; paling banyak sepertiga)</span> → '
        "<strong>sebagian besar: lebih dari 70%; sebagian kecil: paling banyak 25%</strong>"
    ) in riwayat
    assert "(bawaan: Istimewa → Diatas, Baik → Sesuai, lainnya → Dibawah Ekspektasi)" in riwayat
    assert "Baik → Diatas Ekspektasi, Butuh Perbaikan → Dibawah Ekspektasi" in riwayat
    assert (
        'Pelanggaran pola distribusi: <span class="text-muted">Peringatan saja (finalisasi dengan '
        "alasan)</span> → <strong>Blokir finalisasi</strong>"
    ) in riwayat
    # A third is shown as a percentage with a comma.
    client.post(URL, _data(instansi, ambang_rating=("62.5", "33.33")))
    riwayat = client.get(URL).content.decode()
    assert "sebagian besar: lebih dari 62,5%; sebagian kecil: paling banyak 33,33%" in riwayat


def test_admin_sets_the_range_and_part_month_rules_with_history(masuk, instansi):
    """CONFIG of docs/rules.md §4 (year to date of a range target stored with "sum") and §5 (a month an SKP
    covers only in part): defaults average and the 1st of the month; changed on the page, in its history."""
    assert (instansi.konsolidasi_rentang, instansi.bulan_sebagian_angka_kredit) == (
        "average",
        "tanggal_1",
    )
    client = masuk("admin")
    html = client.get(URL).content.decode()
    assert 'name="konsolidasi_rentang"' in html and 'name="bulan_sebagian_angka_kredit"' in html
    assert "Bawaan: rata-rata capaian periode." in html and "SKP yang mulai 1 Maret" in html
    response = client.post(
        URL, _data(instansi, konsolidasi_rentang="last", bulan_sebagian_angka_kredit="sebagian_besar")
    )
    assert response.status_code == 302
    instansi.refresh_from_db()
    assert (instansi.konsolidasi_rentang, instansi.bulan_sebagian_angka_kredit) == (
        "last",
        "sebagian_besar",
    )
    riwayat = client.get(URL).content.decode()
    riwayat = riwayat[riwayat.index('id="riwayat-pengaturan"') :]
    assert (
        'Capaian s.d. periode untuk target rentang: <span class="text-muted">Rata-rata capaian '
        "periode</span> → <strong>Capaian periode terakhir</strong>"
    ) in riwayat
    assert (
        'Bulan yang hanya sebagian dicakup SKP (angka kredit): <span class="text-muted">Bila tanggal 1-nya '
        "dalam masa SKP</span> → <strong>Bila separuh bulan atau lebih</strong>"
    ) in riwayat
    # "Sum" is not a choice for a range target.
    response = client.post(URL, _data(instansi, konsolidasi_rentang="sum"))
    assert response.status_code == 200
    instansi.refresh_from_db()
    assert instansi.konsolidasi_rentang == "last"
