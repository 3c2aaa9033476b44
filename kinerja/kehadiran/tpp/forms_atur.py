"""The TPP rule-set form (docs/rules.md §28.1): every `AturanTpp` field as a flat input named by its
`kinerja.rules.tpp.validasi` field path, so each message lands at its field."""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal, InvalidOperation
from typing import Any

from kinerja.rules import tpp
from kinerja.rules.jenis_hari import KETIDAKHADIRAN, JenisHari
from kinerja.rules.tukin import teks_persen
from kinerja.rules.types import Predikat

HARIAN = (
    ("tk", "Tanpa keterangan (TK)"),
    ("izin", "Izin"),
    ("tugas_belajar", "Tugas belajar"),
    ("absen_lain", "Ketidakhadiran lain yang tidak dibayar"),
)
PERSEN = (
    ("tanpa_masuk", "Tidak ada rekam masuk (% per kejadian)"),
    ("tanpa_pulang", "Tidak ada rekam pulang (% per kejadian)"),
    ("apel", "Tidak mengikuti apel/upacara (% per kejadian)"),
    ("atribut", "Pelanggaran atribut (% per kejadian)"),
)
#: Empty bracket rows offered below the filled ones.
BARIS_KOSONG = 2
JENIS_ABSEN = [j for j in JenisHari if j in KETIDAKHADIRAN]


def _p(x: Decimal) -> str:
    return teks_persen(x)


def isian_dari_aturan(a: tpp.AturanTpp) -> dict[str, Any]:
    """The form's values of a rule set (field path -> text; ``dibayar`` a list)."""
    isian: dict[str, Any] = {
        "nama": a.nama,
        "pembagian": a.pembagian.value,
        "bagian_kinerja": _p(a.bagian_kinerja),
        "dasar": a.dasar.value,
        "batas": a.batas.value,
        "sumber_kinerja": a.sumber_kinerja.value,
        "terlambat_isi": _p(a.terlambat_isi),
        "pembulatan": a.pembulatan.value,
        "hukuman_mulai_bulan_berikut": a.hukuman_mulai_bulan_berikut,
        "dibayar": [j.value for j in a.dibayar],
    }
    for kunci in ("braket_tl", "braket_psw"):
        for i, b in enumerate(getattr(a, kunci), start=1):
            isian[f"{kunci}[{i}].dari"] = str(b.dari)
            isian[f"{kunci}[{i}].sampai"] = "" if b.sampai is None else str(b.sampai)
            isian[f"{kunci}[{i}].persen"] = _p(b.persen)
    for kunci, _ in PERSEN:
        isian[kunci] = _p(getattr(a, kunci))
    for kunci, _ in HARIAN:
        h: tpp.PotonganHarian = getattr(a, kunci)
        isian[f"{kunci}.persen"] = _p(h.persen)
        isian[f"{kunci}.satuan"] = h.satuan.value
    for t in tpp.TingkatHukuman:
        ah = a.hukuman.get(t, tpp.AturanHukuman(Decimal(0), 0))
        isian[f"hukuman.{t.value}.persen"] = _p(ah.persen)
        isian[f"hukuman.{t.value}.bulan"] = str(ah.bulan)
    for pr in Predikat:
        x = a.tabel_predikat.get(pr)
        isian[f"tabel_predikat.{pr.value}"] = "" if x is None else _p(x)
    return isian


def isian_dari_post(post: Any) -> dict[str, Any]:
    isian: dict[str, Any] = {k: v.strip() for k, v in post.items() if isinstance(v, str)}
    isian["dibayar"] = post.getlist("dibayar")
    isian["hukuman_mulai_bulan_berikut"] = bool(post.get("hukuman_mulai_bulan_berikut"))
    return isian


def _desimal(isian: Mapping[str, Any], kunci: str, galat: dict[str, str], nama: str) -> Decimal:
    teks = str(isian.get(kunci, "")).strip().replace(",", ".")
    if not teks:
        return Decimal(0)
    try:
        return Decimal(teks)
    except InvalidOperation:
        galat[kunci] = f"{nama} harus berupa angka."
        return Decimal(0)


def _bulat(isian: Mapping[str, Any], kunci: str, galat: dict[str, str], nama: str) -> int | None:
    teks = str(isian.get(kunci, "")).strip()
    if not teks:
        return None
    if not teks.isdigit():
        galat[kunci] = f"{nama} harus berupa bilangan bulat."
        return None
    return int(teks)


def _pilihan(isian: Mapping[str, Any], kunci: str, enum: Any, galat: dict[str, str]) -> Any:
    try:
        return enum(isian.get(kunci, ""))
    except ValueError:
        galat[kunci] = "Pilihan tidak dikenal."
        return next(iter(enum))


def _braket(isian: Mapping[str, Any], kunci: str, nama: str, galat: dict[str, str]) -> tuple[tpp.Braket, ...]:
    hasil: list[tpp.Braket] = []
    i = 1
    while f"{kunci}[{i}].dari" in isian:
        tempat = f"{kunci}[{i}]"
        if not any(str(isian.get(f"{tempat}.{b}", "")).strip() for b in ("dari", "sampai", "persen")):
            i += 1
            continue  # an empty offered row
        n = len(hasil) + 1
        dari = _bulat(isian, f"{tempat}.dari", galat, f"{nama} baris {n}: menit awal")
        sampai = _bulat(isian, f"{tempat}.sampai", galat, f"{nama} baris {n}: menit akhir")
        persen = _desimal(isian, f"{tempat}.persen", galat, f"{nama} baris {n}: persentase")
        hasil.append(tpp.Braket(dari or 0, sampai, persen))
        i += 1
    return tuple(hasil)


def baca_aturan(isian: Mapping[str, Any]) -> tuple[tpp.AturanTpp, dict[str, str]]:
    """The rule set typed in the form and the input errors (not numbers, unknown choices) by field path;
    `tpp.validasi` (called by the service) checks the rest."""
    galat: dict[str, str] = {}
    harian = {}
    for kunci, nama in HARIAN:
        harian[kunci] = tpp.PotonganHarian(
            _desimal(isian, f"{kunci}.persen", galat, nama),
            _pilihan(isian, f"{kunci}.satuan", tpp.SatuanHarian, galat),
        )
    persen = {kunci: _desimal(isian, kunci, galat, nama) for kunci, nama in PERSEN}
    hukuman = {}
    for t in tpp.TingkatHukuman:
        nama = f"Hukuman disiplin {t.label.lower()}"
        hukuman[t] = tpp.AturanHukuman(
            _desimal(isian, f"hukuman.{t.value}.persen", galat, nama),
            _bulat(isian, f"hukuman.{t.value}.bulan", galat, f"Lama potongan {t.label.lower()}") or 0,
        )
    predikat = {}
    for pr in Predikat:
        if str(isian.get(f"tabel_predikat.{pr.value}", "")).strip():
            predikat[pr] = _desimal(isian, f"tabel_predikat.{pr.value}", galat, f"Predikat {pr.label}")
    dibayar = set()
    for j in isian.get("dibayar", []):
        try:
            dibayar.add(JenisHari(j))
        except ValueError:
            galat["dibayar"] = "Jenis ketidakhadiran tidak dikenal."
    aturan = tpp.AturanTpp(
        nama=str(isian.get("nama", "")).strip(),
        pembagian=_pilihan(isian, "pembagian", tpp.Pembagian, galat),
        bagian_kinerja=_desimal(isian, "bagian_kinerja", galat, "Bagian kinerja"),
        dasar=_pilihan(isian, "dasar", tpp.DasarPotongan, galat),
        braket_tl=_braket(isian, "braket_tl", "Terlambat (TL)", galat),
        braket_psw=_braket(isian, "braket_psw", "Pulang sebelum waktu (PSW)", galat),
        tanpa_masuk=persen["tanpa_masuk"],
        tanpa_pulang=persen["tanpa_pulang"],
        tk=harian["tk"],
        izin=harian["izin"],
        tugas_belajar=harian["tugas_belajar"],
        dibayar=frozenset(dibayar),
        absen_lain=harian["absen_lain"],
        apel=persen["apel"],
        atribut=persen["atribut"],
        hukuman=hukuman,
        hukuman_mulai_bulan_berikut=bool(isian.get("hukuman_mulai_bulan_berikut")),
        batas=_pilihan(isian, "batas", tpp.Batas, galat),
        sumber_kinerja=_pilihan(isian, "sumber_kinerja", tpp.SumberKinerja, galat),
        tabel_predikat=predikat,
        terlambat_isi=_desimal(isian, "terlambat_isi", galat, "Pengisian kinerja terlambat"),
        pembulatan=_pilihan(isian, "pembulatan", tpp.Pembulatan, galat),
    )
    return aturan, galat


def _f(isian: Mapping[str, Any], galat: Mapping[str, str], name: str, label: str = "", **kw: Any) -> dict:
    return {"name": name, "label": label, "value": isian.get(name, ""), "galat": galat.get(name, ""), **kw}


def bidang(isian: Mapping[str, Any], galat: Mapping[str, str]) -> dict[str, Any]:
    """Everything the template renders, each input with its value and its message."""

    def f(name: str, label: str = "", **kw: Any) -> dict:
        return _f(isian, galat, name, label, **kw)

    def braket(kunci: str) -> list[list[dict]]:
        n = 0
        while f"{kunci}[{n + 1}].dari" in isian:
            n += 1
        return [
            [f(f"{kunci}[{i}].{b}") for b in ("dari", "sampai", "persen")]
            for i in range(1, n + BARIS_KOSONG + 1)
        ]

    return {
        "umum": [
            f("pembagian", "Pembagian TPP", pilihan=tpp.Pembagian.choices()),
            f("bagian_kinerja", "Bagian kinerja (%; hanya bila dibagi)"),
            f("dasar", "Dasar potongan", pilihan=tpp.DasarPotongan.choices()),
            f("batas", "Batas jumlah potongan", pilihan=tpp.Batas.choices()),
        ],
        "braket": [
            ("Terlambat (TL)", "braket_tl", galat.get("braket_tl", ""), braket("braket_tl")),
            (
                "Pulang sebelum waktunya (PSW)",
                "braket_psw",
                galat.get("braket_psw", ""),
                braket("braket_psw"),
            ),
        ],
        "persen": [f(k, nama) for k, nama in PERSEN],
        "harian": [
            (nama, f(f"{k}.persen"), f(f"{k}.satuan", pilihan=tpp.SatuanHarian.choices()))
            for k, nama in HARIAN
        ],
        "dibayar": [(j.value, j.label, j.value in isian.get("dibayar", [])) for j in JENIS_ABSEN],
        "galat_dibayar": galat.get("dibayar", ""),
        "hukuman": [
            (
                t.label,
                f(f"hukuman.{t.value}.persen"),
                f(f"hukuman.{t.value}.bulan"),
                galat.get(f"hukuman.{t.value}", ""),
            )
            for t in tpp.TingkatHukuman
        ],
        "kinerja": [
            f("sumber_kinerja", "Sumber kinerja", pilihan=tpp.SumberKinerja.choices()),
            f("terlambat_isi", "Pengisian kinerja terlambat (% bagian kinerja hilang; sumber penuh)"),
            f("pembulatan", "Pembulatan TPP bruto", pilihan=tpp.Pembulatan.choices()),
        ],
        "predikat": [f(f"tabel_predikat.{p.value}", p.label) for p in Predikat],
    }
