"""The pelaksanaan API: rencana aksi and realisasi per periode, bukti dukung uploads and links, umpan balik
threads — with the pages' permission rules (owner writes; penilai reads and gives feedback; a peer and
another instansi's admin are refused), upload validation, the optimistic-lock conflict (409) and token auth.

Cast (small data, built once, tests/api/conftest.py): the pelaksana owns an approved SKP 2026 rated by the
kabid; the fungsional is a peer. Today Triwulan IV is open and its realisasi are still empty.
"""

from __future__ import annotations

import datetime
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from kinerja.notifikasi.models import Notifikasi
from kinerja.organisasi import services as org_services
from kinerja.organisasi.models import User
from kinerja.pelaksanaan.bukti import services as services_bukti
from kinerja.pelaksanaan.models import BuktiDukung, Realisasi, RencanaAksi, UmpanBalik
from kinerja.perencanaan.models import Indikator, Skp
from tests.api.conftest import FUNGSIONAL, KABID, PELAKSANA

pytestmark = pytest.mark.django_db

JSON = "application/json"
PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


@pytest.fixture(autouse=True)
def media(settings, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    settings.MEDIA_ROOT = tmp_path / "media"
    monkeypatch.setattr(services_bukti, "today", lambda: datetime.date(2026, 11, 24))
    return settings.MEDIA_ROOT


def client_of(username: str) -> Client:
    c = Client()
    c.force_login(User.objects.get(username=username))
    return c


@pytest.fixture
def skp(skp_pelaksana) -> Skp:  # type: ignore[no-untyped-def]
    return skp_pelaksana


def _indikator(skp: Skp) -> Indikator:
    return Indikator.objects.filter(rhk__skp=skp).select_related("rhk").order_by("rhk__urutan", "pk").first()


def _body(ind: Indikator, versi: int, nilai: str = "3", teks: str = "Laporan triwulan selesai") -> dict:
    if ind.target_angka is not None:
        return {"nilai_angka": nilai, "narasi": "Sesuai rencana", "versi": versi}
    return {"nilai_teks": teks, "narasi": "Sesuai rencana", "versi": versi}


def _put_realisasi(client: Client, skp: Skp, ind: Indikator, body: dict, periode: int = 4):
    return client.put(f"/api/v1/skp/{skp.pk}/indikator/{ind.pk}/realisasi/{periode}", body, content_type=JSON)


# --- reading ------------------------------------------------------------------------------------------


def test_owner_penilai_and_admin_read_the_periode_peer_and_other_instansi_do_not(skp, other_instansi):
    url = f"/api/v1/skp/{skp.pk}/pelaksanaan?periode=2"
    body = client_of(PELAKSANA).get(url).json()
    assert body["periode"]["nomor"] == 2 and body["periode"]["nama"] == "Triwulan II"
    assert body["dapat_diisi"] is False  # the TW II deadline has passed
    assert body["jumlah_indikator"] > 0 and body["rhk"][0]["indikator"][0]["target"]
    assert client_of(KABID).get(url).status_code == 200
    admin = User.objects.filter(admin_instansi=skp.instansi).first()
    assert client_of(admin.username).get(url).status_code == 200
    assert client_of(FUNGSIONAL).get(url).status_code == 403
    assert client_of("admin-lain").get(url).status_code == 403
    assert client_of(PELAKSANA).get("/api/v1/skp/999999/pelaksanaan").status_code == 404
    assert client_of(PELAKSANA).get(f"/api/v1/skp/{skp.pk}/pelaksanaan?periode=9").status_code == 404


def test_default_periode_is_the_running_one_with_what_was_entered(skp):
    owner = client_of(PELAKSANA)
    body = owner.get(f"/api/v1/skp/{skp.pk}/pelaksanaan").json()
    assert body["periode"]["nomor"] == 4 and body["dapat_diisi"] is True
    assert body["jumlah_terisi"] == 0
    ind = _indikator(skp)
    assert _put_realisasi(owner, skp, ind, _body(ind, 0)).status_code == 200
    body = client_of(KABID).get(f"/api/v1/skp/{skp.pk}/pelaksanaan?periode=4").json()
    assert body["jumlah_terisi"] == 1
    row = next(i for r in body["rhk"] for i in r["indikator"] if i["id"] == ind.pk)
    assert row["realisasi"]["versi"] == 1 and row["realisasi"]["narasi"] == "Sesuai rencana"


# --- realisasi and optimistic locking ------------------------------------------------------------------


def test_owner_enters_realisasi_then_a_stale_version_is_409_and_nothing_is_overwritten(skp):
    ind = _indikator(skp)
    owner = client_of(PELAKSANA)
    first = _put_realisasi(owner, skp, ind, _body(ind, 0, "3", "Versi pertama"))
    assert first.status_code == 200, first.content
    assert first.json()["versi"] == 1 and first.json()["periode_nomor"] == 4
    second = _put_realisasi(owner, skp, ind, _body(ind, 1, "4", "Versi kedua"))
    assert second.status_code == 200 and second.json()["versi"] == 2
    stale = _put_realisasi(owner, skp, ind, _body(ind, 1, "9", "Versi basi"))
    assert stale.status_code == 409
    assert "sudah diubah di tab/perangkat lain" in stale.json()["detail"]
    r = Realisasi.objects.get(indikator=ind, periode_penilaian__nomor=4)
    assert r.versi == 2 and "basi" not in r.nilai_teks and r.nilai_angka != 9


def test_realisasi_refusals_are_422_with_the_field_and_only_the_owner_writes(skp, other_instansi):
    ind = _indikator(skp)
    body = {"nilai_angka": None, "nilai_teks": "", "versi": 0}
    response = _put_realisasi(client_of(PELAKSANA), skp, ind, body)
    assert response.status_code == 422
    field = "nilai_angka" if ind.target_angka is not None else "nilai_teks"
    assert response.json()["detail"][0]["loc"] == ["body", "payload", field]
    assert _put_realisasi(client_of(KABID), skp, ind, _body(ind, 0)).status_code == 403
    assert _put_realisasi(client_of(FUNGSIONAL), skp, ind, _body(ind, 0)).status_code == 403
    assert _put_realisasi(client_of("admin-lain"), skp, ind, _body(ind, 0)).status_code == 403
    closed = _put_realisasi(client_of(PELAKSANA), skp, ind, _body(ind, 1), periode=3)
    assert closed.status_code in (409, 422)  # TW III is past its deadline: refused, nothing changed
    assert not Realisasi.objects.filter(indikator=ind, periode_penilaian__nomor=4).exists()


def test_rencana_aksi_add_change_conflict_delete(skp):
    rhk = _indikator(skp).rhk
    owner = client_of(PELAKSANA)
    url = f"/api/v1/skp/{skp.pk}/rhk/{rhk.pk}/rencana-aksi"
    created = owner.post(url, {"periode": 4, "teks": "Menyusun jadwal rapat koordinasi"}, content_type=JSON)
    assert created.status_code == 201, created.content
    aksi = created.json()
    assert aksi["versi"] == 1 and aksi["periode_nomor"] == 4
    assert client_of(KABID).post(url, {"periode": 4, "teks": "x"}, content_type=JSON).status_code == 403
    empty = owner.post(url, {"periode": 4, "teks": "  "}, content_type=JSON)
    assert empty.status_code == 422 and empty.json()["detail"][0]["loc"] == ["body", "payload", "teks"]
    put = owner.put(
        f"/api/v1/rencana-aksi/{aksi['id']}",
        {"teks": "Rapat koordinasi bulanan", "versi": 1},
        content_type=JSON,
    )
    assert put.status_code == 200 and put.json()["versi"] == 2
    stale = owner.put(f"/api/v1/rencana-aksi/{aksi['id']}", {"teks": "Basi", "versi": 1}, content_type=JSON)
    assert stale.status_code == 409
    assert RencanaAksi.objects.get(pk=aksi["id"]).teks == "Rapat koordinasi bulanan"
    assert owner.delete(f"/api/v1/rencana-aksi/{aksi['id']}?versi=1").status_code == 409
    assert client_of(FUNGSIONAL).delete(f"/api/v1/rencana-aksi/{aksi['id']}?versi=2").status_code == 403
    assert owner.delete(f"/api/v1/rencana-aksi/{aksi['id']}?versi=2").status_code == 204
    assert not RencanaAksi.objects.filter(pk=aksi["id"]).exists()


# --- bukti dukung ---------------------------------------------------------------------------------------


@pytest.fixture
def realisasi(skp) -> Realisasi:
    ind = _indikator(skp)
    response = _put_realisasi(client_of(PELAKSANA), skp, ind, _body(ind, 0))
    assert response.status_code == 200, response.content
    return Realisasi.objects.get(pk=response.json()["id"])


def _upload(client: Client, realisasi: Realisasi, nama: str, isi: bytes):
    return client.post(
        f"/api/v1/realisasi/{realisasi.pk}/bukti/berkas",
        {"berkas": SimpleUploadedFile(nama, isi), "keterangan": "Notulen rapat"},
    )


def test_upload_a_pdf_and_a_link_through_the_api(realisasi, media):
    owner = client_of(PELAKSANA)
    response = _upload(owner, realisasi, "Notulen rapat.pdf", PDF)
    assert response.status_code == 201, response.content
    bukti = response.json()
    assert bukti["jenis"] == "berkas" and bukti["nama_berkas"] == "Notulen_rapat.pdf"
    assert bukti["tipe"] == "application/pdf" and bukti["unduh"].endswith("/unduh/")
    stored = BuktiDukung.objects.get(pk=bukti["id"])
    assert (media / stored.berkas.name).read_bytes() == PDF
    link = owner.post(
        f"/api/v1/realisasi/{realisasi.pk}/bukti/tautan",
        {"tautan": "https://drive.example.go.id/laporan", "keterangan": "Folder"},
        content_type=JSON,
    )
    assert link.status_code == 201 and link.json()["jenis"] == "tautan"
    detail = client_of(KABID).get(f"/api/v1/realisasi/{realisasi.pk}").json()
    assert [b["jenis"] for b in detail["bukti"]] == ["berkas", "tautan"]
    assert client_of(FUNGSIONAL).get(f"/api/v1/realisasi/{realisasi.pk}").status_code == 403


@pytest.mark.parametrize(
    ("nama", "isi", "pesan"),
    [
        ("kosong.pdf", b"", "kosong"),
        ("program.pdf", b"MZ\x90\x00" + b"\x00" * 60, "executable"),
        ("palsu.pdf", b"bukan pdf sama sekali", "bukan PDF"),
        ("skrip.sh", b"echo hai", "tidak diterima"),
    ],
)
def test_bad_uploads_are_422_with_a_message_and_nothing_is_stored(realisasi, media, nama, isi, pesan):
    response = _upload(client_of(PELAKSANA), realisasi, nama, isi)
    assert response.status_code == 422
    detail = response.json()["detail"]
    assert detail[0]["loc"] == ["body", "berkas"] and pesan in detail[0]["msg"]
    assert not BuktiDukung.objects.exists()
    assert not any(p.is_file() for p in media.rglob("*")) if media.exists() else True


def test_upload_too_big_and_bad_link_and_non_owner(realisasi):
    realisasi.indikator.rhk.skp.instansi.__class__.objects.filter(
        pk=realisasi.indikator.rhk.skp.instansi_id
    ).update(batas_ukuran_bukti_mb=1)
    besar = _upload(client_of(PELAKSANA), realisasi, "besar.pdf", PDF + b"0" * (1024 * 1024))
    assert besar.status_code == 422 and "melebihi batas 1 MB" in besar.json()["detail"][0]["msg"]
    js = client_of(PELAKSANA).post(
        f"/api/v1/realisasi/{realisasi.pk}/bukti/tautan", {"tautan": "javascript:alert(1)"}, content_type=JSON
    )
    assert js.status_code == 422 and js.json()["detail"][0]["loc"] == ["body", "payload", "tautan"]
    assert _upload(client_of(KABID), realisasi, "a.pdf", PDF).status_code == 403
    assert _upload(client_of(FUNGSIONAL), realisasi, "a.pdf", PDF).status_code == 403
    assert not BuktiDukung.objects.exists()


# --- umpan balik ----------------------------------------------------------------------------------------


def test_penilai_gives_feedback_from_the_library_and_the_owner_replies(realisasi, skp):
    kabid = client_of(KABID)
    listing = kabid.get(f"/api/v1/skp/{skp.pk}/umpan-balik").json()
    assert listing["dapat_memberi"] is True and listing["pustaka"]
    frasa = next(p for p in listing["pustaka"] if p["teks"] == "Bukti dukung lengkap dan jelas.")
    response = kabid.post(
        f"/api/v1/skp/{skp.pk}/umpan-balik",
        {"item": f"realisasi:{realisasi.pk}", "frasa_ids": [frasa["id"]], "teks": "Terima kasih."},
        content_type=JSON,
    )
    assert response.status_code == 201, response.content
    utas = response.json()
    assert utas["realisasi_id"] == realisasi.pk and utas["periode_nomor"] == 4
    assert utas["pesan"][0]["teks"] == "Bukti dukung lengkap dan jelas.\n\nTerima kasih."
    owner = client_of(PELAKSANA)
    assert Notifikasi.objects.filter(penerima__pegawai__nip=PELAKSANA, jenis="umpan_balik").count() == 1
    mine = owner.get(f"/api/v1/skp/{skp.pk}/umpan-balik").json()
    assert mine["dapat_memberi"] is False and mine["dapat_membalas"] is True and mine["pustaka"] == []
    reply = owner.post(f"/api/v1/umpan-balik/{utas['id']}/balas", {"teks": "Baik, Bu."}, content_type=JSON)
    assert reply.status_code == 201
    assert [m["dari_pemilik"] for m in reply.json()["pesan"]] == [False, True]
    # The owner cannot start a thread; a peer can neither read nor reply; empty text is 422.
    own = owner.post(
        f"/api/v1/skp/{skp.pk}/umpan-balik",
        {"item": f"realisasi:{realisasi.pk}", "teks": "x"},
        content_type=JSON,
    )
    assert own.status_code == 403
    peer = client_of(FUNGSIONAL)
    assert peer.get(f"/api/v1/skp/{skp.pk}/umpan-balik").status_code == 403
    assert (
        peer.post(f"/api/v1/umpan-balik/{utas['id']}/balas", {"teks": "x"}, content_type=JSON).status_code
        == 403
    )
    kosong = owner.post(f"/api/v1/umpan-balik/{utas['id']}/balas", {"teks": " "}, content_type=JSON)
    assert kosong.status_code == 422
    assert UmpanBalik.objects.count() == 2


def test_feedback_item_must_belong_to_the_skp(skp):
    response = client_of(KABID).post(
        f"/api/v1/skp/{skp.pk}/umpan-balik", {"item": "rhk:999999", "teks": "x"}, content_type=JSON
    )
    assert response.status_code == 422 and "RHK tidak ditemukan" in response.json()["detail"][0]["msg"]


# --- token auth -----------------------------------------------------------------------------------------


def test_token_auth_reads_writes_and_uploads_without_csrf(skp, media):
    _, raw = org_services.create_token(User.objects.get(username=PELAKSANA), "uji")
    api = Client(enforce_csrf_checks=True, headers={"Authorization": f"Bearer {raw}"})
    assert api.get(f"/api/v1/skp/{skp.pk}/pelaksanaan").status_code == 200
    ind = _indikator(skp)
    saved = _put_realisasi(api, skp, ind, _body(ind, 0))
    assert saved.status_code == 200, saved.content
    upload = api.post(
        f"/api/v1/realisasi/{saved.json()['id']}/bukti/berkas", {"berkas": SimpleUploadedFile("a.pdf", PDF)}
    )
    assert upload.status_code == 201
    bad = Client(headers={"Authorization": "Bearer salah"})
    assert bad.get(f"/api/v1/skp/{skp.pk}/pelaksanaan").status_code == 401
    assert Client().get(f"/api/v1/skp/{skp.pk}/pelaksanaan").status_code == 401
