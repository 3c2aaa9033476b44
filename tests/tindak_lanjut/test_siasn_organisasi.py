"""Units of an instansi from SIASN against the strict fake (docs/rules.md §21.12): the first import of a new
instansi, a re-sync that shows every difference before it is applied, all or nothing, the page."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from django.urls import reverse

from kinerja.organisasi.models import Instansi, UnitKerja, User
from kinerja.tindak_lanjut.models import TarikUnorSiasn
from kinerja.tindak_lanjut.siasn.organisasi import services
from tests import builders as b
from tests.siasn_palsu import Server, SiasnPalsu

pytestmark = pytest.mark.django_db
URL = reverse("tindak_lanjut:siasn_organisasi")


@pytest.fixture
def palsu(monkeypatch: pytest.MonkeyPatch) -> Iterator[SiasnPalsu]:
    with Server() as state:
        for kunci, nilai in state.lingkungan().items():
            monkeypatch.setenv(kunci, nilai)
        state.tambah_unor("R", "Dinas Uji Coba")
        state.tambah_unor("A", "Sekretariat", "R", CepatKode="SEKR")
        state.tambah_unor("B", "Bidang Satu", "R")
        state.tambah_unor("A1", "Sub Bagian Umum", "A")
        state.tambah_unor("X", "Dinas Lain")  # another instansi's tree: never imported
        yield state


@pytest.fixture
def inst() -> Instansi:
    return b.InstansiFactory()


@pytest.fixture
def admin(inst: Instansi) -> User:
    return b.admin_instansi(inst)


def _baca(admin: User, inst: Instansi, capture, akar: str = "R") -> TarikUnorSiasn:  # type: ignore[no-untyped-def]
    with capture(execute=True):
        t, baru = services.start_tarik_unor(inst, admin, akar)
    assert baru
    t.refresh_from_db()
    return t


def _units(inst: Instansi) -> list[tuple[str, str, str | None, str]]:
    return list(
        UnitKerja.objects.filter(instansi=inst)
        .order_by("path")
        .values_list("kode", "nama", "parent__kode", "siasn_id")
    )


def test_first_import_then_resync(inst, admin, palsu, django_capture_on_commit_callbacks) -> None:  # type: ignore[no-untyped-def]
    t = _baca(admin, inst, django_capture_on_commit_callbacks)
    assert (t.status, t.pesan) == ("selesai", "4 unor terbaca dari SIASN.")
    rencana = services.plan_tarik(t)
    assert [p.aksi for p in rencana.perbedaan] == ["baru"] * 4 and rencana.dapat_diterapkan
    assert UnitKerja.objects.filter(instansi=inst).count() == 0  # nothing before the admin applies
    hasil = services.apply_tarik(t, admin)
    assert hasil.ok and hasil.counts["Unit Kerja"].created == 4
    assert sorted(_units(inst)) == [
        ("S-A1", "Sub Bagian Umum", "SEKR", "A1"),
        ("S-B", "Bidang Satu", "S-R", "B"),
        ("S-R", "Dinas Uji Coba", None, "R"),
        ("SEKR", "Sekretariat", "S-R", "A"),
    ]
    assert UnitKerja.objects.get(instansi=inst, kode="SEKR").history.first().history_user == admin

    # SIASN renames a bidang, moves the subbagian under it, adds a unit; our own renamed kode stays.
    UnitKerja.objects.filter(instansi=inst, kode="S-B").update(kode="BID1")
    palsu.unor[2]["NamaUnor"] = "Bidang Satu dan Dua"
    palsu.unor[3]["DiatasanId"] = "B"
    palsu.tambah_unor("C", "Bidang Tiga", "R")
    b.UnitKerjaFactory(
        instansi=inst, kode="LAMA", nama="Bidang Lama", parent=UnitKerja.objects.get(kode="S-R")
    )
    UnitKerja.objects.filter(kode="LAMA").update(siasn_id="G")
    t2 = _baca(admin, inst, django_capture_on_commit_callbacks)
    beda = [(p.aksi, p.kode, p.sebelum, p.sesudah) for p in services.plan_tarik(t2).perbedaan]
    assert beda == [
        ("ganti_nama", "BID1", "Bidang Satu", "Bidang Satu dan Dua"),
        ("baru", "S-C", "", "Bidang Tiga"),
        ("pindah", "S-A1", "Sekretariat", "Bidang Satu dan Dua"),
        ("hilang", "LAMA", "Bidang Lama", ""),
    ]
    assert services.apply_tarik(t2, admin).ok
    assert ("S-A1", "Sub Bagian Umum", "BID1", "A1") in _units(inst)
    assert UnitKerja.objects.filter(instansi=inst, kode="LAMA").exists()  # never deleted
    with pytest.raises(Exception, match="sudah diterapkan"):
        services.apply_tarik(t2, admin)


def test_a_second_root_is_refused_and_nothing_is_written(
    inst, admin, palsu, django_capture_on_commit_callbacks
) -> None:  # type: ignore[no-untyped-def]
    b.UnitKerjaFactory(instansi=inst, kode="ADA", nama="Unit Buatan Tangan")
    t = _baca(admin, inst, django_capture_on_commit_callbacks)
    rencana = services.plan_tarik(t)
    assert rencana.galat and not rencana.dapat_diterapkan
    with pytest.raises(Exception, match="tidak dapat diterapkan"):
        services.apply_tarik(t, admin)
    assert [k for k, *_ in _units(inst)] == ["ADA"]


def test_unknown_root_or_siasn_down_fail_with_the_reason(
    inst, admin, palsu, django_capture_on_commit_callbacks
) -> None:  # type: ignore[no-untyped-def]
    t = _baca(admin, inst, django_capture_on_commit_callbacks, akar="TIDAK-ADA")
    assert t.status == "gagal" and "Unor TIDAK-ADA tidak ada" in t.pesan
    palsu.gangguan = [503] * 5
    t = _baca(admin, inst, django_capture_on_commit_callbacks)
    assert t.status == "gagal" and t.pesan.startswith("Referensi unor SIASN: HTTP 503")


def test_page_shows_differences_and_applies(
    inst, admin, palsu, django_capture_on_commit_callbacks, django_assert_max_num_queries
) -> None:  # type: ignore[no-untyped-def]
    c = b.klien(admin)
    assert "Unit belum pernah dibaca dari SIASN" in c.get(URL).content.decode()
    r = c.post(reverse("tindak_lanjut:siasn_organisasi_baca"), {"akar_id": " "}, follow=True)
    assert "Isi ID unor instansi di SIASN" in r.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        c.post(reverse("tindak_lanjut:siasn_organisasi_baca"), {"akar_id": "R"})
    with django_assert_max_num_queries(12):
        html = c.get(URL).content.decode()
    assert (
        "Perbedaan dengan Kinerja (4)" in html
        and "Sub Bagian Umum" in html
        and "Terapkan perubahan unit" in html
    )
    t = TarikUnorSiasn.objects.get(instansi=inst)
    r = c.post(reverse("tindak_lanjut:siasn_organisasi_terapkan", args=[t.pk]), follow=True)
    assert "4 unit baru" in r.content.decode()
    assert 'value="R"' in c.get(URL).content.decode()


def test_only_the_admin_of_the_instansi(inst, palsu) -> None:  # type: ignore[no-untyped-def]
    lain = b.admin_instansi(b.InstansiFactory())
    t = TarikUnorSiasn.objects.create(instansi=inst, akar_id="R", status="selesai")
    assert (
        b.klien(lain).post(reverse("tindak_lanjut:siasn_organisasi_terapkan", args=[t.pk])).status_code == 404
    )
    peg = b.PegawaiFactory(instansi=inst)
    assert b.klien(peg.user).get(URL).status_code == 403


def test_heads_jabatan_from_namajabatan(inst, admin, palsu, django_capture_on_commit_callbacks) -> None:  # type: ignore[no-untyped-def]
    from kinerja.organisasi.models import Jabatan

    jabatan = {
        "R": "Kepala Dinas Uji Coba",
        "A": "Sekretaris",
        "A1": "Kepala Sub Bagian Umum",
        "B": "Koordinator",
    }
    for unor in palsu.unor:
        unor["NamaJabatan"] = jabatan.get(unor["id"])
    t = _baca(admin, inst, django_capture_on_commit_callbacks)
    rencana = services.plan_tarik(t)
    assert [(p.aksi, p.kode) for p in rencana.perbedaan if p.aksi == "jabatan_baru"] == [
        ("jabatan_baru", "J-S-R"),
        ("jabatan_baru", "J-SEKR"),
        ("jabatan_baru", "J-S-A1"),
    ]
    # "Koordinator" says nothing of its jenis: skipped, said so, the rest still applies.
    assert ["Koordinator" in w.message for w in rencana.peringatan] == [True]
    assert services.apply_tarik(t, admin).ok
    rows = set(
        Jabatan.objects.filter(instansi=inst).values_list(
            "kode", "jenis", "unit__kode", "parent__kode", "pimpinan_unit", "unit_kerja_mandiri"
        )
    )
    assert rows == {
        ("J-S-R", "jpt_pratama", "S-R", None, True, True),
        ("J-SEKR", "administrator", "SEKR", "J-S-R", True, False),
        ("J-S-A1", "pengawas", "S-A1", "J-SEKR", True, False),
    }
    # A re-sync renames a head's jabatan (ours keeps its jenis and atasan) and changes nothing else.
    palsu.unor[1]["NamaJabatan"] = "Sekretaris Dinas"
    t2 = _baca(admin, inst, django_capture_on_commit_callbacks)
    beda = [(p.aksi, p.kode, p.sebelum, p.sesudah) for p in services.plan_tarik(t2).perbedaan]
    assert beda == [("jabatan_ganti_nama", "J-SEKR", "Sekretaris", "Sekretaris Dinas")]
    assert services.apply_tarik(t2, admin).ok
    assert Jabatan.objects.get(kode="J-SEKR").nama == "Sekretaris Dinas"


def test_read_without_siasn_configured_says_so_and_queues_nothing(
    inst: Instansi, admin: User, monkeypatch: pytest.MonkeyPatch
) -> None:
    """§21.12: refused at the button with the reason, not a read waiting for a worker that would fail it."""
    monkeypatch.delenv("SIASN_GATEWAY_URL", raising=False)
    r = b.klien(admin).post(reverse("tindak_lanjut:siasn_organisasi_baca"), {"akar_id": "R"}, follow=True)
    assert "SIASN belum dikonfigurasi untuk instansi ini" in r.content.decode()
    assert not TarikUnorSiasn.objects.exists()
