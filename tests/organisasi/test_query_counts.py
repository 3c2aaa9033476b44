"""Admin lists run the same number of queries for 50 and for 500 pegawai (no query per row)."""

import re

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from kinerja.demo import generate
from kinerja.organisasi.models import Jabatan, Penempatan, UnitKerja, User

pytestmark = pytest.mark.django_db

PAGES = [
    "/organisasi/pegawai/",
    "/organisasi/pegawai/?page=2",
    "/organisasi/pegawai/?q=a",
    "/organisasi/pegawai/?unit={root_unit}",
    "/organisasi/pegawai/?unit={leaf_unit}&jenis_jabatan=fungsional",
    "/organisasi/pegawai/?status=aktif&jenis_asn=pns",
    "/organisasi/unit/",  # every unit on one page
    "/organisasi/jabatan/",
    "/organisasi/jabatan/?page=2",
    "/organisasi/jabatan/?unit={root_unit}",
    "/organisasi/jabatan/?status=kosong",
]


def _instansi(pegawai: int, seed: int) -> tuple[generate.GenerateResult, Client, dict[str, int]]:
    result = generate.generate(pegawai, seed, kode=f"QC-{pegawai}")
    client = Client()
    client.force_login(User.objects.get(username=result.admin_username))
    units = UnitKerja.objects.filter(instansi=result.instansi)
    ids = {"root_unit": units.get(parent=None).pk, "leaf_unit": units.order_by("-depth", "pk").first().pk}
    return result, client, ids


def _queries(client: Client, url: str) -> int:
    assert client.get(url).status_code == 200  # warm-up: per-process caches (content types, templates)
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(ctx.captured_queries)


@pytest.fixture
def small_and_large():
    return _instansi(50, 1), _instansi(500, 2)


def test_query_counts_do_not_grow_with_rows(small_and_large):
    (_, small, small_ids), (_, large, large_ids) = small_and_large
    small_counts = {url: _queries(small, url.format(**small_ids)) for url in PAGES}
    large_counts = {url: _queries(large, url.format(**large_ids)) for url in PAGES}
    assert small_counts == large_counts


def test_a_full_page_runs_the_same_queries_as_a_single_row(small_and_large):
    """50 and 500 pegawai both fill a page of 25, so compare a page of 25 rows with a page of one row too."""
    _, (result, client, _) = small_and_large
    plt = Penempatan.objects.filter(jabatan__instansi=result.instansi, jenis="plt").select_related("pegawai")
    holder = plt.first().pegawai  # shows two placements (definitif + PLT) in its row
    staff = Jabatan.objects.filter(instansi=result.instansi, pimpinan_unit=False).order_by("pk").first()
    assert _queries(client, f"/organisasi/pegawai/?q={holder.nip}") == _queries(
        client, "/organisasi/pegawai/"
    )
    assert _queries(client, f"/organisasi/jabatan/?q={staff.kode}") == _queries(
        client, "/organisasi/jabatan/"
    )
    assert "1 pegawai ditemukan" in client.get(f"/organisasi/pegawai/?q={holder.nip}").content.decode()


def test_unit_tree_shows_every_unit_with_the_same_queries(small_and_large):
    (small_result, small, _), (large_result, large, _) = small_and_large
    assert large_result.units > 5 * small_result.units
    for result, client in ((small_result, small), (large_result, large)):
        html = client.get("/organisasi/unit/").content.decode()
        assert f"{result.units} unit" in html
        assert len(re.findall(r'href="/organisasi/unit/\d+/ubah/"', html)) == result.units
    assert _queries(small, "/organisasi/unit/") == _queries(large, "/organisasi/unit/")


def test_lists_show_a_full_page_in_both_sizes(small_and_large):
    for _result, client, _ids in small_and_large:
        for url in ("/organisasi/pegawai/", "/organisasi/pegawai/?page=2", "/organisasi/jabatan/?page=2"):
            html = client.get(url).content.decode()
            assert html.count("<tr>") - 1 == 25, url  # header row + 25 rows
