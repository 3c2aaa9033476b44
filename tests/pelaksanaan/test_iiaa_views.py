"""Laporan capaian IIAA: listed only for numeric indikator below target, owner-only edit, read-only for the
penilai chain and admin, 403 for other pegawai, action plan status shown the next periode, a real PDF.

Cast (tests/pelaksanaan/conftest.py `orang`): the kepala (JPT pratama) has numeric indikator; the kabid
(administrator) is rated by the kepala; the pelaksana is no structural official; the fungsional is the
pelaksana's colleague; `other_instansi` brings a foreign admin. One case tells the demo's story.
"""

from __future__ import annotations

import datetime
import subprocess
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from kinerja.organisasi.models import PeriodePenilaian, User
from kinerja.pelaksanaan.iiaa import selectors as selectors_iiaa
from kinerja.pelaksanaan.iiaa import services as services_iiaa
from kinerja.pelaksanaan.models import LaporanIIAA, Realisasi, RencanaTindak
from kinerja.perencanaan.models import Indikator, IndikatorTargetPeriode, Rhk, Skp
from tests import builders as b

pytestmark = pytest.mark.django_db

# Roles of the cast (keys of `orang`).
KEPALA = "kepala"
KABID = "kabid"
PELAKSANA = "pelaksana"
FUNGSIONAL = "fungsional"
DEMO_KEPALA = "197205141998031003"  # the demo's kepala badan (the demo story case)


def client_of(user: User | str) -> Client:
    c = Client()
    c.force_login(user if isinstance(user, User) else User.objects.get(username=user))
    return c


def _target(ind: Indikator, nomor: int) -> Decimal:
    return ind.target_periode.get(nomor=nomor).target_angka  # type: ignore[return-value]


@pytest.fixture
def skp(tim: b.Tim) -> Skp:
    return Skp.objects.get(pegawai=tim.kepala, status="disetujui")


@pytest.fixture
def tw(skp: Skp) -> dict[int, PeriodePenilaian]:
    return {p.nomor: p for p in PeriodePenilaian.objects.filter(periode=skp.periode)}


@pytest.fixture
def indikator(skp: Skp, tw) -> tuple[Indikator, Indikator]:  # type: ignore[no-untyped-def]
    """Two maximize indikator of the kepala: the first 80 % of target in TW I and II, the second on target."""
    numerik = list(
        Indikator.objects.filter(
            rhk__skp=skp, target_angka__isnull=False, target_angka_atas__isnull=True, polaritas="maximize"
        ).order_by("pk")
    )
    kurang, tercapai = numerik[0], numerik[1]
    # Texts of their own, so the page shows which one it lists.
    Indikator.objects.filter(pk=kurang.pk).update(teks="Persentase dokumen terverifikasi")
    Indikator.objects.filter(pk=tercapai.pk).update(teks="Jumlah kegiatan terlaksana")
    kurang.refresh_from_db()
    tercapai.refresh_from_db()
    for nomor in (1, 2):
        Realisasi.objects.create(
            indikator=kurang, periode_penilaian=tw[nomor], nilai_angka=_target(kurang, nomor) * Decimal("0.8")
        )
        Realisasi.objects.create(
            indikator=tercapai, periode_penilaian=tw[nomor], nilai_angka=_target(tercapai, nomor)
        )
    return kurang, tercapai


def _ubah_url(skp: Skp, ind: Indikator, nomor: int) -> str:
    return reverse("pelaksanaan:iiaa_ubah", args=[skp.pk, ind.pk, nomor])


def _data(**extra: str) -> dict[str, str]:
    data = {
        "issues": "Data dari dua bidang terlambat masuk",
        "implication": "Target tahunan berisiko tidak tercapai",
        "accountability": "Kepala Badan dibantu Sekretaris",
        "jumlah_baris": "2",
        "t0-apa": "Menetapkan jadwal pengumpulan data",
        "t0-siapa": "Sekretaris Badan",
        "t0-batas_waktu": "2026-07-20",
        "t1-apa": "Memantau kegiatan lapangan tiap dua minggu",
        "t1-siapa": "Kepala Bidang",
        "t1-batas_waktu": "2026-08-31",
    }
    data.update(extra)
    return data


def test_only_below_target_indikator_are_listed(orang, skp, indikator) -> None:  # type: ignore[no-untyped-def]
    kurang, tercapai = indikator
    html = client_of(orang[KEPALA]).get(reverse("pelaksanaan:iiaa") + "?periode=1").content.decode()
    assert kurang.teks in html
    assert tercapai.teks not in html
    assert "Susun laporan IIAA" in html
    # An indikator on target gets no report, neither by the page nor by the service.
    r = client_of(orang[KEPALA]).get(_ubah_url(skp, tercapai, 1))
    assert r.status_code == 302
    with pytest.raises(ValidationError):
        services_iiaa.save_laporan(
            skp,
            tercapai,
            skp.periode.periode_penilaian.get(nomor=1),
            orang[KEPALA],
            issues="x",
            implication="y",
            accountability="z",
            rencana=[services_iiaa.TindakanInput("a", "b", datetime.date(2026, 7, 1))],
        )


def test_owner_writes_and_changes_the_report(orang, skp, indikator) -> None:  # type: ignore[no-untyped-def]
    kurang, _ = indikator
    c = client_of(orang[KEPALA])
    assert c.get(_ubah_url(skp, kurang, 1)).status_code == 200
    r = c.post(_ubah_url(skp, kurang, 1), _data())
    assert r.status_code == 302, r.content.decode()[:2000]
    laporan = LaporanIIAA.objects.get(indikator=kurang, periode_penilaian__nomor=1)
    assert laporan.issues == "Data dari dua bidang terlambat masuk"
    assert [t.siapa for t in laporan.rencana_tindak.all()] == ["Sekretaris Badan", "Kepala Bidang"]
    page = c.get(reverse("pelaksanaan:iiaa") + "?periode=1").content.decode()
    assert "Data dari dua bidang terlambat masuk" in page and "Ubah laporan" in page
    assert (
        reverse("pelaksanaan:bukti_halaman", args=[kurang.realisasi.get(periode_penilaian__nomor=1).pk])
        in page
    )

    # Edit: keep the first row (its status survives), drop the second, add a third.
    pertama = laporan.rencana_tindak.get(siapa="Sekretaris Badan")
    RencanaTindak.objects.filter(pk=pertama.pk).update(status="berjalan")
    r = c.post(
        _ubah_url(skp, kurang, 1),
        _data(
            **{
                "jumlah_baris": "3",
                "t0-pk": str(pertama.pk),
                "t1-apa": "",
                "t2-apa": "Rapat koordinasi bulanan",
                "t2-siapa": "Kepala Badan",
                "t2-batas_waktu": "2026-09-30",
            }
        ),
    )
    assert r.status_code == 302
    rows = list(laporan.rencana_tindak.order_by("batas_waktu"))
    assert [(t.apa, t.status) for t in rows] == [
        ("Menetapkan jadwal pengumpulan data", "berjalan"),
        ("Rapat koordinasi bulanan", "belum"),
    ]


def test_missing_parts_are_refused_in_place(orang, skp, indikator) -> None:  # type: ignore[no-untyped-def]
    kurang, _ = indikator
    r = client_of(orang[KEPALA]).post(
        _ubah_url(skp, kurang, 1), _data(issues="", **{"t0-apa": "", "t1-apa": ""})
    )
    assert r.status_code == 200
    html = r.content.decode()
    assert "Wajib diisi." in html and "minimal satu rencana tindak" in html
    assert not LaporanIIAA.objects.exists()


def _laporan(skp: Skp, ind: Indikator, nomor: int = 1) -> LaporanIIAA:
    return services_iiaa.save_laporan(
        skp,
        ind,
        skp.periode.periode_penilaian.get(nomor=nomor),
        User.objects.get(pegawai=skp.pegawai_id),
        issues="Masalah data terlambat",
        implication="Dampak ke target tahunan",
        accountability="Kepala Badan",
        rencana=[
            services_iiaa.TindakanInput(
                "Menetapkan jadwal data", "Sekretaris Badan", datetime.date(2026, 4, 20)
            ),
            services_iiaa.TindakanInput("Memantau lapangan", "Kepala Bidang", datetime.date(2026, 5, 20)),
        ],
    )


def test_next_periode_shows_and_updates_previous_action_plans(orang, skp, indikator) -> None:  # type: ignore[no-untyped-def]
    kurang, _ = indikator
    laporan = _laporan(skp, kurang, 1)
    c = client_of(orang[KEPALA])
    html = c.get(reverse("pelaksanaan:iiaa") + "?periode=2").content.decode()
    assert "Status rencana tindak Triwulan I" in html and "Memantau lapangan" in html
    tindak = laporan.rencana_tindak.get(apa="Memantau lapangan")
    r = c.post(
        reverse("pelaksanaan:iiaa_status", args=[tindak.pk]),
        {
            f"s{tindak.pk}-status": "selesai",
            f"s{tindak.pk}-catatan": "Semua kegiatan lapangan terlaksana",
            "periode": "2",
        },
    )
    assert r.status_code == 302
    tindak.refresh_from_db()
    assert (tindak.status, tindak.catatan_status) == ("selesai", "Semua kegiatan lapangan terlaksana")
    # The admin reads the status the next periode (read-only: no status form).
    html = (
        client_of(orang["admin"])
        .get(reverse("pelaksanaan:iiaa_skp", args=[skp.pk]) + "?periode=2")
        .content.decode()
    )
    assert "Semua kegiatan lapangan terlaksana" in html and "Selesai" in html
    assert reverse("pelaksanaan:iiaa_status", args=[tindak.pk]) not in html
    # Nobody but the owner updates it.
    with pytest.raises(PermissionDenied):
        services_iiaa.update_status(tindak, orang["admin"], "batal")


@pytest.fixture
def kabid_skp(tim: b.Tim, tw) -> tuple[Skp, Indikator]:  # type: ignore[no-untyped-def]
    """The kabid's SKP (administrator; penilai: the kepala) with one indikator made numeric, below target."""
    skp = Skp.objects.get(pegawai=tim.atasan, status="disetujui")
    ind = Indikator.objects.filter(rhk__skp=skp).order_by("pk").first()
    assert ind is not None
    Indikator.objects.filter(pk=ind.pk).update(target_angka=100, satuan="%")
    for nomor in (1, 2, 3, 4):
        IndikatorTargetPeriode.objects.update_or_create(
            indikator=ind, nomor=nomor, defaults={"target_angka": 100, "target_teks": ""}
        )
    Realisasi.objects.create(indikator=ind, periode_penilaian=tw[1], nilai_angka=60)
    ind.refresh_from_db()
    return skp, ind


def test_penilai_reads_and_cannot_edit(orang, kabid_skp) -> None:  # type: ignore[no-untyped-def]
    skp, ind = kabid_skp
    assert skp.penilai.user == orang[KEPALA]
    kabid = orang[KABID]
    services_iiaa.save_laporan(
        skp,
        ind,
        skp.periode.periode_penilaian.get(nomor=1),
        kabid,
        issues="Aplikasi belum siap",
        implication="Target bergeser",
        accountability="Kepala Bidang",
        rencana=[services_iiaa.TindakanInput("Uji coba aplikasi", "Kasubbid", datetime.date(2026, 5, 1))],
    )
    penilai = client_of(orang[KEPALA])
    url = reverse("pelaksanaan:iiaa_skp", args=[skp.pk]) + "?periode=1"
    html = penilai.get(url).content.decode()
    assert "Aplikasi belum siap" in html and "hanya baca" in html
    assert _ubah_url(skp, ind, 1) not in html
    assert penilai.get(_ubah_url(skp, ind, 1)).status_code == 403
    assert penilai.post(_ubah_url(skp, ind, 1), _data()).status_code == 403
    tindak = RencanaTindak.objects.get(laporan__skp=skp)
    r = penilai.post(reverse("pelaksanaan:iiaa_status", args=[tindak.pk]), {f"s{tindak.pk}-status": "batal"})
    assert r.status_code == 403
    tindak.refresh_from_db()
    assert tindak.status == "belum"


def test_other_pegawai_and_foreign_admin_get_403(orang, skp, indikator, other_instansi) -> None:  # type: ignore[no-untyped-def]
    kurang, _ = indikator
    _laporan(skp, kurang, 1)
    tindak = RencanaTindak.objects.first()
    for who in (FUNGSIONAL, PELAKSANA, "admin-lain"):
        c = client_of(orang.get(who) or who)
        assert c.get(reverse("pelaksanaan:iiaa_skp", args=[skp.pk])).status_code == 403, who
        assert c.get(reverse("pelaksanaan:iiaa_skp_pdf", args=[skp.pk])).status_code == 403, who
        assert c.get(_ubah_url(skp, kurang, 1)).status_code == 403, who
        assert c.post(reverse("pelaksanaan:iiaa_status", args=[tindak.pk]), {}).status_code == 403, who


def test_non_structural_official_sees_an_explanation(orang) -> None:  # type: ignore[no-untyped-def]
    r = client_of(orang[PELAKSANA]).get(reverse("pelaksanaan:iiaa"))
    assert r.status_code == 200
    assert "pejabat struktural" in r.content.decode()


def _pdf_teks(isi: bytes) -> str:
    return subprocess.run(
        ["pdftotext", "-layout", "-", "-"], input=isi, capture_output=True, check=True
    ).stdout.decode()


def test_pdf_is_a_real_pdf_with_the_report(orang, skp, indikator) -> None:  # type: ignore[no-untyped-def]
    kurang, _ = indikator
    _laporan(skp, kurang, 1)
    r = client_of(orang[KEPALA]).get(reverse("pelaksanaan:iiaa_pdf") + "?periode=1")
    assert r.status_code == 200 and r["Content-Type"] == "application/pdf"
    assert r.content.startswith(b"%PDF")
    teks = _pdf_teks(r.content)
    assert "LAPORAN CAPAIAN KINERJA (IIAA)" in teks
    assert "Masalah data terlambat" in teks and "Menetapkan jadwal data" in teks
    # The next periode's PDF lists the earlier action plans with their status; the admin may print it.
    r = client_of(orang["admin"]).get(reverse("pelaksanaan:iiaa_skp_pdf", args=[skp.pk]) + "?periode=2")
    assert r.status_code == 200
    teks = _pdf_teks(r.content)
    assert "STATUS RENCANA TINDAK TRIWULAN I" in teks and "Memantau lapangan" in teks and "Belum" in teks


def test_demo_has_an_iiaa_report_with_status_in_tw3(demo_instansi, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from django.utils import timezone

    from kinerja.demo import pelaksanaan as demo

    now = timezone.make_aware(datetime.datetime(2026, 11, 24, 10, 0))
    monkeypatch.setattr("django.utils.timezone.now", lambda: now)
    demo.seed(demo_instansi)
    # one report per unit head with a kuantitatif SKP (the demo's setting for pejabat struktural)
    kuantitatif = set(
        Skp.objects.filter(instansi=demo_instansi, model="kuantitatif", status="disetujui").values_list(
            "pk", flat=True
        )
    )
    assert len(kuantitatif) > 1
    assert sorted(LaporanIIAA.objects.values_list("skp_id", flat=True)) == sorted(kuantitatif)
    laporan = LaporanIIAA.objects.select_related("skp", "periode_penilaian").get(skp__pegawai_nip=DEMO_KEPALA)
    assert laporan.periode_penilaian.nomor == 2
    baris = services_iiaa.capaian_periode(laporan.indikator, laporan.periode_penilaian)
    assert selectors_iiaa.di_bawah_target(baris) and baris.realisasi is not None
    assert baris.realisasi.bukti.exists()  # the report shows its data dukung
    assert sorted(laporan.rencana_tindak.values_list("status", flat=True)) == ["berjalan", "selesai"]
    html = client_of(DEMO_KEPALA).get(reverse("pelaksanaan:iiaa") + "?periode=3").content.decode()
    assert "Status rencana tindak Triwulan II" in html and demo.IIAA_STATUS[0][1] in html
    jumlah = (LaporanIIAA.objects.count(), RencanaTindak.objects.count())
    demo.seed(demo_instansi)  # idempotent
    assert (
        (LaporanIIAA.objects.count(), RencanaTindak.objects.count())
        == jumlah
        == (len(kuantitatif), 2 * len(kuantitatif))
    )


# --- query counts -----------------------------------------------------------------------------------------


def _di_bawah_target(skp: Skp, tw, jumlah: int, mulai: int = 0) -> None:  # type: ignore[no-untyped-def]
    """`jumlah` numeric indikator at 50 % of target in TW I and II, each with an IIAA report in both
    periodes (two action plans each) and a bukti dukung on the TW II realisasi."""
    from kinerja.pelaksanaan.models import BuktiDukung

    kepala = User.objects.get(pegawai=skp.pegawai_id)
    rhk = Rhk.objects.create(skp=skp, teks=f"RHK uji {mulai}", jenis="utama", urutan=50 + mulai)
    for n in range(mulai, mulai + jumlah):
        ind = Indikator.objects.create(
            rhk=rhk, teks=f"Indikator uji {n}", target_angka=10, satuan="dokumen", konsolidasi="sum"
        )
        for nomor in (1, 2, 3, 4):
            IndikatorTargetPeriode.objects.create(indikator=ind, nomor=nomor, target_angka=Decimal(4))
        for nomor in (1, 2):
            real = Realisasi.objects.create(indikator=ind, periode_penilaian=tw[nomor], nilai_angka=2)
            lap = LaporanIIAA.objects.create(
                skp=skp,
                indikator=ind,
                periode_penilaian=tw[nomor],
                issues=f"Issues {n}",
                implication="Dampak",
                accountability="Kepala",
                dibuat_oleh=kepala,
            )
            for k in range(2):
                RencanaTindak.objects.create(
                    laporan=lap, apa=f"Tindakan {n}.{k}", siapa="Sekretaris", batas_waktu=tw[nomor].selesai
                )
        BuktiDukung.objects.create(
            realisasi=real, jenis="tautan", tautan=f"https://contoh.go.id/{n}", keterangan=f"Bukti {n}"
        )


def _jumlah_query(c: Client, url: str) -> int:
    c.get(url)  # warm up session and user caches
    with CaptureQueriesContext(connection) as ctx:
        r = c.get(url)
    assert r.status_code == 200
    return len(ctx.captured_queries)


def test_iiaa_pages_query_count_does_not_grow_with_rows(orang, skp, tw) -> None:  # type: ignore[no-untyped-def]
    pages = [
        (KEPALA, reverse("pelaksanaan:iiaa") + "?periode=2"),
        ("admin", reverse("pelaksanaan:iiaa_skp", args=[skp.pk]) + "?periode=2"),
    ]
    _di_bawah_target(skp, tw, 2)
    sedikit = [_jumlah_query(client_of(orang[who]), url) for who, url in pages]
    _di_bawah_target(skp, tw, 8, mulai=2)
    banyak = [_jumlah_query(client_of(orang[who]), url) for who, url in pages]
    html = client_of(orang[KEPALA]).get(pages[0][1]).content.decode()
    assert "Indikator uji 9" in html and "Tindakan 9.1" in html and "Bukti 9" in html
    assert html.count('id="status-laporan-') == 10  # TW I reports with their action plan status
    assert banyak == sedikit, list(zip(pages, sedikit, banyak, strict=True))
