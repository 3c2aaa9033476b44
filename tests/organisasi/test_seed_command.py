import io

import pytest
from django.core.management import call_command

pytestmark = pytest.mark.django_db


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
