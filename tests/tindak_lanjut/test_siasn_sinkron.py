"""The SIASN sync page and the evaluation page's SIASN mark (docs/rules.md §21.9): counts per status and
unit, filters, who must act, resend (one, every failed, the ones never sent) queued and audited, access
(the pegawai 403, another instansi's admin neither sees nor resends), flat query counts.

Small data (tests/builders.py): one pelaksana with three final periodic evaluations (Triwulan I sent,
II failed with SIASN's text about his data at BKN, III never sent) and one queued; another instansi with
a failed record of its own."""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from django.utils import timezone

from kinerja.penilaian.models import Evaluasi
from kinerja.tindak_lanjut.models import KirimSiasn
from tests import builders as b

pytestmark = pytest.mark.django_db

URL = "/tindak-lanjut/siasn/sinkron/"
PESAN_BKN = "HTTP 400: Data PNS belum diverifikasi BKN; riwayat kinerja tidak dapat disimpan."


@dataclass
class Data:
    tim: b.Tim
    ev: list[Evaluasi]
    kirim: dict[str, KirimSiasn]
    lain: b.Tim
    lain_gagal: KirimSiasn

    def segar(self) -> Data:
        return Data(
            self.tim.segar(),
            [b.segar(e) for e in self.ev],
            {k: b.segar(v) for k, v in self.kirim.items()},
            self.lain.segar(),
            b.segar(self.lain_gagal),
        )


def _rekam(ev: Evaluasi, status: str, **isi: object) -> KirimSiasn:
    return KirimSiasn.objects.create(
        instansi_id=ev.instansi_id, evaluasi=ev, endpoint="kinerjaperiodik/save", status=status, **isi
    )


def _bangun() -> Data:
    tim = b.atasan_dan_bawahan(bawahan={"nama": "Rahmat Hidayat"})
    for peg in (tim.kepala, tim.atasan, tim.bawahan):
        b.skp_disetujui(peg)
    skp = tim.bawahan.skp.get()
    ev = [b.evaluasi_final(skp, tim.pp(n)) for n in (1, 2, 3, 4)]
    kini = timezone.now()
    kirim = {
        "terkirim": _rekam(
            ev[0], "terkirim", siasn_id="RW-1", percobaan=1, terkirim_pada=kini, dicoba_pada=kini
        ),
        "gagal": _rekam(
            ev[1], "gagal", pesan=PESAN_BKN, jenis_gagal="data_bkn", percobaan=1, dicoba_pada=kini
        ),
        "antri": _rekam(
            ev[3],
            "antri",
            pesan="HTTP 503: Service Unavailable",
            jenis_gagal="gangguan",
            percobaan=2,
            berikutnya_pada=kini + timezone.timedelta(minutes=10),
        ),
    }
    lain = b.atasan_dan_bawahan(bawahan={"nama": "Pegawai Instansi Lain"})
    for peg in (lain.kepala, lain.atasan, lain.bawahan):
        b.skp_disetujui(peg)
    ev_lain = b.evaluasi_final(lain.bawahan.skp.get(), lain.pp(1))
    lain_gagal = _rekam(
        ev_lain, "gagal", pesan="HTTP 400: rahasia instansi lain", jenis_gagal="ditolak_siasn"
    )
    return Data(tim, ev, kirim, lain, lain_gagal)


_data, data = b.pemeran_modul(_bangun, "data")


@pytest.fixture
def siasn(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SIASN_GATEWAY_URL", "http://127.0.0.1:9/apisiasn/1.0/")


def test_counts_per_status_and_unit_and_who_must_act(data, siasn) -> None:  # type: ignore[no-untyped-def]
    r = b.klien(data.tim.admin).get(URL)
    assert r.status_code == 200
    ring = r.context["ringkasan"]
    assert ring.jumlah == {"antri": 1, "terkirim": 1, "gagal": 1, "belum": 1}
    assert [(u.nama, u.jumlah, u.total) for u in ring.unit] == [
        ("Bidang Uji", {"antri": 1, "terkirim": 1, "gagal": 1, "belum": 1}, 4)
    ]
    html = r.content.decode()
    assert PESAN_BKN in html and "BKPSDM melalui SIASN" in html  # SIASN's text and who must act
    assert "Tidak ada" in html and "dicoba lagi otomatis" in html  # the queued one: nobody, it retries
    assert "rahasia instansi lain" not in html
    assert "SIASN belum dikonfigurasi" not in html


def test_filters(data, siasn) -> None:  # type: ignore[no-untyped-def]
    c = b.klien(data.tim.admin)
    gagal = c.get(URL, {"status": "gagal"}).context["rows"]
    assert [row.kirim.pk for row in gagal] == [data.kirim["gagal"].pk]
    belum = c.get(URL, {"status": "belum"}).context["rows"]
    assert [(row.evaluasi.pk, row.kirim, row.label_status) for row in belum] == [
        (data.ev[2].pk, None, "Belum dikirim")
    ]
    assert len(c.get(URL, {"q": "rahmat"}).context["rows"]) == 3
    assert c.get(URL, {"q": data.tim.bawahan.nip[:8]}).context["halaman"].paginator.count == 3
    assert c.get(URL, {"q": "tidak ada"}).context["rows"] == []
    assert c.get(URL, {"jenis": "tahunan"}).context["rows"] == []
    unit_lain = b.UnitKerjaFactory(instansi=data.tim.instansi, parent=data.tim.unit, nama="Bidang Kosong")
    r = c.get(URL, {"unit": unit_lain.pk})
    assert r.context["rows"] == [] and r.context["ringkasan"].jumlah["belum"] == 0
    html = r.content.decode()  # nothing failed or unsent in this selection: the bulk buttons say so
    assert 'disabled title="Tidak ada pengiriman yang gagal"' in html
    assert 'disabled title="Semua evaluasi final sudah pernah dikirim"' in html
    assert "disabled title" not in c.get(URL).content.decode()
    assert len(c.get(URL, {"unit": data.tim.bidang.pk, "tahun": data.tim.periode.tahun}).context["rows"]) == 3
    # Unknown or foreign values are ignored, not errors.
    r = c.get(URL, {"status": "x", "unit": data.lain.bidang.pk, "tahun": "1999"})
    assert r.status_code == 200 and len(r.context["rows"]) == 3


def test_not_configured_says_how_and_queues_nothing(data, antrean, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.delenv("SIASN_GATEWAY_URL", raising=False)
    c = b.klien(data.tim.admin)
    html = c.get(URL).content.decode()
    assert "SIASN belum dikonfigurasi untuk instansi ini" in html and "SIASN_GATEWAY_CLIENT_ID" in html
    assert "db_worker" in html
    r = c.post(f"{URL}{data.kirim['gagal'].pk}/kirim-ulang/", follow=True)
    assert "SIASN belum dikonfigurasi" in r.content.decode()
    assert b.segar(data.kirim["gagal"]).status == "gagal" and antrean.results == []


def test_resend_one_queues_it_and_records_who_asked(
    data, siasn, antrean, django_capture_on_commit_callbacks
) -> None:  # type: ignore[no-untyped-def]
    gagal = data.kirim["gagal"]
    with django_capture_on_commit_callbacks(execute=True):
        r = b.klien(data.tim.admin).post(f"{URL}{gagal.pk}/kirim-ulang/", {"kembali": f"{URL}?status=gagal"})
    assert r.status_code == 302 and r["Location"] == f"{URL}?status=gagal"
    gagal.refresh_from_db()
    assert (gagal.status, gagal.diminta_oleh, gagal.percobaan, gagal.jenis_gagal) == (
        "antri",
        data.tim.admin,
        0,
        "",
    )
    assert gagal.diminta_pada is not None
    assert [t.args for t in antrean.results] == [[gagal.pk, gagal.tiket]]
    assert KirimSiasn.history.filter(id=gagal.pk, history_user=data.tim.admin, status="antri").exists()


def test_resend_every_failed_and_send_the_ones_never_sent(
    data, siasn, antrean, django_capture_on_commit_callbacks
) -> None:  # type: ignore[no-untyped-def]
    """Each bulk button starts one background job (a double press: the same job) that queues the sends
    with its progress; the page shows it and what it did."""
    from kinerja.pekerjaan.models import Pekerjaan
    from kinerja.pekerjaan.services import jalankan

    c = b.klien(data.tim.admin)

    def tekan(url: str, **post: str) -> Pekerjaan:
        for _ in range(2):
            with django_capture_on_commit_callbacks(execute=True):
                r = c.post(url, post, follow=True)
        assert "berjalan di latar belakang" in r.content.decode() or "masih berjalan" in r.content.decode()
        p = Pekerjaan.objects.filter(jenis="siasn_massal").latest("pk")
        assert p.status == "antre" and Pekerjaan.objects.filter(kunci=p.kunci).count() == 1
        with django_capture_on_commit_callbacks(execute=True):
            jalankan(p.pk)
        p.refresh_from_db()
        assert p.status == "selesai" and p.selesai == p.jumlah
        return p

    p = tekan(f"{URL}kirim-ulang-gagal/")
    assert p.ringkasan.startswith("1 pengiriman yang gagal dimasukkan kembali")
    assert p.ringkasan in c.get(URL).content.decode()
    assert b.segar(data.kirim["gagal"]).status == "antri"
    assert b.segar(data.lain_gagal).status == "gagal"  # another instansi's record untouched
    p = tekan(f"{URL}kirim-belum/", tahun=str(data.tim.periode.tahun))
    assert p.ringkasan.startswith("1 evaluasi final yang belum dikirim") and p.jumlah == 1
    baru = KirimSiasn.objects.get(evaluasi=data.ev[2])
    assert baru.status == "antri" and baru.diminta_oleh == data.tim.admin
    # two jobs and the two sends they queued
    jobs = [t for t in antrean.results if t.task.name == "jalankan_pekerjaan"]
    assert len(jobs) == 2 and len(antrean.results) == 4
    p = tekan(f"{URL}kirim-belum/")
    assert p.ringkasan == "Semua evaluasi final sudah pernah dikirim atau sedang dalam antrean."


@pytest.mark.parametrize("peran", ["pegawai", "penilai", "admin_lain"])
def test_access(data, siasn, antrean, peran) -> None:  # type: ignore[no-untyped-def]
    user = {
        "pegawai": data.tim.bawahan.user,
        "penilai": data.tim.atasan.user,
        "admin_lain": data.lain.admin,
    }[peran]
    c = b.klien(user)
    gagal = data.kirim["gagal"]
    if peran == "admin_lain":
        r = c.get(URL)
        assert r.status_code == 200 and PESAN_BKN not in r.content.decode()
        assert r.context["ringkasan"].jumlah["gagal"] == 1  # their own
        assert c.post(f"{URL}{gagal.pk}/kirim-ulang/").status_code == 404
    else:
        assert c.get(URL).status_code == 403
        assert c.post(f"{URL}{gagal.pk}/kirim-ulang/").status_code == 403
        assert c.post(f"{URL}kirim-ulang-gagal/").status_code == 403
        assert c.post(f"{URL}kirim-belum/").status_code == 403
    assert b.segar(gagal).status == "gagal" and antrean.results == []


def test_resend_service_checks_the_permission(data, siasn) -> None:  # type: ignore[no-untyped-def]
    from django.core.exceptions import PermissionDenied

    from kinerja.tindak_lanjut.siasn.kirim import services

    with pytest.raises(PermissionDenied):
        services.resend(data.kirim["gagal"], data.lain.admin)
    with pytest.raises(PermissionDenied):
        services.resend_gagal(data.tim.instansi, data.tim.bawahan.user)


@pytest.mark.parametrize("status", ["", "gagal", "belum"])
def test_queries_are_flat(data, siasn, django_assert_max_num_queries, status) -> None:  # type: ignore[no-untyped-def]
    c = b.klien(data.tim.admin)
    with django_assert_max_num_queries(12):
        r = c.get(URL, {"status": status} if status else {})
    assert r.status_code == 200


def test_the_evaluation_page_shows_the_mark(data) -> None:  # type: ignore[no-untyped-def]
    pegawai = b.klien(data.tim.bawahan.user)
    admin = b.klien(data.tim.admin)
    halaman = "/penilaian/evaluasi/{}/"
    html = pegawai.get(halaman.format(data.ev[0].pk)).content.decode()
    assert "Terkirim ke SIASN pada" in html and "Sinkronisasi SIASN</a>" not in html
    html = pegawai.get(halaman.format(data.ev[1].pk)).content.decode()
    assert "SIASN" not in html.split('id="status-siasn"')[0][-10:] and 'id="status-siasn"' not in html
    html = admin.get(halaman.format(data.ev[1].pk)).content.decode()
    assert "Gagal dikirim ke SIASN" in html and PESAN_BKN in html and "status=gagal" in html
    html = admin.get(halaman.format(data.ev[3].pk)).content.decode()
    assert "Dalam antrean SIASN" in html and "percobaan berikutnya" in html
    assert 'id="status-siasn"' not in admin.get(halaman.format(data.ev[2].pk)).content.decode()
    html = b.klien(data.tim.atasan.user).get(halaman.format(data.ev[0].pk)).content.decode()
    assert "Terkirim ke SIASN pada" in html  # the penilai too


def test_a_failed_update_is_not_shown_as_sent(data) -> None:  # type: ignore[no-untyped-def]
    # §21.9: a result sent before and changed since (reopened, keberatan) whose update failed: the
    # pegawai and the penilai read that the update is not in SIASN yet, without SIASN's text.
    KirimSiasn.objects.filter(pk=data.kirim["gagal"].pk).update(
        siasn_id="RW-2", terkirim_pada=timezone.now() - timezone.timedelta(days=30)
    )
    halaman = f"/penilaian/evaluasi/{data.ev[1].pk}/"
    for user in (data.tim.bawahan.user, data.tim.atasan.user):
        html = b.klien(user).get(halaman).content.decode()
        assert "Terkirim ke SIASN pada" in html and "pembaruannya belum terkirim ke SIASN" in html
        assert PESAN_BKN not in html and "Sinkronisasi SIASN</a>" not in html
        assert "{#" not in html and "templatetag" not in html
    html = b.klien(data.tim.admin).get(halaman).content.decode()
    assert "pembaruannya gagal dikirim ke SIASN" in html


def test_a_queued_send_nobody_took_names_the_worker(data, siasn) -> None:  # type: ignore[no-untyped-def]
    # §21.9: a queued record whose time passed long ago was taken by no worker: the server's keeper acts.
    admin = b.klien(data.tim.admin)
    html = admin.get(URL, {"status": "antri"}).content.decode()
    assert "dicoba lagi otomatis" in html and "db_worker) berjalan" not in html  # due in 10 minutes
    lama = timezone.now() - timezone.timedelta(hours=2)
    KirimSiasn.objects.filter(pk=data.kirim["antri"].pk).update(berikutnya_pada=lama)
    html = admin.get(URL, {"status": "antri"}).content.decode()
    assert "Pengelola server" in html and "db_worker) berjalan" in html


def test_the_export_page_links_to_the_sync_page(data) -> None:  # type: ignore[no-untyped-def]
    assert URL in b.klien(data.tim.admin).get("/tindak-lanjut/siasn/").content.decode()
