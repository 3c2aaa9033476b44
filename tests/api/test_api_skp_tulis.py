"""Writing SKP through the API: create, the one-call PUT (atomic), and the agreement workflow per role."""

from __future__ import annotations

import pytest

from kinerja.perencanaan import services
from kinerja.perencanaan.models import Indikator, LogAlur, Rhk, Skp, SkpLampiran
from tests import builders as b

pytestmark = pytest.mark.django_db

JSON = "application/json"


def _put(client, skp_id: int, body: dict):
    return client.put(f"/api/v1/skp/{skp_id}", body, content_type=JSON)


def _post(client, url: str, body: dict | None = None):
    return client.post(url, body or {}, content_type=JSON)


def _staf_skp(tim, kuantitatif: bool = False) -> Skp:
    if kuantitatif:
        tim.instansi.skp_kuantitatif_semua = True
        tim.instansi.save()
    return services.create_skp(tim.pegawai["staf"], tim.periode, tim.user("staf"))


# --- create -------------------------------------------------------------------------------------------


def test_pegawai_creates_their_draft_once(tim):
    client = tim.client("staf")
    response = _post(client, "/api/v1/skp", {"tahun": tim.periode.tahun})
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["status"] == "draft" and body["pegawai_id"] == tim.pegawai["staf"].pk
    assert body["penilai"]["nama"] == "Pegawai Kabid"
    assert body["atasan_penilai"]["nama"] == "Pegawai Kepala"
    assert len(body["perilaku"]) == 7 and body["rhk"] == []
    again = _post(client, "/api/v1/skp", {"tahun": tim.periode.tahun})
    assert again.status_code == 422
    assert "sudah ada" in again.json()["detail"][0]["msg"]


def test_create_for_a_year_without_periode_names_the_field(tim):
    response = _post(tim.client("staf"), "/api/v1/skp", {"tahun": tim.periode.tahun + 5})
    assert response.status_code == 422
    assert response.json()["detail"] == [
        {
            "type": "validation_error",
            "loc": ["body", "payload", "tahun"],
            "msg": f"Periode tahun {tim.periode.tahun + 5} belum dibuat oleh admin kepegawaian.",
        }
    ]


def test_only_self_or_the_admin_creates_an_skp_for_a_pegawai(tim):
    body = {"tahun": tim.periode.tahun, "pegawai_id": tim.pegawai["staf"].pk}
    assert _post(tim.client("rekan"), "/api/v1/skp", body).status_code == 403
    assert _post(tim.client("kabid"), "/api/v1/skp", body).status_code == 403
    admin_lain = b.atasan_dan_bawahan().admin  # the admin of another instansi
    assert _post(b.klien(admin_lain), "/api/v1/skp", body).status_code == 403
    assert not Skp.objects.filter(pegawai=tim.pegawai["staf"]).exists()
    assert _post(tim.client("admin"), "/api/v1/skp", body).status_code == 201


def test_an_account_without_pegawai_cannot_create_its_own(tim):
    response = _post(tim.client("admin"), "/api/v1/skp", {"tahun": tim.periode.tahun})
    assert response.status_code == 403


# --- the whole cycle ----------------------------------------------------------------------------------


def test_draft_submit_return_fix_resubmit_approve_and_revise(tim):
    staf, kabid = tim.token_client("staf"), tim.token_client("kabid")
    skp_id = _post(staf, "/api/v1/skp", {"tahun": tim.periode.tahun}).json()["id"]

    # Submitting an empty SKP is refused with what is missing.
    refused = _post(staf, f"/api/v1/skp/{skp_id}/ajukan")
    assert refused.status_code == 422
    assert refused.json()["detail"][0]["msg"] == "Belum ada RHK utama."

    body = {
        "rhk": [tim.rhk_body(tim.rhk["kabid"][0])],
        "lampiran": [
            {"jenis": "dukungan", "kategori": "peralatan", "teks": "Laptop dan akses aplikasi SIASN"},
            {"jenis": "konsekuensi", "teks": "Sesuai ketentuan disiplin pegawai"},
        ],
    }
    saved = _put(staf, skp_id, body)
    assert saved.status_code == 200, saved.content
    saved = saved.json()
    assert saved["rhk"][0]["intervensi"]["id"] == tim.rhk["kabid"][0].pk
    assert saved["rhk"][0]["indikator"][0]["target_teks"] == "Rekap lengkap dan tepat waktu"
    assert [(lam["jenis"], lam["kategori"]) for lam in saved["lampiran"]] == [
        ("dukungan", "peralatan"),
        ("konsekuensi", ""),
    ]
    assert saved["masalah_pengajuan"] == []

    assert _post(kabid, f"/api/v1/skp/{skp_id}/setujui").status_code == 422  # still a draft
    submitted = _post(staf, f"/api/v1/skp/{skp_id}/ajukan").json()
    assert submitted["status"] == "diajukan" and submitted["aksi"] == ["tarik"]
    assert submitted["dapat_diubah"] is False
    assert _put(staf, skp_id, body).status_code == 422  # no edits while submitted

    assert kabid.get(f"/api/v1/skp/{skp_id}").json()["aksi"] == ["setujui", "kembalikan"]
    assert _post(tim.token_client("rekan"), f"/api/v1/skp/{skp_id}/setujui").status_code == 403
    assert _post(staf, f"/api/v1/skp/{skp_id}/setujui").status_code == 403
    assert _post(tim.token_client("kepala"), f"/api/v1/skp/{skp_id}/setujui").status_code == 403

    no_note = _post(kabid, f"/api/v1/skp/{skp_id}/kembalikan", {"catatan": "  "})
    assert no_note.status_code == 422
    assert no_note.json()["detail"][0]["loc"] == ["body", "payload", "catatan"]
    returned = _post(kabid, f"/api/v1/skp/{skp_id}/kembalikan", {"catatan": "Tambahkan indikator waktu."})
    assert returned.status_code == 200
    assert returned.json()["status"] == "dikembalikan"
    assert staf.get(f"/api/v1/skp/{skp_id}").json()["catatan_pengembalian"] == "Tambahkan indikator waktu."

    rhk = staf.get(f"/api/v1/skp/{skp_id}").json()["rhk"][0]
    body["rhk"][0]["id"] = rhk["id"]
    body["rhk"][0]["indikator"][0]["id"] = rhk["indikator"][0]["id"]
    body["rhk"][0]["indikator"].append(
        {"aspek": "waktu", "teks": "Rekap terkirim paling lambat tanggal 5", "target_teks": "Tanggal 5"}
    )
    fixed = _put(staf, skp_id, body).json()
    assert fixed["rhk"][0]["id"] == rhk["id"]  # identity kept
    assert [i["aspek"] for i in fixed["rhk"][0]["indikator"]] == ["kuantitas", "waktu"]
    assert fixed["rhk"][0]["indikator"][0]["id"] == rhk["indikator"][0]["id"]

    assert _post(staf, f"/api/v1/skp/{skp_id}/ajukan").json()["status"] == "diajukan"
    approved = _post(kabid, f"/api/v1/skp/{skp_id}/setujui").json()
    assert approved["status"] == "disetujui" and approved["disetujui_pada"]

    read_only = _put(staf, skp_id, body)
    assert read_only.status_code == 422
    assert "Ajukan perubahan" in read_only.json()["detail"][0]["msg"]
    assert staf.get(f"/api/v1/skp/{skp_id}").json()["aksi"] == ["ajukan_perubahan"]
    revised = _post(staf, f"/api/v1/skp/{skp_id}/ajukan-perubahan").json()
    assert (revised["status"], revised["revisi"]) == ("draft", 2)
    assert [log.aksi for log in LogAlur.objects.filter(skp_id=skp_id).order_by("pk")] == [
        "buat",
        "ajukan",
        "kembalikan",
        "ajukan",
        "setujui",
        "ajukan_perubahan",
    ]


def test_owner_withdraws_a_submission(tim):
    skp = _staf_skp(tim)
    client = tim.client("staf")
    assert _put(client, skp.pk, {"rhk": [tim.rhk_body(tim.rhk["kabid"][0])]}).status_code == 200
    assert _post(client, f"/api/v1/skp/{skp.pk}/ajukan").json()["status"] == "diajukan"
    assert _post(tim.client("kabid"), f"/api/v1/skp/{skp.pk}/tarik").status_code == 403
    assert _post(client, f"/api/v1/skp/{skp.pk}/tarik").json()["status"] == "draft"


def test_the_top_of_the_instansi_is_approved_by_the_admin(tim):
    skp = tim.skp["kepala"]
    assert tim.client("admin").get(f"/api/v1/skp/{skp.pk}").json()["peran"] == ["penyetuju"]
    # The JPT rule (all four perspectives) reaches the client in Indonesian.
    refused = _post(tim.client("kepala"), f"/api/v1/skp/{skp.pk}/ajukan")
    assert refused.status_code == 422
    assert any("keempat perspektif" in d["msg"] for d in refused.json()["detail"])


# --- PUT: validation and atomicity --------------------------------------------------------------------


def _state(skp: Skp) -> tuple:
    rhk = list(Rhk.objects.filter(skp=skp).order_by("pk").values_list("pk", "teks", "intervensi_id"))
    indikator = list(
        Indikator.objects.filter(rhk__skp=skp)
        .order_by("pk")
        .values_list("pk", "teks", "target_angka", "target_periode__nomor", "target_periode__target_angka")
    )
    lampiran = list(SkpLampiran.objects.filter(skp=skp).order_by("pk").values_list("pk", "teks"))
    history = Rhk.history.filter(skp_id=skp.pk).count() + Indikator.history.filter(rhk__skp=skp).count()
    return rhk, indikator, lampiran, history


def _indikator_angka(target: str, per_periode: list[str | None]) -> dict:
    return {
        "aspek": "kuantitas",
        "teks": "Jumlah rekap data kinerja",
        "target_angka": target,
        "satuan": "laporan",
        "konsolidasi": "sum",
        "target_periode": [{"nomor": n + 1, "target_angka": v} for n, v in enumerate(per_periode)],
    }


def test_put_with_an_invalid_target_saves_nothing_and_names_the_field(tim):
    skp = _staf_skp(tim, kuantitatif=True)
    client = tim.client("staf")
    first = {
        "rhk": [
            {
                "teks": "Tersedianya rekap data kinerja bulanan",
                "intervensi_id": tim.rhk["kabid"][0].pk,
                "indikator": [_indikator_angka("12", ["3", "3", "3", "3"])],
            }
        ],
        "lampiran": [{"jenis": "pertanggungjawaban", "teks": "Dilaporkan tiap triwulan"}],
    }
    ok = _put(client, skp.pk, first)
    assert ok.status_code == 200, ok.content
    assert ok.json()["rhk"][0]["indikator"][0]["target_angka"] == "12"
    before = _state(skp)

    rhk_id = ok.json()["rhk"][0]["id"]
    second = {
        "rhk": [
            {**first["rhk"][0], "id": rhk_id, "teks": "Tersedianya rekap data kinerja yang diubah"},
            {
                "teks": "Terlaksananya pemutakhiran data jabatan",
                "intervensi_id": tim.rhk["kabid"][1].pk,
                "indikator": [_indikator_angka("12", ["3", "3", "3", "4"])],  # 13 ≠ 12
            },
        ],
        "lampiran": [{"jenis": "konsekuensi", "teks": "Teguran tertulis"}],
    }
    response = _put(client, skp.pk, second)
    assert response.status_code == 422
    detail = response.json()["detail"]
    assert [d["loc"] for d in detail] == [["body", "payload", "rhk", 1, "indikator", 0, "target_angka"]]
    assert "jumlah target periode" in detail[0]["msg"]
    assert _state(skp) == before


def test_put_refuses_a_summed_range_target_at_its_field(tim):
    """A range target (80–90) is never summed over the periods (docs/rules.md §4): "sum", also by default,
    is refused at `konsolidasi` in Indonesian; average is saved."""
    skp = _staf_skp(tim, kuantitatif=True)
    client = tim.client("staf")
    rentang = {**_indikator_angka("80", []), "target_angka_atas": "90", "satuan": "%"}
    rhk = {"teks": "Tersedianya rekap data kinerja bulanan", "intervensi_id": tim.rhk["kabid"][0].pk}
    for indikator in (rentang, {k: v for k, v in rentang.items() if k != "konsolidasi"}):
        response = _put(client, skp.pk, {"rhk": [{**rhk, "indikator": [indikator]}]})
        assert response.status_code == 422
        (detail,) = response.json()["detail"]
        assert detail["loc"] == ["body", "payload", "rhk", 0, "indikator", 0, "konsolidasi"]
        assert detail["msg"].startswith("Target rentang (mis. 80–90) tidak dapat dijumlahkan antarperiode")
    assert not Rhk.objects.filter(skp=skp).exists()
    ok = _put(client, skp.pk, {"rhk": [{**rhk, "indikator": [{**rentang, "konsolidasi": "average"}]}]})
    assert ok.status_code == 200, ok.content
    saved = ok.json()["rhk"][0]["indikator"][0]
    assert (saved["target_angka_atas"], saved["konsolidasi"]) == ("90", "average")


def test_put_reports_every_error_at_its_field(tim):
    skp = _staf_skp(tim)
    body = {
        "rhk": [
            {"teks": "pendek", "intervensi_id": tim.rhk["kabid"][0].pk},
            tim.rhk_body(tim.rhk["kepala"][0]),  # not the penilai's RHK
            {**tim.rhk_body(tim.rhk["kabid"][0]), "indikator": [{"aspek": "kualitas", "teks": "Akurat"}]},
            tim.rhk_body(tim.rhk["kabid"][1], id=999999),
        ],
        "lampiran": [{"jenis": "dukungan", "kategori": "sdm", "teks": "   "}],
    }
    detail = _put(tim.client("staf"), skp.pk, body).json()["detail"]
    # Unknown RHK ids are checked first, before any RHK is written.
    assert [d["loc"] for d in detail if d["loc"][2] == "rhk"] == [["body", "payload", "rhk", 3, "id"]]

    del body["rhk"][3]
    response = _put(tim.client("staf"), skp.pk, body)
    assert response.status_code == 422
    by_loc = {tuple(d["loc"]): d["msg"] for d in response.json()["detail"]}
    assert by_loc == {
        (
            "body",
            "payload",
            "rhk",
            0,
            "teks",
        ): "Tuliskan RHK sebagai kalimat hasil (paling sedikit 10 karakter).",
        ("body", "payload", "rhk", 1, "intervensi_id"): (
            "RHK yang diintervensi harus salah satu RHK pejabat penilai Anda."
        ),
        ("body", "payload", "rhk", 2, "indikator", 0, "target_teks"): (
            "Tuliskan ukuran keberhasilan (target kualitatif)."
        ),
        ("body", "payload", "lampiran", 0, "teks"): "Uraian lampiran wajib diisi.",
    }
    assert not Rhk.objects.filter(skp=skp).exists()


def test_put_refuses_to_delete_an_rhk_that_bawahan_intervene(tim):
    staf_skp = _staf_skp(tim)
    assert (
        _put(tim.client("staf"), staf_skp.pk, {"rhk": [tim.rhk_body(tim.rhk["kabid"][0])]}).status_code == 200
    )
    kabid_skp = tim.skp["kabid"]
    before = _state(kabid_skp)
    keep = tim.rhk["kabid"][1]
    body = {"rhk": [{"id": keep.pk, "teks": keep.teks, "intervensi_id": keep.intervensi_id}]}
    response = _put(tim.client("kabid"), kabid_skp.pk, body)
    assert response.status_code == 422
    (error,) = response.json()["detail"]
    assert error["loc"] == ["body", "payload", "rhk"]
    assert "Pegawai Staf" in error["msg"]
    assert _state(kabid_skp) == before


def test_put_deletes_rhk_left_out_and_leaves_unsent_lists_alone(tim):
    skp = tim.skp["kabid"]
    services.save_lampiran(skp, tim.user("kabid"), jenis="konsekuensi", teks="Teguran")
    keep = tim.rhk["kabid"][0]
    body = {"rhk": [{"id": keep.pk, "teks": keep.teks, "intervensi_id": keep.intervensi_id}]}
    saved = _put(tim.client("kabid"), skp.pk, body).json()
    assert [r["id"] for r in saved["rhk"]] == [keep.pk]
    assert [lam["teks"] for lam in saved["lampiran"]] == ["Teguran"]


def test_put_without_changes_writes_no_history(tim):
    skp = _staf_skp(tim, kuantitatif=True)
    client = tim.client("staf")
    body = {
        "rhk": [
            {
                "teks": "Tersedianya rekap data kinerja bulanan",
                "intervensi_id": tim.rhk["kabid"][0].pk,
                "indikator": [_indikator_angka("12.5", ["3", "3", "3", "3.5"])],
            }
        ],
        "lampiran": [{"jenis": "dukungan", "kategori": "sdm", "teks": "Satu operator"}],
    }
    saved = _put(client, skp.pk, body).json()
    body["rhk"][0]["id"] = saved["rhk"][0]["id"]
    body["rhk"][0]["indikator"][0]["id"] = saved["rhk"][0]["indikator"][0]["id"]
    before = _state(skp)
    lampiran_history = SkpLampiran.history.filter(skp_id=skp.pk).count()
    assert _put(client, skp.pk, body).status_code == 200
    assert _state(skp) == before
    assert SkpLampiran.history.filter(skp_id=skp.pk).count() == lampiran_history


def test_put_checks_ids_and_periode_numbers(tim):
    skp = _staf_skp(tim, kuantitatif=True)
    client = tim.client("staf")
    other = tim.rhk["kabid"][0]
    body = {"rhk": [{"id": other.pk, "teks": "Tersedianya rekap data", "intervensi_id": other.pk}]}
    assert (
        _put(client, skp.pk, body).json()["detail"][0]["msg"] == f"RHK {other.pk} bukan bagian dari SKP ini."
    )

    body = {
        "rhk": [
            {
                **tim.rhk_body(tim.rhk["kabid"][0]),
                "indikator": [_indikator_angka("10", ["2", "2", "2", "2", "2"])],
            }
        ]
    }
    detail = _put(client, skp.pk, body).json()["detail"]
    assert detail[0]["loc"] == ["body", "payload", "rhk", 0, "indikator", 0, "target_periode", 4, "nomor"]
    assert detail[0]["msg"].startswith("Periode ke-5 tidak ada")


def test_only_the_owner_puts(tim):
    skp = _staf_skp(tim)
    body = {"rhk": [tim.rhk_body(tim.rhk["kabid"][0])]}
    penilai = _put(tim.client("kabid"), skp.pk, body)
    assert penilai.status_code == 403
    assert penilai.json() == {"detail": "Hanya pemilik SKP yang dapat mengubah isinya."}
    assert _put(tim.client("rekan"), skp.pk, body).status_code == 403
    assert _put(tim.client("admin"), skp.pk, {}).status_code == 403
    assert not Rhk.objects.filter(skp=skp).exists()


def test_malformed_bodies_are_422_not_500(tim):
    skp = _staf_skp(tim)
    client = tim.client("staf")
    for body in (
        {"rhk": [{"teks": "x", "jenis": "bukan"}]},
        {"rhk": [{"teks": "Tersedianya data", "indikator": [{"teks": "a", "target_angka": "NaN"}]}]},
        {"rhk": [{"teks": "Tersedianya data", "indikator": [{"teks": "a", "target_angka": "1.123456"}]}]},
        {"lampiran": [{"jenis": "dukungan", "kategori": "emas", "teks": "x"}]},
        {"rhk": "bukan daftar"},
    ):
        assert _put(client, skp.pk, body).status_code == 422, body
