"""Admin lists run the same number of queries for 50 and for 500 pegawai (no query per row)."""

import re

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from kinerja.demo import generate
from kinerja.organisasi import selectors
from kinerja.organisasi.models import Jabatan, Penempatan, UnitKerja, User

pytestmark = pytest.mark.django_db

PAGES = [
    "/organisasi/pegawai/",
    "/organisasi/pegawai/?page=2",
    "/organisasi/pegawai/?q=a",
    "/organisasi/pegawai/?unit={root_unit}",
    "/organisasi/pegawai/?unit={leaf_unit}&jenis_jabatan=fungsional",
    "/organisasi/pegawai/?status=aktif&jenis_asn=pns",
    "/organisasi/unit/",  # the first levels of the tree
    "/organisasi/unit/?q=a",
    "/organisasi/unit/{root_unit}/anak/",
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


def test_unit_tree_shows_first_levels_and_opens_the_rest_with_the_same_queries(small_and_large, monkeypatch):
    (small_result, small, small_ids), (large_result, large, large_ids) = small_and_large
    assert large_result.units > 5 * small_result.units
    monkeypatch.setattr(selectors, "POHON_BATAS", 20)  # both trees are deeper than what the page renders
    for result, client, ids in ((small_result, small, small_ids), (large_result, large, large_ids)):
        html = client.get("/organisasi/unit/").content.decode()
        assert f"{result.units} unit" in html
        units = UnitKerja.objects.filter(instansi=result.instansi)
        # The deepest level whose units, with those above, fit in 20 rows: every unit down to it is shown.
        level = max(d for d in range(5) if units.filter(depth__lte=d).count() <= 20)
        shown = re.findall(r'href="/organisasi/unit/(\d+)/ubah/"', html)
        assert sorted(map(int, shown)) == sorted(units.filter(depth__lte=level).values_list("pk", flat=True))
        opened = units.filter(depth__lt=level, children__isnull=False).distinct().count()
        assert html.count('aria-expanded="true"') == opened and html.count('aria-expanded="false"') > 0
        children = client.get(f"/organisasi/unit/{ids['root_unit']}/anak/").content.decode()
        below_root = UnitKerja.objects.filter(parent_id=ids["root_unit"]).count()
        assert len(re.findall(r'href="/organisasi/unit/\d+/ubah/"', children)) == below_root
    for url in ("/organisasi/unit/", "/organisasi/unit/?q=a", "/organisasi/unit/{root_unit}/anak/"):
        assert _queries(small, url.format(**small_ids)) == _queries(large, url.format(**large_ids)), url


def test_lists_show_a_full_page_in_both_sizes(small_and_large):
    for _result, client, _ids in small_and_large:
        for url in ("/organisasi/pegawai/", "/organisasi/pegawai/?page=2", "/organisasi/jabatan/?page=2"):
            html = client.get(url).content.decode()
            assert html.count("<tr>") - 1 == 25, url  # header row + 25 rows
