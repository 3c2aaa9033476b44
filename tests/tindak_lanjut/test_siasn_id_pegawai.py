"""The pegawai's SIASN ids from a file, for an instansi without API access (docs/rules.md §21.2, "ID SIASN
dari berkas"): xlsx and CSV read by their header (ours or SIASN's NIP_BARU / PNS_ID), every bad row named
with its number, all or nothing, a different stored id replaced only after the admin confirms exactly
what they saw, audited, admin only."""

from __future__ import annotations

import io

import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook, load_workbook

from kinerja.organisasi.models import Instansi, Pegawai, User
from kinerja.tindak_lanjut.models import IdSiasnPegawai
from kinerja.tindak_lanjut.siasn.ekspor import impor_id
from kinerja.tindak_lanjut.siasn.ekspor import services as services_id
from tests import builders as b

URL = "/tindak-lanjut/siasn/id-pegawai/"
KONFIRMASI = URL + "konfirmasi/"
TEMPLATE = URL + "template/"
EKSPOR = "/tindak-lanjut/siasn/"
ID1, ID2, ID3 = (
    "A8ACA7B1F2E13912E040640A040269BB",
    "B8ACA7B1F2E13912E040640A040269BB",
    "C8ACA7B1F2E13912E040640A040269BB",
)


# --- reading the file (no database) -------------------------------------------------------------------


def _xlsx(rows: list[list[object]]) -> SimpleUploadedFile:
    wb = Workbook()
    for row in rows:
        wb.active.append(row)
    buf = io.BytesIO()
    wb.save(buf)
    return SimpleUploadedFile("id.xlsx", buf.getvalue())


def _csv(teks: str, nama: str = "id.csv", encoding: str = "utf-8") -> SimpleUploadedFile:
    return SimpleUploadedFile(nama, teks.encode(encoding))


NIP_A, NIP_B = "199108162015031001", "198506282010012004"


@pytest.mark.parametrize(
    "berkas",
    [
        _csv(f"NIP,ID SIASN\n{NIP_A},{ID1}\n{NIP_B},{ID2}\n"),
        _csv(f"\ufeffnip;id siasn\n{NIP_A};{ID1}\n;\n{NIP_B};{ID2}\n"),  # Excel's CSV: BOM, semicolons
        # SIASN's download: other columns around, its own header names, a title above.
        _xlsx([["Data pegawai"], ["PNS_ID", "NIP_BARU", "NAMA"], [ID1, NIP_A, "A"], [ID2, NIP_B, "B"]]),
        _xlsx(
            [["NIP", "ID SIASN"], [NIP_A.replace("2015", " 2015 "), f" {ID1} "], [None, None], [NIP_B, ID2]]
        ),
    ],
)
def test_pairs_are_read_from_csv_and_xlsx_by_their_header(berkas: SimpleUploadedFile) -> None:
    isi = impor_id.read_pasangan(berkas, berkas.name)
    assert isi.galat == [] and isi.tanpa_id == 0
    assert [(p.nip, p.pns_id) for p in isi.pasangan] == [(NIP_A, ID1), (NIP_B, ID2)]


def test_every_bad_row_is_named_with_its_number_and_reason() -> None:
    berkas = _xlsx(
        [
            ["NIP", "ID SIASN"],
            [NIP_A, ID1],  # 2: fine
            ["12345", ID2],  # 3: NIP too short
            [NIP_B, None],  # 4: no id: skipped
            [NIP_B, NIP_B],  # 5: the NIP as id
            ["198506282010012004", "ab cd"],  # 6: a space in the id
            [NIP_A, ID3],  # 7: the NIP of row 2 with another id
            ["197904182005012005", ID1],  # 8: the id of row 2 for another NIP
            [1.99108162015031e17, ID3],  # 9: an NIP typed as a number in Excel
            [NIP_A, ID1],  # 10: row 2 again, identical: harmless
        ]
    )
    isi = impor_id.read_pasangan(berkas, "id.xlsx")
    pesan = {(g.baris, g.pesan.split(":")[0].split(" (")[0]) for g in isi.galat}
    assert pesan == {
        (3, "NIP harus 18 digit angka"),
        (5, "ID SIASN sama dengan NIP"),
        (6, "ID SIASN “ab cd” hanya boleh berisi huruf, angka dan tanda hubung"),
        (7, f"NIP {NIP_A} sudah tercantum di baris 2 dengan ID SIASN lain."),
        (8, f"ID SIASN {ID1} sudah dipakai untuk NIP {NIP_A} di baris 2."),
        (9, "NIP tersimpan sebagai angka sehingga digitnya hilang"),
    }
    assert [p.baris for p in isi.pasangan] == [2] and isi.tanpa_id == 1


@pytest.mark.parametrize(
    ("berkas", "pesan"),
    [
        (_csv("Nama,Nomor\nA,1\n"), "Baris judul tidak ditemukan"),
        (_csv("NIP,ID SIASN\n"), "tidak berisi satu pun pasangan"),
        (SimpleUploadedFile("id.xlsx", b"bukan excel"), "Berkas tidak dapat dibaca"),
        (SimpleUploadedFile("id.csv", b"\x00\x01\x02"), "Berkas tidak dapat dibaca"),
    ],
)
def test_a_file_that_cannot_be_read_says_why(berkas: SimpleUploadedFile, pesan: str) -> None:
    isi = impor_id.read_pasangan(berkas, berkas.name)
    assert (
        isi.pasangan == [] and len(isi.galat) == 1 and isi.galat[0].baris == 0 and pesan in isi.galat[0].pesan
    )


# --- saving -------------------------------------------------------------------------------------------------


@pytest.fixture
def dunia(db: None) -> dict:
    instansi = b.InstansiFactory()
    b.periode_tahun(instansi)
    j = b.JabatanFactory(unit=b.UnitKerjaFactory(instansi=instansi))
    pegawai = [b.pegawai_di(j) for _ in range(3)]
    return {"instansi": instansi, "admin": b.admin_instansi(instansi), "pegawai": pegawai}


def _berkas(*pasangan: tuple[Pegawai, str]) -> SimpleUploadedFile:
    return _csv("NIP,ID SIASN\n" + "".join(f"{p.nip},{i}\n" for p, i in pasangan))


def _ids(instansi: Instansi) -> dict[str, str]:
    return dict(
        IdSiasnPegawai.objects.filter(pegawai__instansi=instansi).values_list("pegawai__nip", "pns_id")
    )


def test_new_ids_are_saved_at_once_audited_and_the_admin_returns_to_the_export(dunia) -> None:  # type: ignore[no-untyped-def]
    a, c = dunia["pegawai"][0], dunia["pegawai"][2]
    response = b.klien(dunia["admin"]).post(
        URL, {"berkas": _berkas((a, ID1), (c, ID3)), "tahun": "2026", "periode": "2"}, follow=True
    )
    assert response.redirect_chain, response.context["hasil"].galat
    assert response.redirect_chain == [(EKSPOR + "?tahun=2026&periode=2", 302)]
    assert "2 pegawai baru diisi, 0 diganti, 0 sudah sama" in response.content.decode()
    assert _ids(dunia["instansi"]) == {a.nip: ID1, c.nip: ID3}
    riwayat = IdSiasnPegawai.history.get(pegawai=a)
    assert (
        riwayat.history_user == dunia["admin"]
        and riwayat.history_change_reason == "Impor ID SIASN dari berkas id.csv"
    )


def test_one_bad_row_saves_nothing_and_names_the_row(dunia, other_instansi) -> None:  # type: ignore[no-untyped-def]
    a = dunia["pegawai"][0]
    asing = Pegawai.objects.filter(instansi=other_instansi).first()
    berkas = _csv(f"NIP,ID SIASN\n{a.nip},{ID1}\n{asing.nip},{ID2}\n123,{ID3}\n")
    response = b.klien(dunia["admin"]).post(URL, {"berkas": berkas})
    assert response.status_code == 422
    html = response.content.decode()
    assert "Tidak ada yang disimpan" in html and "3 masalah ditemukan" not in html
    # Every problem at once: the file's (row 4) and the instansi's (row 3).
    assert [(g.baris, g.pesan.split(" (")[0]) for g in response.context["hasil"].galat] == [
        (3, f"NIP {asing.nip} bukan pegawai instansi ini."),
        (4, "NIP harus 18 digit angka"),
    ]
    assert f"NIP {asing.nip} bukan pegawai instansi ini." in html and "<td>3</td>" in html
    assert _ids(dunia["instansi"]) == {}


def test_an_id_stored_for_another_pegawai_is_refused_but_two_ids_may_swap(dunia) -> None:  # type: ignore[no-untyped-def]
    a, bb, c = dunia["pegawai"]
    IdSiasnPegawai.objects.create(pegawai=a, pns_id=ID1, dicari_pada="2026-01-01T00:00Z")
    IdSiasnPegawai.objects.create(pegawai=bb, pns_id=ID2, dicari_pada="2026-01-01T00:00Z")
    hasil = services_id.import_id_siasn(dunia["instansi"], dunia["admin"], _berkas((c, ID1)), "x.csv")
    assert not hasil.disimpan and [g.pesan for g in hasil.galat] == [
        f"ID SIASN {ID1} sudah tersimpan untuk {a.nama_lengkap} (NIP {a.nip}); "
        "satu ID hanya untuk satu pegawai."
    ]
    hasil = services_id.import_id_siasn(
        dunia["instansi"], dunia["admin"], _berkas((a, ID2), (bb, ID1)), "x.csv"
    )
    assert hasil.galat == [] and hasil.perlu_konfirmasi and len(hasil.rencana.ganti) == 2


def test_a_different_stored_id_is_shown_and_replaced_only_when_confirmed(
    dunia, django_assert_max_num_queries
) -> None:  # type: ignore[no-untyped-def]
    a, bb, c = dunia["pegawai"]
    IdSiasnPegawai.objects.create(pegawai=a, pns_id=ID1, dicari_pada="2026-01-01T00:00Z")
    IdSiasnPegawai.objects.create(pegawai=bb, pns_id=ID2, dicari_pada="2026-01-01T00:00Z")
    admin = b.klien(dunia["admin"])
    with django_assert_max_num_queries(12):
        response = admin.post(URL, {"berkas": _berkas((a, ID3), (bb, ID2), (c, "D1")), "tahun": "2026"})
    assert response.status_code == 200
    html = response.content.decode()
    assert 'id="daftar-ganti"' in html and f'<del class="text-danger">{ID1}</del>' in html and ID3 in html
    assert (
        "Ganti 1 ID dan simpan semua" in html and "bersama 1 pegawai yang baru diisi (1 sudah sama)" in html
    )
    assert _ids(dunia["instansi"]) == {a.nip: ID1, bb.nip: ID2}  # nothing saved yet, not even the new one
    token = response.context["hasil"].token
    response = admin.post(KONFIRMASI, {"token": token, "tahun": "2026"})
    assert response.status_code == 302 and response["Location"] == EKSPOR + "?tahun=2026"
    assert _ids(dunia["instansi"]) == {a.nip: ID3, bb.nip: ID2, c.nip: "D1"}
    lama, baru = IdSiasnPegawai.history.filter(pegawai=a).order_by("history_date")
    assert (lama.pns_id, baru.pns_id, baru.history_type, baru.history_user) == (ID1, ID3, "~", dunia["admin"])


def test_a_confirmation_of_replacements_that_changed_since_saves_nothing(dunia) -> None:  # type: ignore[no-untyped-def]
    a = dunia["pegawai"][0]
    obj = IdSiasnPegawai.objects.create(pegawai=a, pns_id=ID1, dicari_pada="2026-01-01T00:00Z")
    hasil = services_id.import_id_siasn(dunia["instansi"], dunia["admin"], _berkas((a, ID3)), "x.csv")
    obj.pns_id = ID2  # another admin changed it meanwhile
    obj.save()
    ulang = services_id.confirm_id_siasn(dunia["instansi"], dunia["admin"], hasil.token)
    assert not ulang.disimpan and ulang.berubah and ulang.rencana.kunci_ganti() == [[a.nip, ID2, ID3]]
    assert _ids(dunia["instansi"]) == {a.nip: ID2}
    assert services_id.confirm_id_siasn(dunia["instansi"], dunia["admin"], ulang.token).disimpan
    assert _ids(dunia["instansi"]) == {a.nip: ID3}


def test_a_confirmation_is_only_for_its_admin_and_instansi(dunia, other_instansi) -> None:  # type: ignore[no-untyped-def]
    a = dunia["pegawai"][0]
    IdSiasnPegawai.objects.create(pegawai=a, pns_id=ID1, dicari_pada="2026-01-01T00:00Z")
    token = services_id.import_id_siasn(dunia["instansi"], dunia["admin"], _berkas((a, ID3)), "x.csv").token
    admin2 = b.admin_instansi(dunia["instansi"], "admin-kedua")
    for inst, user, t in (
        (dunia["instansi"], admin2, token),
        (dunia["instansi"], dunia["admin"], token[:-2] + "xx"),
        (other_instansi, User.objects.get(username="admin-lain"), token),
    ):
        hasil = services_id.confirm_id_siasn(inst, user, t)
        assert not hasil.disimpan and hasil.galat[0].pesan == services_id.PESAN_KEDALUWARSA
    assert _ids(dunia["instansi"]) == {a.nip: ID1}


def test_only_the_admin_of_the_instansi_may_load_ids(dunia) -> None:  # type: ignore[no-untyped-def]
    a = dunia["pegawai"][0]
    with pytest.raises(PermissionDenied):
        services_id.import_id_siasn(dunia["instansi"], a.user, _berkas((a, ID1)), "x.csv")
    pegawai = b.klien(a.user)
    assert pegawai.post(URL, {"berkas": _berkas((a, ID1))}).status_code == 403
    assert pegawai.post(KONFIRMASI, {"token": "x"}).status_code == 403
    assert pegawai.get(TEMPLATE).status_code == 403
    assert b.klien(dunia["admin"]).get(URL).status_code == 405
    assert _ids(dunia["instansi"]) == {}


def test_no_file_is_a_clear_message(dunia) -> None:  # type: ignore[no-untyped-def]
    response = b.klien(dunia["admin"]).post(URL, {})
    assert response.status_code == 422 and "Pilih berkas .xlsx atau .csv" in response.content.decode()


def test_the_template_lists_the_pegawai_and_comes_back_filled(dunia) -> None:  # type: ignore[no-untyped-def]
    a, bb, c = dunia["pegawai"]
    IdSiasnPegawai.objects.create(pegawai=a, pns_id=ID1, dicari_pada="2026-01-01T00:00Z")
    admin = b.klien(dunia["admin"])
    response = admin.get(TEMPLATE)
    ws = load_workbook(io.BytesIO(response.content)).active
    rows = list(ws.iter_rows(values_only=True))
    assert rows[0] == ("NIP", "Nama (tidak dibaca)", "ID SIASN")
    assert rows[1:] == sorted((p.nip, p.nama_lengkap, ID1 if p == a else None) for p in (a, bb, c))
    assert ws["A2"].number_format == "@"
    for row in ws.iter_rows(min_row=2):
        if row[0].value == bb.nip:
            row[2].value = ID2
    buf = io.BytesIO()
    ws.parent.save(buf)
    response = admin.post(URL, {"berkas": SimpleUploadedFile("id.xlsx", buf.getvalue())})
    assert response.status_code == 302 and _ids(dunia["instansi"]) == {a.nip: ID1, bb.nip: ID2}
    pesan = [str(m) for m in response.wsgi_request._messages]
    assert pesan == [
        "ID SIASN dari id.xlsx tersimpan: 1 pegawai baru diisi, 0 diganti, 1 sudah sama; "
        "1 baris tanpa ID SIASN dilewati."
    ]


def test_the_export_page_offers_the_upload_within_its_queries(dunia, django_assert_max_num_queries) -> None:  # type: ignore[no-untyped-def]
    IdSiasnPegawai.objects.create(pegawai=dunia["pegawai"][0], pns_id=ID1, dicari_pada="2026-01-01T00:00Z")
    admin = b.klien(dunia["admin"])
    with django_assert_max_num_queries(12):
        html = admin.get(EKSPOR).content.decode()
    assert 'id="id-siasn"' in html and "1 dari 3 pegawai aktif sudah memiliki ID" in html
    assert 'action="/tindak-lanjut/siasn/id-pegawai/"' in html
