"""The signing page, its entry routes and the SKP page's button (docs/rules.md §29.5)."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from kinerja.dokumen import selectors, services
from kinerja.dokumen.models import Dokumen, PengaturanTtd, TandaTangan
from tests import builders as b
from tests.dokumen.test_ttd_alur_skp import SANDI, _berkas, ca, daftarkan_sertifikat  # noqa: F401

pytestmark = pytest.mark.django_db


@pytest.fixture
def siap(skp_kecil: Any, user_kecil: Any, ca: Any) -> Dokumen:  # noqa: F811
    skp = skp_kecil("fungsional")
    PengaturanTtd.objects.create(instansi_id=skp.instansi_id, penyedia="sertifikat")
    for peran in ("fungsional", "kabid"):
        daftarkan_sertifikat(ca, user_kecil(peran))
    return services.issue_skp(skp, selectors.fill_skp(skp), None)


def test_entry_route_issues_and_opens_the_signing_page(siap: Dokumen, login_kecil: Any) -> None:
    r = login_kecil("kabid").get(reverse("dokumen:ttd_skp", args=[siap.objek_id]))
    assert r.status_code == 302 and r.url == reverse("dokumen:ttd", args=[siap.token])


def test_signer_signs_through_the_page(
    siap: Dokumen, login_kecil: Any, django_assert_max_num_queries: Any
) -> None:
    klien = login_kecil("kabid")
    url = reverse("dokumen:ttd", args=[siap.token])
    with django_assert_max_num_queries(12):
        r = klien.get(url)
    html = r.content.decode()
    assert r.status_code == 200 and 'id="form-ttd"' in html and 'autocomplete="off"' in html
    assert "Tanda tangani" in html and "Pejabat Penilai Kinerja" in html
    # A wrong passphrase: the message for the signer, nothing echoed, nothing saved.
    r = klien.post(url, {"passphrase": "salah-sekali"})
    html = r.content.decode()
    assert r.status_code == 422 and "Passphrase salah" in html and "salah-sekali" not in html
    assert not TandaTangan.objects.filter(dokumen=siap).exists()
    r = klien.post(url, {"passphrase": SANDI})
    assert r.status_code == 302
    siap.refresh_from_db()
    assert siap.status_ttd == "sebagian" and siap.berkas
    r = klien.get(url)
    html = r.content.decode()
    assert 'id="form-ttd"' not in html and "Ditandatangani" in html


def test_stranger_and_other_instansi_are_refused(siap: Dokumen, login_kecil: Any, admin_lain: Any) -> None:
    url = reverse("dokumen:ttd", args=[siap.token])
    r = login_kecil("pelaksana").post(url, {"passphrase": SANDI})
    assert r.status_code == 403
    assert admin_lain.get(url).status_code == 403
    assert admin_lain.post(url, {"passphrase": SANDI}).status_code == 403
    assert not TandaTangan.objects.filter(dokumen=siap).exists()


def test_skp_page_shows_the_button_to_its_signers_only(
    siap: Dokumen, login_kecil: Any, user_kecil: Any
) -> None:
    url = reverse("skp:detail", args=[siap.objek_id])
    tombol = reverse("dokumen:ttd_skp", args=[siap.objek_id])
    assert tombol in login_kecil("kabid").get(url).content.decode()
    assert tombol in login_kecil("fungsional").get(url).content.decode()
    assert tombol not in login_kecil("kepala").get(url).content.decode()
    assert tombol not in b.klien(user_kecil("admin")).get(url).content.decode()


def test_skp_page_with_the_button_stays_within_the_query_budget(
    siap: Dokumen, login_kecil: Any, django_assert_max_num_queries: Any
) -> None:
    url = reverse("skp:detail", args=[siap.objek_id])
    for peran in ("fungsional", "kabid"):
        klien = login_kecil(peran)
        klien.get(url)  # warm: sessions, the navigation, "signing enabled"
        with django_assert_max_num_queries(12):
            assert reverse("dokumen:ttd_skp", args=[siap.objek_id]) in klien.get(url).content.decode()
