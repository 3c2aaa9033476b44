"""Imports of attendance files (`kinerja.kehadiran.rekaman.services`): the job, its counts and refusals,
atomicity, idempotence, the spreadsheet template round-trip, and the machine / PIN services."""

from __future__ import annotations

import datetime
import io
from unittest import mock

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone
from openpyxl import Workbook, load_workbook

from kinerja.kehadiran import signals
from kinerja.kehadiran.models import ImporKehadiran, MesinPresensi, PinMesin, Rekaman
from kinerja.kehadiran.rekaman import services
from kinerja.pekerjaan.models import Status
from kinerja.pekerjaan.services import Laporan, jalankan
from tests.builders import InstansiFactory, JabatanFactory, UnitKerjaFactory, admin_instansi, pegawai_di

pytestmark = pytest.mark.django_db


@pytest.fixture
def dunia():
    instansi = InstansiFactory()
    unit = UnitKerjaFactory(instansi=instansi)
    kepala = JabatanFactory(instansi=instansi, unit=unit)
    a = pegawai_di(kepala)
    b = pegawai_di(JabatanFactory(instansi=instansi, unit=unit, parent=kepala))
    admin = admin_instansi(instansi)
    mesin = MesinPresensi.objects.create(instansi=instansi, nama="Lobi", nomor_seri="A1B2")
    PinMesin.objects.create(mesin=mesin, pin="1", pegawai=a)
    PinMesin.objects.create(mesin=mesin, pin="2", pegawai=b)
    return instansi, admin, mesin, a, b


ATTLOG = (
    b"     1\t2026-11-02 07:55:00\t1\t0\t1\t0\r\n"
    b"     2\t2026-11-02 07:40:10\t1\t0\t1\t0\r\n"
    b"     1\t2026-11-02 16:05:00\t1\t1\t1\t0\r\n"
    b"     1\t2026-11-02 16:05:00\t1\t1\t1\t0\r\n"  # the same tap twice in one file
    b"     9\t2026-11-02 07:00:00\t1\t0\t1\t0\r\n"  # unknown PIN
    b"     2\t2026-11-0x 07:00:00\t1\t0\t1\t0\r\n"  # unreadable
    b"     2\t2026-11-02\r\n"  # too few fields
    b"     2\t2027-01-02 07:00:00\t1\t0\t1\t0\r\n"  # future
)


def _impor(admin, instansi, isi: bytes, mesin=None, jenis="attlog", captured=None) -> ImporKehadiran:
    impor = services.mulai_impor(
        admin, instansi, jenis=jenis, nama_berkas="X_attlog.dat", isi=isi, mesin=mesin
    )
    assert impor.pekerjaan is not None
    jalankan(impor.pekerjaan.pk)
    impor.refresh_from_db()
    impor.pekerjaan.refresh_from_db()
    return impor


def test_attlog_import_counts_refusals_and_signal(dunia, django_capture_on_commit_callbacks):
    instansi, admin, mesin, a, b = dunia
    terima = mock.Mock()
    signals.kehadiran_berubah.connect(terima)
    try:
        with django_capture_on_commit_callbacks(execute=True):
            impor = _impor(admin, instansi, ATTLOG, mesin)
    finally:
        signals.kehadiran_berubah.disconnect(terima)
    assert impor.pekerjaan.status == Status.SELESAI, impor.pekerjaan.alasan
    assert (impor.jumlah_baris, impor.jumlah_baru, impor.jumlah_sudah_ada, impor.jumlah_ditolak) == (
        8,
        3,
        1,
        4,
    )
    assert [(t["baris"], t["alasan"].split()[0]) for t in impor.ditolak] == [
        (5, "PIN"),
        (6, "Tanggal/jam"),
        (7, "Kolom"),
        (8, "Waktu"),
    ]
    assert "tidak terdaftar di mesin Lobi" in impor.ditolak[0]["alasan"]
    waktu = Rekaman.objects.get(pegawai=b).waktu
    assert timezone.localtime(waktu).replace(tzinfo=None) == datetime.datetime(2026, 11, 2, 7, 40, 10)
    assert waktu.utcoffset() is not None
    kw = terima.call_args.kwargs
    assert (kw["instansi_id"], sorted(kw["pegawai_ids"])) == (instansi.pk, sorted([a.pk, b.pk]))
    assert kw["mulai"] == kw["selesai"] == datetime.date(2026, 11, 2)


def test_reimport_adds_nothing_and_knows_the_file(dunia):
    instansi, admin, mesin, *_ = dunia
    pertama = _impor(admin, instansi, ATTLOG, mesin)
    kedua = _impor(admin, instansi, ATTLOG, mesin)
    assert Rekaman.objects.count() == 3
    assert (kedua.jumlah_baru, kedua.jumlah_sudah_ada, kedua.jumlah_ditolak) == (0, 4, 4)
    assert services.sudah_pernah(instansi.pk, kedua.sha256, kecuali=kedua.pk) == pertama


def test_a_crash_midway_leaves_no_taps(dunia):
    instansi, admin, mesin, *_ = dunia
    asli = Laporan.langkah

    def gagal_di_batch_kedua(self, selesai, jumlah, teks=""):
        if teks.startswith("Menyimpan rekaman: 2 "):
            raise RuntimeError("disk penuh")
        return asli(self, selesai, jumlah, teks)

    with (
        mock.patch.object(services, "UKURAN_BATCH", 1),
        mock.patch.object(Laporan, "langkah", gagal_di_batch_kedua),
    ):
        impor = _impor(admin, instansi, ATTLOG, mesin)
    assert impor.pekerjaan.status == Status.GAGAL
    assert Rekaman.objects.count() == 0 and impor.selesai_pada is None


def test_pin_is_nip_machine(dunia):
    instansi, admin, _, a, _ = dunia
    mesin = MesinPresensi.objects.create(instansi=instansi, nama="Gerbang", pin_adalah_nip=True)
    impor = _impor(admin, instansi, f"{a.nip}\t2026-11-03 07:10:00\t1\t0\t1\t0\n".encode(), mesin)
    assert impor.jumlah_baru == 1 and Rekaman.objects.get().pegawai == a


def test_spreadsheet_template_round_trip(dunia):
    instansi, admin, _, a, b = dunia
    wb = load_workbook(io.BytesIO(services.template_lembar()))
    ws = wb["Rekaman"]
    assert [c.value for c in ws[1]] == ["NIP", "Tanggal", "Jam"]
    ws.append([a.nip, "02-11-2026", "07:30"])
    ws.append([b.nip, datetime.date(2026, 11, 2), datetime.time(16, 1, 2)])
    ws.append(["199901012020011001", "02-11-2026", "07:30"])  # not of this instansi
    buf = io.BytesIO()
    wb.save(buf)
    impor = _impor(admin, instansi, buf.getvalue(), jenis="lembar")
    assert impor.pekerjaan.status == Status.SELESAI, impor.pekerjaan.alasan
    assert (impor.jumlah_baru, impor.jumlah_ditolak) == (2, 1)
    assert "bukan pegawai instansi ini" in impor.ditolak[0]["alasan"] and impor.ditolak[0]["baris"] == 4


def test_only_the_admin_of_the_instansi_imports_and_manages(dunia):
    instansi, admin, mesin, a, _ = dunia
    lain = admin_instansi(InstansiFactory(), "admin-lain")
    with pytest.raises(PermissionDenied):
        services.mulai_impor(lain, instansi, jenis="attlog", nama_berkas="x", isi=ATTLOG, mesin=mesin)
    with pytest.raises(PermissionDenied):
        services.tambah_pin(lain, mesin, "5", a.nip)
    with pytest.raises(ValidationError):  # a machine of another instansi
        services.mulai_impor(
            lain, lain.admin_instansi, jenis="attlog", nama_berkas="x", isi=ATTLOG, mesin=mesin
        )


def test_pin_services(dunia):
    instansi, admin, mesin, a, b = dunia
    with pytest.raises(ValidationError, match="sudah dipakai"):
        services.tambah_pin(admin, mesin, "1", b.nip)
    asing = pegawai_di(JabatanFactory())
    with pytest.raises(ValidationError, match="bukan pegawai"):
        services.tambah_pin(admin, mesin, "7", asing.nip)
    pin = services.tambah_pin(admin, mesin, "7", b.nip)
    assert pin.history.get().history_user == admin
    services.hapus_pin(admin, pin)
    assert not PinMesin.objects.filter(pin="7").exists()


def _xlsx(rows) -> io.BytesIO:
    wb = Workbook()
    ws = wb.active
    ws.append(["PIN", "NIP"])
    for r in rows:
        ws.append(r)
    buf = io.BytesIO()
    wb.save(buf)
    buf.seek(0)
    return buf


def test_pin_spreadsheet_is_all_or_nothing(dunia):
    instansi, admin, mesin, a, b = dunia
    asing = pegawai_di(JabatanFactory())
    with pytest.raises(ValidationError) as e:
        services.impor_pin(admin, mesin, _xlsx([["10", a.nip], ["11", asing.nip], ["10", b.nip]]))
    assert e.value.messages == [
        f"Baris 3: NIP {asing.nip} bukan pegawai instansi ini.",
        "Baris 4: PIN 10 sudah ada di baris 2.",
    ]
    assert PinMesin.objects.filter(mesin=mesin).count() == 2
    assert services.impor_pin(admin, mesin, _xlsx([["10", a.nip], ["1", b.nip]])) == 2
    assert dict(PinMesin.objects.filter(mesin=mesin).values_list("pin", "pegawai_id")) == {
        "1": b.pk,
        "2": b.pk,
        "10": a.pk,
    }
