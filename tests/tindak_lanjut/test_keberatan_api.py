"""Keberatan API (docs/rules.md §18): the same permissions as the pages, refusals in Indonesian (422 with the
window's message after the window), the whole flow (file, attach, explain, route, decide, withdraw), and
the list per role.

Cast: the keberatan cast of tests/tindak_lanjut/conftest.py (`p`: kepala → kabid → Ika, Rahmat and five
more; the head of another bidang; the admin)."""

from __future__ import annotations

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone

from kinerja.organisasi import services as org_services
from kinerja.organisasi.models import Pegawai, User
from kinerja.penilaian.models import Evaluasi
from kinerja.tindak_lanjut.models import Keberatan
from tests import builders as b
from tests.tindak_lanjut.keberatan_data import (
    PDF,
    ajukan,
    evaluasi_final,
    pdf,
)

pytestmark = pytest.mark.django_db


API = "/api/v1"


def _api(username: str) -> Client:
    """A client authenticated with a personal API token (Bearer)."""
    _, raw = org_services.create_token(User.objects.get(username=username), "uji")
    return Client(headers={"Authorization": f"Bearer {raw}"})


def _post(c: Client, path: str, body: dict) -> object:
    return c.post(API + path, body, content_type="application/json")


@pytest.fixture
def keberatan(p) -> Keberatan:
    return ajukan(evaluasi_final(p.ika.nip), lampiran=[pdf()])


@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("fungsional", 200),
        ("pelaksana", 403),
        ("kabid", 200),
        ("kepala", 200),
        ("kbmp", 403),
        ("admin", 200),
        ("admin_lain", 403),
    ],
)
def test_read_permission_matrix(keberatan, who, status, p):
    c = _api(p.siapa(who).username)
    r = c.get(f"{API}/keberatan/{keberatan.pk}")
    assert r.status_code == status
    lamp = keberatan.lampiran.get()
    r2 = c.get(f"{API}/keberatan/{keberatan.pk}/lampiran/{lamp.pk}")
    assert r2.status_code == status
    if status == 200:
        data = r.json()
        assert data["status"] == "diajukan" and data["pegawai_nip"] == p.ika.nip
        assert data["predikat_awal"] == "baik" and data["lampiran"][0]["nama"] == "bukti.pdf"
        assert data["lampiran"][0]["unduh"] == f"{API}/keberatan/{keberatan.pk}/lampiran/{lamp.pk}"
        assert b"".join(r2.streaming_content) == PDF
    else:
        assert r.json()["detail"] == "Anda tidak berhak melihat keberatan ini."
    assert c.get(f"{API}/keberatan/999999").status_code == 404


def test_filing_through_the_api_window_and_roles(p):
    ev = evaluasi_final(p.ika.nip)
    r = _api(p.ika.nip).get(f"{API}/evaluasi/{ev.pk}/keberatan/status")
    batas = timezone.localdate() + datetime.timedelta(days=14)
    assert r.status_code == 200 and r.json()["boleh"] is True and r.json()["batas"] == batas.isoformat()
    r = _post(_api(p.kabid.nip), f"/evaluasi/{ev.pk}/keberatan", {"alasan": "x"})
    assert r.status_code == 403 and "pegawai yang dinilai" in r.json()["detail"]
    r = _post(_api(p.ika.nip), f"/evaluasi/{ev.pk}/keberatan", {"alasan": " "})
    assert r.status_code == 422
    assert r.json()["detail"][0]["loc"] == ["body", "payload", "alasan"]
    assert r.json()["detail"][0]["msg"] == "Isi alasan keberatan."
    r = _post(_api(p.ika.nip), f"/evaluasi/{ev.pk}/keberatan", {"alasan": "RHK tercapai."})
    assert r.status_code == 201 and r.json()["status"] == "diajukan" and r.json()["pemutus_id"] is not None
    k_id = r.json()["id"]
    up = SimpleUploadedFile("dukung.pdf", PDF, "application/pdf")
    r = _api(p.ika.nip).post(f"{API}/keberatan/{k_id}/lampiran", {"berkas": up})
    assert r.status_code == 201 and r.json()["nama"] == "dukung.pdf"
    exe = SimpleUploadedFile("x.pdf", b"MZ" + b"\x00" * 50)
    r = _api(p.ika.nip).post(f"{API}/keberatan/{k_id}/lampiran", {"berkas": exe})
    assert r.status_code == 422 and "executable" in r.json()["detail"][0]["msg"]
    r = _api(p.kabid.nip).post(
        f"{API}/keberatan/{k_id}/lampiran", {"berkas": SimpleUploadedFile("a.pdf", PDF)}
    )
    assert r.status_code == 403


def test_after_the_window_422_with_the_message(p):
    ev = evaluasi_final(p.ika.nip)
    Evaluasi.objects.filter(pk=ev.pk).update(final_pada=timezone.now() - datetime.timedelta(days=15))
    r = _post(_api(p.ika.nip), f"/evaluasi/{ev.pk}/keberatan", {"alasan": "Terlambat."})
    assert r.status_code == 422
    assert r.json()["detail"][0]["msg"].startswith(
        "Batas pengajuan keberatan (14 hari sejak dokumen diterbitkan"
    )
    s = _api(p.ika.nip).get(f"{API}/evaluasi/{ev.pk}/keberatan/status").json()
    assert s["boleh"] is False and "berakhir" in s["alasan"]


def test_explain_decide_flow_and_wrong_roles(keberatan, p):
    k = keberatan.pk
    for who in (p.ika.nip, p.kepala.nip, p.kbmp.nip, p.admin.username):
        assert _post(_api(who), f"/keberatan/{k}/penjelasan", {"penjelasan": "x"}).status_code in (403,)
    r = _post(_api(p.kepala.nip), f"/keberatan/{k}/keputusan", {"keputusan": "ditolak", "pertimbangan": "x"})
    assert (
        r.status_code == 422 and "setelah pejabat penilai memberi penjelasan" in r.json()["detail"][0]["msg"]
    )
    r = _post(_api(p.kabid.nip), f"/keberatan/{k}/penjelasan", {"penjelasan": "Dua RHK di bawah target."})
    assert r.status_code == 200 and r.json()["status"] == "dijelaskan"
    for who in (p.ika.nip, p.kabid.nip, p.kbmp.nip, p.admin.username):
        r = _post(_api(who), f"/keberatan/{k}/keputusan", {"keputusan": "ditolak", "pertimbangan": "x"})
        assert r.status_code == 403
    body = {
        "keputusan": "dikabulkan",
        "pertimbangan": "Bukti baru.",
        "rating_hasil": "diatas",
        "rating_perilaku": "diatas",
    }
    r = _post(_api(p.kepala.nip), f"/keberatan/{k}/keputusan", body)
    assert r.status_code == 200, r.json()
    data = r.json()
    assert data["status"] == "dikabulkan" and data["predikat_akhir"] == "sangat_baik"
    assert data["rating_hasil_baru"] == "diatas" and data["dokumen_revisi"] == 2
    assert Evaluasi.objects.get(pk=keberatan.evaluasi_id).predikat == "sangat_baik"
    r = _post(_api(p.ika.nip), f"/keberatan/{k}/tarik", {})
    assert r.status_code == 422 and "berstatus dikabulkan" in r.json()["detail"][0]["msg"]


def test_withdraw_and_lists_per_role(p):
    k = ajukan(evaluasi_final(p.ika.nip))

    def ids(c: Client, peran: str, **q: str) -> list[int]:
        r = c.get(f"{API}/keberatan", {"peran": peran, **q})
        assert r.status_code == 200, r.content
        return [x["id"] for x in r.json()["items"]]

    assert ids(_api(p.ika.nip), "saya") == [k.pk]
    assert ids(_api(p.kabid.nip), "penilai") == [k.pk] and ids(_api(p.kbmp.nip), "penilai") == []
    assert ids(_api(p.kepala.nip), "pemutus") == [k.pk] and ids(_api(p.kabid.nip), "pemutus") == []
    assert (
        ids(_api(p.admin.username), "admin") == [k.pk]
        and ids(_api(b.admin_instansi(b.InstansiFactory()).username), "admin") == []
    )
    assert _api(p.kabid.nip).get(f"{API}/keberatan", {"peran": "admin"}).status_code == 403
    assert _post(_api(p.kabid.nip), f"/keberatan/{k.pk}/tarik", {}).status_code == 403
    r = _post(_api(p.ika.nip), f"/keberatan/{k.pk}/tarik", {"alasan": "Sudah jelas."})
    assert r.status_code == 200 and r.json()["status"] == "ditarik"
    assert ids(_api(p.kepala.nip), "pemutus") == [] and ids(_api(p.kepala.nip), "pemutus", semua="true") == [
        k.pk
    ]
    assert ids(_api(p.admin.username), "admin", status="ditarik") == [k.pk]
    assert ids(_api(p.admin.username), "admin", status="terbuka") == []


def test_route_by_the_admin(p):
    k = ajukan(evaluasi_final(p.kepala.nip))
    assert k.pemutus_id is None
    kbmp = Pegawai.objects.get(nip=p.kbmp.nip)
    body = {"pemutus_id": kbmp.pk, "alasan": "SK PPK 1/2026"}
    assert (
        _post(
            _api(b.admin_instansi(b.InstansiFactory()).username), f"/keberatan/{k.pk}/pemutus", body
        ).status_code
        == 403
    )
    assert _post(_api(p.kabid.nip), f"/keberatan/{k.pk}/pemutus", body).status_code == 403
    r = _post(_api(p.admin.username), f"/keberatan/{k.pk}/pemutus", {**body, "alasan": ""})
    assert r.status_code == 422 and r.json()["detail"][0]["loc"] == ["body", "payload", "alasan"]
    r = _post(_api(p.admin.username), f"/keberatan/{k.pk}/pemutus", {**body, "pemutus_id": 999999})
    assert r.status_code == 422
    r = _post(_api(p.admin.username), f"/keberatan/{k.pk}/pemutus", body)
    assert r.status_code == 200 and r.json()["pemutus_id"] == kbmp.pk
    r = _post(_api(p.kbmp.nip), f"/keberatan/{k.pk}/keputusan", {"keputusan": "ditolak", "pertimbangan": "x"})
    # Not explained yet and the penjelasan deadline not passed: refused by the workflow, not the role.
    assert r.status_code == 422


def test_list_query_count_flat(p):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def hitung(c: Client, peran: str) -> int:
        with CaptureQueriesContext(connection) as ctx:
            r = c.get(f"{API}/keberatan", {"peran": peran, "semua": "true"})
        assert r.status_code == 200
        return len(ctx)

    ajukan(evaluasi_final(p.bawahan_kabid[0]))
    klien = [
        (_api(p.admin.username), "admin"),
        (_api(p.kabid.nip), "penilai"),
        (_api(p.kepala.nip), "pemutus"),
    ]
    for c, peran in klien:  # the first use of a token records when it was used
        hitung(c, peran)
    kecil = [hitung(c, peran) for c, peran in klien]
    for nip in p.bawahan_kabid[1:]:
        ajukan(evaluasi_final(nip))
    assert [hitung(c, peran) for c, peran in klien] == kecil
    assert len(_api(p.admin.username).get(f"{API}/keberatan", {"peran": "admin"}).json()["items"]) == 7
