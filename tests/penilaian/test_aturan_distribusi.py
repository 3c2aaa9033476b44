"""The instansi's pola distribusi rules as versioned CONFIG: saving (admin only, audited, immutable
versions), validation messages, the group check and finalisation using them, and the admin page.

Cast (tests/penilaian/conftest.py `Tujuh`, built once for the module): the kepala → the kabid → seven
bawahan with an approved SKP (a fungsional and six pelaksana); the instansi's admin. The query count of
the page stays on the demo instansi.
"""

from __future__ import annotations

import pytest
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from kinerja.organisasi.models import User
from kinerja.penilaian import selectors, services
from kinerja.penilaian.aturan import selectors as selectors_aturan
from kinerja.penilaian.aturan import services as services_aturan
from kinerja.penilaian.kelompok import services as services_kelompok
from kinerja.penilaian.models import AturanDistribusi, FinalisasiKelompok
from kinerja.rules.distribusi import DEFAULT_RULES, rules_to_dict
from kinerja.rules.types import CapaianOrganisasi, Predikat, Rating
from tests import builders as b
from tests.penilaian.conftest import Tujuh, nilai_semua

pytestmark = [pytest.mark.django_db, pytest.mark.data_kecil]

URL = "/penilaian/aturan-distribusi/"
S = Rating.SESUAI


@pytest.fixture
def p(tujuh: Tujuh) -> Tujuh:
    return tujuh


@pytest.fixture
def instansi(p):  # type: ignore[no-untyped-def]
    return p.tim.instansi


def _admin(instansi) -> User:  # type: ignore[no-untyped-def]
    return User.objects.get(admin_instansi=instansi)


def _baik_max(share: str) -> dict:
    data = rules_to_dict(DEFAULT_RULES)
    data["baik"]["constraints"][0]["share"] = share  # "Paling banyak Baik"
    return data


def _form(**ubah: str) -> dict[str, str]:
    """The edit form as the page fills it (the defaults), with ``ubah`` applied."""
    data = {"aksi": "simpan", "alasan": ""}
    for capaian, rule in rules_to_dict(DEFAULT_RULES).items():
        data[f"{capaian}-bulk"] = rule["bulk"] or ""
        for i, c in enumerate(rule["constraints"]):
            if "share" in c:
                data[f"{capaian}-{i}"] = str(int(float(c["share"]) * 100))
    data.update(ubah)
    return data


@pytest.fixture
def kelompok_kabid(p):  # type: ignore[no-untyped-def]
    """The kabid's seven bawahan all Baik for TW I under capaian Baik: "Baik ≤ 70 %" and "harus ada BP
    atau K" are both violated with the defaults."""
    kabid, tw1 = p.kabid.user, p.tim.pp(1)
    bawahan = p.skp_bawahan()
    assert len(bawahan) == 7
    for skp in bawahan:
        services.set_rating(nilai_semua(b.evaluasi_dibuka(skp, tw1), kabid, S, S), kabid)
    services.set_capaian_organisasi(p.tim.bidang, p.tim.periode, tw1, "baik", "", p.kepala.user)
    return p.kabid, p.tim.periode, tw1


def test_defaults_until_the_admin_saves_a_version(instansi):
    assert selectors_aturan.aturan_berlaku(instansi) == (None, DEFAULT_RULES)
    row = services_aturan.save_aturan(instansi, _admin(instansi), _baik_max("1"), "  Uji coba kurva  ")
    assert (row.versi, row.alasan, row.dibuat_oleh) == (1, "Uji coba kurva", _admin(instansi))
    assert row.dibuat_pada is not None
    versi, rules = selectors_aturan.aturan_berlaku(instansi)
    assert versi == 1 and str(rules[CapaianOrganisasi.BAIK].constraints[0].share) == "1"
    assert rules[CapaianOrganisasi.ISTIMEWA] == DEFAULT_RULES[CapaianOrganisasi.ISTIMEWA]
    row2 = services_aturan.reset_bawaan(instansi, _admin(instansi), "Kembali ke pedoman")
    assert row2.versi == 2 and selectors_aturan.aturan_berlaku(instansi) == (2, DEFAULT_RULES)
    # Immutable: a row is never edited nor deleted; version 1 still holds what it held.
    row.alasan = "diubah"
    with pytest.raises(ValidationError, match="tidak dapat diubah"):
        row.save()
    with pytest.raises(ValidationError, match="tidak dapat dihapus"):
        row.delete()
    assert AturanDistribusi.objects.get(pk=row.pk).alasan == "Uji coba kurva"
    assert selectors_aturan.aturan_versi(instansi, 1)[CapaianOrganisasi.BAIK].constraints[0].share == 1
    # Saving the rules in force again changes nothing and is refused.
    with pytest.raises(ValidationError, match="Tidak ada perubahan"):
        services_aturan.reset_bawaan(instansi, _admin(instansi), "lagi")


def test_bad_input_is_refused_naming_the_capaian_and_field(instansi):
    admin = _admin(instansi)
    with pytest.raises(ValidationError) as exc:
        services_aturan.save_aturan(instansi, admin, _baik_max("1.5"), "")
    pesan = exc.value.message_dict
    assert pesan["alasan"] == ["Alasan perubahan aturan pola distribusi wajib diisi."]
    assert "Capaian Baik, ketentuan “Paling banyak Baik”" in pesan["baik-0"][0]
    assert "antara 0 dan 100" in pesan["baik-0"][0]
    data = rules_to_dict(DEFAULT_RULES)
    data["kurang"]["constraints"][0]["share"] = "0.95"  # K ≥ 95 % and BP ≥ 10 % cannot both hold
    data["istimewa"]["bulk"] = "luar_biasa"
    del data["sangat_kurang"]
    with pytest.raises(ValidationError) as exc:
        services_aturan.save_aturan(instansi, admin, data, "alasan")
    pesan = exc.value.message_dict
    assert "Capaian Kurang: ketentuannya tidak dapat dipenuhi bersamaan" in pesan["kurang"][0]
    assert "Capaian Istimewa, predikat “sebagian besar”" in pesan["istimewa-bulk"][0]
    assert pesan["sangat_kurang"] == ["Aturan untuk capaian Sangat Kurang wajib ada."]
    data = rules_to_dict(DEFAULT_RULES)
    data["baik"]["constraints"].append({"kind": "max", "predikat": ["baik", "sangat_baik"], "share": "0.9"})
    data["baik"]["constraints"].append({"kind": "max", "predikat": ["sangat_baik", "kurang"], "share": "0.9"})
    with pytest.raises(ValidationError, match="tumpang tindih sebagian"):
        services_aturan.save_aturan(instansi, admin, data, "alasan")
    assert not AturanDistribusi.objects.exists()


def test_only_the_admin_of_that_instansi_may_save(p, instansi, other_instansi):
    for user in (p.kepala.user, p.kabid.user, User.objects.get(username="admin-lain")):
        with pytest.raises(PermissionDenied):
            services_aturan.save_aturan(instansi, user, _baik_max("1"), "alasan")
    assert not AturanDistribusi.objects.exists()


def test_group_check_and_finalisation_use_the_instansi_version(kelompok_kabid, instansi):
    penilai, periode, tw1 = kelompok_kabid
    kel = selectors.kelompok(penilai, tw1)
    assert kel.versi_aturan is None
    assert {f.kind.value for f in kel.cek.violations} == {"max", "harus_ada"}
    services_aturan.save_aturan(instansi, _admin(instansi), _baik_max("1"), "Baik boleh seluruhnya")
    kel = selectors.kelompok(penilai, tw1)
    assert kel.versi_aturan == 1
    assert {f.kind.value for f in kel.cek.violations} == {"harus_ada"}  # Baik ≤ 100 %: 7 of 7 allowed
    assert [r.maximum for r in kel.cek.ranges if Predikat.BAIK in r.predikat] == [7]
    assert kel.what_if()[CapaianOrganisasi.BAIK].violations == kel.cek.violations
    fin = services_kelompok.finalise_kelompok(penilai, periode, tw1, penilai.user, "Belum ada yang kurang")
    assert fin.versi_aturan == 1 and [p["jenis"] for p in fin.pelanggaran] == ["harus_ada"]
    services_aturan.reset_bawaan(instansi, _admin(instansi), "Kembali ke pedoman")
    assert FinalisasiKelompok.objects.get(pk=fin.pk).versi_aturan == 1
    kel = selectors.kelompok(penilai, tw1)  # a final group keeps the version it was finalised with
    assert (kel.versi_aturan, kel.versi_berlaku) == (1, 2)


def test_group_page_names_the_rule_version(kelompok_kabid, instansi):
    penilai, _, _ = kelompok_kabid
    c = b.klien(penilai.user)
    r = c.get("/penilaian/kelompok/", {"periode": "1", "penilai": str(penilai.pk)})
    html = r.content.decode()
    assert "Aturan pola distribusi bawaan (ketentuan peraturan)" in html and "Baik melebihi batas" in html
    services_aturan.save_aturan(instansi, _admin(instansi), _baik_max("1"), "Baik boleh seluruhnya")
    r = c.get("/penilaian/kelompok/", {"periode": "1", "penilai": str(penilai.pk)})
    html = r.content.decode()
    assert "Aturan pola distribusi versi 1" in html and "Baik melebihi batas" not in html


def test_page_saves_a_version_through_the_form(instansi):
    c = b.klien(_admin(instansi))
    r = c.get(URL)
    html = r.content.decode()
    assert r.status_code == 200 and "ketentuan bawaan" in html and 'name="baik-0" ' in html
    r = c.post(URL, _form(**{"baik-0": "abc"}))
    html = r.content.decode()
    assert r.status_code == 422 and "Capaian Baik, ketentuan “Paling banyak Baik”: isi persentase" in html
    assert not AturanDistribusi.objects.exists()
    r = c.post(URL, _form(**{"baik-0": "85,5", "istimewa-bulk": "baik", "alasan": "Kebijakan baru"}))
    assert r.status_code == 302
    row = AturanDistribusi.objects.get()
    assert (
        row.aturan["baik"]["constraints"][0]["share"] == "0.855" and row.aturan["istimewa"]["bulk"] == "baik"
    )
    assert row.aturan["kurang"] == rules_to_dict(DEFAULT_RULES)["kurang"]
    html = c.get(URL).content.decode()
    assert "versi 1" in html and "Kebijakan baru" in html
    assert "Baik: Paling banyak Baik 70% → 85,5%" in html
    assert "Istimewa: Sebagian besar Sangat Baik → Baik" in html
    r = c.post(URL, {"aksi": "bawaan", "alasan": ""})
    assert (
        r.status_code == 422 and "Alasan perubahan aturan pola distribusi wajib diisi." in r.content.decode()
    )
    assert c.post(URL, {"aksi": "bawaan", "alasan": "Kembali"}).status_code == 302
    assert selectors_aturan.aturan_berlaku(instansi) == (2, DEFAULT_RULES)


def test_page_is_for_the_admin_only(p):
    for role in ("kepala", "kabid", "fungsional", "pelaksana"):
        c = b.klien(getattr(p, role).user)
        assert c.get(URL).status_code == 403
        assert c.post(URL, _form(alasan="x", **{"baik-0": "100"})).status_code == 403
    assert not AturanDistribusi.objects.exists()
    assert Client().get(URL).status_code == 302  # to the login page


def test_other_instansi_admin_edits_only_its_own(instansi, other_instansi):
    c = b.klien(User.objects.get(username="admin-lain"))
    assert c.post(URL, _form(alasan="Dinas lain", **{"baik-0": "100"})).status_code == 302
    assert selectors_aturan.aturan_berlaku(other_instansi)[0] == 1
    assert selectors_aturan.aturan_berlaku(instansi) == (None, DEFAULT_RULES)
    assert "Dinas lain" not in b.klien(_admin(instansi)).get(URL).content.decode()


def test_links_from_settings_and_menu(instansi):
    c = b.klien(_admin(instansi))
    assert URL in c.get("/organisasi/pengaturan/").content.decode()
    assert 'href="/penilaian/aturan-distribusi/">Aturan pola distribusi</a>' in c.get(URL).content.decode()


def test_page_query_count_does_not_grow_with_versions(client_for, demo_instansi):
    c = client_for("admin")
    admin = User.objects.get(username="admin")
    services_aturan.save_aturan(demo_instansi, admin, _baik_max("0.8"), "satu")

    def count() -> int:
        cache.clear()  # each measure pays the same cold navigation (kinerja/common/cache.py)
        with CaptureQueriesContext(connection) as ctx:
            assert c.get(URL).status_code == 200
        return len(ctx.captured_queries)

    sedikit = count()
    for i in range(5):
        services_aturan.save_aturan(demo_instansi, admin, _baik_max(f"0.8{i + 1}"), f"ke-{i + 2}")
    assert count() == sedikit


def test_documents_print_the_version_and_chart_with_its_rules(kelompok_kabid, instansi):
    from kinerja.dokumen.evaluasi.konteks import grafik_kelompok
    from kinerja.dokumen.evaluasi.selectors import fill_penetapan

    penilai, _, tw1 = kelompok_kabid
    data = fill_penetapan(selectors.kelompok(penilai, tw1)).isi.data["capaian_organisasi"]
    assert "versi_aturan" not in data and "aturan" not in data  # the defaults: the content is unchanged
    services_aturan.save_aturan(instansi, _admin(instansi), _baik_max("1"), "Baik boleh seluruhnya")
    data = fill_penetapan(selectors.kelompok(penilai, tw1)).isi.data["capaian_organisasi"]
    assert data["versi_aturan"] == 1 and data["aturan"] == _baik_max("1")
    jumlah = {"baik": 7}
    baik = {k.predikat: k for k in grafik_kelompok("baik", jumlah, "x", aturan=data["aturan"]).kolom}
    assert baik[Predikat.BAIK].maksimum == 7 and not baik[Predikat.BAIK].di_luar
    bawaan = {k.predikat: k for k in grafik_kelompok("baik", jumlah, "y").kolom}
    assert bawaan[Predikat.BAIK].maksimum == 4 and bawaan[Predikat.BAIK].di_luar
