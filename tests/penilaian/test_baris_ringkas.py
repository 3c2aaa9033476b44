"""The evaluation list and the group page read plain values, not models: their rows must say what the
per-evaluation computation says. On the demo with TW I–III evaluated (final, rated, overridden), varied
further here (a draft fully rated, a reopened evaluation, a running unlock after the deadline), every
periode and the year:

* each row of the penilai's list (`evaluasi.selectors.bawahan`) against `selectors.tahap`,
  `selectors.status_kunci` and `selectors.rhk_belum_siap` of its `Evaluasi`;
* the group read for the page (`selectors.kelompok(..., ringkas=True)`) against the group of models: the
  same members with the same values, the same check, violations, and what each user may do on it;
* the SKP not yet approved named on the list: not one whose pegawai has an approved SKP this year.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterator
from typing import Any

import pytest

from kinerja.organisasi.models import Instansi, Periode, User
from kinerja.penilaian import selectors
from kinerja.penilaian.evaluasi import selectors as sel_evaluasi
from kinerja.penilaian.models import Evaluasi, JenisEvaluasi
from kinerja.perencanaan.models import Skp
from kinerja.permissions.penilaian import akses_kelompok
from kinerja.rules.alur import Status as StatusSkp
from kinerja.rules.evaluasi import Status
from tests import builders as b
from tests.conftest import DEMO_NOW, demo_dinilai
from tests.penilaian.conftest import FUNGSIONAL, KABID, KEPALA, PELAKSANA

pytestmark = pytest.mark.django_db


def _ragam(instansi: Instansi) -> None:
    """More states than the demo's: in TW II a fully rated draft and a reopened evaluation; in TW I an
    admin unlock running after the deadline."""
    evs = Evaluasi.objects.filter(instansi=instansi, penilai__nip=KABID, jenis=JenisEvaluasi.PERIODIK)
    tw2 = list(evs.filter(periode_penilaian__nomor=2).order_by("pk"))
    tw1 = list(evs.filter(periode_penilaian__nomor=1).order_by("pk"))
    assert len(tw2) >= 2 and tw1
    Evaluasi.objects.filter(pk=tw2[0].pk).update(status=Status.DRAFT.value, predikat="")
    Evaluasi.objects.filter(pk=tw2[1].pk).update(status=Status.DIBUKA_KEMBALI.value)
    Evaluasi.objects.filter(pk=tw1[0].pk).update(kunci_dibuka_sampai=DEMO_NOW + datetime.timedelta(days=2))


@pytest.fixture(scope="module")
def demo(django_db_setup: Any, django_db_blocker: Any) -> Iterator[Instansi]:
    with demo_dinilai(django_db_blocker, _ragam) as instansi:
        yield instansi


@pytest.fixture(autouse=True)
def _batas_evaluasi() -> None:
    """The demo's own deadlines (TW I–III past theirs): the rows show the lock and the running unlock."""


@pytest.fixture(autouse=True)
def _jam(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("django.utils.timezone.now", lambda: DEMO_NOW)


def _tab(instansi: Instansi) -> list[tuple[Periode, Any]]:
    periode = Periode.objects.get(instansi=instansi, tahun=DEMO_NOW.year)
    return [(periode, pp) for pp in periode.periode_penilaian.order_by("nomor")] + [(periode, None)]


def _evaluasi(periode: Periode, pp: Any, pegawai_id: int) -> Evaluasi | None:
    qs = Evaluasi.objects.select_related("periode", "periode_penilaian").filter(pegawai_id=pegawai_id)
    if pp is None:
        return qs.filter(periode=periode, jenis=JenisEvaluasi.TAHUNAN).first()
    return qs.filter(periode_penilaian=pp, jenis=JenisEvaluasi.PERIODIK).first()


def test_list_rows_say_what_each_evaluation_says(demo: Instansi) -> None:
    kabid = User.objects.get(pegawai__nip=KABID).pegawai
    dilihat: set[str] = set()
    kunci: set[bool] = set()
    for periode, pp in _tab(demo):
        baris = sel_evaluasi.bawahan(kabid, periode, pp)
        assert baris
        for row in baris:
            ev = _evaluasi(periode, pp, row.pegawai_id)
            if ev is None:
                assert row.evaluasi is None and row.status_label == "Belum dibuka" and not row.terkunci
                continue
            assert row.evaluasi is not None and row.evaluasi.pk == ev.pk
            tahap = selectors.tahap(ev)
            assert (row.status_label, row.keterangan_draf) == (
                tahap.tahap.label,
                tahap.keterangan if tahap.tahap.value == "draf" else "",
            )
            assert row.terkunci is (not selectors.status_kunci(ev).terbuka)
            kunci.add(row.terkunci)
            assert row.final is ev.is_final
            assert row.evaluasi.hasil_diubah_dari_saran is ev.hasil_diubah_dari_saran
            assert row.evaluasi.perilaku_diubah_dari_saran is ev.perilaku_diubah_dari_saran
            assert row.rating_hasil == ev.get_rating_hasil_display()
            assert row.predikat == ev.get_predikat_display()
            assert row.rhk_tanpa_realisasi == len(selectors.rhk_belum_siap(ev))
            dilihat.add(tahap.tahap.value)
    # the fixture gave the rows their variety (a fully rated draft of an ended periode is "siap ditetapkan")
    assert dilihat >= {"final", "siap_ditetapkan", "dibuka_kembali"}
    assert kunci == {True, False}


def test_the_group_read_for_the_page_equals_the_group_of_models(demo: Instansi) -> None:
    kabid = User.objects.get(pegawai__nip=KABID)
    users = [User.objects.get(pegawai__nip=n) for n in (KABID, KEPALA, FUNGSIONAL, PELAKSANA)]
    users.append(User.objects.filter(admin_instansi=demo).first())  # type: ignore[arg-type]
    for periode, pp in _tab(demo):
        penuh = selectors.kelompok(kabid.pegawai, pp, periode=periode)
        ringkas = selectors.kelompok(kabid.pegawai, pp, periode=periode, ringkas=True)
        assert (ringkas.unit, ringkas.mode, ringkas.capaian) == (penuh.unit, penuh.mode, penuh.capaian)
        assert [e.pk for e in ringkas.evaluasi] == [e.pk for e in penuh.evaluasi]
        for r, e in zip(ringkas.evaluasi, penuh.evaluasi, strict=True):
            for kolom in selectors.KOLOM_ANGGOTA:
                assert getattr(r, kolom) == getattr(e, kolom), kolom
            assert (r.is_final, r.hasil_diubah_dari_saran, r.perilaku_diubah_dari_saran) == (
                e.is_final,
                e.hasil_diubah_dari_saran,
                e.perilaku_diubah_dari_saran,
            )
            berakhir = selectors.status_penetapan_periode(periode, pp).terbuka
            assert selectors.tahap_dari(
                r.status, r.saran_hasil, r.saran_perilaku, r.predikat, berakhir
            ) == selectors.tahap(e)
        assert [(s.pk, s.pegawai_nama, s.penilai_id) for s in ringkas.belum_dibuka] == [
            (s.pk, s.pegawai_nama, s.penilai_id) for s in penuh.belum_dibuka
        ]
        assert ringkas.jumlah == penuh.jumlah and ringkas.cek == penuh.cek
        assert ringkas.pelanggaran_dengan_nama() == penuh.pelanggaran_dengan_nama()
        assert ringkas.semua_final is penuh.semua_final
        tanggal = pp.selesai if pp is not None else datetime.date(periode.tahun, 12, 31)
        for user in users:
            assert akses_kelompok(user, ringkas, tanggal) == akses_kelompok(user, penuh, tanggal), user


def test_unapproved_skp_named_only_without_an_approved_one_this_year(demo: Instansi) -> None:
    kabid = User.objects.get(pegawai__nip=KABID).pegawai
    periode = Periode.objects.get(instansi=demo, tahun=DEMO_NOW.year)
    jabatan = User.objects.get(pegawai__nip=PELAKSANA).pegawai.penempatan.get().jabatan
    draf = b.SkpFactory(pegawai=b.pegawai_di(jabatan, nama="Wulan Draf"))
    # a returned SKP whose pegawai has an approved one this year (rated by another penilai): not named
    kembali = b.SkpFactory(pegawai=b.pegawai_di(jabatan, nama="Pindah Tugas"))
    Skp.objects.filter(pk=kembali.pk).update(status=StatusSkp.DIKEMBALIKAN.value)
    lain = (
        Skp.objects.filter(periode=periode, status=StatusSkp.DISETUJUI.value).exclude(penilai=kabid).first()
    )
    assert lain is not None and draf.penilai_id == kembali.penilai_id == kabid.pk
    disetujui = Skp.objects.get(pk=kembali.pk)
    disetujui.pk = None
    disetujui.mulai = datetime.date(periode.tahun, 2, 1)
    disetujui.status = StatusSkp.DISETUJUI.value
    disetujui.penilai_id = lain.penilai_id
    Skp.objects.bulk_create([disetujui])
    nama = [s.pegawai_nama for s in sel_evaluasi.bawahan_belum_disetujui(kabid, periode)]
    assert draf.pegawai_nama in nama and "Pindah Tugas" not in nama
    # with no approved SKP it is named, as "dikembalikan"
    Skp.objects.filter(pegawai_id=kembali.pegawai_id, status=StatusSkp.DISETUJUI.value).delete()
    assert "Pindah Tugas" in [s.pegawai_nama for s in sel_evaluasi.bawahan_belum_disetujui(kabid, periode)]
