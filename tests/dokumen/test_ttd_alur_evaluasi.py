"""Signing an evaluation document (docs/rules.md §29.5): the penilai first, then the pegawai acknowledges."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from kinerja.dokumen.evaluasi import selectors as sumber
from kinerja.dokumen.evaluasi import services as services_evaluasi
from kinerja.dokumen.models import PengaturanTtd
from kinerja.dokumen.ttd import pdf, pihak
from kinerja.dokumen.ttd import services as ttd_services
from kinerja.dokumen.ttd.penyedia import Kredensial
from kinerja.penilaian.models import Evaluasi
from kinerja.permissions import allowed
from kinerja.rules.ttd import Peran
from tests import builders as b
from tests.dokumen.test_dokumen_evaluasi import _bangun
from tests.dokumen.test_ttd_alur_skp import DASAR, SANDI, _berkas, akar, ca, daftarkan_sertifikat  # noqa: F401

pytestmark = pytest.mark.django_db

_p, p = b.pemeran_modul(_bangun, "p")


def test_pegawai_acknowledges_only_after_the_penilai_signed(p: Any, ca: Any) -> None:  # noqa: F811
    ev = Evaluasi.objects.get(pegawai=p.ika, periode_penilaian__nomor=1)
    PengaturanTtd.objects.create(instansi_id=ev.instansi_id, penyedia="sertifikat")
    pegawai, penilai = b.segar(p.ika.user), b.segar(p.kabid.user)
    for u in (pegawai, penilai):
        daftarkan_sertifikat(ca, u)
    ev_dok = sumber.evaluasi_untuk_dokumen(ev.pk)
    dok = services_evaluasi.issue_evaluasi(ev_dok, sumber.fill_evaluasi(ev_dok), None)
    assert pihak.penanda_slot(dok) == {Peran.PENILAI: penilai, Peran.PEGAWAI: pegawai}
    assert not allowed(pegawai, "dokumen.sign_dokumen", dok)
    # The evaluation page's button: the penilai's now, not the pegawai's yet.
    halaman = reverse("penilaian:evaluasi", args=[ev.pk])
    tombol = reverse("dokumen:ttd_evaluasi", args=[ev.pk])
    assert tombol in b.klien(penilai).get(halaman).content.decode()
    assert tombol not in b.klien(pegawai).get(halaman).content.decode()
    with pytest.raises(PermissionDenied):
        ttd_services.tanda_tangani(dok, pegawai, Kredensial(passphrase=SANDI), DASAR)
    ttd_services.tanda_tangani(dok, penilai, Kredensial(passphrase=SANDI), DASAR)
    dok.refresh_from_db()
    dok.__dict__.pop("_tanda_tangan", None)
    assert allowed(pegawai, "dokumen.sign_dokumen", dok)
    assert tombol in b.klien(pegawai).get(halaman).content.decode()
    ttd_services.tanda_tangani(dok, pegawai, Kredensial(passphrase=SANDI), DASAR)
    dok.refresh_from_db()
    assert dok.status_ttd == "lengkap"
    with dok.berkas.open("rb") as f:
        hasil = pdf.periksa(f.read(), akar(ca))
    assert [h.field for h in hasil.tanda_tangan] == ["ttd-penilai", "ttd-pegawai"] and hasil.semua_sah
