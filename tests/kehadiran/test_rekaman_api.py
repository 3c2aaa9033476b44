"""The push API `POST /api/v1/kehadiran/rekaman` (instansi token only; idempotent; scoped to the token's
instansi)."""

from __future__ import annotations

import json

import pytest
from django.test import Client

from kinerja.kehadiran.models import MesinPresensi, PinMesin, Rekaman, SumberRekaman
from kinerja.organisasi import services as org_services
from kinerja.tindak_lanjut.siasn.ekspor import services_token
from tests.builders import InstansiFactory, JabatanFactory, UnitKerjaFactory, admin_instansi, pegawai_di

pytestmark = pytest.mark.django_db
URL = "/api/v1/kehadiran/rekaman"


@pytest.fixture
def dunia():
    instansi = InstansiFactory()
    kepala = JabatanFactory(instansi=instansi, unit=UnitKerjaFactory(instansi=instansi))
    a = pegawai_di(kepala)
    admin = admin_instansi(instansi)
    mesin = MesinPresensi.objects.create(instansi=instansi, nama="Lobi", nomor_seri="SN-9")
    PinMesin.objects.create(mesin=mesin, pin="12", pegawai=a)
    token, raw = services_token.create_token(instansi, admin, "Sistem presensi")
    return instansi, admin, a, token, raw


def _kirim(raw: str | None, body: object) -> object:
    headers = {"HTTP_AUTHORIZATION": f"Bearer {raw}"} if raw else {}
    return Client().post(URL, json.dumps(body), content_type="application/json", **headers)


def test_push_by_nip_and_by_machine_pin_is_idempotent(dunia):
    _, _, a, _, raw = dunia
    body = {
        "rekaman": [
            {"nip": a.nip, "waktu": "2026-11-02T07:55:00+07:00"},
            {"mesin": "SN-9", "pin": "12", "waktu": "2026-11-02T09:05:00Z"},  # 16:05 WIB
            {"mesin": "Lobi", "pin": "12", "waktu": "2026-11-02T16:05:00+07:00"},  # the same tap again
            {"mesin": "Lobi", "pin": "99", "waktu": "2026-11-02T16:05:00+07:00"},
            {"nip": a.nip, "waktu": "2027-11-02T07:55:00+07:00"},
        ]
    }
    r = _kirim(raw, body)
    assert r.status_code == 200, r.content
    data = r.json()
    assert (data["diterima"], data["baru"], data["sudah_ada"]) == (3, 2, 1)
    assert [d["indeks"] for d in data["ditolak"]] == [3, 4]
    assert "PIN 99" in data["ditolak"][0]["alasan"] and "masa depan" in data["ditolak"][1]["alasan"]
    assert set(Rekaman.objects.values_list("sumber", flat=True)) == {SumberRekaman.API}
    again = _kirim(raw, body).json()
    assert (again["baru"], again["sudah_ada"]) == (0, 3)
    assert Rekaman.objects.count() == 2


def test_another_instansis_pegawai_is_refused(dunia):
    _, _, a, _, _ = dunia
    lain = InstansiFactory()
    _, raw_lain = services_token.create_token(lain, admin_instansi(lain, "admin-lain"), "Presensi lain")
    r = _kirim(raw_lain, {"rekaman": [{"nip": a.nip, "waktu": "2026-11-02T07:55:00+07:00"}]})
    assert r.status_code == 200
    assert r.json()["baru"] == 0 and "bukan pegawai instansi ini" in r.json()["ditolak"][0]["alasan"]
    r = _kirim(raw_lain, {"rekaman": [{"mesin": "Lobi", "pin": "12", "waktu": "2026-11-02T07:55:00+07:00"}]})
    assert "tidak dikenal" in r.json()["ditolak"][0]["alasan"]
    assert not Rekaman.objects.exists()


def test_auth_missing_wrong_revoked_and_personal_token(dunia):
    _, admin, a, token, raw = dunia
    body = {"rekaman": [{"nip": a.nip, "waktu": "2026-11-02T07:55:00+07:00"}]}
    assert _kirim(None, body).status_code == 401
    assert _kirim("kni_salah", body).status_code == 401
    pribadi = org_services.create_token(admin, "pribadi")[1]
    assert _kirim(pribadi, body).status_code == 401
    services_token.revoke_token(token, admin)
    r = _kirim(raw, body)
    assert r.status_code == 401 and "dicabut" in r.json()["detail"]
    assert not Rekaman.objects.exists()


def test_validation_errors_and_size_limit(dunia):
    _, _, a, _, raw = dunia
    r = _kirim(raw, {"rekaman": [{"waktu": "2026-11-02T07:55:00+07:00"}]})
    assert r.status_code == 422 and r.json()["detail"][0]["loc"][:3] == ["body", "payload", "rekaman"]
    r = _kirim(raw, {"rekaman": [{"nip": a.nip, "waktu": "kemarin"}]})
    assert r.status_code == 422
    banyak = [
        {"nip": a.nip, "waktu": f"2026-11-02T07:{i % 60:02d}:{i // 60 % 60:02d}+07:00"} for i in range(5001)
    ]
    r = _kirim(raw, {"rekaman": banyak})
    assert r.status_code == 422 and not Rekaman.objects.exists()
    r = _kirim(raw, {"rekaman": banyak[:3600]})
    assert r.status_code == 200 and r.json()["baru"] == 3600
