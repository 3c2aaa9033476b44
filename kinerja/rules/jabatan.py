"""Jabatan as the organisation data gives them (pure rules; docs/rules.md §8.1 and §26).

* **Holders per jabatan (formasi).** A jabatan fungsional or pelaksana row of the formasi is one position
  type held by many pegawai ("Pengadministrasi Perkantoran", 6 holders in one unit); a leadership jabatan
  (JPT, administrator, pengawas) has one definitif holder. :func:`banyak_pemangku` says which.
* **SIASN spellings.** Pangkat written "Penata Tk. I (III/d)" carries its golongan in brackets
  (:func:`golongan_dari_teks`); jenis "Struktural" is refined by eselon (:func:`jenis_dari_eselon`) or, when
  no eselon is given, by the usual title of a kabupaten/kota SOTK (:func:`jenis_struktural_dari_nama`).
* **Kedudukan of a jabatan fungsional** (:func:`peringatan_kedudukan`): our reading of the simplified
  bureaucracy (PermenPANRB 7/2022 with the penyetaraan rules) places a pejabat fungsional under the
  official matching their jenjang; an Ahli Madya answers directly to the head of the unit organisasi (a
  JPT). Any other atasan gets a warning, never a refusal (**UNSURE**).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from types import MappingProxyType

from kinerja.rules.types import JenisJabatan, Jenjang

__all__ = [
    "ATASAN_FUNGSIONAL",
    "ESELON",
    "JABATAN_PIMPINAN",
    "banyak_pemangku",
    "golongan_dari_teks",
    "jenis_dari_eselon",
    "jenis_struktural_dari_nama",
    "jenjang_dari_nama",
    "peringatan_kedudukan",
]

#: Leadership jabatan: exactly one definitif holder at a time.
JABATAN_PIMPINAN: frozenset[JenisJabatan] = frozenset(
    {
        JenisJabatan.JPT_UTAMA,
        JenisJabatan.JPT_MADYA,
        JenisJabatan.JPT_PRATAMA,
        JenisJabatan.ADMINISTRATOR,
        JenisJabatan.PENGAWAS,
    }
)


def banyak_pemangku(jenis: JenisJabatan | str) -> bool:
    """True when one jabatan row may have many definitif holders (fungsional, pelaksana)."""
    return JenisJabatan(jenis) not in JABATAN_PIMPINAN


#: Eselon (as SIASN and the old SOTK write it: "II.a", "III/b", "IVa") → jenis jabatan after the
#: penyetaraan (UU 5/2014 Pasal 131: eselon I.a/I.b → JPT Utama/Madya, II → JPT Pratama, III →
#: administrator, IV → pengawas; eselon V was abolished and maps to pengawas).
ESELON: Mapping[str, JenisJabatan] = MappingProxyType(
    {
        "I.A": JenisJabatan.JPT_UTAMA,
        "I.B": JenisJabatan.JPT_MADYA,
        "II.A": JenisJabatan.JPT_PRATAMA,
        "II.B": JenisJabatan.JPT_PRATAMA,
        "III.A": JenisJabatan.ADMINISTRATOR,
        "III.B": JenisJabatan.ADMINISTRATOR,
        "IV.A": JenisJabatan.PENGAWAS,
        "IV.B": JenisJabatan.PENGAWAS,
        "V.A": JenisJabatan.PENGAWAS,
    }
)


def jenis_dari_eselon(eselon: str) -> JenisJabatan | None:
    """The jenis of a jabatan struktural from its eselon ("II.a", "II/a", "IIa", "eselon III.b"); None
    when the text is not an eselon we know."""
    text = re.sub(r"^eselon\s*", "", eselon.strip(), flags=re.IGNORECASE).upper()
    m = re.fullmatch(r"(IV|V|I{1,3})\s*[./\-]?\s*([AB])", text)
    if m is None:
        return None
    return ESELON.get(f"{m[1]}.{m[2]}")


#: Titles of a kabupaten/kota SOTK, first match wins (checked on the lowercased name).
_JUDUL_STRUKTURAL: tuple[tuple[str, JenisJabatan], ...] = (
    (r"^sekretaris daerah\b", JenisJabatan.JPT_PRATAMA),
    (r"^asisten\b", JenisJabatan.JPT_PRATAMA),
    (r"^staf ahli\b", JenisJabatan.JPT_PRATAMA),
    (r"^inspektur\b(?! pembantu)", JenisJabatan.JPT_PRATAMA),
    (r"^sekretaris dprd\b|^sekretaris dewan\b", JenisJabatan.JPT_PRATAMA),
    (r"^kepala (dinas|badan|satuan polisi)\b", JenisJabatan.JPT_PRATAMA),
    (r"^kepala pelaksana (badan|bpbd)\b", JenisJabatan.JPT_PRATAMA),  # Kalaksa BPBD
    (r"^direktur\b", JenisJabatan.JPT_PRATAMA),
    (r"^(sekretaris|kepala bidang|kepala bagian|camat|inspektur pembantu)\b", JenisJabatan.ADMINISTRATOR),
    (r"^kepala (seksi|sub ?bagian|sub ?bidang|uptd?|unit pelaksana)\b", JenisJabatan.PENGAWAS),
    (r"^lurah\b", JenisJabatan.PENGAWAS),
)


def jenis_struktural_dari_nama(nama: str) -> JenisJabatan | None:
    """The jenis of a jabatan struktural from its usual title in a kabupaten/kota SOTK ("Kepala Dinas
    Kesehatan" → JPT Pratama, "Kepala Bidang …" → administrator, "Kepala Seksi …" → pengawas); None when
    the title is not one we know (the import then asks for the eselon)."""
    text = re.sub(r"\s+", " ", nama.strip().lower())
    # "Sekretaris Kelurahan" is pengawas, any other "Sekretaris" (dinas, kecamatan) administrator.
    if re.match(r"^sekretaris kelurahan\b", text):
        return JenisJabatan.PENGAWAS
    for pattern, jenis in _JUDUL_STRUKTURAL:
        if re.search(pattern, text):
            return jenis
    return None


def jenjang_dari_nama(nama: str) -> Jenjang | None:
    """The jenjang a jabatan fungsional's name ends with ("Analis SDM Aparatur Ahli Muda" → Ahli Muda)."""
    text = re.sub(r"\s+", " ", nama.strip().lower())
    for jenjang in sorted(Jenjang, key=lambda j: -len(j.label)):  # "Ahli Madya" before "Madya"-like
        if text.endswith(" " + jenjang.label.lower()) or text == jenjang.label.lower():
            return jenjang
    return None


def golongan_dari_teks(text: str, dikenal: frozenset[str] | set[str]) -> str | None:
    """The golongan in brackets of a SIASN pangkat ("Penata Tk. I (III/d)" → "III/d", "(IX)" → "IX"),
    when it is one of ``dikenal`` (compared case-insensitively, "III-d" read as "III/d")."""
    m = re.search(r"\(\s*([IVX]+)\s*(?:[/\-.]\s*([a-eA-E]))?\s*\)\s*$", text.strip(), flags=re.IGNORECASE)
    if m is None:
        return None
    golongan = m[1].upper() + (f"/{m[2].lower()}" if m[2] else "")
    return golongan if golongan in dikenal else None


#: Jenjang → the jenis an atasan should have (a jabatan fungsional of that jenjang anywhere else warns).
ATASAN_FUNGSIONAL: Mapping[Jenjang, frozenset[JenisJabatan]] = MappingProxyType(
    {
        Jenjang.AHLI_MADYA: frozenset(
            {JenisJabatan.JPT_UTAMA, JenisJabatan.JPT_MADYA, JenisJabatan.JPT_PRATAMA}
        ),
    }
)


def peringatan_kedudukan(jenjang: Jenjang | str, jenis_atasan: JenisJabatan | str | None) -> str | None:
    """A warning (Indonesian) when a jabatan fungsional of ``jenjang`` sits under an atasan of a jenis
    our reading does not place it under; None when fine or when there is no atasan to judge."""
    if not jenjang or jenis_atasan is None:
        return None
    jenjang = Jenjang(jenjang)
    diharapkan = ATASAN_FUNGSIONAL.get(jenjang)
    if diharapkan is None or JenisJabatan(jenis_atasan) in diharapkan:
        return None
    return (
        f"Jabatan fungsional {jenjang.label} biasanya bertanggung jawab langsung kepada pimpinan unit "
        f"organisasi (JPT), bukan kepada jabatan {JenisJabatan(jenis_atasan).label}; periksa jabatan "
        "atasannya (PermenPANRB 7/2022)."
    )
