"""The catatan kegiatan API: adding, listing (dates, ISO week, pages), the week with totals, changing and
deleting by the owner only, the evidence file, the suggested realisasi — with the pages' permission rules
(owner writes; penilai and admin read; a peer and another instansi's admin are refused), the services'
Indonesian refusals located at their field, and token / unauthenticated access.

Cast (small data, built once, tests/api/conftest.py): the pelaksana owns an approved SKP 2026 rated by
the kabid; the fungsional is a peer. Time is frozen at Tuesday 24 November 2026 10:00 (week 2026-W48;
Triwulan IV open, Triwulan III locked).
"""

import datetime
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone

from kinerja.organisasi import services as org_services
from kinerja.organisasi.models import PeriodePenilaian, User
from kinerja.pelaksanaan.models import CatatanKegiatan, RencanaAksi
from kinerja.perencanaan.models import Indikator, IndikatorTargetPeriode, Skp
from tests.api.conftest import ADMIN, FUNGSIONAL, KABID, PELAKSANA

pytestmark = pytest.mark.django_db

JSON = "application/json"
NOW = timezone.make_aware(datetime.datetime(2026, 11, 24, 10, 0))
PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


@pytest.fixture(autouse=True)
def frozen(monkeypatch, settings, tmp_path) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setattr("django.utils.timezone.now", lambda: NOW)
    settings.MEDIA_ROOT = tmp_path / "media"


def client_of(username: str) -> Client:
    c = Client()
    c.force_login(User.objects.get(username=username))
    return c


@pytest.fixture
def skp(skp_pelaksana) -> Skp:  # type: ignore[no-untyped-def]
    return skp_pelaksana


def numeric_indikator(skp: Skp) -> Indikator:
    """The SKP's first indikator made numeric and summed over the periods (the demo's is qualitative)."""
    ind = Indikator.objects.filter(rhk__skp=skp).order_by(
        "rhk__jenis", "rhk__urutan", "rhk__pk", "urutan", "pk"
    )[0]
    Indikator.objects.filter(pk=ind.pk).update(
        target_angka=12, satuan="dokumen", target_teks="", konsolidasi="sum"
    )
    for nomor in range(1, 5):
        IndikatorTargetPeriode.objects.update_or_create(
            indikator=ind, nomor=nomor, defaults={"target_angka": 3}
        )
    ind.refresh_from_db()
    return ind


def aksi_tw4(skp: Skp, ind: Indikator) -> RencanaAksi:
    tw4 = PeriodePenilaian.objects.get(periode=skp.periode, nomor=4)
    return RencanaAksi.objects.create(rhk=ind.rhk, periode_penilaian=tw4, teks="Menyusun laporan mingguan")


def body(**kw: object) -> dict:
    data: dict = {
        "tanggal": "2026-11-24",
        "jam_mulai": "08:00",
        "jam_selesai": "09:30",
        "kegiatan": "Menyusun draf laporan",
        "jumlah_output": "2",
        "satuan_output": "dokumen",
    }
    data.update(kw)
    return data


def tambah(client: Client, **kw: object):  # type: ignore[no-untyped-def]
    return client.post("/api/v1/catatan-kegiatan", body(**kw), content_type=JSON)


def loc(response) -> list:  # type: ignore[no-untyped-def]
    assert response.status_code == 422, response.content
    return response.json()["detail"][0]["loc"]


# --- adding and reading -------------------------------------------------------------------------------


def test_owner_adds_a_catatan_for_a_rencana_aksi_and_the_indikator_is_resolved(skp) -> None:  # type: ignore[no-untyped-def]
    ind = numeric_indikator(skp)
    aksi = aksi_tw4(skp, ind)
    r = tambah(client_of(PELAKSANA), rencana_aksi_id=aksi.pk, tautan="https://contoh.go.id/laporan")
    assert r.status_code == 201, r.content
    out = r.json()
    assert out["skp_id"] == skp.pk and out["tanggal"] == "2026-11-24"
    assert out["rencana_aksi_id"] == aksi.pk and out["indikator_id"] == ind.pk  # the RHK's numeric indikator
    assert out["durasi_menit"] == 90 and out["jumlah_output"] == "2" and out["satuan_output"] == "dokumen"
    assert out["tautan"] == "https://contoh.go.id/laporan" and out["nama_berkas"] == "" and out["unduh"] == ""
    c = CatatanKegiatan.objects.get(pk=out["id"])
    assert c.pegawai_id == skp.pegawai_id and c.jumlah_output == Decimal(2)
    assert c.history.first().history_user.username == PELAKSANA  # type: ignore[union-attr]
    detail = client_of(KABID).get(f"/api/v1/catatan-kegiatan/{c.pk}")
    assert detail.status_code == 200
    baca, waktu = detail.json(), datetime.datetime.fromisoformat
    assert waktu(baca.pop("dibuat_pada")) == waktu(out.pop("dibuat_pada")) == NOW
    assert baca == out


def test_owner_penilai_and_admin_list_the_skp_peer_and_other_instansi_do_not(skp, other_instansi) -> None:  # type: ignore[no-untyped-def]
    owner = client_of(PELAKSANA)
    assert tambah(owner).status_code == 201
    url = f"/api/v1/skp/{skp.pk}/catatan-kegiatan"
    for who in (PELAKSANA, KABID, ADMIN):
        r = client_of(who).get(url)
        assert r.status_code == 200, who
        assert r.json()["count"] == 1 and r.json()["items"][0]["kegiatan"] == "Menyusun draf laporan"
    for who in (FUNGSIONAL, "admin-lain"):
        assert client_of(who).get(url).status_code == 403, who
        assert client_of(who).get(url + "/minggu").status_code == 403, who
    pk = CatatanKegiatan.objects.get().pk
    assert client_of(FUNGSIONAL).get(f"/api/v1/catatan-kegiatan/{pk}").status_code == 403
    assert owner.get("/api/v1/skp/999999/catatan-kegiatan").status_code == 404
    assert owner.get("/api/v1/catatan-kegiatan/999999").status_code == 404


def test_list_filters_by_dates_and_week_newest_first_and_pages(skp) -> None:  # type: ignore[no-untyped-def]
    owner = client_of(PELAKSANA)
    for tanggal, kegiatan in [
        ("2026-11-16", "Senin lalu"),
        ("2026-11-22", "Minggu lalu"),
        ("2026-11-23", "Senin ini"),
        ("2026-11-24", "Selasa ini"),
    ]:
        assert tambah(owner, tanggal=tanggal, kegiatan=kegiatan).status_code == 201
    url = f"/api/v1/skp/{skp.pk}/catatan-kegiatan"

    def kegiatan(query: str) -> list[str]:
        r = owner.get(url + query)
        assert r.status_code == 200, r.content
        return [c["kegiatan"] for c in r.json()["items"]]

    assert kegiatan("") == ["Selasa ini", "Senin ini", "Minggu lalu", "Senin lalu"]
    assert kegiatan("?minggu=2026-W48") == ["Selasa ini", "Senin ini"]
    assert kegiatan("?minggu=2026-W47") == ["Minggu lalu", "Senin lalu"]
    assert kegiatan("?dari=2026-11-22&sampai=2026-11-23") == ["Senin ini", "Minggu lalu"]
    assert kegiatan("?minggu=2026-W47&dari=2026-11-20") == ["Minggu lalu"]
    page = owner.get(url + "?page_size=3&page=2").json()
    assert page["count"] == 4 and [c["kegiatan"] for c in page["items"]] == ["Senin lalu"]
    assert loc(owner.get(url + "?minggu=2026-W60")) == ["query", "minggu"]  # no such week
    assert owner.get(url + "?minggu=pekan-ini").status_code == 422
    assert loc(owner.get(url + "?dari=2026-11-24&sampai=2026-11-01")) == ["query", "sampai"]
    assert owner.get(url + "?page_size=1000").status_code == 422


def test_week_with_totals_per_day_and_unit(skp) -> None:  # type: ignore[no-untyped-def]
    owner = client_of(PELAKSANA)
    tambah(owner)
    tambah(owner, jam_mulai="10:00", jam_selesai="11:00", kegiatan="Rapat", jumlah_output="3")
    tambah(owner, tanggal="2026-11-23", jam_mulai="13:00", jam_selesai="13:45", jumlah_output=None)
    r = client_of(KABID).get(f"/api/v1/skp/{skp.pk}/catatan-kegiatan/minggu")  # default: this week
    assert r.status_code == 200, r.content
    m = r.json()
    assert m["minggu"] == "2026-W48" and m["senin"] == "2026-11-23" and m["judul"] == "23 – 29 November 2026"
    assert m["sebelumnya"] == "2026-W47" and m["berikutnya"] is None
    assert m["jumlah"] == 3 and m["durasi_menit"] == 195  # 1 j 30 + 1 j + 45 m
    assert m["output"] == [{"satuan": "dokumen", "jumlah": "5"}]
    assert [h["tanggal"] for h in m["hari"]][:2] == ["2026-11-23", "2026-11-24"] and len(m["hari"]) == 7
    selasa = m["hari"][1]
    assert selasa["nama"] == "Selasa, 24 November" and selasa["durasi_menit"] == 150
    assert [c["kegiatan"] for c in selasa["catatan"]] == ["Menyusun draf laporan", "Rapat"]
    lalu = client_of(PELAKSANA).get(f"/api/v1/skp/{skp.pk}/catatan-kegiatan/minggu?minggu=2026-W47").json()
    assert lalu["jumlah"] == 0 and lalu["berikutnya"] == "2026-W48"


# --- refusals -----------------------------------------------------------------------------------------


def test_refusals_are_422_at_the_field_and_nothing_is_saved(skp) -> None:  # type: ignore[no-untyped-def]
    owner = client_of(PELAKSANA)
    future = tambah(owner, tanggal="2026-11-25")
    assert loc(future) == ["body", "payload", "tanggal"]
    assert future.json()["detail"][0]["msg"] == "Tanggal kegiatan tidak boleh setelah hari ini."
    locked = tambah(owner, tanggal="2026-09-10")
    assert loc(locked) == ["body", "payload", "tanggal"]
    assert "Batas pengisian Triwulan III (5 Oktober 2026) sudah lewat." in locked.json()["detail"][0]["msg"]
    assert loc(tambah(owner, jam_mulai="10:00", jam_selesai="09:00")) == ["body", "payload", "jam_selesai"]
    assert loc(tambah(owner, jam_mulai=None)) == ["body", "payload", "jam_mulai"]
    assert loc(tambah(owner, kegiatan="   ")) == ["body", "payload", "kegiatan"]
    assert loc(tambah(owner, jumlah_output="-1")) == ["body", "payload", "jumlah_output"]
    assert loc(tambah(owner, tautan="javascript:alert(1)")) == ["body", "payload", "tautan"]
    # a rencana aksi / indikator of someone else's SKP
    lain = Skp.objects.filter(pegawai__nip=FUNGSIONAL).order_by("-mulai").first()
    ind_lain = Indikator.objects.filter(rhk__skp=lain).first()
    assert loc(tambah(owner, indikator_id=ind_lain.pk)) == ["body", "payload", "indikator_id"]
    tw4 = PeriodePenilaian.objects.get(periode=lain.periode, nomor=4)
    aksi_lain = RencanaAksi.objects.create(rhk=ind_lain.rhk, periode_penilaian=tw4, teks="Aksi rekan")
    assert loc(tambah(owner, rencana_aksi_id=aksi_lain.pk)) == ["body", "payload", "rencana_aksi_id"]
    # refused by the schema before the service
    assert loc(tambah(owner, tanggal="kemarin")) == ["body", "payload", "tanggal"]
    assert loc(tambah(owner, jam_mulai="08:00+07:00")) == ["body", "payload", "jam_mulai"]
    assert loc(tambah(owner, kegiatan="x" * 2001)) == ["body", "payload", "kegiatan"]
    assert not CatatanKegiatan.objects.exists()


def test_only_a_pegawai_adds_and_unauthenticated_is_401(skp) -> None:  # type: ignore[no-untyped-def]
    r = tambah(client_of(ADMIN))
    assert r.status_code == 403 and "pegawai yang memiliki SKP" in r.json()["detail"]
    anon = Client()
    assert tambah(anon).status_code == 401
    assert anon.get(f"/api/v1/skp/{skp.pk}/catatan-kegiatan").status_code == 401
    assert anon.get(f"/api/v1/skp/{skp.pk}/saran-realisasi").status_code == 401
    bad = Client(headers={"Authorization": "Bearer salah"})
    assert bad.get(f"/api/v1/skp/{skp.pk}/catatan-kegiatan").status_code == 401
    assert not CatatanKegiatan.objects.exists()


def test_token_client_adds_without_csrf(skp) -> None:  # type: ignore[no-untyped-def]
    _, raw = org_services.create_token(User.objects.get(username=PELAKSANA), "uji")
    c = Client(enforce_csrf_checks=True, headers={"Authorization": f"Bearer {raw}"})
    assert tambah(c).status_code == 201
    assert c.get(f"/api/v1/skp/{skp.pk}/catatan-kegiatan").json()["count"] == 1


# --- changing and deleting ----------------------------------------------------------------------------


def test_only_the_owner_changes_and_deletes(skp, other_instansi) -> None:  # type: ignore[no-untyped-def]
    owner = client_of(PELAKSANA)
    pk = tambah(owner, tautan="https://contoh.go.id/a").json()["id"]
    url = f"/api/v1/catatan-kegiatan/{pk}"
    for who in (KABID, FUNGSIONAL, ADMIN, "admin-lain"):
        other = client_of(who)
        assert other.put(url, body(kegiatan="diubah"), content_type=JSON).status_code == 403, who
        assert other.delete(url).status_code == 403, who
    assert CatatanKegiatan.objects.get().kegiatan == "Menyusun draf laporan"
    r = owner.put(
        url,
        body(kegiatan="Menyusun laporan final", jumlah_output="4", tanggal="2026-11-23"),
        content_type=JSON,
    )
    assert r.status_code == 200, r.content
    assert r.json()["kegiatan"] == "Menyusun laporan final" and r.json()["tanggal"] == "2026-11-23"
    assert r.json()["tautan"] == ""  # PUT replaces every field
    c = CatatanKegiatan.objects.get()
    assert c.jumlah_output == 4 and c.history.first().history_user.username == PELAKSANA  # type: ignore[union-attr]
    assert loc(owner.put(url, body(tanggal="2026-09-10"), content_type=JSON)) == [
        "body",
        "payload",
        "tanggal",
    ]
    assert owner.put("/api/v1/catatan-kegiatan/999999", body(), content_type=JSON).status_code == 404
    assert owner.delete(url).status_code == 204
    assert not CatatanKegiatan.objects.exists()
    assert owner.delete(url).status_code == 404


def test_a_catatan_in_a_locked_periode_cannot_be_changed_or_deleted(skp) -> None:  # type: ignore[no-untyped-def]
    c = CatatanKegiatan.objects.create(
        pegawai=skp.pegawai, skp=skp, tanggal=datetime.date(2026, 9, 1), kegiatan="Triwulan III"
    )
    owner = client_of(PELAKSANA)
    url = f"/api/v1/catatan-kegiatan/{c.pk}"
    assert loc(owner.put(url, body(), content_type=JSON)) == ["body", "payload", "tanggal"]
    r = owner.delete(url)
    assert loc(r) == ["tanggal"] and "Batas pengisian Triwulan III" in r.json()["detail"][0]["msg"]
    assert CatatanKegiatan.objects.get().kegiatan == "Triwulan III"


# --- evidence file ------------------------------------------------------------------------------------


def test_evidence_file_is_checked_uploaded_downloaded_and_removed(  # type: ignore[no-untyped-def]
    skp, other_instansi, django_capture_on_commit_callbacks
) -> None:
    owner = client_of(PELAKSANA)
    pk = tambah(owner, tautan="https://contoh.go.id/a").json()["id"]
    url = f"/api/v1/catatan-kegiatan/{pk}/berkas"
    palsu = SimpleUploadedFile("laporan.pdf", b"MZ\x90\x00program", content_type="application/pdf")
    r = owner.post(url, {"berkas": palsu})
    assert loc(r) == ["body", "berkas"] and "program (executable)" in r.json()["detail"][0]["msg"]
    assert not CatatanKegiatan.objects.get().berkas
    pdf = SimpleUploadedFile("laporan.pdf", PDF, content_type="application/pdf")
    assert client_of(KABID).post(url, {"berkas": pdf}).status_code == 403  # the penilai reads only
    pdf.seek(0)
    r = owner.post(url, {"berkas": pdf})
    assert r.status_code == 200, r.content
    out = r.json()
    assert out["nama_berkas"] == "laporan.pdf" and out["unduh"] == url
    assert out["tautan"] == "https://contoh.go.id/a" and out["kegiatan"] == "Menyusun draf laporan"  # kept
    for who in (PELAKSANA, KABID):
        unduh = client_of(who).get(out["unduh"])
        assert unduh.status_code == 200 and b"".join(unduh.streaming_content).startswith(b"%PDF")
    for who in (FUNGSIONAL, "admin-lain"):
        assert client_of(who).get(out["unduh"]).status_code == 403
        assert client_of(who).delete(url).status_code == 403
    assert Client().get(out["unduh"]).status_code == 401
    stored = CatatanKegiatan.objects.get().berkas
    with django_capture_on_commit_callbacks(execute=True):
        r = owner.delete(url)
    assert r.status_code == 200 and r.json()["nama_berkas"] == "" and r.json()["unduh"] == ""
    assert not CatatanKegiatan.objects.get().berkas
    assert not stored.storage.exists(stored.name)  # removed after the commit
    assert owner.delete(url).status_code == 404
    assert owner.get(url).status_code == 404


# --- suggested realisasi ------------------------------------------------------------------------------


def test_suggested_realisasi_sums_the_output_of_the_periode(skp, other_instansi) -> None:  # type: ignore[no-untyped-def]
    ind = numeric_indikator(skp)
    aksi = aksi_tw4(skp, ind)
    owner = client_of(PELAKSANA)
    assert tambah(owner, indikator_id=ind.pk, jumlah_output="5").status_code == 201
    assert tambah(owner, tanggal="2026-10-05", indikator_id=ind.pk, jumlah_output="7").status_code == 201
    assert (
        tambah(owner, tanggal="2026-11-02", rencana_aksi_id=aksi.pk, jumlah_output="2.5").status_code == 201
    )
    assert tambah(owner, indikator_id=ind.pk, jumlah_output=None).status_code == 201  # no output: not counted
    CatatanKegiatan.objects.create(  # Triwulan III: another periode
        pegawai=skp.pegawai,
        skp=skp,
        indikator=ind,
        tanggal=datetime.date(2026, 9, 1),
        kegiatan="x",
        jumlah_output=100,
    )
    url = f"/api/v1/skp/{skp.pk}/saran-realisasi"
    for who in (PELAKSANA, KABID, ADMIN):
        r = client_of(who).get(url)
        assert r.status_code == 200, who
        assert r.json() == {
            "skp_id": skp.pk,
            "periode_nomor": 4,
            "saran": [{"indikator_id": ind.pk, "jumlah": "14.5", "banyak_catatan": 3, "satuan": "dokumen"}],
        }
    tw3 = owner.get(url + "?periode=3").json()
    assert tw3["periode_nomor"] == 3 and tw3["saran"][0]["jumlah"] == "100"
    assert owner.get(url + "?periode=9").status_code == 404
    for who in (FUNGSIONAL, "admin-lain"):
        assert client_of(who).get(url).status_code == 403
