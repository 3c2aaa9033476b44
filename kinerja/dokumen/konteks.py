"""Template contexts of the documents, built from the content data (`selectors.Isi`) only.

The printed text comes from the data that is hashed, so a document always shows what its hash covers.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.utils import timezone

from kinerja.common.pdf import qr_data_uri, uri_berkas_kop
from kinerja.common.tampil import nip_tampil
from kinerja.common.tanggal import tanggal_panjang
from kinerja.dokumen.models import Dokumen
from kinerja.dokumen.selectors import Isi
from kinerja.organisasi.models import Instansi, Jabatan
from kinerja.perencanaan.models import SkpLampiran
from kinerja.perencanaan.selectors import teks_normal
from kinerja.rules import Aspek, JenisRhk, ModelSkp, Perspektif
from kinerja.rules.alur import Status
from kinerja.rules.perilaku import BERAKHLAK
from kinerja.rules.skp import model_wajib_kuantitatif
from kinerja.rules.types import JenisJabatan

ASPEK = dict(Aspek.choices())
PERSPEKTIF = dict(Perspektif.choices())
URUTAN_PERSPEKTIF = {p.value: i for i, p in enumerate(Perspektif)}


def _identitas(data: dict[str, Any]) -> dict[str, str]:
    return {**data, "nip_tampil": nip_tampil(data.get("nip", "")) if data.get("nip") else ""}


def kop(instansi: Instansi | None) -> dict[str, Any]:
    """The letterhead of `dokumen/_kop.html` (docs/rules.md §31): the instansi's lines and its images as
    file: URIs the PDF fetcher accepts (under MEDIA_ROOT/instansi/ only). Presentation, not hashed content:
    a signed document keeps the kop it was frozen with."""
    if instansi is None:
        return {}
    return {
        "induk": instansi.nama_induk,
        "nama": instansi.nama,
        "alamat": instansi.alamat,
        "telepon": instansi.telepon,
        "surel": instansi.surel,
        "laman": instansi.laman,
        "logo": uri_berkas_kop(instansi.logo),
        "garuda": uri_berkas_kop(instansi.lambang_garuda),
    }


def konteks_umum(
    dok: Dokumen, isi: Isi, url_verifikasi: str, instansi: Instansi, label_draf: str
) -> dict[str, Any]:
    """Footer (QR, verification URL, short hash, status), draft banner and the place/date line."""
    return {
        "dokumen": dok,
        "instansi": instansi,
        "url_verifikasi": url_verifikasi,
        "qr": qr_data_uri(url_verifikasi),
        "disetujui": isi.disetujui,
        "status_label": Status(isi.status).label,
        "label_draf": label_draf,
        "tanggal_setuju": tanggal_panjang(isi.disetujui_pada),
        "dicetak": tanggal_panjang(timezone.now()),
        "kota": instansi.kota,
    }


# --- SKP ----------------------------------------------------------------------------------------------


def _baris_rhk(rhk: list[dict[str, Any]], kuantitatif: bool) -> list[dict[str, Any]]:
    """Rows of one group of the HASIL KERJA table; JPT RHK grouped under their perspektif."""
    if kuantitatif and any(r.get("perspektif") for r in rhk):
        rhk = sorted(rhk, key=lambda r: URUTAN_PERSPEKTIF.get(r.get("perspektif") or "", 9))
    rows: list[dict[str, Any]] = []
    perspektif_terakhir: str | None = None
    for nomor, r in enumerate(rhk, start=1):
        if kuantitatif and r.get("perspektif") and r["perspektif"] != perspektif_terakhir:
            perspektif_terakhir = r["perspektif"]
            rows.append({"perspektif": PERSPEKTIF.get(r["perspektif"], r["perspektif"])})
        indikator = [
            {"aspek": ASPEK.get(i["aspek"], i["aspek"]), "teks": i["teks"], "target": i["target"]}
            for i in r["indikator"]
        ] or [{"aspek": "", "teks": "", "target": ""}]
        rows.append(
            {
                "nomor": nomor,
                "intervensi": r.get("intervensi") or "",
                "teks": r["teks"],
                "indikator": indikator,
                "rowspan": len(indikator),
            }
        )
    return rows


def tata_letak(model: str, jabatan: Jabatan) -> str:
    """Which of the regulation's SKP forms (docs/rules.md §31): "jpt" (kuantitatif, mandatory for JPT and
    pimpinan unit kerja mandiri: RHK under their perspektif, no intervensi and no aspek column),
    "kualitatif" (one row per indikator, no aspek column) or "kuantitatif" (every other kuantitatif SKP)."""
    if model == ModelSkp.KUALITATIF.value:
        return "kualitatif"
    if model_wajib_kuantitatif(JenisJabatan(jabatan.jenis), jabatan.unit_kerja_mandiri):
        return "jpt"
    return "kuantitatif"


def _bagi(model: str, jabatan: Jabatan) -> str:
    if model == ModelSkp.KUALITATIF.value:
        return "BAGI PEJABAT ADMINISTRASI DAN PEJABAT FUNGSIONAL"
    if jabatan.is_jpt or jabatan.unit_kerja_mandiri:
        return "BAGI PEJABAT PIMPINAN TINGGI DAN PIMPINAN UNIT KERJA MANDIRI"
    return ""


def konteks_skp(
    isi: Isi, dok: Dokumen, url_verifikasi: str, instansi: Instansi, jabatan: Jabatan
) -> dict[str, Any]:
    data = isi.data
    kuantitatif = data["model"] == ModelSkp.KUANTITATIF.value
    rhk = data["rhk"]
    grup = [
        ("A", "Utama", _baris_rhk([r for r in rhk if r["jenis"] == JenisRhk.UTAMA.value], kuantitatif)),
        ("B", "Tambahan", _baris_rhk([r for r in rhk if r["jenis"] == JenisRhk.TAMBAHAN.value], kuantitatif)),
    ]
    ekspektasi = data.get("perilaku", {})
    perilaku = [
        {"nama": n.nama, "panduan": n.panduan, "ekspektasi": ekspektasi.get(n.kode, "")} for n in BERAKHLAK
    ]
    # The regulation's lampiran is a numbered list per part: the dukungan's kategori is not printed.
    lampiran: dict[str, list[dict[str, str]]] = {j.value: [] for j in SkpLampiran.Jenis}
    for item in data.get("lampiran", []):
        lampiran.setdefault(item["jenis"], []).append(item)
    pegawai, penilai = _identitas(data["pegawai"]), _identitas(data["penilai"])
    identitas = [
        (label, pegawai.get(kunci, ""), penilai.get(kunci, ""))
        for label, kunci in (
            ("NAMA", "nama"),
            ("NIP", "nip_tampil"),
            ("PANGKAT/GOL RUANG", "pangkat"),
            ("JABATAN", "jabatan"),
            ("UNIT KERJA", "unit"),
        )
    ]
    letak = tata_letak(data["model"], jabatan)
    kolom = {"jpt": 4, "kualitatif": 5}.get(letak, 6)
    mulai = datetime.date.fromisoformat(data["mulai"])
    selesai = datetime.date.fromisoformat(data["selesai"])
    return {
        **konteks_umum(dok, isi, url_verifikasi, instansi, "DRAFT — belum disetujui"),
        "judul_dokumen": f"SKP {data['pegawai']['nama']} {data['tahun']}",
        "data": data,
        "pendekatan": "KUANTITATIF" if kuantitatif else "KUALITATIF",
        "kuantitatif": kuantitatif,
        "tata_letak": letak,
        "jumlah_kolom": kolom,
        "nomor_kolom": range(1, kolom + 1),
        "bagi": _bagi(data["model"], jabatan),
        "periode": f"{tanggal_panjang(mulai)} s.d. {tanggal_panjang(selesai)}".upper(),
        "pegawai": pegawai,
        "penilai": penilai,
        "identitas": identitas,
        "grup": grup,
        "perilaku": perilaku,
        "lampiran_bagian": [
            ("Dukungan sumber daya", lampiran[SkpLampiran.Jenis.DUKUNGAN.value]),
            ("Skema pertanggungjawaban", lampiran[SkpLampiran.Jenis.PERTANGGUNGJAWABAN.value]),
            ("Konsekuensi", lampiran[SkpLampiran.Jenis.KONSEKUENSI.value]),
        ],
    }


# --- Perjanjian Kinerja -------------------------------------------------------------------------------


def konteks_perjanjian(isi: Isi, dok: Dokumen, url_verifikasi: str, instansi: Instansi) -> dict[str, Any]:
    data = isi.data
    baris: list[dict[str, Any]] = []
    for item in data["indikator"]:
        if baris and baris[-1]["kode"] == item["sasaran_kode"]:
            baris[-1]["iku"].append(item)
        else:
            baris.append({"kode": item["sasaran_kode"], "sasaran": item["sasaran"], "iku": [item]})
    for nomor, b in enumerate(baris, start=1):
        b["nomor"], b["rowspan"] = nomor, len(b["iku"])
    return {
        **konteks_umum(dok, isi, url_verifikasi, instansi, "DRAFT — belum disetujui"),
        "judul_dokumen": f"Perjanjian Kinerja {data['unit']} {data['tahun']}",
        "data": data,
        "pertama": _identitas(data["pihak_pertama"]),
        "kedua": _identitas(data["pihak_kedua"]),
        "baris": baris,
    }


# --- Matriks ------------------------------------------------------------------------------------------

KOLOM_PER_HALAMAN = 7


def kolom_duplikat(sel: list[list[str]]) -> set[int]:
    """Columns of one matriks row whose RHK text appears more than once in the row (duplicate roles)."""
    kolom: dict[str, list[int]] = {}
    for j, isi in enumerate(sel):
        for teks in isi:
            kolom.setdefault(teks_normal(teks), []).append(j)
    return {j for cols in kolom.values() if len(cols) > 1 for j in cols}


def konteks_matriks(isi: Isi, dok: Dokumen, url_verifikasi: str, instansi: Instansi) -> dict[str, Any]:
    """The matriks split into column blocks of at most KOLOM_PER_HALAMAN bawahan (each block a table)."""
    data = isi.data
    bawahan = [_identitas(b) for b in data["bawahan"]]
    baris = data["baris"]
    tidak_tercakup = {i for i, b in enumerate(baris) if not any(b["sel"])}
    duplikat = {(i, j) for i, b in enumerate(baris) for j in kolom_duplikat(b["sel"])}
    blok = []
    for start in range(0, max(len(bawahan), 1), KOLOM_PER_HALAMAN):
        kolom = list(range(start, min(start + KOLOM_PER_HALAMAN, len(bawahan))))
        blok.append(
            {
                "bawahan": [bawahan[j] for j in kolom],
                "baris": [
                    {
                        "nomor": i + 1,
                        "rhk": b["rhk"],
                        "tidak_tercakup": i in tidak_tercakup,
                        "sel": [{"teks": b["sel"][j], "duplikat": (i, j) in duplikat} for j in kolom],
                    }
                    for i, b in enumerate(baris)
                ],
            }
        )
    return {
        **konteks_umum(dok, isi, url_verifikasi, instansi, "DRAFT — ada SKP yang belum disetujui"),
        "judul_dokumen": f"Matriks Pembagian Peran dan Hasil {data['unit']} {data['tahun']}",
        "data": data,
        "pimpinan": _identitas(data["pimpinan"]) if data["pimpinan"] else {},
        "blok": blok,
        "jumlah_tidak_tercakup": len(tidak_tercakup),
        "jumlah_duplikat": len(duplikat),
        "tanggal": tanggal_panjang(timezone.now()),
    }
