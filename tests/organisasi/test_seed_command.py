import io

import pytest
from django.core.management import call_command

from kinerja.demo import ttd as demo_ttd
from kinerja.dokumen.models import Dokumen
from kinerja.dokumen.ttd import pdf
from kinerja.organisasi.models import User
from kinerja.permissions import allowed

pytestmark = pytest.mark.django_db

KABID = "197904182005012005"
PELAKSANA = "199108162015031001"


def test_seed_demo_list_prints_role_login_name(demo_instansi):
    out = io.StringIO()
    call_command("seed_demo", "--list", stdout=out)
    rows = [line.split("\t") for line in out.getvalue().splitlines()]
    assert [r[0] for r in rows] == ["admin", "kepala", "kabid", "fungsional", "pelaksana"]
    assert rows[0][1] == "admin"
    assert all(len(r) == 3 and r[2] for r in rows)
    assert all(r[1].isdigit() and len(r[1]) == 18 for r in rows[1:])


def test_every_demo_account_logs_in_with_the_demo_password(demo_instansi, client):
    out = io.StringIO()
    call_command("seed_demo", "--list", stdout=out)
    for line in out.getvalue().splitlines():
        _, login, _ = line.split("\t")
        assert client.login(username=login, password="kinerja-demo"), login


def test_banner_seeds_and_prints_the_url(demo_instansi):
    out = io.StringIO()
    call_command("seed_demo", "--banner", "--url", "http://127.0.0.1:9000/", stdout=out)
    assert "http://127.0.0.1:9000/" in out.getvalue() and "kinerja-demo" in out.getvalue()
    assert "6 tanda tangan elektronik demo dibuat" in out.getvalue()

    # The demo carries signed documents (docs/rules.md §29.2), valid against the demo CA it trusts.
    akar = pdf.akar_tepercaya()
    bertanda = list(Dokumen.objects.exclude(status_ttd="belum"))
    assert sorted(d.status_ttd for d in bertanda) == ["lengkap", "lengkap", "sebagian", "sebagian"]
    for dok in bertanda:
        with dok.berkas.open("rb") as f:
            hasil = pdf.periksa(f.read(), akar=akar)
        assert hasil.semua_sah and len(hasil.tanda_tangan) == dok.tanda_tangan.count(), dok
    # The kabid has the pelaksana's SKP waiting for her signature as his penilai.
    kabid = User.objects.get(username=KABID)
    skp_pelaksana = Dokumen.objects.get(jenis="skp", pegawai_nip=PELAKSANA, status_ttd="sebagian")
    assert allowed(kabid, "dokumen.sign_dokumen", skp_pelaksana)
    # Seeding again signs nothing more.
    assert demo_ttd.seed(demo_instansi, "http://127.0.0.1:9000/") == 0


def test_loading_prints_each_numbered_step_with_its_time(demo_instansi):
    out = io.StringIO()
    call_command("seed_demo", stdout=out)
    langkah = [baris for baris in out.getvalue().splitlines() if baris.startswith("[")]
    assert [baris.split("]")[0] for baris in langkah] == [f"[{n}/10" for n in range(1, 11)]
    assert all(baris.endswith("dtk)") and "selesai (" in baris for baris in langkah)
    assert "CA demo" in out.getvalue()
