"""Signing the keberatan decision (docs/rules.md §29.7): its one slot (ATASAN) is the pemutus's, only the
pemutus may sign it, the signature validates in the stored file and the download serves that file."""

from __future__ import annotations

import pytest
from django.urls import reverse

from kinerja.dokumen.keputusan import selectors, services
from kinerja.dokumen.models import Dokumen, PengaturanTtd
from kinerja.dokumen.ttd import pdf, pihak
from kinerja.dokumen.ttd import services as ttd_services
from kinerja.dokumen.ttd.penyedia import Kredensial
from kinerja.permissions import allowed
from kinerja.rules.ttd import Peran
from kinerja.tindak_lanjut.keberatan import services as keberatan
from kinerja.tindak_lanjut.models import Keberatan
from tests import builders as b
from tests.dokumen.test_ttd_alur_skp import (  # noqa: F401  (fixtures)
    DASAR,
    SANDI,
    _berkas,
    akar,
    ca,
    daftarkan_sertifikat,
)
from tests.tindak_lanjut.conftest import _bangun
from tests.tindak_lanjut.keberatan_data import ajukan, evaluasi_final, user_of

pytestmark = pytest.mark.django_db

_pemeran, p = b.pemeran_modul(_bangun, "p")

PERAN = ("kepala", "fungsional", "kabid", "pelaksana", "kbmp", "admin", "admin_lain")


@pytest.fixture
def dok(p, ca) -> Dokumen:  # type: ignore[no-untyped-def]  # noqa: F811
    """Ika's keberatan refused by the kepala, its decision issued; the instansi signs by certificate."""
    k = ajukan(evaluasi_final(p.ika.nip, hasil="dibawah"))
    k = keberatan.jelaskan(k, user_of(p.kabid.nip), "RHK utama di bawah target.")
    k = keberatan.putuskan(k, user_of(p.kepala.nip), "ditolak", "Target tidak tercapai.")
    k = selectors.keberatan_untuk_dokumen(k.pk)
    PengaturanTtd.objects.create(instansi_id=k.instansi_id, penyedia="sertifikat", lokasi="Kota Uji")
    daftarkan_sertifikat(ca, user_of(p.kepala.nip))
    return services.issue_keputusan(k, selectors.fill_keputusan(k), None)


def test_the_slot_is_the_pemutus(dok, p):
    kepala = user_of(p.kepala.nip)
    assert pihak.penanda_slot(dok) == {Peran.ATASAN: kepala}
    assert pihak.peran_pengguna(kepala, dok) == Peran.ATASAN


@pytest.mark.parametrize(
    ("who", "boleh"),
    [
        ("kepala", True),  # the pemutus
        ("fungsional", False),  # the pegawai
        ("kabid", False),  # the penilai
        ("pelaksana", False),  # another pegawai
        ("admin", False),
        ("admin_lain", False),
    ],
)
def test_only_the_pemutus_may_sign(dok, p, who, boleh):
    assert allowed(p.siapa(who), "dokumen.sign_dokumen", dok) is boleh


def test_the_pemutus_signs_and_the_download_serves_the_signed_file(dok, p, ca):  # noqa: F811
    kepala = user_of(p.kepala.nip)
    t = ttd_services.tanda_tangani(dok, kepala, Kredensial(passphrase=SANDI), DASAR)
    dok.refresh_from_db()
    assert t.peran == "atasan" and t.nip == p.kepala.nip and dok.status_ttd == "lengkap"
    assert not allowed(kepala, "dokumen.sign_dokumen", dok)  # signed already
    with dok.berkas.open("rb") as f:
        isi = f.read()
    hasil = pdf.periksa(isi, akar(ca))
    assert [h.field for h in hasil.tanda_tangan] == ["ttd-atasan"] and hasil.semua_sah
    assert hasil.tanda_tangan[0].alasan == "Memutus keberatan atas predikat kinerja"
    r = b.klien(p.siapa("fungsional")).get(reverse("dokumen:keputusan_keberatan_pdf", args=[dok.objek_id]))
    assert r.status_code == 200 and r.content == isi


# --- the button on the keberatan page and its entry route ------------------------------------------------


def _keberatan(dok: Dokumen) -> Keberatan:
    return Keberatan.objects.select_related("evaluasi").get(pk=dok.objek_id)


@pytest.mark.parametrize("terbit", [True, False])
def test_sign_keputusan_permission_is_the_pemutus_s_before_and_after_issue(dok, p, terbit):
    k = _keberatan(dok)
    if not terbit:  # nobody downloaded it yet: the entry route issues it
        Dokumen.objects.filter(pk=dok.pk).delete()
    boleh = {w: allowed(p.siapa(w), "dokumen.sign_keputusan_keberatan", k) for w in PERAN}
    assert boleh == {w: w == "kepala" for w in PERAN}
    if terbit:  # the same answer as dokumen.sign_dokumen on the issued document
        assert boleh == {w: allowed(p.siapa(w), "dokumen.sign_dokumen", dok) for w in PERAN}


def test_sign_keputusan_permission_ends_with_the_signature_and_without_signing(dok, p):
    k, kepala = _keberatan(dok), user_of(p.kepala.nip)
    atur = PengaturanTtd.objects.get(instansi_id=k.instansi_id)
    atur.penyedia = "nonaktif"
    atur.save()  # as the settings page does: the cached "signing enabled" follows
    assert not allowed(kepala, "dokumen.sign_keputusan_keberatan", k)
    atur.penyedia = "sertifikat"
    atur.save()
    assert allowed(kepala, "dokumen.sign_keputusan_keberatan", k)
    ttd_services.tanda_tangani(dok, kepala, Kredensial(passphrase=SANDI), DASAR)
    assert not allowed(kepala, "dokumen.sign_keputusan_keberatan", k)


def test_the_button_only_for_the_pemutus(dok, p, django_assert_max_num_queries):
    url = reverse("tindak_lanjut:keberatan_detail", args=[dok.objek_id])
    c = b.klien(p.siapa("kepala"))
    with django_assert_max_num_queries(12):
        halaman = c.get(url).content.decode()
    assert "Tanda tangani keputusan" in halaman
    assert reverse("dokumen:ttd_keputusan_keberatan", args=[dok.objek_id]) in halaman
    for w in ("fungsional", "kabid", "admin"):
        halaman = b.klien(p.siapa(w)).get(url).content.decode()
        assert "Unduh keputusan (PDF)" in halaman and "Tanda tangani keputusan" not in halaman


def test_entry_route_refuses_strangers_and_an_undecided_keberatan(dok, p):
    url = reverse("dokumen:ttd_keputusan_keberatan", args=[dok.objek_id])
    assert b.klien(p.siapa("pelaksana")).get(url).status_code == 403
    assert b.klien(p.siapa("admin_lain")).get(url).status_code == 403
    k = ajukan(evaluasi_final(p.pelaksana.nip))
    assert (
        b.klien(p.siapa("pelaksana")).get(reverse("dokumen:ttd_keputusan_keberatan", args=[k.pk])).status_code
        == 404
    )


def test_entry_route_issues_the_decision_and_opens_its_signing_page(dok, p):
    Dokumen.objects.filter(pk=dok.pk).delete()  # not issued yet
    c = b.klien(p.siapa("kepala"))
    r = c.get(reverse("dokumen:ttd_keputusan_keberatan", args=[dok.objek_id]))
    baru = Dokumen.objects.get(jenis=Dokumen.Jenis.KEPUTUSAN_KEBERATAN, objek_id=dok.objek_id)
    assert r.status_code == 302 and r.url == reverse("dokumen:ttd", args=[baru.token])
    assert c.get(r.url).status_code == 200
