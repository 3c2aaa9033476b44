"""A realistic kabupaten SOTK as the import workbook's rows, spelled the way SIASN exports and BKPSDM
spreadsheets write them: jenis "Struktural" (with or without eselon), "Fungsional Tertentu", "JFU";
pangkat "Penata Tk. I (III/d)"; one formasi row ("Pengadministrasi Perkantoran") with many holders.

Sekretariat Daerah (3 asisten, 9 bagian), 14 dinas and 4 badan (each: sekretariat with a subbagian, three
bidang), 10 kecamatan (two seksi each): 152 units. `Sotk.peran` names sample pegawai of each kind for the
penilai assertions.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import Any

MULAI = datetime.date(2024, 1, 2)
SHEETS = ("Unit Kerja", "Jabatan", "Pegawai", "Penempatan")


@dataclass
class Sotk:
    rows: dict[str, list[list[Any]]] = field(default_factory=lambda: {s: [] for s in SHEETS})
    peran: dict[str, list[str]] = field(default_factory=dict)  # role → NIPs (samples for the tests)
    holders: dict[str, list[str]] = field(default_factory=dict)  # jabatan kode → NIPs
    _n: int = 0

    def nip(self) -> str:
        self._n += 1
        i = self._n
        lahir = datetime.date(1965 + i % 30, i % 12 + 1, i % 28 + 1)
        return f"{lahir:%Y%m%d}{lahir.year + 25}{(i * 7) % 12 + 1:02d}{i % 2 + 1}{i % 999 + 1:03d}"

    def unit(self, kode: str, nama: str, induk: str | None) -> None:
        self.rows["Unit Kerja"].append([kode, nama, induk])

    def jabatan(
        self,
        kode: str,
        nama: str,
        jenis: str,
        unit: str,
        atasan: str | None,
        *,
        pimpinan: bool = False,
        jenjang: str | None = None,
        formasi: int | None = None,
        eselon: str | None = None,
        pemangku: int = 1,
        pangkat: str = "Penata Tk. I (III/d)",
        peran: str = "",
    ) -> list[str]:
        self.rows["Jabatan"].append(
            [
                kode,
                nama,
                jenis,
                jenjang,
                unit,
                atasan,
                "Ya" if pimpinan else "Tidak",
                "Tidak",
                formasi,
                eselon,
            ]
        )
        nips = []
        for k in range(pemangku):
            nip = self.nip()
            nips.append(nip)
            self.rows["Pegawai"].append([nip, f"{nama} {k + 1}", None, None, "PNS", pangkat, None, "Ya"])
            self.rows["Penempatan"].append([nip, kode, "Definitif", MULAI, None, None])
        self.holders[kode] = nips
        if peran:
            self.peran.setdefault(peran, []).extend(nips)
        return nips


def kabupaten(dinas: int = 14, badan: int = 4, kecamatan: int = 10) -> Sotk:
    s = Sotk()
    s.unit("PEMKAB", "Pemerintah Kabupaten Contoh", None)
    s.unit("SETDA", "Sekretariat Daerah", "PEMKAB")
    s.jabatan(
        "SEKDA", "Sekretaris Daerah", "Struktural", "SETDA", None, pimpinan=True, eselon="II.a",
        pangkat="Pembina Utama Madya (IV/d)", peran="sekda",
    )  # fmt: skip
    for a in range(1, 4):
        s.unit(f"AS{a}", f"Asisten {a}", "SETDA")
        s.jabatan(
            f"AS{a}", f"Asisten Bidang {a}", "Struktural", f"AS{a}", "SEKDA", pimpinan=True,
            pangkat="Pembina Utama Muda (IV/c)", peran="asisten",
        )  # fmt: skip
        for b in range(1, 4):
            kode = f"BAG{a}{b}"
            s.unit(kode, f"Bagian {a}.{b}", f"AS{a}")
            s.jabatan(
                kode, f"Kepala Bagian {a}.{b}", "Struktural", kode, f"AS{a}", pimpinan=True,
                pangkat="Pembina (IV/a)", peran="kabag",
            )  # fmt: skip
            s.jabatan(
                f"{kode}-PLK", "Penelaah Teknis Kebijakan", "Pelaksana", kode, kode, formasi=2, pemangku=1,
                pangkat="Penata Muda (III/a)", peran="staf_bagian",
            )  # fmt: skip
    perangkat = [(f"DINAS{d:02d}", f"Dinas {d}", "Kepala Dinas") for d in range(1, dinas + 1)]
    perangkat += [(f"BADAN{b}", f"Badan {b}", "Kepala Badan") for b in range(1, badan + 1)]
    for index, (kode, nama, kepala) in enumerate(perangkat):
        s.unit(kode, nama, "PEMKAB")
        kadis = f"{kode}-KA"
        s.jabatan(
            kadis, f"{kepala} {nama.split()[-1]}", "Struktural", kode, "SEKDA", pimpinan=True,
            pangkat="Pembina Utama Muda (IV/c)", peran="kepala_dinas",
        )  # fmt: skip
        s.unit(f"{kode}-SEKR", f"Sekretariat {nama}", kode)
        s.jabatan(
            f"{kode}-SEK", "Sekretaris", "Struktural", f"{kode}-SEKR", kadis, pimpinan=True, eselon="III.a",
            pangkat="Pembina (IV/a)", peran="sekretaris",
        )  # fmt: skip
        s.unit(f"{kode}-UK", "Subbagian Umum dan Kepegawaian", f"{kode}-SEKR")
        vacant = index == 1  # one Kasubbag post is vacant: its staff are rated by the Sekretaris
        s.jabatan(
            f"{kode}-KSB", "Kepala Subbagian Umum dan Kepegawaian", "Struktural", f"{kode}-UK",
            f"{kode}-SEK", pimpinan=True, pemangku=0 if vacant else 1, peran="kasubbag",
        )  # fmt: skip
        # One formasi row, many holders; the first dinas holds more than its formasi (a warning).
        s.jabatan(
            f"{kode}-PP", "Pengadministrasi Perkantoran", "Fungsional Umum", f"{kode}-UK", f"{kode}-KSB",
            formasi=4, pemangku=5 if index == 0 else 3, pangkat="Pengatur (II/c)",
            peran="staf_vakan" if vacant else "pengadministrasi",
        )  # fmt: skip
        s.jabatan(
            f"{kode}-MADYA", "Perencana Ahli Madya", "Fungsional Tertentu", kode, kadis,
            pangkat="Pembina Tingkat I (IV/b)", peran="ahli_madya",
        )  # fmt: skip
        for b in range(1, 4):
            bidang = f"{kode}-B{b}"
            s.unit(bidang, f"Bidang {b} {nama}", kode)
            s.jabatan(
                f"{bidang}-KA", f"Kepala Bidang {b}", "Administrator", bidang, kadis, pimpinan=True,
                pangkat="Pembina (IV/a)", peran="kepala_bidang",
            )  # fmt: skip
            s.jabatan(
                f"{bidang}-PD", "Pengelola Data", "JFU", bidang, f"{bidang}-KA", formasi=2, pemangku=2,
                pangkat="Penata Muda Tk. I (III/b)", peran="pengelola_data",
            )  # fmt: skip
        s.jabatan(
            f"{kode}-B1-MUDA", "Analis Kebijakan Ahli Muda", "JFT", f"{kode}-B1", f"{kode}-B1-KA",
            peran="ahli_muda",
        )  # fmt: skip
        if index == 2:  # an Ahli Madya under a Kepala Bidang: imported, with a warning
            s.jabatan(
                f"{kode}-B2-MADYA", "Analis Kebijakan Ahli Madya", "Fungsional Tertentu", f"{kode}-B2",
                f"{kode}-B2-KA", pangkat="Pembina (IV/a)", peran="madya_di_bidang",
            )  # fmt: skip
    for k in range(1, kecamatan + 1):
        kec = f"KEC{k:02d}"
        s.unit(kec, f"Kecamatan {k}", "PEMKAB")
        s.jabatan(
            f"{kec}-CAMAT", f"Camat Kecamatan {k}", "Struktural", kec, "SEKDA", pimpinan=True,
            pangkat="Pembina (IV/a)", peran="camat",
        )  # fmt: skip
        s.jabatan(
            f"{kec}-SEKCAM", "Sekretaris Kecamatan", "Struktural", kec, f"{kec}-CAMAT",
            pangkat="Penata Tk. I (III/d)", peran="sekcam",
        )  # fmt: skip
        for q in (1, 2):
            s.unit(f"{kec}-S{q}", f"Seksi {q} Kecamatan {k}", kec)
            s.jabatan(
                f"{kec}-S{q}-KA", f"Kepala Seksi {q}", "Struktural", f"{kec}-S{q}", f"{kec}-CAMAT",
                pimpinan=True, eselon="IV.a", peran="kasi",
            )  # fmt: skip
        s.jabatan(
            f"{kec}-PP", "Pengadministrasi Perkantoran", "Pelaksana", kec, f"{kec}-SEKCAM", formasi=3,
            pemangku=3, pangkat="Pengatur Muda Tk. I (II/b)", peran="staf_kecamatan",
        )  # fmt: skip
    return s
