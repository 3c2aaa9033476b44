"""Penilai, atasan penilai and bawahan come from the jabatan tree and who holds which post on a date."""

import datetime

import pytest

from kinerja.organisasi import selectors, services
from kinerja.organisasi.models import Instansi, Jabatan, Pegawai, Penempatan
from tests import builders as b

pytestmark = pytest.mark.django_db


def peg(nip: str) -> Pegawai:
    return Pegawai.objects.get(nip=nip)


KABAN, SEK, KBPKP = "197205141998031099", "197608222000122099", "197904182005012099"
ANALIS_BPKP, PELAKSANA_BPKP, ANALIS_BPK = "198506282010012099", "199108162015031099", "198306052010012099"
KASUBBAG, ARSIPARIS = "198103152006041099", "199002112015032099"


def _bangun() -> Instansi:
    """A small tree: the Kepala Badan heads the Sekretaris (with a Kasubbag Umum and the arsiparis below
    them) and three Kabid: of the BPKP (an analis and a pelaksana), of the BPK (vacant; the Sekretaris is
    its PLT from 1 January 2026; an analis below it) and of the BMP (an analis below it)."""
    inst = b.InstansiFactory()
    akar = b.UnitKerjaFactory(instansi=inst, nama="Badan Uji")

    def jabatan(kode: str, parent: Jabatan | None, jenis: str = "pelaksana", **kw: object) -> Jabatan:
        unit = kw.pop("unit", None) or (parent.unit if parent else akar)
        return b.JabatanFactory(unit=unit, kode=kode, parent=parent, jenis=jenis, **kw)

    def bidang(nama: str) -> object:
        return b.UnitKerjaFactory(instansi=inst, parent=akar, nama=nama)

    kaban = jabatan("KABAN", None, "jpt_pratama", pimpinan_unit=True, unit_kerja_mandiri=True)
    sek = jabatan("SEK", kaban, "administrator", unit=bidang("Sekretariat"), pimpinan_unit=True)
    kasubbag = jabatan("KSUBUM", sek, "pengawas", pimpinan_unit=True)
    kbpkp = jabatan("KBPKP", kaban, "administrator", unit=bidang("Bidang PKP"), pimpinan_unit=True)
    kbpk = jabatan("KBPK", kaban, "administrator", unit=bidang("Bidang PK"), pimpinan_unit=True)
    kbmp = jabatan("KBMP", kaban, "administrator", unit=bidang("Bidang MP"), pimpinan_unit=True)
    for nip, jab in [
        (KABAN, kaban),
        (SEK, sek),
        (KASUBBAG, kasubbag),
        (ARSIPARIS, jabatan("ARS", kasubbag)),
        (KBPKP, kbpkp),
        (ANALIS_BPKP, jabatan("PKP-AN", kbpkp)),
        (PELAKSANA_BPKP, jabatan("PKP-PL", kbpkp)),
        (ANALIS_BPK, jabatan("PK-AN", kbpk)),
        (None, jabatan("MP-AMD", kbmp)),
    ]:
        b.pegawai_di(jab, **({"nip": nip} if nip else {}))
    b.pegawai_di(kbmp)
    b.PenempatanFactory(pegawai=peg(SEK), jabatan=kbpk, jenis="plt", mulai=datetime.date(2026, 1, 1))
    return inst


_instansi, instansi = b.pemeran_modul(_bangun, "instansi", segarkan=b.segar)


def jab(kode: str) -> Jabatan:
    return Jabatan.objects.get(instansi=peg(KABAN).instansi, kode=kode)


def test_pelaksana_is_rated_by_kabid_and_kepala_is_atasan(instansi):
    rantai = selectors.rantai_penilai(peg(PELAKSANA_BPKP), datetime.date(2026, 6, 1))
    assert rantai.penilai.pegawai.nip == KBPKP
    assert rantai.atasan_penilai.pegawai.nip == KABAN


def test_kepala_badan_has_no_penilai_inside_the_instansi(instansi):
    rantai = selectors.rantai_penilai(peg(KABAN), datetime.date(2026, 6, 1))
    assert rantai.jabatan.kode == "KABAN"
    assert rantai.penilai is None and rantai.atasan_penilai is None


def test_plt_rates_the_vacant_posts_bawahan_only_while_the_plt_runs(instansi):
    during = selectors.rantai_penilai(peg(ANALIS_BPK), datetime.date(2026, 6, 1))
    assert during.penilai.pegawai.nip == SEK
    assert during.penilai.jenis == "plt"
    assert during.atasan_penilai.pegawai.nip == KABAN
    # Before the PLT started the post was vacant: the search goes one level up.
    before = selectors.rantai_penilai(peg(ANALIS_BPK), datetime.date(2025, 9, 1))
    assert before.penilai.pegawai.nip == KABAN
    assert before.atasan_penilai is None


def test_definitif_holder_wins_over_plt(instansi):
    kbpk = jab("KBPK")
    baru = services.save_pegawai(Pegawai(instansi=instansi), nip="198001012005011009", nama="Kabid Baru")
    services.save_penempatan(
        Penempatan(pegawai=baru, jabatan=kbpk), jenis="definitif", mulai=datetime.date(2026, 7, 1)
    )
    assert selectors.rantai_penilai(peg(ANALIS_BPK), datetime.date(2026, 7, 1)).penilai.pegawai == baru
    assert selectors.rantai_penilai(peg(ANALIS_BPK), datetime.date(2026, 6, 30)).penilai.pegawai.nip == SEK


def test_bawahan_langsung_of_sekretaris_include_plt_posts_bawahan(instansi):
    tanggal = datetime.date(2026, 6, 1)
    nips = {x.pegawai.nip for x in selectors.bawahan_langsung(peg(SEK), tanggal)}
    assert KASUBBAG in nips  # Kasubbag Umum (own post)
    assert ANALIS_BPK in nips  # through the PLT post
    assert ARSIPARIS not in nips  # arsiparis is rated by the Kasubbag, not the Sekretaris


def test_bawahan_semua_go_down_the_tree(instansi):
    tanggal = datetime.date(2026, 6, 1)
    semua = set(selectors.bawahan_semua_qs(peg(KABAN), tanggal).values_list("nip", flat=True))
    assert len(semua) == Pegawai.objects.filter(instansi=instansi).count() - 1  # all but the Kepala Badan
    assert PELAKSANA_BPKP in semua
    assert set(selectors.bawahan_semua_qs(peg(PELAKSANA_BPKP), tanggal)) == set()


def test_moving_a_jabatan_moves_its_subtree_paths(instansi):
    kbmp = jab("KBMP")
    sek = jab("SEK")
    services.save_jabatan(kbmp, parent=sek)
    child = jab("MP-AMD")
    assert child.path.startswith(sek.path)
    assert child.depth == 3
    rantai = selectors.rantai_penilai(child.penempatan.get().pegawai, datetime.date(2026, 6, 1))
    assert rantai.atasan_penilai.pegawai.nip == SEK


def test_a_jabatan_cannot_be_placed_under_its_own_subtree(instansi):
    from django.core.exceptions import ValidationError

    kaban = jab("KABAN")
    with pytest.raises(ValidationError):
        services.save_jabatan(kaban, parent=jab("SEK"))


def test_two_definitif_holders_of_one_jabatan_are_refused(instansi):
    from django.core.exceptions import ValidationError

    other = services.save_pegawai(Pegawai(instansi=instansi), nip="198001012005011009", nama="Orang Lain")
    with pytest.raises(ValidationError, match="sudah dipegang secara definitif"):
        services.save_penempatan(
            Penempatan(pegawai=other, jabatan=jab("SEK")),
            jenis="definitif",
            mulai=datetime.date(2026, 1, 1),
        )


def test_seed_demo_is_idempotent(demo_instansi):  # the demo seed itself: its story
    from kinerja.demo import organisasi as demo
    from kinerja.organisasi.models import UnitKerja

    counts = [
        m.history.count() if hasattr(m, "history") else m.objects.count()
        for m in (Pegawai, Jabatan, Penempatan, UnitKerja)
    ]
    demo.seed(today=datetime.date(2026, 6, 15))
    assert counts == [m.history.count() for m in (Pegawai, Jabatan, Penempatan, UnitKerja)]


def test_bawahan_langsung_sama_dengan_rantai_setiap_pegawai(instansi):
    """Read level by level below the penilai's posts, the bawahan are exactly the pegawai whose chain names
    that penilai: also below a vacant post, and below a post held only by the pegawai themself (Plt. of
    their own superior, skipped for them)."""
    tanggal = datetime.date(2026, 6, 1)
    kbpkp = Jabatan.objects.get(instansi=instansi, kode="KBPKP")

    def jabatan(kode: str, parent: Jabatan, jenis: str = "pelaksana") -> Jabatan:
        return b.JabatanFactory(unit=kbpkp.unit, kode=kode, parent=parent, jenis=jenis)

    kosong = jabatan("PKP-KOSONG", kbpkp, "pengawas")
    di_bawah_kosong = b.pegawai_di(jabatan("PKP-KOSONG-AN", jabatan("PKP-KOSONG-2", kosong, "pengawas")))
    atas = jabatan("PKP-SUB", kbpkp, "pengawas")
    rangkap = b.pegawai_di(jabatan("PKP-SUB-AN", atas))
    b.PenempatanFactory(pegawai=rangkap, jabatan=atas, jenis="plt", mulai=datetime.date(2026, 1, 1))
    semua = list(Pegawai.objects.filter(instansi=instansi))
    for p in semua:
        langsung = {x.pegawai.pk for x in selectors.bawahan_langsung(p, tanggal)}
        lewat_rantai = set()
        for q in semua:
            penilai = selectors.rantai_penilai(q, tanggal).penilai
            if penilai is not None and penilai.pegawai.pk == p.pk:
                lewat_rantai.add(q.pk)
        assert langsung == lewat_rantai, p.nip
    bawahan_kabid = {x.pegawai.pk for x in selectors.bawahan_langsung(peg(KBPKP), tanggal)}
    assert {di_bawah_kosong.pk, rangkap.pk} <= bawahan_kabid
