"""Keberatan pages (docs/rules.md §18): the button on the evaluation page (only while the window is open),
filing with attachments, the detail page per role (explain, decide with the kuadran preview, withdraw, route),
who may see what, the lists per role with flat query counts, and the instansi settings.

Cast: the keberatan cast of tests/tindak_lanjut/conftest.py (`p`: kepala → kabid → Ika, Rahmat and five
more; the head of another bidang; the admin)."""

from __future__ import annotations

import datetime
import re

import pytest
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from kinerja.organisasi.models import Instansi, Pegawai
from kinerja.penilaian.models import Evaluasi
from kinerja.tindak_lanjut.keberatan import services
from kinerja.tindak_lanjut.models import Keberatan
from tests import builders as b
from tests.tindak_lanjut.keberatan_data import (
    PDF,
    ajukan,
    evaluasi_final,
    pdf,
    user_of,
)

pytestmark = pytest.mark.django_db


def _as(nip: str) -> Client:
    return b.klien(user_of(nip))


def _url(name: str, *args: object) -> str:
    from django.urls import reverse

    return reverse(f"tindak_lanjut:{name}", args=args)


# --- the evaluation page ----------------------------------------------------------------------------------


def test_button_on_the_evaluation_page_only_for_the_pegawai_while_open(p):
    ev = evaluasi_final(p.ika.nip)
    halaman = f"/penilaian/evaluasi/{ev.pk}/"
    html = _as(p.ika.nip).get(halaman).content.decode()
    assert "Ajukan keberatan" in html and _url("keberatan_ajukan", ev.pk) in html
    batas = timezone.localdate() + datetime.timedelta(days=14)
    assert f"sampai <strong>{batas.day} " in html
    assert "Ajukan keberatan" not in _as(p.kabid.nip).get(halaman).content.decode()
    # After the window the button is gone and the form says why.
    Evaluasi.objects.filter(pk=ev.pk).update(final_pada=timezone.now() - datetime.timedelta(days=15))
    assert "Ajukan keberatan" not in _as(p.ika.nip).get(halaman).content.decode()
    r = _as(p.ika.nip).get(_url("keberatan_ajukan", ev.pk))
    assert r.status_code == 200 and "Batas pengajuan keberatan" in r.content.decode()
    r = _as(p.ika.nip).post(_url("keberatan_ajukan", ev.pk), {"alasan": "Terlambat."})
    assert r.status_code == 400 and "Batas pengajuan keberatan" in r.content.decode()
    assert not Keberatan.objects.exists()


def test_filing_through_the_page_with_attachments(p):
    ev = evaluasi_final(p.ika.nip)
    c = _as(p.ika.nip)
    r = c.post(_url("keberatan_ajukan", ev.pk), {"alasan": ""})
    assert r.status_code == 400 and "Isi alasan keberatan." in r.content.decode()
    assert _as(p.pelaksana.nip).get(_url("keberatan_ajukan", ev.pk)).status_code == 403
    berkas = [SimpleUploadedFile("a.pdf", PDF, "application/pdf"), SimpleUploadedFile("b.pdf", PDF)]
    r = c.post(_url("keberatan_ajukan", ev.pk), {"alasan": "RHK 2 tercapai 120%.", "lampiran": berkas})
    k = Keberatan.objects.get()
    assert r.status_code == 302 and r.url == _url("keberatan_detail", k.pk)
    assert sorted(lamp.nama_asli for lamp in k.lampiran.all()) == ["a.pdf", "b.pdf"]
    html = c.get(r.url).content.decode()
    assert "RHK 2 tercapai 120%." in html and "a.pdf" in html and "Tarik keberatan" in html
    # The evaluation page lists it.
    assert "Diajukan" in c.get(f"/penilaian/evaluasi/{ev.pk}/").content.decode()


# --- who sees what ----------------------------------------------------------------------------------------


@pytest.fixture
def keberatan(p) -> Keberatan:
    return ajukan(evaluasi_final(p.ika.nip), lampiran=[pdf()])


@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("fungsional", 200),  # the pegawai
        ("pelaksana", 403),  # another pegawai
        ("kabid", 200),  # the penilai
        ("kepala", 200),  # the atasan penilai (pemutus)
        ("kbmp", 403),  # another unit's penilai
        ("admin", 200),
        ("admin_lain", 403),  # the admin of another instansi
    ],
)
def test_permission_matrix_detail_and_attachment(keberatan, who, status, p):
    c = b.klien(p.siapa(who))
    assert c.get(_url("keberatan_detail", keberatan.pk)).status_code == status
    lamp = keberatan.lampiran.get()
    r = c.get(_url("keberatan_lampiran", lamp.pk))
    assert r.status_code == status
    if status == 200:
        assert b"".join(r.streaming_content) == PDF and r["X-Content-Type-Options"] == "nosniff"


@pytest.mark.parametrize(
    ("who", "aksi", "data"),
    [
        ("pelaksana", "keberatan_tarik", {}),
        ("kabid", "keberatan_tarik", {}),
        ("fungsional", "keberatan_jelaskan", {"penjelasan": "x"}),
        ("kepala", "keberatan_jelaskan", {"penjelasan": "x"}),
        ("kbmp", "keberatan_jelaskan", {"penjelasan": "x"}),
        ("kabid", "keberatan_putuskan", {"keputusan": "ditolak", "pertimbangan": "x"}),
        ("fungsional", "keberatan_putuskan", {"keputusan": "ditolak", "pertimbangan": "x"}),
        ("kabid", "keberatan_alihkan", {"pemutus": "", "alasan": "x"}),
        ("admin_lain", "keberatan_alihkan", {"pemutus": "", "alasan": "x"}),
    ],
)
def test_actions_refused_for_the_wrong_role(keberatan, who, aksi, data, p):
    c = b.klien(p.siapa(who))
    assert c.post(_url(aksi, keberatan.pk), data).status_code == 403
    k = Keberatan.objects.get(pk=keberatan.pk)
    assert (k.status, k.versi) == ("diajukan", 1)


def test_penilai_explains_atasan_grants_with_preview_pegawai_sees_the_revision(keberatan, p):
    kabid, kepala, ika = _as(p.kabid.nip), _as(p.kepala.nip), _as(p.ika.nip)
    detail = _url("keberatan_detail", keberatan.pk)
    html = kepala.get(detail).content.decode()
    assert "setelah pejabat penilai memberi penjelasan" in html and "Simpan keputusan" not in html
    html = kabid.get(detail).content.decode()
    assert "Kirim penjelasan" in html and "Tarik keberatan" not in html
    r = kabid.post(_url("keberatan_jelaskan", keberatan.pk), {"penjelasan": ""})
    assert r.status_code == 400 and "Isi penjelasan pejabat penilai." in r.content.decode()
    r = kabid.post(_url("keberatan_jelaskan", keberatan.pk), {"penjelasan": "Dua RHK di bawah target."})
    assert r.status_code == 302
    html = kepala.get(detail).content.decode()
    assert "Simpan keputusan" in html and "Dua RHK di bawah target." in html
    assert "Predikat menurut kuadran: <strong>Baik</strong>" in html
    r = kepala.get(
        _url("keberatan_pratinjau", keberatan.pk), {"rating_hasil": "diatas", "rating_perilaku": "diatas"}
    )
    assert "<strong>Sangat Baik</strong>" in r.content.decode()
    assert ika.get(_url("keberatan_pratinjau", keberatan.pk)).status_code == 403
    r = kepala.post(
        _url("keberatan_putuskan", keberatan.pk),
        {
            "keputusan": "dikabulkan",
            "rating_hasil": "diatas",
            "rating_perilaku": "diatas",
            "pertimbangan": "",
            "konfirmasi": "1",
        },
    )
    assert r.status_code == 400 and "Isi pertimbangan keputusan." in r.content.decode()
    r = kepala.post(
        _url("keberatan_putuskan", keberatan.pk),
        {
            "keputusan": "dikabulkan",
            "rating_hasil": "diatas",
            "rating_perilaku": "diatas",
            "pertimbangan": "OK.",
            "konfirmasi": "1",
        },
    )
    assert r.status_code == 302
    html = ika.get(detail).content.decode()
    assert "Dikabulkan" in html and "Unduh dokumen revisi 2" in html and "Tarik keberatan" not in html
    ev = keberatan.evaluasi
    r = ika.get(_dokumen_url(ev.pk))
    assert r.status_code == 200 and r.content[:4] == b"%PDF"


def _dokumen_url(pk: int) -> str:
    from django.urls import reverse

    return reverse("dokumen:evaluasi_pdf", args=[pk])


def test_rejecting_through_the_page_and_withdrawing(p):
    k = ajukan(evaluasi_final(p.ika.nip))
    services.jelaskan(k, user_of(p.kabid.nip), "Sesuai.")
    r = _as(p.kepala.nip).post(
        _url("keberatan_putuskan", k.pk),
        {"keputusan": "ditolak", "pertimbangan": "Tidak beralasan.", "konfirmasi": "1"},
    )
    assert r.status_code == 302 and Keberatan.objects.get(pk=k.pk).status == "ditolak"


def test_the_decision_is_confirmed_first_without_javascript(p):
    k = ajukan(evaluasi_final(p.ika.nip))
    services.jelaskan(k, user_of(p.kabid.nip), "Sesuai.")
    kepala = _as(p.kepala.nip)
    html = kepala.get(_url("keberatan_detail", k.pk)).content.decode()
    assert 'name="konfirmasi"' in html and "keputusan atas keberatan bersifat final" in html
    r = kepala.post(_url("keberatan_putuskan", k.pk), {"keputusan": "ditolak", "pertimbangan": "Tidak."})
    html = r.content.decode()
    assert r.status_code == 400 and "Centang pernyataan bahwa keputusan keberatan bersifat final" in html
    assert "Tidak.</textarea>" in html
    assert re.search(r'<input type="radio" name="keputusan" value="ditolak"[^>]* checked', html)
    # Neither chosen nor confirmed: both are said at once.
    html = kepala.post(_url("keberatan_putuskan", k.pk), {"pertimbangan": "Tidak."}).content.decode()
    assert "Pilih keputusan" in html and "Centang pernyataan" in html
    k.refresh_from_db()
    assert (k.status, k.versi) == ("dijelaskan", 2)


def test_decision_page_shows_no_template_comment_and_a_choice_clears_its_error(p):
    k = ajukan(evaluasi_final(p.ika.nip))
    services.jelaskan(k, user_of(p.kabid.nip), "Sesuai.")
    kepala = _as(p.kepala.nip)
    html = kepala.post(_url("keberatan_putuskan", k.pk), {"pertimbangan": "x"}).content.decode()
    assert "Live predikat" not in html and "{#" not in html
    assert '<div id="galat-keputusan"><ul class="errorlist' in html
    pratinjau = _url("keberatan_pratinjau", k.pk)
    r = kepala.get(pratinjau, {"rating_hasil": "diatas"}).content.decode()
    assert "Live predikat" not in r and "{#" not in r and "galat-keputusan" not in r
    assert r.strip().startswith('<div id="pratinjau-predikat"')  # one element: a refresh never doubles
    r = kepala.get(pratinjau, {"keputusan": "ditolak"}).content.decode()
    assert '<div id="galat-keputusan" hx-swap-oob="true"></div>' in r
    k2 = ajukan(evaluasi_final(p.pelaksana.nip))
    r = _as(p.pelaksana.nip).post(_url("keberatan_tarik", k2.pk), {"alasan": ""})
    assert r.status_code == 302 and Keberatan.objects.get(pk=k2.pk).status == "ditarik"


def test_admin_routes_from_the_board_and_from_the_detail(p):
    k = ajukan(evaluasi_final(p.kepala.nip))
    c = b.klien(p.admin)
    html = c.get(_url("keberatan_instansi")).content.decode()
    assert "Tetapkan pemutus" in html and f'id="pemutus-{k.pk}"' in html
    kbmp = Pegawai.objects.get(nip=p.kbmp.nip)
    r = c.post(_url("keberatan_alihkan", k.pk), {"dari": "papan", "pemutus": kbmp.pk, "alasan": ""})
    assert r.status_code == 302 and Keberatan.objects.get(pk=k.pk).pemutus_id is None
    r = c.post(
        _url("keberatan_alihkan", k.pk), {"dari": "papan", "pemutus": kbmp.pk, "alasan": "SK PPK 1/2026"}
    )
    assert r.status_code == 302 and Keberatan.objects.get(pk=k.pk).pemutus_id == kbmp.pk
    kabid = Pegawai.objects.get(nip=p.kabid.nip)
    r = c.post(_url("keberatan_alihkan", k.pk), {"pemutus": kabid.pk, "alasan": "Pejabat baru."})
    assert r.status_code == 302 and Keberatan.objects.get(pk=k.pk).pemutus_id == kabid.pk
    assert "Pejabat baru." in _as(p.kabid.nip).get(_url("keberatan_detail", k.pk)).content.decode()


def test_admin_board_filters_and_flags_overdue(p):
    k1 = ajukan(evaluasi_final(p.ika.nip))
    k2 = ajukan(evaluasi_final(p.pelaksana.nip))
    services.tarik(k2, user_of(p.pelaksana.nip))
    Keberatan.objects.filter(pk=k1.pk).update(
        batas_penjelasan=timezone.localdate() - datetime.timedelta(days=1)
    )
    c = b.klien(p.admin)
    html = c.get(_url("keberatan_instansi")).content.decode()
    assert "1 keberatan melewati batas waktu" in html and "terlambat" in html
    html = c.get(_url("keberatan_instansi"), {"status": "ditarik"}).content.decode()
    assert k2.pegawai.nama_lengkap in html and k1.pegawai.nama_lengkap not in html
    html = c.get(_url("keberatan_instansi"), {"terlambat": "1"}).content.decode()
    assert k1.pegawai.nama_lengkap in html and k2.pegawai.nama_lengkap not in html
    assert _as(p.kepala.nip).get(_url("keberatan_instansi")).status_code == 403
    html = b.klien(b.admin_instansi(b.InstansiFactory())).get(_url("keberatan_instansi")).content.decode()
    assert k1.pegawai.nama_lengkap not in html
    # The atasan's board flags it too.
    html = _as(p.kepala.nip).get(_url("keberatan"), {"tab": "keputusan"}).content.decode()
    assert k1.pegawai.nama_lengkap in html and "terlambat" in html


def test_lists_per_role(p):
    k = ajukan(evaluasi_final(p.ika.nip))
    assert k.pegawai.nama_lengkap in _as(p.ika.nip).get(_url("keberatan")).content.decode()
    html = _as(p.kabid.nip).get(_url("keberatan"), {"tab": "penjelasan"}).content.decode()
    assert k.pegawai.nama_lengkap in html
    html = _as(p.kepala.nip).get(_url("keberatan"), {"tab": "keputusan"}).content.decode()
    assert k.pegawai.nama_lengkap in html
    for nip, tab in (
        (p.pelaksana.nip, "saya"),
        (p.kbmp.nip, "penjelasan"),
        (p.kbmp.nip, "keputusan"),
        (p.kabid.nip, "keputusan"),
    ):
        assert k.pegawai.nama_lengkap not in _as(nip).get(_url("keberatan"), {"tab": tab}).content.decode()
    services.jelaskan(k, user_of(p.kabid.nip), "x")
    assert (
        k.pegawai.nama_lengkap
        not in _as(p.kabid.nip).get(_url("keberatan"), {"tab": "penjelasan"}).content.decode()
    )
    html = _as(p.kabid.nip).get(_url("keberatan"), {"tab": "penjelasan", "semua": "1"}).content.decode()
    assert k.pegawai.nama_lengkap in html


def _queries(c: Client, url: str, params: dict[str, str]) -> int:
    cache.clear()  # each measure pays the same cold navigation (kinerja/common/cache.py)
    with CaptureQueriesContext(connection) as ctx:
        assert c.get(url, params).status_code == 200
    return len(ctx)


def test_list_pages_query_counts_flat(p):
    ajukan(evaluasi_final(p.bawahan_kabid[0]))
    ajukan(evaluasi_final(p.kepala.nip))
    halaman = [
        (_as(p.kabid.nip), _url("keberatan"), {"tab": "penjelasan"}),
        (_as(p.kepala.nip), _url("keberatan"), {"tab": "keputusan"}),
        (b.klien(p.admin), _url("keberatan_instansi"), {}),
        (b.klien(p.admin), _url("keberatan_instansi"), {"status": "terbuka"}),
    ]
    kecil = [_queries(*h) for h in halaman]
    for nip in p.bawahan_kabid[1:]:
        ajukan(evaluasi_final(nip))
    assert Keberatan.objects.count() == 8
    besar = [_queries(*h) for h in halaman]
    assert besar == kecil


# --- settings ---------------------------------------------------------------------------------------------


def test_settings_page_has_the_keberatan_settings(p):
    from kinerja.organisasi import services as org

    c = b.klien(p.admin)
    html = c.get(_pengaturan()).content.decode()
    assert ">Keberatan dan tindak lanjut</legend>" in html and "Bawaan: 14 hari" in html
    assert _dicentang(html) == {"kurang", "sangat_kurang"}  # the default set, checked
    inst = Instansi.objects.get(pk=p.instansi.pk)
    data = {
        n: getattr(inst, n)
        for n in org.PENGATURAN_INSTANSI
        if not isinstance(getattr(inst, n), dict | list | type(None)) and n not in org.GAMBAR_KOP
    }
    data = {k: v for k, v in data.items() if v is not False}
    data.update(
        {
            f"pemetaan_rating_pimpinan_{i}": v
            for i, v in enumerate(["diatas", "sesuai", "dibawah", "dibawah", "dibawah"])
        }
    )
    data.update(
        keberatan_hari_pengajuan=91,
        keberatan_hari_penjelasan=7,
        keberatan_hari_keputusan=21,
        keberatan_periodik="on",
        predikat_tinjauan_sanksi=["butuh_perbaikan", "kurang", "sangat_kurang"],
    )
    r = c.post(_pengaturan(), data)
    assert r.status_code == 200 and "Batas pengajuan keberatan paling lama 90 hari." in r.content.decode()
    data["keberatan_hari_pengajuan"] = 30
    r = c.post(_pengaturan(), data)
    assert r.status_code == 302, r.content.decode()[:3000]
    inst.refresh_from_db()
    assert (inst.keberatan_hari_pengajuan, inst.keberatan_hari_penjelasan, inst.keberatan_hari_keputusan) == (
        30,
        7,
        21,
    )
    assert inst.keberatan_periodik is True
    assert inst.predikat_tinjauan_sanksi == ["butuh_perbaikan", "kurang", "sangat_kurang"]
    html = c.get(_pengaturan()).content.decode()
    assert "Butuh Perbaikan, Kurang/Misconduct, Sangat Kurang" in html  # the history in words
    # The default set is stored as empty.
    data["predikat_tinjauan_sanksi"] = ["kurang", "sangat_kurang"]
    assert c.post(_pengaturan(), data).status_code == 302
    inst.refresh_from_db()
    assert inst.predikat_tinjauan_sanksi is None


def _dicentang(html: str) -> set[str]:
    import re

    return {
        m.group(1)
        for m in re.finditer(
            r'<input type="checkbox" name="predikat_tinjauan_sanksi" value="(\w+)"[^>]*checked', html
        )
    }


def _pengaturan() -> str:
    from django.urls import reverse

    return reverse("organisasi:pengaturan")
