"""Penilai, atasan penilai and bawahan come from the jabatan tree and who holds which post on a date."""

import datetime

import pytest

from kinerja.organisasi import selectors, services
from kinerja.organisasi.models import Jabatan, Pegawai, Penempatan

pytestmark = pytest.mark.django_db


def peg(nip: str) -> Pegawai:
    return Pegawai.objects.get(nip=nip)


KABAN, SEK, KBPKP = "197205141998031003", "197608222000122001", "197904182005012005"
ANALIS_BPKP, PELAKSANA_BPKP, ANALIS_BPK = "198506282010012004", "199108162015031001", "198306052010012007"


def test_pelaksana_is_rated_by_kabid_and_kepala_is_atasan(demo_instansi):
    rantai = selectors.rantai_penilai(peg(PELAKSANA_BPKP), datetime.date(2026, 6, 1))
    assert rantai.penilai.pegawai.nip == KBPKP
    assert rantai.atasan_penilai.pegawai.nip == KABAN


def test_kepala_badan_has_no_penilai_inside_the_instansi(demo_instansi):
    rantai = selectors.rantai_penilai(peg(KABAN), datetime.date(2026, 6, 1))
    assert rantai.jabatan.kode == "KABAN"
    assert rantai.penilai is None and rantai.atasan_penilai is None


def test_plt_rates_the_vacant_posts_bawahan_only_while_the_plt_runs(demo_instansi):
    during = selectors.rantai_penilai(peg(ANALIS_BPK), datetime.date(2026, 6, 1))
    assert during.penilai.pegawai.nip == SEK
    assert during.penilai.jenis == "plt"
    assert during.atasan_penilai.pegawai.nip == KABAN
    # Before the PLT started the post was vacant: the search goes one level up.
    before = selectors.rantai_penilai(peg(ANALIS_BPK), datetime.date(2025, 9, 1))
    assert before.penilai.pegawai.nip == KABAN
    assert before.atasan_penilai is None


def test_definitif_holder_wins_over_plt(demo_instansi):
    kbpk = Jabatan.objects.get(kode="KBPK")
    baru = services.save_pegawai(Pegawai(instansi=demo_instansi), nip="198001012005011009", nama="Kabid Baru")
    services.save_penempatan(
        Penempatan(pegawai=baru, jabatan=kbpk), jenis="definitif", mulai=datetime.date(2026, 7, 1)
    )
    assert selectors.rantai_penilai(peg(ANALIS_BPK), datetime.date(2026, 7, 1)).penilai.pegawai == baru
    assert selectors.rantai_penilai(peg(ANALIS_BPK), datetime.date(2026, 6, 30)).penilai.pegawai.nip == SEK


def test_bawahan_langsung_of_sekretaris_include_plt_posts_bawahan(demo_instansi):
    tanggal = datetime.date(2026, 6, 1)
    nips = {b.pegawai.nip for b in selectors.bawahan_langsung(peg(SEK), tanggal)}
    assert "198103152006041002" in nips  # Kasubbag Umum (own post)
    assert ANALIS_BPK in nips  # through the PLT post
    assert "199002112015032001" not in nips  # arsiparis is rated by the Kasubbag, not the Sekretaris


def test_bawahan_semua_go_down_the_tree(demo_instansi):
    tanggal = datetime.date(2026, 6, 1)
    semua = set(selectors.bawahan_semua_qs(peg(KABAN), tanggal).values_list("nip", flat=True))
    assert len(semua) == Pegawai.objects.count() - 1  # everyone but the Kepala Badan
    assert PELAKSANA_BPKP in semua
    assert set(selectors.bawahan_semua_qs(peg(PELAKSANA_BPKP), tanggal)) == set()


def test_moving_a_jabatan_moves_its_subtree_paths(demo_instansi):
    kbmp = Jabatan.objects.get(kode="KBMP")
    sek = Jabatan.objects.get(kode="SEK")
    services.save_jabatan(kbmp, parent=sek)
    child = Jabatan.objects.get(kode="MP-AMD")
    assert child.path.startswith(sek.path)
    assert child.depth == 3
    rantai = selectors.rantai_penilai(child.penempatan.get().pegawai, datetime.date(2026, 6, 1))
    assert rantai.atasan_penilai.pegawai.nip == SEK


def test_a_jabatan_cannot_be_placed_under_its_own_subtree(demo_instansi):
    from django.core.exceptions import ValidationError

    kaban = Jabatan.objects.get(kode="KABAN")
    with pytest.raises(ValidationError):
        services.save_jabatan(kaban, parent=Jabatan.objects.get(kode="SEK"))


def test_two_definitif_holders_of_one_jabatan_are_refused(demo_instansi):
    from django.core.exceptions import ValidationError

    other = services.save_pegawai(
        Pegawai(instansi=demo_instansi), nip="198001012005011009", nama="Orang Lain"
    )
    with pytest.raises(ValidationError, match="sudah dipegang secara definitif"):
        services.save_penempatan(
            Penempatan(pegawai=other, jabatan=Jabatan.objects.get(kode="SEK")),
            jenis="definitif",
            mulai=datetime.date(2026, 1, 1),
        )


def test_seed_demo_is_idempotent(demo_instansi):
    from kinerja.demo import organisasi as demo
    from kinerja.organisasi.models import UnitKerja

    counts = [
        m.history.count() if hasattr(m, "history") else m.objects.count()
        for m in (Pegawai, Jabatan, Penempatan, UnitKerja)
    ]
    demo.seed(today=datetime.date(2026, 6, 15))
    assert counts == [m.history.count() for m in (Pegawai, Jabatan, Penempatan, UnitKerja)]
