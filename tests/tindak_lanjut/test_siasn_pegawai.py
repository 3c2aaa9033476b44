"""Pegawai, jabatan and penempatan from SIASN against the strict fake (docs/rules.md §21.12): a new instansi
imported from its units to its penempatan, a re-sync showing only differences, NIP lists, an unknown NIP,
all or nothing, access, the page."""

from __future__ import annotations

import datetime
import io
from collections.abc import Iterator

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook

from kinerja.organisasi.models import Instansi, Jabatan, Pegawai, Penempatan, User
from kinerja.pekerjaan.models import Pekerjaan
from kinerja.tindak_lanjut.models import PenyegaranDataUtama
from kinerja.tindak_lanjut.siasn.organisasi import services as services_organisasi
from kinerja.tindak_lanjut.siasn.organisasi import services_pegawai
from tests import builders as b
from tests.siasn_palsu import Server, SiasnPalsu

pytestmark = pytest.mark.django_db
URL = reverse("tindak_lanjut:siasn_organisasi_pegawai")
N1, N2, N3, N4 = "196601012001011901", "196601012001011902", "196601012001011903", "196601012001011904"


@pytest.fixture
def palsu(monkeypatch: pytest.MonkeyPatch) -> Iterator[SiasnPalsu]:
    with Server() as state:
        for kunci, nilai in state.lingkungan().items():
            monkeypatch.setenv(kunci, nilai)
        state.tambah_unor("R", "Dinas Uji Coba", NamaJabatan="Kepala Dinas Uji Coba")
        state.tambah_unor("B", "Bidang Satu", "R", NamaJabatan="Kepala Bidang Satu")
        state.tambah_pns(
            N1, "Ani", "P1", unorId="B", unorNama="BIDANG SATU", jabatanNama="PENGADMINISTRASI UMUM"
        )
        state.tambah_pns(
            N2,
            "Budi",
            "P2",
            unorId="R",
            unorNama="DINAS UJI COBA",
            jenisJabatanId=2,
            jenisJabatan="Jabatan Fungsional",
            jabatanNama="Analis SDM Aparatur Ahli Muda",
            jabatanFungsionalId="JF-1",
            jabatanFungsionalUmumId=None,
            golRuangAkhir="III/c",
        )
        state.tambah_pns(
            N3,
            "Citra",
            "P3",
            unorId="R",
            unorNama="DINAS UJI COBA",
            jenisJabatanId=1,
            jenisJabatan="Struktural",
            jabatanNama="KEPALA DINAS UJI COBA",
            jabatanStrukturalId="JS-1",
            jabatanFungsionalUmumId=None,
            tmtJabatan="01-01-2021",
            golRuangAkhir="IV/b",
        )
        yield state


@pytest.fixture
def inst(palsu: SiasnPalsu, django_capture_on_commit_callbacks) -> Instansi:  # type: ignore[no-untyped-def]
    """An instansi whose units (and their heads' jabatan) were read from SIASN and applied."""
    inst = b.InstansiFactory()
    admin = b.admin_instansi(inst, "admin-unit")
    with django_capture_on_commit_callbacks(execute=True):
        t, _ = services_organisasi.start_tarik_unor(inst, admin, "R")
    t.refresh_from_db()
    assert services_organisasi.apply_tarik(t, admin).ok
    return inst


@pytest.fixture
def admin(inst: Instansi) -> User:
    return b.admin_instansi(inst)


def _baca(inst, admin, capture, nips=None) -> PenyegaranDataUtama:  # type: ignore[no-untyped-def]
    with capture(execute=True):
        p, baru = services_pegawai.start_baca_pegawai(inst, admin, nips)
    assert baru
    p.refresh_from_db()
    return p


def _csv(isi: str, nama: str = "nip.csv") -> SimpleUploadedFile:
    return SimpleUploadedFile(nama, isi.encode(), content_type="text/csv")


def test_new_instansi_from_units_to_penempatan_then_resync(  # type: ignore[no-untyped-def]
    inst, admin, palsu, django_capture_on_commit_callbacks
) -> None:
    nips = services_pegawai.read_nip_list(_csv(f"NIP\n{N1}\n{N2}\n{N3}\n{N4}\n"), "nip.csv")
    p = _baca(inst, admin, django_capture_on_commit_callbacks, nips)
    assert (p.status, p.selesai, p.jumlah) == ("selesai", 4, 4)
    rencana = services_pegawai.plan_pegawai(p)
    baris = {r.nip: r for r in rencana.baris}
    assert [baris[n].aksi for n in (N1, N2, N3, N4)] == ["tambah", "tambah", "tambah", "masalah"]
    assert "tidak ditemukan" in baris[N4].masalah  # SIASN's 404, shown as that NIP's problem
    assert baris[N1].jabatan_baru == "J-S-B-1" and baris[N2].jabatan_baru == "J-S-R-1"
    assert baris[N3].jabatan_baru == ""  # the head's jabatan came with the units
    assert rencana.dapat_diterapkan and not Pegawai.objects.filter(instansi=inst).exists()

    hasil = services_pegawai.apply_pegawai(p, admin)
    assert hasil.ok, hasil.errors
    peg = {x.nip: x for x in Pegawai.objects.filter(instansi=inst)}
    assert set(peg) == {N1, N2, N3}
    assert (peg[N2].nama, peg[N2].pangkat_golongan, peg[N2].jenis_asn) == ("Budi", "III/c", "pns")
    assert peg[N1].history.first().history_user == admin
    jab = set(
        Jabatan.objects.filter(instansi=inst).values_list(
            "kode", "jenis", "jenjang", "unit__kode", "parent__kode"
        )
    )
    assert jab == {
        ("J-S-R", "jpt_pratama", "", "S-R", None),
        ("J-S-B", "administrator", "", "S-B", "J-S-R"),
        ("J-S-B-1", "pelaksana", "", "S-B", "J-S-B"),
        ("J-S-R-1", "fungsional", "ahli_muda", "S-R", "J-S-R"),
    }
    pen = set(
        Penempatan.objects.filter(pegawai__instansi=inst).values_list(
            "pegawai__nip", "jabatan__kode", "mulai"
        )
    )
    assert pen == {
        (N1, "J-S-B-1", datetime.date(2022, 1, 2)),
        (N2, "J-S-R-1", datetime.date(2022, 1, 2)),
        (N3, "J-S-R", datetime.date(2021, 1, 1)),
    }
    p.refresh_from_db()
    assert p.diterapkan_oleh == admin and p.history.first().history_user == admin
    with pytest.raises(ValidationError, match="sudah diterapkan"):
        services_pegawai.apply_pegawai(p, admin)

    # SIASN moves Ani to the Dinas; a re-sync of Kinerja's pegawai shows only her.
    palsu.pns[N1].update(unorId="R", unorNama="Dinas Uji Coba", tmtJabatan="01-06-2024")
    p2 = _baca(inst, admin, django_capture_on_commit_callbacks)
    r2 = services_pegawai.plan_pegawai(p2)
    assert [(r.nip, r.aksi) for r in r2.perbedaan] == [(N1, "ganti")] and r2.sama == 2
    assert services_pegawai.apply_pegawai(p2, admin).ok
    pen_ani = list(
        Penempatan.objects.filter(pegawai__nip=N1)
        .order_by("mulai")
        .values_list("jabatan__kode", "mulai", "selesai")
    )
    assert pen_ani == [
        ("J-S-B-1", datetime.date(2022, 1, 2), datetime.date(2024, 5, 31)),
        ("J-S-R-2", datetime.date(2024, 6, 1), None),
    ]
    # The existing jabatan kept their atasan.
    assert Jabatan.objects.get(kode="J-S-B-1").parent.kode == "J-S-B"
    p3 = _baca(inst, admin, django_capture_on_commit_callbacks)
    r3 = services_pegawai.plan_pegawai(p3)
    assert r3.perbedaan == [] and not r3.dapat_diterapkan


def test_bad_nip_files_name_every_row() -> None:
    with pytest.raises(ValidationError) as e:
        services_pegawai.read_nip_list(_csv(f"NIP\n123\n\n{N1}\n{N1}\n"), "nip.csv")
    pesan = " ".join(e.value.messages)
    assert "baris 2: '123' bukan NIP yang sah" in pesan and f"baris 5: NIP {N1} sudah ada di baris 4" in pesan
    with pytest.raises(ValidationError, match="tidak berisi NIP"):
        services_pegawai.read_nip_list(_csv("NIP\n"), "nip.csv")
    with pytest.raises(ValidationError, match="UTF-8"):
        services_pegawai.read_nip_list(SimpleUploadedFile("x.txt", b"\xff\xfe\x00"), "x.txt")
    wb = Workbook()
    ws = wb.active
    ws.append(["NIP"])
    ws.append([N1])
    ws.append([196601012001011902])
    buf = io.BytesIO()
    wb.save(buf)
    with pytest.raises(ValidationError, match="baris 3: NIP ditulis sebagai angka"):
        services_pegawai.read_nip_list(SimpleUploadedFile("n.xlsx", buf.getvalue()), "n.xlsx")
    with pytest.raises(ValidationError, match="bukan xlsx"):
        services_pegawai.read_nip_list(SimpleUploadedFile("n.xlsx", b"not a zip"), "n.xlsx")


def test_bad_file_on_the_page_starts_nothing(inst, admin) -> None:  # type: ignore[no-untyped-def]
    c = b.klien(admin)
    r = c.post(
        reverse("tindak_lanjut:siasn_organisasi_pegawai_baca"),
        {"sumber": "berkas", "berkas": _csv(f"{N1}\nabc\n")},
        follow=True,
    )
    assert "baris 2: &#x27;abc&#x27; bukan NIP yang sah" in r.content.decode()
    assert not PenyegaranDataUtama.objects.filter(instansi=inst).exists()


def test_apply_is_all_or_nothing(  # type: ignore[no-untyped-def]
    inst, admin, palsu, monkeypatch, django_capture_on_commit_callbacks
) -> None:
    from kinerja.organisasi import services as org

    p = _baca(inst, admin, django_capture_on_commit_callbacks, [N1, N2, N3])
    asli = org.save_penempatan
    n = {"x": 0}

    def gagal_kedua(obj, **fields):  # type: ignore[no-untyped-def]
        n["x"] += 1
        if n["x"] == 2:
            raise ValidationError({"mulai": "gagal uji"})
        return asli(obj, **fields)

    monkeypatch.setattr(org, "save_penempatan", gagal_kedua)
    hasil = services_pegawai.apply_pegawai(p, admin)
    assert not hasil.ok and "gagal uji" in hasil.errors[0].message
    assert not Pegawai.objects.filter(instansi=inst).exists()
    assert set(Jabatan.objects.filter(instansi=inst).values_list("kode", flat=True)) == {"J-S-R", "J-S-B"}
    p.refresh_from_db()
    assert p.diterapkan_pada is None


def test_page_progress_differences_and_apply(  # type: ignore[no-untyped-def]
    inst, admin, palsu, django_capture_on_commit_callbacks, django_assert_max_num_queries
) -> None:
    c = b.klien(admin)
    assert "Pegawai belum pernah dibaca" in c.get(URL).content.decode()
    assert "Pegawai dari SIASN" in c.get(reverse("tindak_lanjut:siasn_organisasi")).content.decode()
    with django_capture_on_commit_callbacks(execute=False):  # queued, not yet run: progress is shown
        c.post(
            reverse("tindak_lanjut:siasn_organisasi_pegawai_baca"),
            {"sumber": "berkas", "berkas": _csv(f"{N1}\n{N2}\n{N4}\n")},
        )
    bar = c.get(reverse("tindak_lanjut:siasn_organisasi_pegawai_kemajuan")).content.decode()
    assert 'role="progressbar"' in bar and "Pembacaan data utama SIASN untuk impor (3 NIP)" in bar
    assert "menunggu giliran" in bar
    PenyegaranDataUtama.objects.all().delete()
    Pekerjaan.objects.all().delete()
    with django_capture_on_commit_callbacks(execute=True):
        c.post(
            reverse("tindak_lanjut:siasn_organisasi_pegawai_baca"),
            {"sumber": "berkas", "berkas": _csv(f"{N1}\n{N2}\n{N4}\n")},
        )
    for nip in (f"196601012001012{i:03d}" for i in range(1, 31)):  # more pegawai in Kinerja: same queries
        palsu.tambah_pns(nip, "X", "Q" + nip)
    with django_assert_max_num_queries(12):
        html = c.get(URL).content.decode()
    assert "Perbedaan dengan Kinerja (3)" in html and "Terapkan pegawai dan penempatan" in html
    assert "Data PNS dengan NIP" in html
    p = PenyegaranDataUtama.objects.get(instansi=inst)
    r = c.post(reverse("tindak_lanjut:siasn_organisasi_pegawai_terapkan", args=[p.pk]), follow=True)
    html = r.content.decode()
    assert "2 pegawai baru, 2 jabatan baru, 2 penempatan baru" in html and "sudah diterapkan" in html
    assert "Terapkan pegawai" not in html


def test_page_queries_stay_flat_with_more_pegawai(  # type: ignore[no-untyped-def]
    inst, admin, palsu, django_capture_on_commit_callbacks, django_assert_max_num_queries
) -> None:
    nips = [f"19660101200101{2:01d}{i:03d}" for i in range(1, 41)]
    for i, nip in enumerate(nips):
        palsu.tambah_pns(nip, f"Pegawai {i}", f"Q{i}", unorId="B", unorNama="Bidang Satu")
    _baca(inst, admin, django_capture_on_commit_callbacks, nips)
    c = b.klien(admin)
    with django_assert_max_num_queries(12):
        html = c.get(URL).content.decode()
    assert "Perbedaan dengan Kinerja (40)" in html and "Berikutnya" in html


def test_only_the_admin_of_the_instansi(inst, palsu, django_capture_on_commit_callbacks) -> None:  # type: ignore[no-untyped-def]
    admin = b.admin_instansi(inst)
    p = _baca(inst, admin, django_capture_on_commit_callbacks, [N1])
    lain = b.admin_instansi(b.InstansiFactory())
    url = reverse("tindak_lanjut:siasn_organisasi_pegawai_terapkan", args=[p.pk])
    assert b.klien(lain).post(url).status_code == 404
    assert "Pegawai belum pernah dibaca" in b.klien(lain).get(URL).content.decode()
    peg = b.PegawaiFactory(instansi=inst)
    assert b.klien(peg.user).get(URL).status_code == 403
    assert b.klien(peg.user).post(url).status_code == 403
    with pytest.raises(PermissionDenied):
        services_pegawai.apply_pegawai(p, peg.user)


def test_a_nip_added_in_kinerja_after_the_read_is_not_overwritten(  # type: ignore[no-untyped-def]
    inst, admin, palsu, django_capture_on_commit_callbacks
) -> None:
    p = _baca(inst, admin, django_capture_on_commit_callbacks, [N1, N2])
    b.PegawaiFactory(instansi=inst, nip=N1, nama="Ani Lama", email="ani@contoh.go.id")
    rencana = services_pegawai.plan_pegawai(p)
    baris = {r.nip: r for r in rencana.baris}
    assert baris[N1].aksi == "masalah" and "sesudah dibaca" in baris[N1].masalah
    assert services_pegawai.apply_pegawai(p, admin).ok
    assert Pegawai.objects.get(nip=N1).email == "ani@contoh.go.id"
    assert Pegawai.objects.filter(nip=N2, instansi=inst).exists()
