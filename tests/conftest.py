"""Shared fixtures: the demo instansi (the same data `make run` shows) and logged-in clients per role."""

from __future__ import annotations

import datetime
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from unittest import mock
from zoneinfo import ZoneInfo

import pytest
from django.test import Client
from django.utils import timezone
from django_tasks import task_backends
from django_tasks.backends.dummy import DummyBackend
from hypothesis import settings as hypothesis_settings

from kinerja.demo import organisasi as demo
from kinerja.demo import perencanaan as demo_perencanaan
from kinerja.organisasi.models import Instansi, User

DEMO_TODAY = datetime.date(2026, 6, 15)

# Property tests check results, not speed (speed is measured in `make bench`): on a loaded CI machine a
# single example may take longer than Hypothesis' default 200 ms deadline without anything being wrong.
hypothesis_settings.register_profile("kinerja", deadline=None)
hypothesis_settings.load_profile("kinerja")

# The instant the suite runs at (plus the real time elapsed since it started). The demo year is 2026 and
# many tests are about "the running periode" (Triwulan IV, open realisasi windows, drafts until the year
# ends), so the outcome must not depend on the day the suite runs: Django's clock starts here.
WAKTU_UJI = datetime.datetime(2026, 12, 6, 10, 0, tzinfo=ZoneInfo("Asia/Jakarta"))


@pytest.fixture(scope="session", autouse=True)
def _jam_uji() -> Iterator[None]:
    """`django.utils.timezone.now()` (and so `localdate()`, auto_now fields, sessions, lockouts) runs from
    WAKTU_UJI; cookie lifetimes and signatures keep the real clock, which the browser also uses."""
    mulai = time.monotonic()

    def now() -> datetime.datetime:
        return (WAKTU_UJI + datetime.timedelta(seconds=time.monotonic() - mulai)).astimezone(datetime.UTC)

    # django-axes imported `now` by name: its cool-off must run on the same clock as the attempts it stores.
    import axes.attempts
    import axes.handlers.proxy

    with (
        mock.patch.object(timezone, "now", now),
        mock.patch.object(axes.attempts, "now", now),
        mock.patch.object(axes.handlers.proxy, "now", now),
    ):
        yield


@pytest.fixture(autouse=True)
def _cache_kosong() -> Iterator[None]:
    """Every test starts with an empty cache (`kinerja.common.cache`): values cached by an earlier test
    would name rows its rolled-back transaction removed."""
    from django.core.cache import cache

    from kinerja.common import cache as kinerja_cache

    cache.clear()
    # A test runs inside one transaction that never commits: a write's invalidation runs at once, as if the
    # write had committed (tests/common/test_cache.py checks the real on-commit timing with `commit_nyata`).
    with mock.patch.object(kinerja_cache, "_after_commit", lambda fn: fn()):
        yield


@pytest.fixture
def commit_nyata() -> Iterator[None]:
    """Invalidations wait for the commit again (`transaction.on_commit`), as in production."""
    from django.db import transaction

    from kinerja.common import cache as kinerja_cache

    with mock.patch.object(kinerja_cache, "_after_commit", transaction.on_commit):
        yield


@pytest.fixture(scope="session", autouse=True)
def _media_root(tmp_path_factory):  # type: ignore[no-untyped-def]
    """Uploaded and seeded files (bukti dukung of the demo) go to a temporary directory, never var/media;
    so do the trusted roots (the demo CA `seed_demo` writes), never var/ttd."""
    from django.test import override_settings

    with override_settings(
        MEDIA_ROOT=tmp_path_factory.mktemp("media"), TTD_AKAR_DIR=tmp_path_factory.mktemp("akar")
    ):
        yield


@pytest.fixture(scope="session", autouse=True)
def _tugas_langsung():  # type: ignore[no-untyped-def]
    """Background tasks run at once, inside the call that enqueues them (docs/architecture.md)."""
    from django.test import override_settings

    tasks = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    with override_settings(TASKS=tasks):
        yield


@pytest.fixture
def antrean() -> Iterator[DummyBackend]:
    """Tasks are held instead of run: the test reads what was enqueued (its arguments, its run_after)."""
    from django.test import override_settings

    with override_settings(TASKS={"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}):
        backend = task_backends["default"]
        assert isinstance(backend, DummyBackend)
        backend.clear()
        yield backend


@pytest.fixture(scope="session")
def django_db_setup(_media_root, django_db_setup, django_db_blocker):  # type: ignore[no-untyped-def]
    """Load the demo instansi once per test database; each test then runs in a rolled-back transaction."""
    with django_db_blocker.unblock():
        demo_perencanaan.seed(demo.seed(today=DEMO_TODAY))


@pytest.fixture
def demo_instansi(db: None) -> Instansi:
    """The demo instansi (re-seeded when a transactional test flushed the database before)."""
    existing = Instansi.objects.filter(kode=demo.INSTANSI_KODE).first()
    if existing is None:
        existing = demo.seed(today=DEMO_TODAY)
        demo_perencanaan.seed(existing)
    return existing


def _login(username: str) -> Client:
    client = Client()
    client.force_login(User.objects.get(username=username))
    return client


@pytest.fixture
def accounts(demo_instansi: Instansi) -> dict[str, str]:
    """role → login of the demo accounts."""
    return {role: login for role, login, _ in demo.demo_accounts()}


@pytest.fixture
def client_for(accounts: dict[str, str]):  # type: ignore[no-untyped-def]
    """client_for("kabid") → a Client logged in as that demo role."""
    return lambda role: _login(accounts[role])


@pytest.fixture
def other_instansi(db: None) -> Instansi:
    """A second instansi with its own admin, to prove nobody crosses the boundary."""
    from kinerja.organisasi import services
    from kinerja.organisasi.models import Jabatan, Pegawai, Penempatan, UnitKerja

    inst = Instansi.objects.create(kode="LAIN", nama="Dinas Lain")
    unit = services.save_unit_kerja(
        UnitKerja(instansi=inst), instansi=inst, kode="U1", nama="Dinas Lain", parent=None
    )
    jab = services.save_jabatan(
        Jabatan(instansi=inst),
        kode="J1",
        nama="Kepala Dinas",
        jenis="jpt_pratama",
        jenjang="",
        unit=unit,
        parent=None,
        pimpinan_unit=True,
        unit_kerja_mandiri=True,
    )
    peg = services.save_pegawai(Pegawai(instansi=inst), nip="198001012005011001", nama="Pegawai Lain")
    services.save_penempatan(
        Penempatan(pegawai=peg, jabatan=jab), jenis="definitif", mulai=datetime.date(2020, 1, 1)
    )
    User.objects.create(username="admin-lain", admin_instansi=inst)
    return inst


def perpanjang_batas_evaluasi(instansi: Instansi, hari: int = 30) -> None:
    """Move every evaluation deadline of the instansi to at least ``hari`` days from today, as the admin
    may on the Periode page (`update_periode_deadlines`). The demo year's TW I–III deadlines have passed on
    the real clock; tests about rating use this, tests about the deadline lock set their own dates."""
    from kinerja.organisasi.models import Periode
    from kinerja.organisasi.services import update_periode_deadlines

    batas = timezone.localdate() + datetime.timedelta(days=hari)
    for periode in Periode.objects.filter(instansi=instansi).prefetch_related("periode_penilaian"):
        if batas > datetime.date(periode.tahun + 1, 3, 31):
            # An older year: the Periode page refuses deadlines this late (docs/rules.md §7), but tests about
            # rating in a fixed year still need its evaluations open.
            periode.periode_penilaian.filter(batas_evaluasi__lt=batas).update(batas_evaluasi=batas)
            Periode.objects.filter(pk=periode.pk).update(batas_evaluasi_tahunan=batas)
            continue
        tahunan = max(batas, datetime.date(periode.tahun + 1, 1, 15))
        per_periode = {
            pp.pk: (pp.batas_realisasi, max(batas, pp.batas_evaluasi))
            for pp in periode.periode_penilaian.all()
        }
        update_periode_deadlines(periode, periode.batas_skp, tahunan, per_periode)


@pytest.fixture
def batas_evaluasi_terbuka(demo_instansi: Instansi) -> Instansi:
    """The demo instansi with every evaluation deadline 30 days ahead (see `perpanjang_batas_evaluasi`)."""
    perpanjang_batas_evaluasi(demo_instansi)
    return demo_instansi


#: The clock of the seeded demo history in tests (the demo seeds what is past at this moment).
DEMO_NOW = datetime.datetime(2026, 11, 24, 10, 0, tzinfo=ZoneInfo("Asia/Jakarta"))


@contextmanager
def demo_dinilai(django_db_blocker, *lanjutan: Callable[[Instansi], object]) -> Iterator[Instansi]:  # type: ignore[no-untyped-def]
    """The demo instansi with its pelaksanaan and penilaian seeds (TW I–III evaluated and final), then each
    of ``lanjutan`` (e.g. the tindak lanjut history), seeded at `DEMO_NOW` inside a transaction that is
    rolled back at the end. In a module-scoped fixture:
    ``with demo_dinilai(django_db_blocker) as instansi: yield instansi``."""
    from unittest import mock

    from django.db import transaction

    from kinerja.demo import pelaksanaan as demo_pelaksanaan
    from kinerja.demo import penilaian as demo_penilaian

    with django_db_blocker.unblock(), mock.patch("django.utils.timezone.now", lambda: DEMO_NOW):
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            instansi = Instansi.objects.get(kode=demo.INSTANSI_KODE)
            demo_pelaksanaan.seed(instansi)
            demo_penilaian.seed(instansi)
            for seed in lanjutan:
                seed(instansi)
            yield instansi
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)


@pytest.fixture(scope="session")
def penyedia_oidc() -> Iterator[object]:
    """A real OIDC provider (oidc-provider-mock over HTTP on 127.0.0.1) for the whole session."""
    from tests.penyedia_oidc import jalankan_penyedia

    with jalankan_penyedia() as penyedia:
        yield penyedia


@pytest.fixture(scope="session")
def penyedia_oidc_kedaluwarsa() -> Iterator[object]:
    """The same provider, but every ID token it signs expired two minutes before it was issued."""
    from tests.penyedia_oidc import jalankan_penyedia

    with jalankan_penyedia(token_berlaku=datetime.timedelta(minutes=-2)) as penyedia:
        yield penyedia
