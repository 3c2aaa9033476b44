"""Template contexts of the evaluation documents, built from the hashed content data (`selectors.py`),
plus the instansi's kop and the layout of the HASIL KERJA table, which follow the SKP (`TataLetak`).

The penetapan's pola distribusi chart is recomputed from the printed counts and capaian
(`kinerja.rules.distribusi` + `kinerja.penilaian.grafik`), so the chart always shows what the hash covers.
A pegawai's own form prints no chart (docs/rules.md §31).
"""

from __future__ import annotations

import dataclasses
import datetime
from typing import Any

from django.conf import settings
from django.utils import timezone

from kinerja.common.pdf import qr_data_uri
from kinerja.common.tampil import nip_tampil
from kinerja.common.tanggal import tanggal_panjang
from kinerja.dokumen.evaluasi.selectors import TataLetak
from kinerja.dokumen.konteks import kop
from kinerja.dokumen.models import Dokumen
from kinerja.dokumen.selectors import Isi
from kinerja.organisasi.models import Instansi
from kinerja.penilaian.grafik import GrafikDistribusi, data_grafik
from kinerja.rules import JenisRhk
from kinerja.rules import distribusi as distribusi_rules
from kinerja.rules.evaluasi import Status
from kinerja.rules.perilaku import BERAKHLAK
from kinerja.rules.types import CapaianOrganisasi, Predikat, Rating

RATING = {r.value: r.label for r in Rating}
PREDIKAT = {p.value: p.label for p in Predikat}
CAPAIAN = {c.value: c.label for c in CapaianOrganisasi}
STATUS = {s.value: s.label for s in Status}
BELUM = "Belum ditetapkan"


def _pihak(data: dict[str, str]) -> dict[str, str]:
    return {**data, "nip_tampil": nip_tampil(data["nip"]) if data.get("nip") else ""}


def _identitas(judul: str, pihak: dict[str, str]) -> dict[str, Any]:
    p = _pihak(pihak) if pihak else {}
    return {
        "judul": judul,
        "baris": [
            ("NAMA", p.get("nama", "")),
            (p.get("label_nomor", "NIP"), p.get("nip_tampil", "")),
            ("PANGKAT/GOL RUANG", p.get("pangkat", "")),
            ("JABATAN", p.get("jabatan", "")),
            ("UNIT KERJA", p.get("unit", "")),
        ],
    }


def _rentang(periode: dict[str, Any]) -> str:
    mulai = datetime.date.fromisoformat(periode["mulai"])
    selesai = datetime.date.fromisoformat(periode["selesai"])
    return f"{tanggal_panjang(mulai)} s.d. {tanggal_panjang(selesai)}".upper()


def _umum(
    isi: Isi, dok: Dokumen | None, url_verifikasi: str, kota: str, judul_dokumen: str
) -> dict[str, Any]:
    """Footer (QR of a registered document, or the draft notice), the watermark, the place/date line."""
    final_pada = isi.data.get("final_pada")
    tanggal = tanggal_panjang(datetime.datetime.fromisoformat(final_pada)) if final_pada else ""
    return {
        "judul_dokumen": judul_dokumen,
        "dokumen": dok,
        "url_verifikasi": url_verifikasi if dok else "",
        "qr": qr_data_uri(url_verifikasi) if dok else "",
        "final": dok is not None,
        "dicetak": tanggal_panjang(timezone.now()),
        "tanggal": tanggal,
        "kota": kota,
    }


def grafik_kelompok(
    capaian: str,
    jumlah: dict[str, int],
    kunci: str,
    pegawai: dict[Predikat, list[str]] | None = None,
    aturan: dict[str, Any] | None = None,
    tidak_diterapkan: str | None = None,
) -> GrafikDistribusi | None:
    """The chart of the printed counts under the printed capaian and the printed rules of the instansi
    (``aturan``, `rules_to_dict` form; None: the defaults). None while the capaian is not set.
    ``tidak_diterapkan``: the printed reason the group's curve was not applied (a small group, a group of
    only the unit's head; docs/rules.md §3.4): the chart then shows the curve without judging it."""
    if not capaian:
        return None
    counts = {p: int(jumlah.get(p.value, 0)) for p in Predikat}
    rules = distribusi_rules.rules_from_dict(aturan) if aturan else None
    cek = distribusi_rules.check(CapaianOrganisasi(capaian), counts, rules)
    if tidak_diterapkan is not None:
        cek = dataclasses.replace(cek, applicable=False, reason=tidak_diterapkan, violations=[], warnings=[])
    return data_grafik(cek, rules=rules, pegawai=pegawai, kunci=kunci)


# --- one evaluation -----------------------------------------------------------------------------------


def _grup_rhk(
    rhk: list[dict[str, Any]], intervensi: tuple[str, ...]
) -> list[tuple[str, str, list[dict[str, Any]]]]:
    """RHK utama (A) and tambahan (B), each with its indikator rows (the RHK's cells span them) and the RHK
    pimpinan it intervenes (``intervensi``, aligned with ``rhk``)."""
    grup = []
    for huruf, jenis, nama in (
        ("A", JenisRhk.UTAMA.value, "Utama"),
        ("B", JenisRhk.TAMBAHAN.value, "Tambahan"),
    ):
        rows = []
        pilihan = [(i, r) for i, r in enumerate(rhk) if r["jenis"] == jenis]
        for nomor, (i, r) in enumerate(pilihan, start=1):
            indikator = r["indikator"] or [{"aspek": "", "teks": "-", "target": "", "realisasi": ""}]
            rows.append(
                {
                    **r,
                    "nomor": nomor,
                    "intervensi": intervensi[i] if i < len(intervensi) else "",
                    "indikator": indikator,
                    "rowspan": len(indikator),
                    "rating_label": RATING.get(r["rating"], "-"),
                }
            )
        grup.append((huruf, nama, rows))
    return grup


def _kolom_hasil(letak: TataLetak) -> list[tuple[str, str]]:
    """The HASIL KERJA columns of the regulation's form, (key, heading) in order; a JPT's RHK intervene no
    leader's RHK and a kualitatif SKP's indikator have no aspek, so those columns are dropped."""
    kolom = [("no", "No"), ("intervensi", "RHK Pimpinan yang Diintervensi"), ("rhk", "Rencana Hasil Kerja")]
    kolom += [("aspek", "Aspek"), ("indikator", "Indikator Kinerja Individu"), ("target", "Target")]
    kolom += [
        ("realisasi", "Realisasi Berdasarkan Bukti Dukung"),
        ("umpan_balik", "Umpan Balik Berkelanjutan Berdasarkan Bukti Dukung"),
    ]
    buang = {"intervensi"} if letak.jpt else set()
    if letak.kualitatif:
        buang.add("aspek")
    return [k for k in kolom if k[0] not in buang]


def _keputusan(bagian: dict[str, Any]) -> dict[str, Any]:
    """A decided rating (the suggestion and the reasoning stay on the evaluation page and the penetapan)."""
    return {**bagian, "label": RATING.get(bagian.get("rating", ""), BELUM)}


def _pola(data: dict[str, Any]) -> str:
    """Which curve of the pola distribusi the pegawai's group follows, as text (no chart, no names, no
    counts: those stay on the pages and in the penetapan; docs/rules.md §31)."""
    capaian = data["capaian_organisasi"]["nilai"]
    if not capaian:
        return "Belum dapat ditentukan: capaian kinerja organisasi belum ditetapkan."
    if data["kelompok"].get("pola_tidak_diterapkan") is not None:
        return "Tidak diterapkan pada kelompok penilaian ini."
    return f"Kurva capaian kinerja organisasi {CAPAIAN[capaian]}."


def konteks_evaluasi(
    isi: Isi,
    dok: Dokumen | None,
    url_verifikasi: str,
    kota: str,
    objek_id: int,
    *,
    instansi: Any = None,
    letak: TataLetak | None = None,
    ringkas: bool = False,
) -> dict[str, Any]:
    """The context of the Evaluasi Kinerja Pegawai form and (``ringkas``) of the one-page Dokumen
    Evaluasi Kinerja Pegawai; ``instansi`` prints its kop, ``letak`` lays out the HASIL KERJA table."""
    data = isi.data
    letak = letak or TataLetak()
    tahunan = data["jenis"] == "tahunan"
    judul = "DOKUMEN EVALUASI KINERJA PEGAWAI" if ringkas else "EVALUASI KINERJA PEGAWAI"
    periode = data["periode"]
    pegawai, penilai = _pihak(data["pegawai"]), _pihak(data["penilai"]) if data["penilai"] else {}
    capaian = data["capaian_organisasi"]
    perilaku = _keputusan(data["perilaku"])
    panduan = {n.kode: n.panduan for n in BERAKHLAK}
    perilaku["baris"] = [
        {**n, "rating_label": RATING.get(n["rating"], "-"), "panduan": panduan.get(n["kode"], ())}
        for n in data["perilaku"]["nilai"]
    ]
    kolom = _kolom_hasil(letak)
    identitas = [
        _identitas("PEGAWAI YANG DINILAI", data["pegawai"]),
        _identitas("PEJABAT PENILAI KINERJA", data["penilai"]),
    ]
    if ringkas:
        identitas.append(_identitas("ATASAN PEJABAT PENILAI KINERJA", data["atasan"]))
    return {
        **_umum(isi, dok, url_verifikasi, kota, f"{judul.title()} {pegawai['nama']} {periode['nama']}"),
        "judul": judul,
        "instansi": instansi,
        "kop": kop(instansi),
        "tahunan": tahunan,
        "data": data,
        "periode_label": "AKHIR" if tahunan else periode["nama"].upper(),
        "rentang": _rentang(periode),
        "identitas": identitas,
        "capaian_label": CAPAIAN.get(capaian["nilai"], BELUM),
        "pola": _pola(data),
        "hasil": {
            **_keputusan(data["hasil"]),
            "capaian_unit_dipimpin_label": CAPAIAN.get(data["hasil"]["capaian_unit_dipimpin"], BELUM),
        },
        "kolom_hasil": [(k, judul_kolom, n) for n, (k, judul_kolom) in enumerate(kolom, start=1)],
        "kolom_set": {k for k, _ in kolom},
        "grup_rhk": _grup_rhk(data["rhk"], letak.intervensi),
        "perilaku": perilaku,
        "predikat_label": PREDIKAT.get(data["predikat"], BELUM),
        "status_label": STATUS.get(data["status"], data["status"]),
        "pegawai": pegawai,
        "penilai": penilai,
    }


# --- penetapan of a group -----------------------------------------------------------------------------


#: The "Mengingat" of the penetapan as a Keputusan (docs/rules.md §31); a deployment may replace the list with
#: the setting KINERJA_DASAR_PENETAPAN (e.g. to add its own regional regulation).
DASAR_PENETAPAN = (
    "Undang-Undang Nomor 20 Tahun 2023 tentang Aparatur Sipil Negara",
    "Peraturan Pemerintah Nomor 30 Tahun 2019 tentang Penilaian Kinerja Pegawai Negeri Sipil",
    "Peraturan Menteri Pendayagunaan Aparatur Negara dan Reformasi Birokrasi Nomor 6 Tahun 2022 tentang "
    "Pengelolaan Kinerja Pegawai Aparatur Sipil Negara",
)


def dasar_penetapan() -> list[str]:
    return list(getattr(settings, "KINERJA_DASAR_PENETAPAN", None) or DASAR_PENETAPAN)


def konteks_penetapan(
    isi: Isi,
    dok: Dokumen | None,
    url_verifikasi: str,
    kota: str,
    kunci: str,
    instansi: Instansi | None = None,
) -> dict[str, Any]:
    data = isi.data
    periode = data["periode"]
    tahunan = periode["nomor"] == 0
    capaian = data["capaian_organisasi"]
    nama_per_predikat: dict[Predikat, list[str]] = {p: [] for p in Predikat}
    baris = []
    for nomor, p in enumerate(data["pegawai"], start=1):
        if p["predikat"]:
            nama_per_predikat[Predikat(p["predikat"])].append(p["nama"])
        baris.append(
            {
                **p,
                "nomor": nomor,
                "nip_tampil": nip_tampil(p["nip"]),
                "hasil_label": RATING.get(p["rating_hasil"], "-"),
                "perilaku_label": RATING.get(p["rating_perilaku"], "-"),
                "predikat_label": PREDIKAT.get(p["predikat"], "Belum dinilai"),
                "status_label": STATUS.get(p["status"], p["status"]),
            }
        )
    pimpinan = _pihak(data["pimpinan"]) if data["pimpinan"] else {}
    penilai = _pihak(data["penilai"]) if data["penilai"] else {}
    if penilai and pimpinan and penilai.get("nip") == pimpinan.get("nip"):
        penilai = {}  # the head of the unit is the group's penilai: one signature
    periode_label = f"AKHIR TAHUN {periode['tahun']}" if tahunan else periode["nama"].upper()
    return {
        **_umum(
            isi, dok, url_verifikasi, kota, f"Penetapan Predikat Kinerja {data['unit']} {periode['nama']}"
        ),
        "data": data,
        "periode_label": periode_label,
        "rentang": _rentang(periode),
        "capaian_label": CAPAIAN.get(capaian["nilai"], BELUM),
        "grafik": grafik_kelompok(
            capaian["nilai"],
            data["jumlah"],
            kunci,
            pegawai={p: nama for p, nama in nama_per_predikat.items() if nama},
            aturan=capaian.get("aturan"),
            tidak_diterapkan=data.get("pola_tidak_diterapkan"),
        ),
        "versi_aturan": capaian.get("versi_aturan"),
        "baris": baris,
        "jumlah": [(PREDIKAT[p.value], data["jumlah"].get(p.value, 0)) for p in Predikat],
        "n": sum(data["jumlah"].values()),
        "pimpinan": pimpinan,
        "penilai": penilai,
        # The Keputusan around the list (docs/rules.md §31): kop, nomor (blank line until set), dasar.
        "kop": kop(instansi),
        "nomor": dok.nomor if dok is not None else "",
        "rentang_kalimat": " s.d. ".join(
            tanggal_panjang(datetime.date.fromisoformat(periode[k])) for k in ("mulai", "selesai")
        ),
        "penetap_jabatan": pimpinan.get("jabatan") or "Pimpinan Unit Kerja",
        "dasar": dasar_penetapan(),
    }
