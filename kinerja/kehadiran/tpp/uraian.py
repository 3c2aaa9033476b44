"""A rule set stated in plain Indonesian for the admin's read view (docs/rules.md §28.1)."""

from __future__ import annotations

from decimal import Decimal

from kinerja.rules import tpp
from kinerja.rules.jenis_hari import JenisHari
from kinerja.rules.tukin import teks_persen
from kinerja.rules.types import Predikat


def _dasar(aturan: tpp.AturanTpp) -> str:
    return {
        tpp.DasarPotongan.PAGU: "dari pagu",
        tpp.DasarPotongan.DISIPLIN: "dari bagian disiplin",
        tpp.DasarPotongan.HARIAN: "dari TPP per hari kerja",
    }[aturan.dasar]


def _braket(nama: str, b: tpp.Braket, dasar: str) -> str:
    rentang = f"{b.dari} menit atau lebih" if b.sampai is None else f"{b.dari}–{b.sampai} menit"
    return f"{nama} {rentang}: dipotong {teks_persen(b.persen)} % {dasar} per kejadian"


def _harian(nama: str, p: tpp.PotonganHarian, dasar: str) -> str:
    if p.persen == Decimal(0):
        return f"{nama}: tidak dipotong"
    dari = "dari TPP hari itu" if p.satuan is tpp.SatuanHarian.HARI else dasar
    return f"{nama}: dipotong {teks_persen(p.persen)} % {dari} per hari"


def _per_kejadian(nama: str, persen: Decimal, dasar: str) -> str:
    if persen == Decimal(0):
        return f"{nama}: tidak dipotong"
    return f"{nama}: dipotong {teks_persen(persen)} % {dasar} per kejadian"


def uraian(aturan: tpp.AturanTpp) -> list[tuple[str, list[str]]]:
    """``[(section title, [sentence, …]), …]`` describing every field of the rule set."""
    dasar = _dasar(aturan)
    if aturan.pembagian is tpp.Pembagian.PISAH:
        bagian = [
            f"TPP dibagi: bagian kinerja {teks_persen(aturan.bagian_kinerja)} % dan bagian disiplin "
            f"{teks_persen(Decimal(100) - aturan.bagian_kinerja)} % dari pagu",
            "Bagian kinerja dibayar sebesar capaian kinerja; bagian disiplin dikurangi potongan",
        ]
    else:
        bagian = ["Seluruh TPP setelah potongan dikalikan capaian kinerja"]
    bagian.append(f"Persentase potongan dihitung {dasar}")
    hadir = [_braket("Terlambat", b, dasar) for b in aturan.braket_tl] or ["Terlambat: tidak dipotong"]
    hadir += [_braket("Pulang sebelum waktunya", b, dasar) for b in aturan.braket_psw] or [
        "Pulang sebelum waktunya: tidak dipotong"
    ]
    hadir.append(_per_kejadian("Tidak ada rekam masuk", aturan.tanpa_masuk, dasar))
    hadir.append(_per_kejadian("Tidak ada rekam pulang", aturan.tanpa_pulang, dasar))
    dibayar = ", ".join(j.label.lower() for j in JenisHari if j in aturan.dibayar) or "tidak ada"
    absen = [
        _harian("Tanpa keterangan (TK)", aturan.tk, dasar),
        _harian("Izin", aturan.izin, dasar),
        _harian("Tugas belajar", aturan.tugas_belajar, dasar),
        f"Tidak dipotong: {dibayar}",
        _harian("Ketidakhadiran lain", aturan.absen_lain, dasar),
    ]
    disiplin = [
        _per_kejadian("Tidak mengikuti apel/upacara", aturan.apel, dasar),
        _per_kejadian("Pelanggaran atribut", aturan.atribut, dasar),
    ]
    for t in tpp.TingkatHukuman:
        h = aturan.hukuman.get(t)
        if h is None or h.persen == Decimal(0) or h.bulan == 0:
            disiplin.append(f"Hukuman disiplin {t.label.lower()}: tidak dipotong")
        else:
            disiplin.append(
                f"Hukuman disiplin {t.label.lower()}: dipotong {teks_persen(h.persen)} %"
                f" selama {h.bulan} bulan"
            )
    disiplin.append(
        "Potongan hukuman mulai bulan berikutnya setelah keputusan"
        if aturan.hukuman_mulai_bulan_berikut
        else "Potongan hukuman mulai bulan keputusan"
    )
    disiplin.append(f"Jumlah potongan paling banyak {aturan.batas.label.lower()}")
    kinerja = [f"Sumber kinerja: {aturan.sumber_kinerja.label}"]
    if aturan.sumber_kinerja is tpp.SumberKinerja.PREDIKAT:
        kinerja += [
            f"Predikat {p.label}: {teks_persen(aturan.tabel_predikat.get(p, Decimal(0)))} %" for p in Predikat
        ]
    if aturan.sumber_kinerja is tpp.SumberKinerja.PENUH:
        kinerja.append(
            f"Pengisian kinerja terlambat: bagian kinerja berkurang {teks_persen(aturan.terlambat_isi)} %"
        )
    kinerja.append(f"TPP bruto dibulatkan {aturan.pembulatan.label.lower()}")
    return [
        ("Pembagian TPP", bagian),
        ("Kehadiran harian", hadir),
        ("Ketidakhadiran", absen),
        ("Disiplin", disiplin),
        ("Kinerja dan pembulatan", kinerja),
    ]
