"""`generate_instansi --lengkap`: logins, approved SKP cascading from the penilai, rencana aksi and
realisasi, written in bulk in the shapes the services write, and real to the app's pages."""

from __future__ import annotations

import io
import json

import pytest
from django.core.management import call_command
from django.test import Client
from django.utils import timezone

from kinerja.demo import generate
from kinerja.organisasi import selectors
from kinerja.organisasi.models import Instansi, Pegawai, PeriodePenilaian, User
from kinerja.pelaksanaan.models import Realisasi, RencanaAksi
from kinerja.perencanaan.models import Indikator, Rhk, Skp, SkpPerilaku, SkpVersi
from kinerja.perencanaan.selectors import hash_data, masalah_pengajuan, snapshot
from kinerja.rules.perilaku import BERAKHLAK
from tests import builders as b

pytestmark = pytest.mark.django_db

N = 60
KODE = "GEN-1-60"


@pytest.fixture
def hasil() -> generate.GenerateResult:
    return generate.generate(N, 1, lengkap=True)  # the suite's clock: 6 December 2026 (Triwulan IV open)


def _isi(instansi: Instansi) -> list[tuple[object, ...]]:
    """Everything --lengkap wrote, by natural keys (no primary keys), to compare two generations."""
    skp = Skp.objects.filter(instansi=instansi)
    return [
        *skp.order_by("pegawai_nip").values_list(
            "pegawai_nip", "penilai_nip", "atasan_nip", "model", "status"
        ),
        *Rhk.objects.filter(skp__in=skp)
        .order_by("skp__pegawai_nip", "urutan")
        .values_list("skp__pegawai_nip", "teks", "intervensi__skp__pegawai_nip", "intervensi__urutan"),
        *Indikator.objects.filter(rhk__skp__in=skp)
        .order_by("rhk__skp__pegawai_nip", "rhk__urutan", "urutan")
        .values_list("teks", "target_angka", "target_teks"),
        *Realisasi.objects.filter(indikator__rhk__skp__in=skp)
        .order_by(
            "indikator__rhk__skp__pegawai_nip",
            "indikator__rhk__urutan",
            "indikator__urutan",
            "periode_penilaian__nomor",
        )
        .values_list("periode_penilaian__nomor", "nilai_angka", "nilai_teks"),
    ]


def test_counts_logins_and_approved_skp(hasil):
    inst = hasil.instansi
    lk = hasil.lengkap
    assert lk is not None
    pegawai = Pegawai.objects.filter(instansi=inst)
    users = User.objects.filter(pegawai__instansi=inst)
    assert lk.users == users.count() == N
    assert set(users.values_list("username", flat=True)) == set(pegawai.values_list("nip", flat=True))
    assert len(set(users.values_list("password", flat=True))) == 1  # one hash, made once
    assert users.first().check_password(generate.PASSWORD)
    skp = Skp.objects.filter(instansi=inst)
    assert lk.skp == skp.count() == N
    assert set(skp.values_list("status", flat=True)) == {"disetujui"}
    assert SkpPerilaku.objects.filter(skp__in=skp).count() == N * len(BERAKHLAK)
    assert SkpVersi.objects.filter(skp__in=skp).count() == N
    jpt = skp.filter(jabatan__jenis="jpt_pratama")
    assert jpt.count() == 1
    assert lk.rhk == Rhk.objects.filter(skp__in=skp).count() == 3 * (N - 1) + 4
    assert lk.indikator == Indikator.objects.filter(rhk__skp__in=skp).count() == 2 * lk.rhk
    pp = PeriodePenilaian.objects.filter(periode__instansi=inst).order_by("nomor")
    assert [p.nomor for p in pp] == [1, 2, 3, 4] and lk.periode_lalu == 3
    assert lk.rencana_aksi == RencanaAksi.objects.filter(rhk__skp__in=skp).count() == 4 * lk.indikator
    realisasi = Realisasi.objects.filter(indikator__rhk__skp__in=skp)
    assert lk.realisasi == realisasi.count() == 3 * lk.indikator
    assert not realisasi.filter(periode_penilaian__nomor=4).exists()  # the current periode stays open


def test_skp_cascade_from_the_penilai_as_the_services_would_write_it(hasil):
    inst = hasil.instansi
    today = timezone.localdate()  # the chain of the day the data is generated, as `create_skp` takes it
    for skp in Skp.objects.filter(instansi=inst).select_related("periode", "jabatan", "pegawai"):
        rantai = selectors.rantai_penilai(skp.pegawai, today)
        assert skp.penilai == (rantai.penilai.pegawai if rantai.penilai else None)
        assert skp.atasan_penilai == (rantai.atasan_penilai.pegawai if rantai.atasan_penilai else None)
        assert masalah_pengajuan(skp) == []  # every RHK utama intervenes, every RHK has indikator
        for rhk in skp.rhk.select_related("intervensi__skp"):
            if skp.penilai_id is None:
                assert rhk.intervensi is None
            else:
                assert rhk.intervensi.skp.pegawai_id == skp.penilai_id
            assert rhk.indikator.count() == 2
        versi = skp.versi.get()
        data = json.loads(json.dumps(snapshot(skp), default=str))
        assert versi.data == data and versi.sha256 == hash_data(snapshot(skp))
        ekspektasi = {p.kode: p.ekspektasi_khusus for p in skp.perilaku.all()}
        assert all(ekspektasi.values()) == (skp.penilai_id is not None)


def test_same_seed_same_rows_and_replace_deletes_the_new_rows(hasil):
    before = _isi(hasil.instansi)
    call_command("generate_instansi", pegawai=N, seed=1, lengkap=True, replace=True, stdout=io.StringIO())
    again = Instansi.objects.get(kode=KODE)
    assert again.pk != hasil.instansi.pk
    assert _isi(again) == before
    assert Skp.objects.filter(instansi_id=hasil.instansi.pk).count() == 0
    assert User.objects.filter(pegawai__instansi=again).count() == N
    other = generate.generate(N, 2, lengkap=True)
    assert _isi(other.instansi) != before


def _klien(username: str) -> Client:
    client = Client(HTTP_USER_AGENT="pytest", REMOTE_ADDR="10.0.0.7")
    assert client.post("/login/", {"username": username, "password": generate.PASSWORD}).status_code == 302
    return client


def test_a_generated_pegawai_and_penilai_use_the_pages(hasil):
    inst = hasil.instansi
    skp = (
        Skp.objects.filter(instansi=inst, jabatan__jenis="pelaksana", model="kualitatif")
        .select_related("penilai")
        .first()
    )
    assert skp is not None
    client = _klien(skp.pegawai_nip)
    for url in ("/", "/skp/", f"/skp/{skp.pk}/", "/realisasi/", f"/realisasi/skp/{skp.pk}/?periode=4"):
        assert client.get(url).status_code == 200, url
    page = client.get(f"/realisasi/skp/{skp.pk}/?periode=2").content.decode()
    ind = Indikator.objects.filter(rhk__skp=skp).order_by("rhk__urutan", "urutan").first()
    assert Realisasi.objects.get(indikator=ind, periode_penilaian__nomor=2).nilai_teks in page
    url = f"/realisasi/skp/{skp.pk}/indikator/{ind.pk}/periode/4/"
    data = {
        f"i{ind.pk}-versi": "0",
        f"i{ind.pk}-nilai_teks": "Tersedia lengkap",
        f"i{ind.pk}-narasi": "Selesai.",
    }
    response = client.post(url, data, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    saved = Realisasi.objects.get(indikator=ind, periode_penilaian__nomor=4)
    assert (saved.nilai_teks, saved.versi, saved.diisi_oleh.username) == (
        "Tersedia lengkap",
        1,
        skp.pegawai_nip,
    )
    # the same save sent again (a phone's retry, docs/rules.md §35) changes nothing
    assert client.post(url, data, HTTP_HX_REQUEST="true").status_code == 200
    assert Realisasi.objects.get(pk=saved.pk).versi == 1
    # another value on the version already overtaken: a conflict
    stale = client.post(url, {**data, f"i{ind.pk}-nilai_teks": "Tersedia sebagian"}, HTTP_HX_REQUEST="true")
    assert "Muat ulang halaman" in stale.content.decode()
    assert Realisasi.objects.get(pk=saved.pk).versi == 1

    penilai = _klien(skp.penilai.nip)
    board = penilai.get("/pemantauan/")
    assert board.status_code == 200
    bawahan = Skp.objects.filter(penilai=skp.penilai, periode=skp.periode)
    assert bawahan.count() >= 2
    for nama in bawahan.values_list("pegawai__nama", flat=True):
        assert nama in board.content.decode()
    assert penilai.get("/penilaian/").status_code == 200
    assert penilai.get("/skp/persetujuan/").status_code == 200


def test_the_admin_pages_and_the_system_check(hasil):
    call_command("check", stdout=io.StringIO())
    admin = b.klien(User.objects.get(username=hasil.admin_username))
    skp = Skp.objects.filter(instansi=hasil.instansi).first()
    for url in ("/", "/organisasi/pegawai/", "/skp/progres/", f"/skp/{skp.pk}/", "/pemantauan/progres/"):
        assert admin.get(url).status_code == 200, url


def test_ganti_replaces_the_plain_instansi_by_its_lengkap_one_in_one_step():
    polos = generate.generate(N, 2, kode="GEN-2-60")
    nip = set(Pegawai.objects.filter(instansi=polos.instansi).values_list("nip", flat=True))
    call_command(
        "generate_instansi",
        pegawai=N,
        seed=2,
        kode="LENGKAP-2-60",
        lengkap=True,
        ganti="GEN-2-60",
        stdout=io.StringIO(),
    )
    assert not Instansi.objects.filter(kode="GEN-2-60").exists()
    assert not User.objects.filter(username="admin-gen-2-60").exists()
    baru = Instansi.objects.get(kode="LENGKAP-2-60")
    assert set(Pegawai.objects.filter(instansi=baru).values_list("nip", flat=True)) == nip  # the same people
    assert Skp.objects.filter(instansi=baru).count() == N


def _kolom(obj: object, model: type) -> dict[str, object]:
    waktu = {"dibuat_pada", "diubah_pada", "pada"}
    return {
        f.attname: getattr(obj, f.attname)
        for f in model._meta.concrete_fields
        if not f.primary_key and f.attname not in waktu
    }


def test_rows_written_as_tuples_are_the_rows_bulk_create_writes(hasil):
    """`lengkap.tulis_baris` (COPY on PostgreSQL): the columns a tuple leaves out take the defaults an
    unsaved instance has, and the given ones their values — the same row as a model instance's."""
    from kinerja.demo import lengkap
    from kinerja.perencanaan.models import LogAlur

    rhk = Rhk.objects.filter(skp__instansi=hasil.instansi).first()
    ind = Indikator.objects.filter(rhk=rhk).first()
    pp = PeriodePenilaian.objects.filter(periode__instansi=hasil.instansi).get(nomor=4)
    user = User.objects.filter(pegawai__instansi=hasil.instansi).first()
    pk = lengkap._Ids([Realisasi]).take(Realisasi)
    lengkap.tulis_baris(Realisasi, [(pk, ind.pk, pp.pk, "Narasi", user.pk, None, "Teks")])
    row = Realisasi.objects.get(pk=pk)
    expected = Realisasi(indikator_id=ind.pk, periode_penilaian_id=pp.pk, narasi="Narasi")
    expected.diisi_oleh_id, expected.nilai_teks = user.pk, "Teks"
    assert _kolom(row, Realisasi) == _kolom(expected, Realisasi)
    assert row.versi == 1 and row.terlambat is False and row.dibuat_pada is not None

    skp = rhk.skp
    sebelum = LogAlur.objects.filter(skp=skp).count()
    lengkap.tulis_baris(LogAlur, [(skp.pk, "buat", "", "draft", user.pk)])
    baru = LogAlur.objects.filter(skp=skp).order_by("-pk").first()
    assert LogAlur.objects.filter(skp=skp).count() == sebelum + 1
    assert _kolom(baru, LogAlur) == _kolom(
        LogAlur(skp_id=skp.pk, aksi="buat", status_ke="draft", oleh_id=user.pk), LogAlur
    )
